-- The AZW regions' inflow advice, status-quo intake, demand and supply add up to the national
-- figures of fct_prognose_nationaal in the evenwichtsjaar, per scenario.
with

regio as (

    select
        scenario,
        sum(instroomadvies) as instroomadvies,
        sum(opleidingsinstroom_status_quo) as opleidingsinstroom_status_quo,
        sum(vraag_fte) as vraag_fte,
        sum(aanbod_fte) as aanbod_fte,
        sum(aantal_gemeenten) as aantal_gemeenten
    from {{ ref('fct_instroomadvies_regio') }}
    group by scenario

),

nationaal as (

    select * from {{ ref('fct_prognose_nationaal') }}
    where jaar = evenwichtsjaar

)

select
    regio.instroomadvies as regio_instroomadvies,
    nationaal.instroomadvies as nationaal_instroomadvies,
    coalesce(regio.scenario, nationaal.scenario) as scenario
from regio
full outer join nationaal
    on regio.scenario = nationaal.scenario
where
    regio.scenario is null
    or nationaal.scenario is null
    or abs(regio.instroomadvies - nationaal.instroomadvies) > 0.0001
    or abs(regio.opleidingsinstroom_status_quo - nationaal.opleidingsinstroom_status_quo) > 0.0001
    or abs(regio.vraag_fte - nationaal.vraag_fte) > 0.0001
    or abs(regio.aanbod_fte - nationaal.aanbod_fte) > 0.0001
    or regio.aantal_gemeenten <> nationaal.aantal_gemeenten
