/*
    No Nivel row is lost on the way to the mart: per peiljaar, persons and FTE of GPs and
    of support staff in fct_capaciteit_gemeente equal those in the registry.
*/
with

nivel as (

    select
        peiljaar,
        sum(case when beroep = 'huisarts' then aantal_personen else 0 end) as huisartsen_personen,
        sum(case when beroep = 'huisarts' then fte else 0 end) as huisartsen_fte,
        sum(case when beroep <> 'huisarts' then fte else 0 end) as ondersteuning_fte
    from {{ ref('stg_nivel__registratie') }}
    group by peiljaar

),

mart as (

    select
        peiljaar,
        sum(huisartsen_personen) as huisartsen_personen,
        sum(huisartsen_fte) as huisartsen_fte,
        sum(ondersteuning_fte) as ondersteuning_fte
    from {{ ref('fct_capaciteit_gemeente') }}
    group by peiljaar

)

select
    nivel.peiljaar,
    nivel.huisartsen_personen as nivel_huisartsen_personen,
    mart.huisartsen_personen as mart_huisartsen_personen,
    nivel.huisartsen_fte as nivel_huisartsen_fte,
    mart.huisartsen_fte as mart_huisartsen_fte,
    nivel.ondersteuning_fte as nivel_ondersteuning_fte,
    mart.ondersteuning_fte as mart_ondersteuning_fte
from nivel
left join mart
    on nivel.peiljaar = mart.peiljaar
where
    mart.peiljaar is null
    or nivel.huisartsen_personen <> mart.huisartsen_personen
    or abs(nivel.huisartsen_fte - mart.huisartsen_fte) > 0.0001
    or abs(nivel.ondersteuning_fte - mart.ondersteuning_fte) > 0.0001
