with

source as (

    select * from {{ source('zorggroep', 'zorggroep_vacatures') }}

),

renamed as (

    select
        cast(zorggroep_code as {{ dbt.type_string() }}) as zorggroep_code,
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast({{ dbt.split_part('periode', "'-'", 1) }} as {{ dbt.type_int() }}) as peiljaar,
        cast(praktijk_agb as {{ dbt.type_string() }}) as praktijk_agb,
        cast(functie as {{ dbt.type_string() }}) as functie,
        cast(fte as {{ capmon.type_double() }}) as fte,
        cast(open_sinds as date) as open_sinds,
        cast(status as {{ dbt.type_string() }}) as status,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
