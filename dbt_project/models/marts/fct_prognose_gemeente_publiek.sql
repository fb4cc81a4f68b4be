/*
    PUBLIC. fct_prognose_gemeente for the Prognose dashboard, with the small-cell rule of
    docs/onthullingsbeheersing.md: a gemeente's projected supply starts from its own GPs in
    the basisjaar (persons by sex and age band) and keeps that information in every later
    year (the stock only ages and shrinks by known rates, and the inflow follows its FTE
    share), so for a gemeente suppressed under the person rule in the basisjaar — small or a
    complementary partner, int_kleine_cellen_onderdrukt — every supply-based column is
    empty in every year. Demand (CBS population × the national demand) is always shown.
    Only the listed columns are published: a new column of fct_prognose_gemeente stays out
    until it is put in one of the two lists.
*/
{%- set altijd = [
    'gemeentecode', 'gemeentenaam', 'provincie_code', 'azw_regio_code', 'azw_regio_naam',
    'jaar', 'scenario', 'basisjaar', 'jaren_na_basisjaar', 'is_basisjaar', 'is_gemodelleerd',
    'vraag_fte', 'aandeel_landelijke_vraag', 'inwoners_gemodelleerd',
    'inwoners_65plus_gemodelleerd', 'vraaggewogen_inwoners', 'bevolking_is_gemodelleerd',
] %}
{%- set aanbodkolommen = capmon.prognose_aanbodkolommen() %}

with

prognose as (

    select * from {{ ref('fct_prognose_gemeente') }}

),

onderdrukking as (

    select * from {{ ref('int_kleine_cellen_onderdrukt') }}

),

final as (

    select
        {%- for kolom in altijd %}
            prognose.{{ kolom }},
        {%- endfor %}
        {%- for kolom in aanbodkolommen %}
            case
                when not onderdrukking.is_onderdrukt_personen then prognose.{{ kolom }}
            end as {{ kolom }},
        {%- endfor %}
        cast(onderdrukking.is_onderdrukt_personen as {{ dbt.type_boolean() }})
            as is_onderdrukt_personen,
        cast(
            case
                when onderdrukking.is_onderdrukt_personen
                    then 'huisartsencijfers niet getoond (kleine aantallen)'
            end as {{ dbt.type_string() }}
        ) as onderdrukking
    from prognose
    inner join onderdrukking
        on
            prognose.gemeentecode = onderdrukking.gemeentecode
            and prognose.basisjaar = onderdrukking.peiljaar

)

select * from final
