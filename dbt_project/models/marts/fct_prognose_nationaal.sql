/*
    National GP projection per jaar × scenario: the Capaciteitsorgaan's hoofdmodel on the
    raming's own base stock (int_prognose_landelijk_projected), so the advice reproduces
    the published one, next to the sum of the municipal projections on the registry's
    scale (*_gemeenten, fct_prognose_gemeente).

    Inflow advice: the yearly number of trainees starting from the bijsturingsjaar on that
    closes the gap in the evenwichtsjaar. Supply is linear in that intake (every trainee a
    year adds respons_fte_per_opleidingsplaats FTE in year t), so, as the hoofdmodel:
        instroomadvies = (vraag_fte - (aanbod_fte - stuurbaar_fte)) / respons_fte   at E
    for E = evenwichtsjaar (basisjaar + 18; instroomadvies) and evenwichtsjaar_kort
    (basisjaar + 12; instroomadvies_evenwichtsjaar_kort). A what-if's own intake is
    replaced by the advice: the advice is the intake needed under its other assumptions.
    aanbod_fte_bij_advies(t) = aanbod_fte(t) - stuurbaar_fte(t) + instroomadvies × respons(t).
*/
{%- set dbl = capmon.type_double() %}

with

landelijk as (

    select * from {{ ref('int_prognose_landelijk_projected') }}

),

scenarios as (

    select * from {{ ref('int_prognose_scenarios') }}

),

gemeenten as (

    select
        jaar,
        scenario,
        count(*) as aantal_gemeenten,
        max(basisjaar) as basisjaar_register,
        sum(aanbod_fte) as aanbod_fte_gemeenten,
        sum(vraag_fte) as vraag_fte_gemeenten,
        sum(tekort_fte) as tekort_fte_gemeenten,
        sum(case when tekort_fte > 0 then tekort_fte else 0 end) as tekort_fte_bruto_gemeenten
    from {{ ref('fct_prognose_gemeente') }}
    group by jaar, scenario

),

dekking as (

    select max(dekkingsfactor) as dekkingsfactor
    from {{ ref('int_prognose_aanbod_projected') }}

),

advies as (

    select
        scenario,
        max(
            case
                when jaar = evenwichtsjaar
                    then {{ capmon.safe_divide(
                        'vraag_fte - aanbod_fte + stuurbaar_fte', 'respons_fte_per_opleidingsplaats'
                    ) }}
            end
        ) as instroomadvies,
        max(
            case
                when jaar = evenwichtsjaar_kort
                    then {{ capmon.safe_divide(
                        'vraag_fte - aanbod_fte + stuurbaar_fte', 'respons_fte_per_opleidingsplaats'
                    ) }}
            end
        ) as instroomadvies_evenwichtsjaar_kort
    from landelijk
    group by scenario

),

