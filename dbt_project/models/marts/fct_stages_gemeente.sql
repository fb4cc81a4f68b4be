/*
    Internships in long form: one row per gemeente × peiljaar × opleiding that occurs in the
    stagebureau exports, for the Stages dashboard. The counts are those of
    int_stages_opleidingen_aggregated (summed over the school year; the waiting list from
    each bureau's last periode), so that per gemeente × peiljaar they add up to the stages_*
    columns of fct_capaciteit_gemeente (singular test).
*/
with

stages as (

    select * from {{ ref('int_stages_opleidingen_aggregated') }}

),

gemeenten as (

    select * from {{ ref('dim_gemeente') }}

),

final as (

    select
        cast(stages.gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(gemeenten.gemeentenaam as {{ dbt.type_string() }}) as gemeentenaam,
        cast(gemeenten.provincie_code as {{ dbt.type_string() }}) as provincie_code,
        cast(gemeenten.provincie_naam as {{ dbt.type_string() }}) as provincie_naam,
        cast(gemeenten.azw_regio_code as {{ dbt.type_string() }}) as azw_regio_code,
        cast(gemeenten.azw_regio_naam as {{ dbt.type_string() }}) as azw_regio_naam,
        cast(stages.peiljaar as {{ dbt.type_int() }}) as peiljaar,
        cast({{ capmon.year_start_date('stages.peiljaar') }} as date) as peildatum,
        cast(
            {{ dbt.concat([
                dbt.cast('stages.peiljaar - 1', dbt.type_string()),
                "'-'",
                dbt.cast('stages.peiljaar', dbt.type_string()),
            ]) }} as {{ dbt.type_string() }}
        ) as schooljaar,
        cast(stages.opleiding as {{ dbt.type_string() }}) as opleiding,
        cast({{ capmon.opleiding_naam('stages.opleiding') }} as {{ dbt.type_string() }})
            as opleiding_naam,
        cast(stages.aangevraagd as {{ dbt.type_int() }}) as aangevraagd,
        cast(stages.aangeboden as {{ dbt.type_int() }}) as aangeboden,
        cast(stages.geplaatst as {{ dbt.type_int() }}) as geplaatst,
        cast(stages.wachtlijst as {{ dbt.type_int() }}) as wachtlijst,
        {{ capmon.safe_divide('stages.geplaatst', 'stages.aangevraagd') }} as vulgraad
    from stages
    left join gemeenten
        on stages.gemeentecode = gemeenten.gemeentecode

)

select * from final
