-- One row per zorggroep workbook (the `meta` sheet). peiljaar and kwartaal come from periode.
with

source as (

    select * from {{ source('zorggroep', 'zorggroep_meta') }}

),

renamed as (

    select
        cast(zorggroep_code as {{ dbt.type_string() }}) as zorggroep_code,
        cast(zorggroep_naam as {{ dbt.type_string() }}) as zorggroep_naam,
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast({{ dbt.split_part('periode', "'-'", 1) }} as {{ dbt.type_int() }}) as peiljaar,
        cast({{ dbt.right('periode', 1) }} as {{ dbt.type_int() }}) as kwartaal,
        cast(template_versie as {{ dbt.type_string() }}) as template_versie,
        cast(aangeleverd_op as date) as aangeleverd_op,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
