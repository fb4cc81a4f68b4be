/*
    fct_capaciteit_gemeente_publiek has exactly the rows (gemeente × peiljaar) of
    fct_capaciteit_gemeente; every primary small cell of the source (fewer than
    capmon_kleine_cel.min_personen GPs; 1 to min_praktijken - 1 submitted practices) is
    suppressed, whatever the pattern model says; the flags are those of
    int_kleine_cellen_onderdrukt; and every value it does show equals the source (the rank,
    renumbered over the shown gemeenten, is checked by the model's unit test). Returns each
    row that is missing, extra, wrongly (not) suppressed or different.
*/
{%- set min_personen = var('capmon_kleine_cel').min_personen %}
{%- set min_praktijken = var('capmon_kleine_cel').min_praktijken %}
{%- set altijd = [
    'gemeentenaam', 'peildatum', 'is_laatste_peiljaar', 'provincie_code', 'provincie_naam',
    'azw_regio_code', 'azw_regio_naam', 'inwoners',
] %}
{%- set persoonskolommen = capmon.kleine_cel_kolommen().personen %}
{%- set praktijkkolommen = capmon.kleine_cel_kolommen().praktijken %}
{%- set beidekolommen = capmon.kleine_cel_kolommen().beide %}

with

bron as (

    select
        *,
        huisartsen_personen < {{ min_personen }} as is_klein_personen,
        praktijken_aangeleverd > 0 and praktijken_aangeleverd < {{ min_praktijken }}
            as is_klein_praktijken,
        coalesce(praktijken_aangeleverd, 0) = 0 as zonder_aanlevering
    from {{ ref('fct_capaciteit_gemeente') }}

),

patroon as (

    select * from {{ ref('int_kleine_cellen_onderdrukt') }}

),

publiek as (

    select * from {{ ref('fct_capaciteit_gemeente_publiek') }}

),

vergeleken as (

    select
        coalesce(bron.gemeentecode, publiek.gemeentecode) as gemeentecode,
        coalesce(bron.peiljaar, publiek.peiljaar) as peiljaar,
        case when bron.gemeentecode is null or publiek.gemeentecode is null then 1 else 0 end
            as rij_ontbreekt,
        case
            when bron.is_klein_personen and not publiek.is_onderdrukt_personen then 1
            when bron.is_klein_praktijken and not publiek.is_onderdrukt_praktijken then 1
            when patroon.is_onderdrukt_personen <> publiek.is_onderdrukt_personen then 1
            when patroon.is_onderdrukt_praktijken <> publiek.is_onderdrukt_praktijken then 1
            else 0
        end as onderdrukking_wijkt_af,
        {%- for kolom in altijd + persoonskolommen + praktijkkolommen + beidekolommen %}
            case
                {%- if kolom in persoonskolommen %}
                    when publiek.is_onderdrukt_personen
                        then case when publiek.{{ kolom }} is null then 0 else 1 end
                {%- elif kolom in praktijkkolommen %}
                    when publiek.is_onderdrukt_praktijken or bron.zonder_aanlevering
                        then case when publiek.{{ kolom }} is null then 0 else 1 end
                {%- elif kolom in beidekolommen %}
                    when
                        publiek.is_onderdrukt_personen or publiek.is_onderdrukt_praktijken
                        or bron.zonder_aanlevering
                        then case when publiek.{{ kolom }} is null then 0 else 1 end
                {%- endif %}
                when bron.{{ kolom }} is null and publiek.{{ kolom }} is null then 0
                when bron.{{ kolom }} is null or publiek.{{ kolom }} is null then 1
                when bron.{{ kolom }} <> publiek.{{ kolom }} then 1
                else 0
            end as {{ kolom }}_wijkt_af{% if not loop.last %},{% endif %}
        {%- endfor %}
    from bron
    full outer join publiek
        on
            bron.gemeentecode = publiek.gemeentecode
            and bron.peiljaar = publiek.peiljaar
    left join patroon
        on
            publiek.gemeentecode = patroon.gemeentecode
            and publiek.peiljaar = patroon.peiljaar

)

select *
from vergeleken
where
    rij_ontbreekt = 1
    or onderdrukking_wijkt_af = 1
    {%- for kolom in altijd + persoonskolommen + praktijkkolommen + beidekolommen %}
        or {{ kolom }}_wijkt_af = 1
    {%- endfor %}
