-- Gemeente boundaries as GeoJSON geometry text (rounded to 4 decimals when landed).
with

source as (

    select * from {{ source('reference', 'ref_gemeentegrenzen') }}

),

renamed as (

    select
        cast(gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(geometrie as {{ dbt.type_string() }}) as grens_geojson,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
