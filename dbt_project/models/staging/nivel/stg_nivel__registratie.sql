with

source as (

    select * from {{ source('nivel', 'nivel_registratie') }}

),

renamed as (

    select
        cast(peiljaar as {{ dbt.type_int() }}) as peiljaar,
        cast(gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(beroep as {{ dbt.type_string() }}) as beroep,
        cast(positie as {{ dbt.type_string() }}) as positie,
        cast(geslacht as {{ dbt.type_string() }}) as geslacht,
        cast(leeftijdsklasse as {{ dbt.type_string() }}) as leeftijdsklasse,
        cast(aantal_personen as {{ dbt.type_int() }}) as aantal_personen,
        cast(fte as {{ capmon.type_double() }}) as fte,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
