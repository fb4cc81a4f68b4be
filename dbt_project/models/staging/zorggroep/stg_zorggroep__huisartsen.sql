-- Person level (pseudonymised GP, birth year, planned stop year): restricted,
-- never exposed in public marts.
with

source as (

    select * from {{ source('zorggroep', 'zorggroep_huisartsen') }}

),

renamed as (

    select
        cast(zorggroep_code as {{ dbt.type_string() }}) as zorggroep_code,
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast({{ dbt.split_part('periode', "'-'", 1) }} as {{ dbt.type_int() }}) as peiljaar,
        cast(persoon_id as {{ dbt.type_string() }}) as persoon_id,
        cast(praktijk_agb as {{ dbt.type_string() }}) as praktijk_agb,
        cast(rol as {{ dbt.type_string() }}) as rol,
        cast(geslacht as {{ dbt.type_string() }}) as geslacht,
        cast(geboortejaar as {{ dbt.type_int() }}) as geboortejaar,
        cast(fte as {{ capmon.type_double() }}) as fte,
        cast(verwacht_stopjaar as {{ dbt.type_int() }}) as verwacht_stopjaar,
        cast(opvolging as {{ dbt.type_string() }}) as opvolging,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
