/*
    Complementary suppression holds (docs/onthullingsbeheersing.md). Per klasse (peiljaar ×
    provincie × AZW region × GGD region × heeft_aanlevering) and rule, the gemeenten whose
    figures fct_capaciteit_gemeente_publiek leaves empty are none; or at least two, with
    together at least the threshold unless the whole klasse is empty; or one that a
    rectangle of klassen protects (int_kleine_cellen_onderdrukt.is_rechthoekpartner, or the
    primary cell it was made for); or, under the practice rule, one left out of every
    published total. Recomputed from the published flags and the source values. Also fails
    on every gemeente the person rule cannot protect at all (is_onvoldoende_beschermd), so
    nothing is published then.
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

patroon as (

    select * from {{ ref('int_kleine_cellen_onderdrukt') }}

),

cellen as (

    select
        publiek.peiljaar,
        patroon.provincie_code,
        patroon.azw_regio_code,
        patroon.ggd_regio_code,
        publiek.heeft_aanlevering,
        publiek.is_onderdrukt_personen,
        publiek.is_onderdrukt_praktijken,
        patroon.is_onvoldoende_beschermd,
        coalesce(bron.huisartsen_personen, 0) as personen,
        coalesce(bron.praktijken_aangeleverd, 0) as praktijken,
        case
            when patroon.is_rechthoekpartner or patroon.is_buiten_totalen_praktijken then 1
            when patroon.is_primair_personen or patroon.is_primair_praktijken then 0
        end as rechthoek_of_buiten
    from publiek
    inner join bron
        on
            publiek.gemeentecode = bron.gemeentecode
            and publiek.peiljaar = bron.peiljaar
    inner join patroon
        on
            publiek.gemeentecode = patroon.gemeentecode
            and publiek.peiljaar = patroon.peiljaar

),

klassen as (

    {%- for regel, drempel in drempels.items() %}
        {% if not loop.first %}union all{% endif %}
        select
            '{{ regel }}' as regel,
            peiljaar,
            provincie_code,
            azw_regio_code,
            ggd_regio_code,
            heeft_aanlevering,
            count(*) as gemeenten,
            sum(case when is_onderdrukt_{{ regel }} then 1 else 0 end) as onderdrukt,
            sum(case when is_onderdrukt_{{ regel }} then {{ regel }} else 0 end)
                as som_onderdrukt,
            {{ drempel }} as drempel,
            max(case when is_onvoldoende_beschermd then 1 else 0 end) as onbeschermbaar,
            max(case when is_onderdrukt_{{ regel }} then rechthoek_of_buiten end)
                as rechthoek_of_buiten
        from cellen
        group by peiljaar, provincie_code, azw_regio_code, ggd_regio_code, heeft_aanlevering
    {%- endfor %}

)

select *
from klassen
where
    onbeschermbaar = 1
    or (onderdrukt = 1 and coalesce(rechthoek_of_buiten, 0) = 0 and gemeenten > 1)
    or (onderdrukt >= 2 and som_onderdrukt < drempel and onderdrukt < gemeenten)
