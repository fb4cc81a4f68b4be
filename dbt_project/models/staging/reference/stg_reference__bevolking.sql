with

source as (

    select * from {{ source('reference', 'ref_bevolking') }}

),

renamed as (

    select
        cast(gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(jaar as {{ dbt.type_int() }}) as jaar,
        cast(inwoners as {{ dbt.type_int() }}) as inwoners,
        cast(inwoners_65plus as {{ dbt.type_int() }}) as inwoners_65plus,
        cast(bron as {{ dbt.type_string() }}) as bron,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
