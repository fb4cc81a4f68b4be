/*
    PUBLIC. fct_capaciteit_gemeente for national and public dashboards: the same grain
    (every gemeente × peiljaar), a curated subset of columns, small cells suppressed and the
    gemeente's boundary for the map. The rule set is docs/onthullingsbeheersing.md; the
    pattern (primary and complementary suppression) comes from int_kleine_cellen_onderdrukt
    and the column lists from the macro kleine_cel_kolommen():

    - person-based figures are NULL where the gemeente is suppressed under the person rule
      (fewer than capmon_kleine_cel.min_personen GPs, or its complementary partner);
    - practice-based figures where it is suppressed under the practice rule (1 to
      min_praktijken - 1 practices submitted, or its partner), and where nothing was
      submitted at all (there is nothing to show);
    - figures built from both (patients per FTE, the spanningsindex and its scores) under
      either rule.
    Always shown: keys, regions, inhabitants (CBS) and whether anything was submitted.
    Non-suppressed values are exactly those of fct_capaciteit_gemeente, except the rank:
    spanningsindex_rang numbers only the gemeenten shown (same order as the full mart), since
    a gap in the ranks would tell where a suppressed gemeente's index lies. One neutral reason
    text for primary and complementary cells alike, so a reader cannot tell which is small.
*/
{%- set reden_personen = 'huisartsencijfers niet getoond (kleine aantallen)' %}
{%- set reden_praktijken = 'praktijkcijfers niet getoond (kleine aantallen)' %}
{%- set persoonskolommen = capmon.kleine_cel_kolommen().personen %}
{%- set praktijkkolommen = capmon.kleine_cel_kolommen().praktijken %}
{%- set beidekolommen = capmon.kleine_cel_kolommen().beide %}

with

capaciteit as (

    select * from {{ ref('fct_capaciteit_gemeente') }}

),

grenzen as (

    select * from {{ ref('stg_reference__gemeentegrenzen') }}

),

onderdrukking as (

    select * from {{ ref('int_kleine_cellen_onderdrukt') }}

),

gemarkeerd as (

    select
        capaciteit.*,
        onderdrukking.is_onderdrukt_personen,
        onderdrukking.is_onderdrukt_praktijken,
        grenzen.grens_geojson,
        not onderdrukking.heeft_aanlevering or onderdrukking.is_onderdrukt_praktijken
            as zonder_praktijkcijfers,
        (
            onderdrukking.is_onderdrukt_personen
            or onderdrukking.is_onderdrukt_praktijken
            or not onderdrukking.heeft_aanlevering
        ) as zonder_samengestelde_cijfers
    from capaciteit
    inner join onderdrukking
        on
            capaciteit.gemeentecode = onderdrukking.gemeentecode
            and capaciteit.peiljaar = onderdrukking.peiljaar
    left join grenzen
        on capaciteit.gemeentecode = grenzen.gemeentecode

),

final as (

    select
        gemeentecode,
        gemeentenaam,
        peiljaar,
        peildatum,
        is_laatste_peiljaar,
        provincie_code,
        provincie_naam,
        azw_regio_code,
        azw_regio_naam,
        inwoners,
        cast(coalesce(praktijken_aangeleverd, 0) > 0 as {{ dbt.type_boolean() }})
            as heeft_aanlevering,
        {%- for kolom in persoonskolommen %}
            case when not is_onderdrukt_personen then {{ kolom }} end as {{ kolom }},
        {%- endfor %}
        {%- for kolom in praktijkkolommen %}
            case when not zonder_praktijkcijfers then {{ kolom }} end as {{ kolom }},
        {%- endfor %}
        {%- for kolom in beidekolommen %}
            case when not zonder_samengestelde_cijfers then {{ kolom }} end as {{ kolom }},
        {%- endfor %}
        case
            when not zonder_samengestelde_cijfers
                then cast(
                        row_number() over (
                            partition by peiljaar, zonder_samengestelde_cijfers
                            order by
                                spanningsindex desc nulls last,
                                score_balans desc nulls last,
                                gemeentecode
                        ) as {{ dbt.type_int() }}
                    )
        end as spanningsindex_rang,
        cast(is_onderdrukt_personen as {{ dbt.type_boolean() }}) as is_onderdrukt_personen,
        cast(is_onderdrukt_praktijken as {{ dbt.type_boolean() }}) as is_onderdrukt_praktijken,
        cast(
            case
                when is_onderdrukt_personen and is_onderdrukt_praktijken
                    then '{{ reden_personen }}; {{ reden_praktijken }}'
                when is_onderdrukt_personen then '{{ reden_personen }}'
                when is_onderdrukt_praktijken then '{{ reden_praktijken }}'
            end as {{ dbt.type_string() }}
        ) as onderdrukking,
        cast(grens_geojson as {{ dbt.type_string() }}) as grens_geojson
    from gemarkeerd

)

select * from final
