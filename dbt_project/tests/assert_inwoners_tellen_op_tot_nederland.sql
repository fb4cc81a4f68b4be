/*
    For every peiljaar with a national CBS total on 1 January (stg_reference__bevolking_
    nederland), the gemeenten of fct_capaciteit_gemeente add up to exactly that total, and so
    does fct_capaciteit_nationaal: population is taken from the peiljaar's own 1 January,
    also where gemeente figures are estimated. Returns each peiljaar that does not.
*/
with

landelijk as (

    select
        jaar as peiljaar,
        inwoners
    from {{ ref('stg_reference__bevolking_nederland') }}

),

gemeenten as (

    select
        peiljaar,
        sum(inwoners) as inwoners
    from {{ ref('fct_capaciteit_gemeente') }}
    group by peiljaar

),

nationaal as (

    select
        peiljaar,
        inwoners
    from {{ ref('fct_capaciteit_nationaal') }}

)

select
    gemeenten.peiljaar,
    landelijk.inwoners as inwoners_cbs,
    gemeenten.inwoners as inwoners_som_gemeenten,
    nationaal.inwoners as inwoners_nationaal
from gemeenten
inner join landelijk
    on gemeenten.peiljaar = landelijk.peiljaar
left join nationaal
    on gemeenten.peiljaar = nationaal.peiljaar
where
    gemeenten.inwoners <> landelijk.inwoners
    or nationaal.inwoners is null
    or nationaal.inwoners <> landelijk.inwoners
