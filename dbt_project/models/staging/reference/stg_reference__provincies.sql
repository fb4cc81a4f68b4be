with

source as (

    select * from {{ source('reference', 'ref_provincies') }}

),

renamed as (

    select
        cast(provincie_code as {{ dbt.type_string() }}) as provincie_code,
        cast(provincie_naam as {{ dbt.type_string() }}) as provincie_naam,
        cast(iso_3166_2 as {{ dbt.type_string() }}) as provincie_iso,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
