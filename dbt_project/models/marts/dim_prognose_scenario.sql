/*
    The projection's scenarios, one row each, for the dashboard: name, Dutch explanation,
    kind (a step of the Capaciteitsorgaan's hoofdmodel, or an analyst's what-if), the
    parameters that set it apart, and its national result: the advice for both
    evenwichtsjaren and the gap in each without it (fct_prognose_nationaal).
*/
{%- set dbl = capmon.type_double() %}

with

scenarios as (

    select * from {{ ref('int_prognose_scenarios') }}

),

nationaal as (

    select
        scenario,
        max(raming) as raming,
        max(evenwichtsjaar) as evenwichtsjaar,
        max(evenwichtsjaar_kort) as evenwichtsjaar_kort,
        max(instroomadvies) as instroomadvies,
        max(instroomadvies_evenwichtsjaar_kort) as instroomadvies_evenwichtsjaar_kort,
        max(case when jaar = evenwichtsjaar then vraag_fte end) as vraag_fte_evenwichtsjaar,
        max(case when jaar = evenwichtsjaar then aanbod_fte end) as aanbod_fte_evenwichtsjaar,
        max(case when jaar = evenwichtsjaar then tekort_fte end) as tekort_fte_evenwichtsjaar
    from {{ ref('fct_prognose_nationaal') }}
    group by scenario

),

final as (

    select
        scenarios.scenario,
        scenarios.scenario_naam,
        scenarios.scenario_omschrijving,
        scenarios.scenario_soort,
        scenarios.scenario_stap,
        scenarios.volgorde,
        scenarios.is_voorkeursscenario,
        cast(nationaal.raming as {{ dbt.type_int() }}) as raming,
        scenarios.onvervulde_vraag,
        scenarios.werkproces_groei,
        scenarios.is_trend_doorgaand,
        scenarios.arbeidstijd,
        scenarios.verticale_substitutie,
        scenarios.opleidingsinstroom,
        scenarios.opleidingsinstroom_vanaf,
        scenarios.fte_factor_wijziging,
        scenarios.uittreden_later_jaren,
        cast(nationaal.evenwichtsjaar as {{ dbt.type_int() }}) as evenwichtsjaar,
        cast(nationaal.evenwichtsjaar_kort as {{ dbt.type_int() }}) as evenwichtsjaar_kort,
        cast(nationaal.instroomadvies as {{ dbl }}) as instroomadvies,
        cast(nationaal.instroomadvies_evenwichtsjaar_kort as {{ dbl }})
            as instroomadvies_evenwichtsjaar_kort,
        cast(nationaal.vraag_fte_evenwichtsjaar as {{ dbl }}) as vraag_fte_evenwichtsjaar,
        cast(nationaal.aanbod_fte_evenwichtsjaar as {{ dbl }}) as aanbod_fte_evenwichtsjaar,
        cast(nationaal.tekort_fte_evenwichtsjaar as {{ dbl }}) as tekort_fte_evenwichtsjaar
    from scenarios
    inner join nationaal
        on scenarios.scenario = nationaal.scenario

)

select * from final
