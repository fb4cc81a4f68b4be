/*
    Complementary suppression holds (docs/onthullingsbeheersing.md): within every klasse
    (peiljaar × provincie × AZW region × GGD region × heeft_aanlevering) the gemeenten whose
    person (practice) figures fct_capaciteit_gemeente_publiek leaves empty are either none, or
    at least two with together at least capmon_kleine_cel.min_personen GPs (min_praktijken
    practices). Published totals are sums over whole klassen, so differencing them can give
    no more than such a block's sum. Recomputed from the published flags and the source
    values, independently of int_kleine_cellen_onderdrukt. Returns each klasse and rule that
    fails; a klasse that cannot be protected at all fails here too, so nothing is published.
*/
{%- set drempels = {
    'personen': var('capmon_kleine_cel').min_personen,
    'praktijken': var('capmon_kleine_cel').min_praktijken,
} %}

with

bron as (

    select * from {{ ref('fct_capaciteit_gemeente') }}

),

publiek as (

    select * from {{ ref('fct_capaciteit_gemeente_publiek') }}

),

gemeenten as (

    select * from {{ ref('dim_gemeente') }}

),

cellen as (

    select
        publiek.peiljaar,
        gemeenten.provincie_code,
        gemeenten.azw_regio_code,
        gemeenten.ggd_regio_code,
        publiek.heeft_aanlevering,
        publiek.is_onderdrukt_personen,
        publiek.is_onderdrukt_praktijken,
        coalesce(bron.huisartsen_personen, 0) as personen,
        coalesce(bron.praktijken_aangeleverd, 0) as praktijken
    from publiek
    inner join bron
        on
            publiek.gemeentecode = bron.gemeentecode
            and publiek.peiljaar = bron.peiljaar
    inner join gemeenten
        on publiek.gemeentecode = gemeenten.gemeentecode

),

blokken as (

    {%- for regel, drempel in drempels.items() %}
        {% if not loop.first %}union all{% endif %}
        select
            '{{ regel }}' as regel,
            peiljaar,
            provincie_code,
            azw_regio_code,
            ggd_regio_code,
            heeft_aanlevering,
            count(*) as onderdrukte_gemeenten,
            sum({{ regel }}) as som_onderdrukt,
            {{ drempel }} as drempel
        from cellen
        where is_onderdrukt_{{ regel }}
        group by peiljaar, provincie_code, azw_regio_code, ggd_regio_code, heeft_aanlevering
    {%- endfor %}

)

select *
from blokken
where onderdrukte_gemeenten < 2 or som_onderdrukt < drempel
