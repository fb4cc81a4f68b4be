-- Inhabitants and age-band percentages (CBS, whole numbers as published) per gemeente, typed.
with

source as (

    select * from {{ source('reference', 'ref_bevolking_leeftijd') }}

),

renamed as (

    select
        cast(gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(jaar as {{ dbt.type_int() }}) as jaar,
        cast(inwoners as {{ dbt.type_int() }}) as inwoners,
        cast(pct_0_14 as {{ capmon.type_double() }}) as pct_0_14,
        cast(pct_15_24 as {{ capmon.type_double() }}) as pct_15_24,
        cast(pct_25_44 as {{ capmon.type_double() }}) as pct_25_44,
        cast(pct_45_64 as {{ capmon.type_double() }}) as pct_45_64,
        cast(pct_65plus as {{ capmon.type_double() }}) as pct_65plus,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
