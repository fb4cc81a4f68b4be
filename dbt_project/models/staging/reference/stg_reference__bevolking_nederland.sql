with

source as (

    select * from {{ source('reference', 'ref_bevolking_nederland') }}

),

renamed as (

    select
        cast(jaar as {{ dbt.type_int() }}) as jaar,
        cast(peildatum as date) as peildatum,
        cast(inwoners as {{ dbt.type_int() }}) as inwoners,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
