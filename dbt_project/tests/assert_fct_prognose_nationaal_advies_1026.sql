/*
    The national model reproduces the Capaciteitsorgaan's published advice: with the raming
    2025 the voorkeursscenario (step 6) with evenwichtsjaar 2043 gives 1,026 trainees a
    year (Capaciteitsplan 2025; the same figure is the target of the public reference
    implementation mgmheck/huisartsen-dashboard), within ±1. Fails as well when that row is
    missing. Only meaningful for the raming 2025 (var capmon_prognose.raming).
*/
{%- if var('capmon_prognose').raming == 2025 %}
    with

    advies as (

        select max(instroomadvies) as instroomadvies
        from {{ ref('fct_prognose_nationaal') }}
        where is_voorkeursscenario and evenwichtsjaar = 2043 and raming = 2025

    )

    select instroomadvies
    from advies
    where instroomadvies is null or abs(instroomadvies - 1026) > 1
{%- else %}
    select 1 as instroomadvies where 1 = 0
{%- endif %}
