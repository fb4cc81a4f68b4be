/*
    fct_capaciteit_gemeente_publiek has exactly the rows (gemeente × peiljaar) of
    fct_capaciteit_gemeente; it suppresses exactly where the source has fewer than
    capmon_kleine_cel.min_personen GPs or min_praktijken submitted practices; and every
    value it does show equals the source (the rank, renumbered over the shown gemeenten, is
    checked by the model's unit test). Returns each row that is missing, extra, wrongly
    (not) suppressed or different.
*/
{%- set min_personen = var('capmon_kleine_cel').min_personen %}
{%- set min_praktijken = var('capmon_kleine_cel').min_praktijken %}
{%- set altijd = [
    'gemeentenaam', 'peildatum', 'is_laatste_peiljaar', 'provincie_code', 'provincie_naam',
    'azw_regio_code', 'azw_regio_naam', 'inwoners', 'prognose_tekort_pct',
] %}
{%- set persoonskolommen = capmon.kleine_cel_kolommen().personen %}
{%- set praktijkkolommen = capmon.kleine_cel_kolommen().praktijken %}

with

bron as (

    select
        *,
        huisartsen_personen < {{ min_personen }} as verwacht_onderdrukt_personen,
        coalesce(praktijken_aangeleverd, 0) < {{ min_praktijken }}
            as verwacht_onderdrukt_praktijken
    from {{ ref('fct_capaciteit_gemeente') }}

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
            when bron.verwacht_onderdrukt_personen <> publiek.is_onderdrukt_personen then 1
            when bron.verwacht_onderdrukt_praktijken <> publiek.is_onderdrukt_praktijken then 1
            else 0
        end as onderdrukking_wijkt_af,
        {%- for kolom in altijd + persoonskolommen + praktijkkolommen %}
            case
                {%- if kolom in persoonskolommen %}
                    when publiek.is_onderdrukt_personen
                        then case when publiek.{{ kolom }} is null then 0 else 1 end
                {%- elif kolom in praktijkkolommen %}
                    when publiek.is_onderdrukt_praktijken
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

)

select *
from vergeleken
where
    rij_ontbreekt = 1
    or onderdrukking_wijkt_af = 1
    {%- for kolom in altijd + persoonskolommen + praktijkkolommen %}
        or {{ kolom }}_wijkt_af = 1
    {%- endfor %}
