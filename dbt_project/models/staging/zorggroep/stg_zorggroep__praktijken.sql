with

source as (

    select * from {{ source('zorggroep', 'zorggroep_praktijken') }}

),

renamed as (

    select
        cast(zorggroep_code as {{ dbt.type_string() }}) as zorggroep_code,
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast({{ dbt.split_part('periode', "'-'", 1) }} as {{ dbt.type_int() }}) as peiljaar,
        cast(praktijk_agb as {{ dbt.type_string() }}) as praktijk_agb,
        cast(praktijknaam as {{ dbt.type_string() }}) as praktijknaam,
        cast(postcode as {{ dbt.type_string() }}) as postcode,
        cast(gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(ingeschreven_patienten as {{ dbt.type_int() }}) as ingeschreven_patienten,
        cast(patienten_65plus as {{ dbt.type_int() }}) as patienten_65plus,
        cast(patienten_75plus as {{ dbt.type_int() }}) as patienten_75plus,
        cast(patientenstop as {{ dbt.type_string() }}) as patientenstop,
        cast(praktijkvorm as {{ dbt.type_string() }}) as praktijkvorm,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
