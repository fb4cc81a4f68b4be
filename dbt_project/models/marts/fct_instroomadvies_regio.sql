/*
    Inflow advice per AZW region × scenario × evenwichtsjaar (basisjaar + 12 and + 18): the
    yearly number of GP trainees, starting from the bijsturingsjaar and settling in the
    region, that closes the region's projected gap in that year.

    On the registry's scale (fct_prognose_gemeente) the region's supply without its share
    of the steerable intake, plus A trainees a year × respons_fte_per_opleidingsplaats,
    meets its demand when
        instroomadvies_registerschaal = (vraag_fte - aanbod_fte + instroom_stuurbaar_fte) / respons
    The regions' shares of the sum of these (aandeel_landelijk_advies) share out the
    national advice of the Capaciteitsorgaan's model (fct_prognose_nationaal), so the
    regions add up to it exactly: instroomadvies = aandeel × national advice. A region with
    a surplus gets less than its share of the status quo (or even a negative number).
*/
{%- set dbl = capmon.type_double() %}

with

gemeenten as (

    select * from {{ ref('fct_prognose_gemeente') }}

),

nationaal as (

    select * from {{ ref('fct_prognose_nationaal') }}

),

evenwichtsjaren as (

    select
        scenario,
        scenario_naam,
        is_voorkeursscenario,
        bijsturingsjaar,
        evenwichtsjaar as jaar,
        cast('basisjaar + 18' as {{ dbt.type_string() }}) as evenwichtsjaar_keuze,
        instroomadvies as instroomadvies_landelijk,
        respons_fte_per_opleidingsplaats
    from nationaal
    where jaar = evenwichtsjaar
    union all
    select
        scenario,
        scenario_naam,
        is_voorkeursscenario,
        bijsturingsjaar,
        evenwichtsjaar_kort as jaar,
        cast('basisjaar + 12' as {{ dbt.type_string() }}) as evenwichtsjaar_keuze,
        instroomadvies_evenwichtsjaar_kort as instroomadvies_landelijk,
        respons_fte_per_opleidingsplaats
    from nationaal
    where jaar = evenwichtsjaar_kort

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
        sum(gemeenten.vraag_fte) as vraag_fte,
        sum(gemeenten.instroom_stuurbaar_fte) as instroom_stuurbaar_fte
    from gemeenten
    group by gemeenten.azw_regio_code, gemeenten.scenario, gemeenten.jaar

),

advies as (

    select
        regio.*,
        evenwichtsjaren.scenario_naam,
        evenwichtsjaren.is_voorkeursscenario,
        evenwichtsjaren.bijsturingsjaar,
        evenwichtsjaren.evenwichtsjaar_keuze,
        evenwichtsjaren.instroomadvies_landelijk,
        evenwichtsjaren.respons_fte_per_opleidingsplaats,
        {{ capmon.safe_divide(
            'regio.vraag_fte - regio.aanbod_fte + regio.instroom_stuurbaar_fte',
            'evenwichtsjaren.respons_fte_per_opleidingsplaats'
        ) }} as instroomadvies_registerschaal
    from regio
    inner join evenwichtsjaren
        on
            regio.scenario = evenwichtsjaren.scenario
            and regio.jaar = evenwichtsjaren.jaar

),

aandelen as (

    select
        *,
        {{ capmon.safe_divide(
            'instroomadvies_registerschaal',
            'sum(instroomadvies_registerschaal) over (partition by scenario, jaar)'
        ) }} as aandeel_landelijk_advies
    from advies

),

final as (

    select
        azw_regio_code,
        azw_regio_naam,
        scenario,
        scenario_naam,
        is_voorkeursscenario,
        cast(jaar as {{ dbt.type_int() }}) as evenwichtsjaar,
        evenwichtsjaar_keuze,
        cast(bijsturingsjaar as {{ dbt.type_int() }}) as bijsturingsjaar,
        cast(aantal_gemeenten as {{ dbt.type_int() }}) as aantal_gemeenten,
        cast(verdeelsleutel_instroom as {{ dbl }}) as verdeelsleutel_instroom,
        cast(vraag_fte as {{ dbl }}) as vraag_fte,
        cast(aanbod_fte as {{ dbl }}) as aanbod_fte,
        cast(vraag_fte - aanbod_fte as {{ dbl }}) as tekort_fte,
        {{ capmon.safe_divide('vraag_fte - aanbod_fte', 'vraag_fte') }} as tekort_pct,
        cast(instroom_stuurbaar_fte as {{ dbl }}) as instroom_stuurbaar_fte,
        cast(respons_fte_per_opleidingsplaats as {{ dbl }}) as respons_fte_per_opleidingsplaats,
        cast(instroomadvies_registerschaal as {{ dbl }}) as instroomadvies_registerschaal,
        cast(aandeel_landelijk_advies as {{ dbl }}) as aandeel_landelijk_advies,
        cast(aandeel_landelijk_advies * instroomadvies_landelijk as {{ dbl }}) as instroomadvies,
        cast(instroomadvies_landelijk as {{ dbl }}) as instroomadvies_landelijk,
        cast(
            aanbod_fte - instroom_stuurbaar_fte
            + instroomadvies_registerschaal * respons_fte_per_opleidingsplaats as {{ dbl }}
        ) as aanbod_fte_bij_advies,
        cast(
            vraag_fte - aanbod_fte + instroom_stuurbaar_fte
            - instroomadvies_registerschaal * respons_fte_per_opleidingsplaats as {{ dbl }}
        ) as tekort_fte_bij_advies
    from aandelen

)

select * from final
