/*
    Base-year GPs never come back: per geslacht × leeftijdsklasse the cumulative outflow
    never falls from one year to the next (so the remaining base-year persons of every
    gebied, sex and band never rise), and per gebied × scenario × sex the remaining
    base-year persons of int_prognose_aanbod_projected never rise.
*/
with

band as (

    select
        geslacht,
        leeftijdsklasse,
        jaren,
        uitstroom_cumulatief
        - lag(uitstroom_cumulatief) over (
            partition by geslacht, leeftijdsklasse order by jaren
        ) as stijging_uitstroom
    from {{ ref('int_prognose_uitstroom_calibrated') }}

),

gebied as (

    select
        gebiedcode,
        scenario,
        jaar,
        zittend_personen_vrouw - lag(zittend_personen_vrouw) over (
            partition by gebiedsniveau, gebiedcode, scenario order by jaar
        ) as stijging_vrouw,
        zittend_personen_man - lag(zittend_personen_man) over (
            partition by gebiedsniveau, gebiedcode, scenario order by jaar
        ) as stijging_man
    from {{ ref('int_prognose_aanbod_projected') }}

)

select
    cast('band' as {{ dbt.type_string() }}) as niveau,
    {{ dbt.concat(['geslacht', "' '", 'leeftijdsklasse']) }} as sleutel,
    jaren as jaar
from band
where stijging_uitstroom < -0.000000001
union all
select
    cast('gebied' as {{ dbt.type_string() }}) as niveau,
    {{ dbt.concat(['gebiedcode', "' '", 'scenario']) }} as sleutel,
    jaar
from gebied
where stijging_vrouw > 0.000000001 or stijging_man > 0.000000001