final as (

    select
        cast(landelijk.jaar as {{ dbt.type_int() }}) as jaar,
        landelijk.scenario,
        scenarios.scenario_naam,
        scenarios.scenario_soort,
        scenarios.is_voorkeursscenario,
        cast(landelijk.raming as {{ dbt.type_int() }}) as raming,
        cast(landelijk.basisjaar as {{ dbt.type_int() }}) as basisjaar,
        cast(landelijk.jaren_na_basisjaar as {{ dbt.type_int() }}) as jaren_na_basisjaar,
        landelijk.jaar = landelijk.basisjaar as is_basisjaar,
        landelijk.jaar > landelijk.basisjaar as is_gemodelleerd,
        cast(landelijk.bijsturingsjaar as {{ dbt.type_int() }}) as bijsturingsjaar,
        cast(landelijk.evenwichtsjaar as {{ dbt.type_int() }}) as evenwichtsjaar,
        cast(landelijk.evenwichtsjaar_kort as {{ dbt.type_int() }}) as evenwichtsjaar_kort,
        cast(landelijk.huidig_personen_vrouw + landelijk.huidig_personen_man as {{ dbl }})
            as huidig_personen,
        cast(landelijk.opleiding_nu_personen as {{ dbl }}) as opleiding_nu_personen,
        cast(landelijk.opleiding_tussen_personen as {{ dbl }}) as opleiding_tussen_personen,
        cast(landelijk.opleiding_na_bijsturing_personen as {{ dbl }})
            as opleiding_na_bijsturing_personen,
        cast(landelijk.buitenland_personen as {{ dbl }}) as buitenland_personen,
        cast(landelijk.aanbod_personen_vrouw as {{ dbl }}) as aanbod_personen_vrouw,
        cast(landelijk.aanbod_personen_man as {{ dbl }}) as aanbod_personen_man,
        cast(landelijk.aanbod_personen as {{ dbl }}) as aanbod_personen,
        cast(landelijk.aanbod_fte as {{ dbl }}) as aanbod_fte,
        cast(landelijk.vraag_fte as {{ dbl }}) as vraag_fte,
        cast(landelijk.vraag_fte - landelijk.aanbod_fte as {{ dbl }}) as tekort_fte,
        {{ capmon.safe_divide(
            'landelijk.vraag_fte - landelijk.aanbod_fte', 'landelijk.vraag_fte'
        ) }} as tekort_pct,
        cast(landelijk.onvervulde_vraag as {{ dbl }}) as onvervulde_vraag,
        cast(landelijk.demografische_groei as {{ dbl }}) as demografische_groei,
        cast(landelijk.niet_demografische_factor as {{ dbl }}) as niet_demografische_factor,
        cast(landelijk.trendjaren as {{ dbt.type_int() }}) as trendjaren,
        cast(landelijk.opleidingsinstroom_status_quo as {{ dbl }}) as opleidingsinstroom_status_quo,
        cast(scenarios.opleidingsinstroom as {{ dbl }}) as opleidingsinstroom_scenario,
        cast(landelijk.stuurbaar_fte as {{ dbl }}) as stuurbaar_fte,
        cast(landelijk.respons_fte_per_opleidingsplaats as {{ dbl }})
            as respons_fte_per_opleidingsplaats,
        cast(advies.instroomadvies as {{ dbl }}) as instroomadvies,
        cast(advies.instroomadvies_evenwichtsjaar_kort as {{ dbl }})
            as instroomadvies_evenwichtsjaar_kort,
        cast(
            landelijk.aanbod_fte - landelijk.stuurbaar_fte
            + advies.instroomadvies * landelijk.respons_fte_per_opleidingsplaats as {{ dbl }}
        ) as aanbod_fte_bij_advies,
        cast(
            landelijk.vraag_fte - landelijk.aanbod_fte + landelijk.stuurbaar_fte
            - advies.instroomadvies * landelijk.respons_fte_per_opleidingsplaats as {{ dbl }}
        ) as tekort_fte_bij_advies,
        cast(dekking.dekkingsfactor as {{ dbl }}) as dekkingsfactor,
        cast(coalesce(gemeenten.aantal_gemeenten, 0) as {{ dbt.type_int() }}) as aantal_gemeenten,
        cast(gemeenten.aanbod_fte_gemeenten as {{ dbl }}) as aanbod_fte_gemeenten,
        cast(gemeenten.vraag_fte_gemeenten as {{ dbl }}) as vraag_fte_gemeenten,
        cast(gemeenten.tekort_fte_gemeenten as {{ dbl }}) as tekort_fte_gemeenten,
        cast(gemeenten.tekort_fte_bruto_gemeenten as {{ dbl }}) as tekort_fte_bruto_gemeenten
    from landelijk
    inner join scenarios
        on landelijk.scenario = scenarios.scenario
    inner join advies
        on landelijk.scenario = advies.scenario
    cross join dekking
    left join gemeenten
        on
            landelijk.scenario = gemeenten.scenario
            and landelijk.jaar = gemeenten.jaar

)

select * from final
