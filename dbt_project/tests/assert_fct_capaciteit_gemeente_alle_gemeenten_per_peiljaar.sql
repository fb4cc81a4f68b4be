-- Every Nivel peiljaar has exactly one row for every gemeente of dim_gemeente.
with

peiljaren as (

    select distinct peiljaar from {{ ref('stg_nivel__registratie') }}

),

gemeenten as (

    select count(*) as aantal from {{ ref('dim_gemeente') }}

),

rijen as (

    select
        peiljaar,
        count(distinct gemeentecode) as aantal
    from {{ ref('fct_capaciteit_gemeente') }}
    group by peiljaar

)

select
    peiljaren.peiljaar,
    rijen.aantal as gemeenten_in_mart,
    gemeenten.aantal as gemeenten_verwacht
from peiljaren
cross join gemeenten
left join rijen
    on peiljaren.peiljaar = rijen.peiljaar
where rijen.aantal is null or rijen.aantal <> gemeenten.aantal
