-- The Capaciteitsorgaan's raming parameters, one row per variable per raming, typed.
with

source as (

    select * from {{ source('reference', 'ref_capaciteitsorgaan_parameters') }}

),

renamed as (

    select
        cast(categorie1 as {{ dbt.type_string() }}) as categorie1,
        cast(categorie2 as {{ dbt.type_string() }}) as categorie2,
        cast(data_type as {{ dbt.type_string() }}) as data_type,
        cast(variabele as {{ dbt.type_string() }}) as variabele,
        cast(soort as {{ dbt.type_string() }}) as soort,
        cast(raming as {{ dbt.type_int() }}) as raming,
        cast(waarde_tekst as {{ dbt.type_string() }}) as waarde_tekst,
        cast(waarde as {{ capmon.type_double() }}) as waarde,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
