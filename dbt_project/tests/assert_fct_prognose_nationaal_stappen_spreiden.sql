/*
    The hoofdmodel's scenario steps give clearly different advice, in the order their
    assumptions imply (raming 2025, evenwichtsjaar 2043): demography only (step 1) needs
    the least, the voorkeursscenario (6, with verticale substitutie) less than werkproces
    with a temporary trend (2), which needs less than with a continuing trend (3); all
    between 550 and 1,750 trainees a year. Step 4 equals step 2 exactly when the raming's
    arbeidstijd is 0 (as in 2025), and differs otherwise.
*/
{%- if var('capmon_prognose').raming == 2025 %}
    with

    advies as (

        select
            max(case when scenario = 'stap1_demografie' then instroomadvies end) as stap1,
            max(case when scenario = 'stap2_werkproces_tijdelijk' then instroomadvies end) as stap2,
            max(case when scenario = 'stap3_werkproces_doorgaand' then instroomadvies end) as stap3,
            max(case when scenario = 'stap4_arbeidstijd' then instroomadvies end) as stap4,
            max(case when scenario = 'stap6_verticale_substitutie' then instroomadvies end) as stap6
        from {{ ref('fct_prognose_nationaal') }}
        where scenario_soort = 'stap'

    )

    select *
    from advies
    where
        not (stap1 < stap6 and stap6 < stap2 and stap2 < stap3)
        or stap1 < 550 or stap3 > 1750
        or abs(stap4 - stap2) > 0.000001
        or stap6 - stap1 < 100
{%- else %}
    select 1 as stap1 where 1 = 0
{%- endif %}
