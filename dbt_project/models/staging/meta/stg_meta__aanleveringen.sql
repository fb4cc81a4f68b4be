-- The intake ledger, typed.
with

source as (

    select * from {{ source('meta', 'aanleveringen') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_int() }}) as aanlevering_id,
        cast(bron as {{ dbt.type_string() }}) as bron,
        cast(bestandsnaam as {{ dbt.type_string() }}) as bestandsnaam,
        cast(sha256 as {{ dbt.type_string() }}) as sha256,
        cast(grootte as {{ dbt.type_bigint() }}) as grootte,
        cast(ontvangen_op as {{ dbt.type_timestamp() }}) as ontvangen_op,
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast(peiljaar as {{ dbt.type_int() }}) as peiljaar,
        cast(organisatie as {{ dbt.type_string() }}) as organisatie,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(aantal_fouten as {{ dbt.type_int() }}) as aantal_fouten,
        cast(aantal_waarschuwingen as {{ dbt.type_int() }}) as aantal_waarschuwingen,
        cast(rapport_pad as {{ dbt.type_string() }}) as rapport_pad,
        cast(opgeslagen_pad as {{ dbt.type_string() }}) as opgeslagen_pad,
        cast(vervangt as {{ dbt.type_int() }}) as vervangt,
        cast(vervangen_door as {{ dbt.type_int() }}) as vervangen_door,
        cast(hoofdreden as {{ dbt.type_string() }}) as hoofdreden,
        cast(redenen as {{ dbt.type_string() }}) as redenen
    from source

)

select * from renamed
