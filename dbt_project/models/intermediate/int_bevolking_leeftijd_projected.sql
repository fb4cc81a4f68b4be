/*
    Inhabitants per gemeente × jaar by CBS age band, from 1 January 2023 (CBS Wijken en
    Buurten) to the projection's evenwichtsjaar: MODELLED (gemodelleerd), not a CBS
    projection. CBS and PBL withdrew the age detail of their regional projections in 2023,
    so the known 2023 structure is aged forward with a simple cohort-component method:

      - start: inhabitants × band percentage, the rounded percentages rescaled to sum 100;
      - each year a band passes 1/width of its people to the next band (ages spread evenly
        within a band): 0-14 → 15-24 (1/15), 15-24 → 25-44 (1/10), 25-44 → 45-64 (1/20),
        45-64 → 65+ (1/20);
      - births: geboortecijfer × inhabitants enter 0-14; deaths: sterftekans_65plus of the
        65+ (deaths under 65 left out); no migration (var capmon_prognose).
    vraaggewogen_inwoners weighs the bands with the project's one set of demand weights (the
    vars capmon_vraaggewicht_* of the capacity marts: under 65, 65-74, 75+): the four CBS
    bands under 65 get capmon_vraaggewicht_tot65; 65+ gets the mix
    (1 - a) × capmon_vraaggewicht_65_74 + a × capmon_vraaggewicht_75plus with
    a = capmon_prognose.aandeel_75plus_van_65plus (CBS, see dbt_project.yml). Only the
    gemeente's share of the national total is used (fct_prognose_gemeente), not its level.
*/
{%- set p = var('capmon_prognose') %}
{%- set dbl = capmon.type_double() %}
{%- set w_jong = var('capmon_vraaggewicht_tot65') %}
{%- set a = p.aandeel_75plus_van_65plus %}
{%- set w_65_74 = var('capmon_vraaggewicht_65_74') %}
{%- set w_oud = (1 - a) * w_65_74 + a * var('capmon_vraaggewicht_75plus') %}

with recursive

start as (

    select
        gemeentecode,
        jaar,
        cast(inwoners as {{ dbl }}) as inwoners,
        pct_0_14 + pct_15_24 + pct_25_44 + pct_45_64 + pct_65plus as pct_totaal,
        pct_0_14,
        pct_15_24,
        pct_25_44,
        pct_45_64,
        pct_65plus
    from {{ ref('stg_reference__bevolking_leeftijd') }}

),

eindjaar as (

    select max(evenwichtsjaar) as eindjaar
    from {{ ref('int_prognose_parameters_pivoted') }}

),

vergrijzing (
    gemeentecode, jaar, inwoners_0_14, inwoners_15_24, inwoners_25_44, inwoners_45_64,
    inwoners_65plus
) as (

    select
        gemeentecode,
        jaar,
        inwoners * pct_0_14 / pct_totaal,
        inwoners * pct_15_24 / pct_totaal,
        inwoners * pct_25_44 / pct_totaal,
        inwoners * pct_45_64 / pct_totaal,
        inwoners * pct_65plus / pct_totaal
    from start

    union all

    select
        vergrijzing.gemeentecode,
        vergrijzing.jaar + 1,
        vergrijzing.inwoners_0_14 - vergrijzing.inwoners_0_14 / 15
        + {{ p.geboortecijfer }} * (
            vergrijzing.inwoners_0_14 + vergrijzing.inwoners_15_24 + vergrijzing.inwoners_25_44
            + vergrijzing.inwoners_45_64 + vergrijzing.inwoners_65plus
        ),
        vergrijzing.inwoners_15_24 - vergrijzing.inwoners_15_24 / 10
        + vergrijzing.inwoners_0_14 / 15,
        vergrijzing.inwoners_25_44 - vergrijzing.inwoners_25_44 / 20
        + vergrijzing.inwoners_15_24 / 10,
        vergrijzing.inwoners_45_64 - vergrijzing.inwoners_45_64 / 20
        + vergrijzing.inwoners_25_44 / 20,
        vergrijzing.inwoners_65plus - vergrijzing.inwoners_65plus * {{ p.sterftekans_65plus }}
        + vergrijzing.inwoners_45_64 / 20
    from vergrijzing
    cross join eindjaar
    where vergrijzing.jaar < eindjaar.eindjaar

),

typed as (

    select
        vergrijzing.gemeentecode,
        cast(vergrijzing.jaar as {{ dbt.type_int() }}) as jaar,
        cast(
            vergrijzing.inwoners_0_14 + vergrijzing.inwoners_15_24 + vergrijzing.inwoners_25_44
            + vergrijzing.inwoners_45_64 + vergrijzing.inwoners_65plus as {{ dbl }}
        ) as inwoners,
        cast(vergrijzing.inwoners_0_14 as {{ dbl }}) as inwoners_0_14,
        cast(vergrijzing.inwoners_15_24 as {{ dbl }}) as inwoners_15_24,
        cast(vergrijzing.inwoners_25_44 as {{ dbl }}) as inwoners_25_44,
        cast(vergrijzing.inwoners_45_64 as {{ dbl }}) as inwoners_45_64,
        cast(vergrijzing.inwoners_65plus as {{ dbl }}) as inwoners_65plus,
        cast(
            {{ w_jong }} * (
                vergrijzing.inwoners_0_14 + vergrijzing.inwoners_15_24
                + vergrijzing.inwoners_25_44 + vergrijzing.inwoners_45_64
            )
            + {{ w_oud }} * vergrijzing.inwoners_65plus as {{ dbl }}
        ) as vraaggewogen_inwoners,
        vergrijzing.jaar > start.jaar as is_gemodelleerd
    from vergrijzing
    inner join start
        on vergrijzing.gemeentecode = start.gemeentecode

)

select * from typed
