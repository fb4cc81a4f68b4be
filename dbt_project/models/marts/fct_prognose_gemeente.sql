/*
    GP supply and demand projection per gemeente × jaar × scenario, from the latest Nivel
    peiljaar (basisjaar) to the Capaciteitsorgaan's evenwichtsjaar (2043 in the raming
    2025), on the registry's scale. Supply: int_prognose_aanbod_projected (the registry
    stock with outflow by the gemeente's own age and sex mix, the Capaciteitsorgaan's
    national new GPs by settlement key). Demand: int_prognose_vraag_projected (the
    scenario's national demand growth on the registry base, shared by the gemeente's
    modelled age-weighted population). Scenarios: int_prognose_scenarios (the hoofdmodel's
    steps and the analyst's what-ifs). Built from staging and intermediate models only
    (fct_capaciteit_gemeente refs this mart, not the other way).
*/
{%- set dbl = capmon.type_double() %}

with

aanbod as (

    select * from {{ ref('int_prognose_aanbod_projected') }}
    where gebiedsniveau = 'gemeente'

),

vraag as (

    select * from {{ ref('int_prognose_vraag_projected') }}
    where gebiedsniveau = 'gemeente'

),

scenarios as (

    select * from {{ ref('int_prognose_scenarios') }}

),

gemeenten as (

    select * from {{ ref('stg_reference__gemeenten') }}

),

samengevoegd as (

    select
        aanbod.gebiedcode as gemeentecode,
        gemeenten.gemeentenaam,
        gemeenten.provincie_code,
        gemeenten.azw_regio_code,
        gemeenten.azw_regio_naam,
        aanbod.jaar,
        aanbod.scenario,
        scenarios.scenario_naam,
        scenarios.is_voorkeursscenario,
        aanbod.basisjaar,
        aanbod.jaren_na_basisjaar,
        aanbod.aanbod_personen_vrouw,
        aanbod.aanbod_personen_man,
        aanbod.aanbod_fte,
        aanbod.fte_nivel_basisjaar,
        aanbod.verdeelsleutel_instroom,
        aanbod.instroom_stuurbaar_fte,
        vraag.vraag_fte,
        vraag.aandeel_landelijke_vraag,
        vraag.inwoners as inwoners_gemodelleerd,
        vraag.inwoners_65plus as inwoners_65plus_gemodelleerd,
        vraag.vraaggewogen_inwoners,
        vraag.bevolking_is_gemodelleerd,
        aanbod.aanbod_personen_vrouw + aanbod.aanbod_personen_man as aanbod_personen,
        aanbod.zittend_personen_vrouw + aanbod.zittend_personen_man as zittend_personen,
        aanbod.nieuw_personen_vrouw + aanbod.nieuw_personen_man as nieuw_personen,
        lag(aanbod.zittend_personen_vrouw + aanbod.zittend_personen_man) over (
            partition by aanbod.gebiedcode, aanbod.scenario order by aanbod.jaar
        ) as zittend_personen_vorig_jaar,
        lag(aanbod.nieuw_personen_vrouw + aanbod.nieuw_personen_man) over (
            partition by aanbod.gebiedcode, aanbod.scenario order by aanbod.jaar
        ) as nieuw_personen_vorig_jaar
    from aanbod
    inner join vraag
        on
            aanbod.gebiedcode = vraag.gebiedcode
            and aanbod.scenario = vraag.scenario
            and aanbod.jaar = vraag.jaar
    inner join scenarios
        on aanbod.scenario = scenarios.scenario
    inner join gemeenten
        on aanbod.gebiedcode = gemeenten.gemeentecode

),

final as (

    select
        gemeentecode,
        gemeentenaam,
        provincie_code,
        azw_regio_code,
        azw_regio_naam,
        cast(jaar as {{ dbt.type_int() }}) as jaar,
        scenario,
        scenario_naam,
        is_voorkeursscenario,
        cast(basisjaar as {{ dbt.type_int() }}) as basisjaar,
        cast(jaren_na_basisjaar as {{ dbt.type_int() }}) as jaren_na_basisjaar,
        jaar = basisjaar as is_basisjaar,
        jaar > basisjaar as is_gemodelleerd,
        cast(aanbod_personen_vrouw as {{ dbl }}) as aanbod_personen_vrouw,
        cast(aanbod_personen_man as {{ dbl }}) as aanbod_personen_man,
        cast(aanbod_personen as {{ dbl }}) as aanbod_personen,
        cast(zittend_personen as {{ dbl }}) as zittend_personen,
        cast(nieuw_personen as {{ dbl }}) as nieuw_personen,
        cast(coalesce(nieuw_personen - nieuw_personen_vorig_jaar, 0) as {{ dbl }})
            as instroom_personen,
        cast(coalesce(zittend_personen_vorig_jaar - zittend_personen, 0) as {{ dbl }})
            as uitstroom_personen,
        cast(aanbod_fte as {{ dbl }}) as aanbod_fte,
        cast(fte_nivel_basisjaar as {{ dbl }}) as fte_nivel_basisjaar,
        cast(verdeelsleutel_instroom as {{ dbl }}) as verdeelsleutel_instroom,
        cast(instroom_stuurbaar_fte as {{ dbl }}) as instroom_stuurbaar_fte,
        cast(vraag_fte as {{ dbl }}) as vraag_fte,
        cast(aandeel_landelijke_vraag as {{ dbl }}) as aandeel_landelijke_vraag,
        cast(vraag_fte - aanbod_fte as {{ dbl }}) as tekort_fte,
        {{ capmon.safe_divide('vraag_fte - aanbod_fte', 'vraag_fte') }} as tekort_pct,
        cast(inwoners_gemodelleerd as {{ dbl }}) as inwoners_gemodelleerd,
        cast(inwoners_65plus_gemodelleerd as {{ dbl }}) as inwoners_65plus_gemodelleerd,
        cast(vraaggewogen_inwoners as {{ dbl }}) as vraaggewogen_inwoners,
        bevolking_is_gemodelleerd
    from samengevoegd

)

select * from final
