/*
    Continuity per gemeente × peiljaar from the counted zorggroep submissions: the submitted
    GPs and their practice-bound FTE, practice holders, those aged 60+, holders expected to
    stop within capmon_stop_horizon_jaren (5) years — from verwacht_stopjaar or, where
    missing, the year they turn capmon_stopleeftijd (67; the _geschat count) — and how many
    of those have no settled successor (opvolging <> 'geregeld').
*/
with

huisartsen as (

    select * from {{ ref('int_zorggroep_huisartsen_enriched') }}

),

aggregated as (

    select
        gemeentecode,
        peiljaar,
        count(*) as huisartsen_aangeleverd,
        -- The practice-bound FTE of the submitted practices, as Nivel's praktijkgebonden
        -- (praktijkhouders plus "in dienst en vaste waarnemers"; a zorggroep reports the
        -- latter as hidha or vaste_waarnemer): the denominator of patients per FTE, so
        -- that patients and FTE come from the same practices.
        sum(
            case when rol in ('praktijkhouder', 'hidha', 'vaste_waarnemer') then fte else 0 end
        ) as huisartsen_fte_praktijkgebonden_aangeleverd,
        sum(case when rol = 'praktijkhouder' then 1 else 0 end) as praktijkhouders_aangeleverd,
        sum(case when rol = 'praktijkhouder' and leeftijd >= 60 then 1 else 0 end)
            as praktijkhouders_60plus,
        sum(case when rol = 'praktijkhouder' and stopt_binnen_horizon then 1 else 0 end)
            as verwachte_stoppers_5jr,
        sum(
            case
                when rol = 'praktijkhouder' and stopt_binnen_horizon and stopjaar_bron = 'leeftijd'
                    then 1
                else 0
            end
        ) as verwachte_stoppers_5jr_geschat,
        sum(
            case
                when rol = 'praktijkhouder' and stopt_binnen_horizon and zonder_geregelde_opvolging
                    then 1
                else 0
            end
        ) as verwachte_stoppers_5jr_zonder_opvolging
    from huisartsen
    group by gemeentecode, peiljaar

),

typed as (

    select
        gemeentecode,
        peiljaar,
        cast(huisartsen_aangeleverd as {{ dbt.type_int() }}) as huisartsen_aangeleverd,
        cast(huisartsen_fte_praktijkgebonden_aangeleverd as {{ capmon.type_double() }})
            as huisartsen_fte_praktijkgebonden_aangeleverd,
        cast(praktijkhouders_aangeleverd as {{ dbt.type_int() }}) as praktijkhouders_aangeleverd,
        cast(praktijkhouders_60plus as {{ dbt.type_int() }}) as praktijkhouders_60plus,
        cast(verwachte_stoppers_5jr as {{ dbt.type_int() }}) as verwachte_stoppers_5jr,
        cast(verwachte_stoppers_5jr_geschat as {{ dbt.type_int() }})
            as verwachte_stoppers_5jr_geschat,
        cast(verwachte_stoppers_5jr_zonder_opvolging as {{ dbt.type_int() }})
            as verwachte_stoppers_5jr_zonder_opvolging
    from aggregated

)

select * from typed
