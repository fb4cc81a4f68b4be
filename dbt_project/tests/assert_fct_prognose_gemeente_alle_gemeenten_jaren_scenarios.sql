-- Every gemeente has one row per scenario for every year from the basisjaar (the latest Nivel
-- peiljaar) to the evenwichtsjaar.
with

basis as (

    select max(peiljaar) as basisjaar from {{ ref('stg_nivel__registratie') }}

),

verwacht as (

    select
        gemeenten.gemeentecode,
        scenarios.scenario,
        basis.basisjaar,
        parameters.evenwichtsjaar - basis.basisjaar + 1 as aantal_jaren
    from {{ ref('stg_reference__gemeenten') }} as gemeenten
    cross join {{ ref('int_prognose_parameters_pivoted') }} as parameters
    cross join {{ ref('int_prognose_scenarios') }} as scenarios
    cross join basis

),

werkelijk as (

    select
        gemeentecode,
        scenario,
        min(jaar) as eerste_jaar,
        count(distinct jaar) as aantal_jaren
    from {{ ref('fct_prognose_gemeente') }}
    group by gemeentecode, scenario

)

select
    verwacht.gemeentecode,
    verwacht.scenario,
    verwacht.aantal_jaren as verwacht_aantal_jaren,
    werkelijk.aantal_jaren as werkelijk_aantal_jaren
from verwacht
left join werkelijk
    on
        verwacht.gemeentecode = werkelijk.gemeentecode
        and verwacht.scenario = werkelijk.scenario
where
    werkelijk.gemeentecode is null
    or werkelijk.aantal_jaren <> verwacht.aantal_jaren
    or werkelijk.eerste_jaar <> verwacht.basisjaar
