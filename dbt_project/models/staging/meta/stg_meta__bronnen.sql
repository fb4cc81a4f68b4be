-- The source registry, as the intake wrote it at the start of the run.
with

source as (

    select * from {{ source('meta', 'bronnen') }}

),

renamed as (

    select
        cast(bron as {{ dbt.type_string() }}) as bron,
        cast(label as {{ dbt.type_string() }}) as label
    from source

)

select * from renamed
