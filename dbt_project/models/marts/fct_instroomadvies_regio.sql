/*
    Inflow advice per AZW region × scenario: the yearly number of GP trainees, starting
    from the bijsturingsjaar and settling in the region, that closes the region's projected
    gap in the evenwichtsjaar. With the status-quo intake shared out by the settlement key
    (opleidingsinstroom_status_quo = national status quo × the region's key) and every
    extra trainee adding respons_fte_per_opleidingsplaats FTE in the evenwichtsjaar:
        instroomadvies = opleidingsinstroom_status_quo + tekort_fte / respons_fte
    Linear, so the regions add up to the national advice (fct_prognose_nationaal). A
    negative tekort lowers the region's advice below its status quo (even below 0 where
    the region would need no new GPs at all).
*/
{%- set dbl = capmon.type_double() %}

with

gemeenten as (

    select * from {{ ref('fct_prognose_gemeente') }}

),

nationaal as (

    select * from {{ ref('fct_prognose_nationaal') }}
    where jaar = evenwichtsjaar

),

regio as (

    select
        gemeenten.azw_regio_code,
        gemeenten.scenario,
        gemeenten.jaar,
        max(gemeenten.azw_regio_naam) as azw_regio_naam,
        count(*) as aantal_gemeenten,
        sum(gemeenten.verdeelsleutel_instroom) as verdeelsleutel_instroom,
        sum(gemeenten.aanbod_fte) as aanbod_fte,
        sum(gemeenten.vraag_fte) as vraag_fte
    from gemeenten
    inner join nationaal
        on
            gemeenten.scenario = nationaal.scenario
            and gemeenten.jaar = nationaal.jaar
    group by gemeenten.azw_regio_code, gemeenten.scenario, gemeenten.jaar

),

advies as (

    select
        regio.azw_regio_code,
        regio.azw_regio_naam,
        regio.scenario,
        regio.jaar as evenwichtsjaar,
        nationaal.bijsturingsjaar,
        regio.aantal_gemeenten,
        regio.verdeelsleutel_instroom,
        regio.vraag_fte,
        regio.aanbod_fte,
        regio.vraag_fte - regio.aanbod_fte as tekort_fte,
        nationaal.respons_fte_per_opleidingsplaats,
        nationaal.opleidingsinstroom_status_quo * regio.verdeelsleutel_instroom
            as opleidingsinstroom_status_quo,
        nationaal.opleidingsinstroom_status_quo * regio.verdeelsleutel_instroom
        + {{ capmon.safe_divide(
            'regio.vraag_fte - regio.aanbod_fte', 'nationaal.respons_fte_per_opleidingsplaats'
        ) }} as instroomadvies,
        nationaal.instroomadvies as instroomadvies_landelijk
    from regio
    inner join nationaal
        on regio.scenario = nationaal.scenario

),

final as (

    select
        azw_regio_code,
        azw_regio_naam,
        scenario,
        cast(evenwichtsjaar as {{ dbt.type_int() }}) as evenwichtsjaar,
        cast(bijsturingsjaar as {{ dbt.type_int() }}) as bijsturingsjaar,
        cast(aantal_gemeenten as {{ dbt.type_int() }}) as aantal_gemeenten,
        cast(verdeelsleutel_instroom as {{ dbl }}) as verdeelsleutel_instroom,
        cast(vraag_fte as {{ dbl }}) as vraag_fte,
        cast(aanbod_fte as {{ dbl }}) as aanbod_fte,
        cast(tekort_fte as {{ dbl }}) as tekort_fte,
        {{ capmon.safe_divide('tekort_fte', 'vraag_fte') }} as tekort_pct,
        cast(opleidingsinstroom_status_quo as {{ dbl }}) as opleidingsinstroom_status_quo,
        cast(respons_fte_per_opleidingsplaats as {{ dbl }}) as respons_fte_per_opleidingsplaats,
        cast(instroomadvies as {{ dbl }}) as instroomadvies,
        {{ capmon.safe_divide('instroomadvies', 'instroomadvies_landelijk') }}
            as aandeel_landelijk_advies,
        cast(
            aanbod_fte
            + (instroomadvies - opleidingsinstroom_status_quo) * respons_fte_per_opleidingsplaats
            as {{ dbl }}
        ) as aanbod_fte_bij_advies,
        cast(
            tekort_fte
            - (instroomadvies - opleidingsinstroom_status_quo) * respons_fte_per_opleidingsplaats
            as {{ dbl }}
        ) as tekort_fte_bij_advies
    from advies

)

select * from final
