-- The AZW regions' inflow advice adds up to the national advice of fct_prognose_nationaal,
-- and their demand and supply to the sums of the gemeenten, per scenario and evenwichtsjaar
-- (basisjaar + 12 and + 18).
with

regio as (

    select
        scenario,
        evenwichtsjaar,
        sum(instroomadvies) as instroomadvies,
        sum(vraag_fte) as vraag_fte,
        sum(aanbod_fte) as aanbod_fte,
        sum(aantal_gemeenten) as aantal_gemeenten
    from {{ ref('fct_instroomadvies_regio') }}
    group by scenario, evenwichtsjaar

),

nationaal as (

    select
        scenario,
        jaar as evenwichtsjaar,
        instroomadvies,
        vraag_fte_gemeenten,
        aanbod_fte_gemeenten,
        aantal_gemeenten
    from {{ ref('fct_prognose_nationaal') }}
    where jaar = evenwichtsjaar
    union all
    select
        scenario,
        jaar as evenwichtsjaar,
        instroomadvies_evenwichtsjaar_kort as instroomadvies,
        vraag_fte_gemeenten,
        aanbod_fte_gemeenten,
        aantal_gemeenten
    from {{ ref('fct_prognose_nationaal') }}
    where jaar = evenwichtsjaar_kort

)

select
    regio.instroomadvies as regio_instroomadvies,
    nationaal.instroomadvies as nationaal_instroomadvies,
    coalesce(regio.scenario, nationaal.scenario) as scenario,
    coalesce(regio.evenwichtsjaar, nationaal.evenwichtsjaar) as evenwichtsjaar
from regio
full outer join nationaal
    on
        regio.scenario = nationaal.scenario
        and regio.evenwichtsjaar = nationaal.evenwichtsjaar
where
    regio.scenario is null
    or nationaal.scenario is null
    or abs(regio.instroomadvies - nationaal.instroomadvies) > 0.0001
    or abs(regio.vraag_fte - nationaal.vraag_fte_gemeenten) > 0.0001
    or abs(regio.aanbod_fte - nationaal.aanbod_fte_gemeenten) > 0.0001
    or regio.aantal_gemeenten <> nationaal.aantal_gemeenten
