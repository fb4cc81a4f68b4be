/*
    PUBLIC. fct_capaciteit_gemeente for national and public dashboards: the same grain
    (every gemeente × peiljaar), a curated subset of columns, small cells suppressed
    (DESIGN §2) and the gemeente's boundary for the map.

    - Figures built from persons (Nivel GPs) are NULL where fewer than
      capmon_kleine_cel.min_personen (5) GPs are registered in the gemeente.
    - Figures built from practices (zorggroep submissions: patients, balance, continuity,
      vacancies, the spanningsindex and its scores) are NULL where fewer than
      capmon_kleine_cel.min_praktijken (3) practices were submitted, 0 included.
    - Always shown: keys, regions, inhabitants (CBS) and the projected gap (modelled).
    Non-suppressed values are exactly those of fct_capaciteit_gemeente, except the rank:
    spanningsindex_rang numbers only the gemeenten shown (same order as the full mart), since
    a gap in the ranks would tell where a suppressed gemeente's index lies.
*/
{%- set min_personen = var('capmon_kleine_cel').min_personen %}
{%- set min_praktijken = var('capmon_kleine_cel').min_praktijken %}
{%- set reden_personen = 'minder dan ' ~ min_personen ~ ' huisartsen' %}
{%- set reden_praktijken = 'minder dan ' ~ min_praktijken ~ ' praktijken aangeleverd' %}
{%- set persoonskolommen = capmon.kleine_cel_kolommen().personen %}
{%- set praktijkkolommen = capmon.kleine_cel_kolommen().praktijken %}

with

capaciteit as (

    select * from {{ ref('fct_capaciteit_gemeente') }}

),

grenzen as (

    select * from {{ ref('stg_reference__gemeentegrenzen') }}

),

gemarkeerd as (

    select
        capaciteit.*,
        capaciteit.huisartsen_personen < {{ min_personen }} as is_onderdrukt_personen,
        coalesce(capaciteit.praktijken_aangeleverd, 0) < {{ min_praktijken }}
            as is_onderdrukt_praktijken,
        grenzen.grens_geojson
    from capaciteit
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
            case when not is_onderdrukt_praktijken then {{ kolom }} end as {{ kolom }},
        {%- endfor %}
        case
            when not is_onderdrukt_praktijken
                then cast(
                        row_number() over (
                            partition by peiljaar, is_onderdrukt_praktijken
                            order by
                                spanningsindex desc nulls last,
                                score_balans desc nulls last,
                                gemeentecode
                        ) as {{ dbt.type_int() }}
                    )
        end as spanningsindex_rang,
        prognose_tekort_pct,
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
