/*
    How many gemeenten have a boundary on the map: every gemeente of dim_gemeente, in every
    peiljaar. The boundaries are CBS 2023, the gemeenten 2025 (no merger in between); a
    merger in a later gemeente list shows up here first. Returns each peiljaar with fewer.
*/
with

gemeenten as (

    select count(*) as aantal
    from {{ ref('dim_gemeente') }}

),

met_grens as (

    select
        peiljaar,
        sum(case when grens_geojson is not null then 1 else 0 end) as aantal_met_grens
    from {{ ref('fct_capaciteit_gemeente_publiek') }}
    group by peiljaar

)

select
    met_grens.peiljaar,
    met_grens.aantal_met_grens,
    gemeenten.aantal as aantal_gemeenten
from met_grens
cross join gemeenten
where met_grens.aantal_met_grens <> gemeenten.aantal
