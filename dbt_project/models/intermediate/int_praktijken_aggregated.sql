-- Zorggroep practices per gemeente × peiljaar (from int_praktijken_deduplicated: the
-- submission that counts, each practice once).
with

praktijken as (

    select * from {{ ref('int_praktijken_deduplicated') }}

),

aggregated as (

    select
        gemeentecode,
        peiljaar,
        cast(sum(ingeschreven_patienten) as {{ dbt.type_int() }}) as ingeschreven_patienten,
        cast(sum(patienten_65plus) as {{ dbt.type_int() }}) as patienten_65plus,
        cast(sum(patienten_75plus) as {{ dbt.type_int() }}) as patienten_75plus,
        cast(count(*) as {{ dbt.type_int() }}) as praktijken_aangeleverd,
        cast(
            sum(case when patientenstop = 'gedeeltelijk' then 1 else 0 end)
            as {{ dbt.type_int() }}
        ) as praktijken_patientenstop_gedeeltelijk,
        cast(
            sum(case when patientenstop = 'volledig' then 1 else 0 end) as {{ dbt.type_int() }}
        ) as praktijken_patientenstop_volledig,
        cast(count(distinct zorggroep_code) as {{ dbt.type_int() }}) as zorggroepen_aangeleverd,
        max(aangeleverd_op) as laatste_aanlevering_op
    from praktijken
    group by gemeentecode, peiljaar

)

select * from aggregated
