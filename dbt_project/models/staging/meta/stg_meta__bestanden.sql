-- The files the raw tables hold, one row each, as the load wrote them after this run's loads.
with

source as (

    select * from {{ source('meta', 'bestanden') }}

),

renamed as (

    select
        cast(bron as {{ dbt.type_string() }}) as bron,
        cast(organisatie_code as {{ dbt.type_string() }}) as organisatie_code,
        cast(organisatie_naam as {{ dbt.type_string() }}) as organisatie_naam,
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast(peiljaar as {{ dbt.type_int() }}) as peiljaar,
        cast(bestandsnaam as {{ dbt.type_string() }}) as bestandsnaam,
        cast(sha256 as {{ dbt.type_string() }}) as sha256,
        cast(ontvangen_op as {{ dbt.type_timestamp() }}) as ontvangen_op
    from source

)

select * from renamed
