-- peiljaar is the calendar year in which the school year ends ('2024-2025' -> 2025).
with

source as (

    select * from {{ source('stagebureau', 'stagebureau_stages') }}

),

renamed as (

    select
        cast(bureau_code as {{ dbt.type_string() }}) as bureau_code,
        cast(bureau_naam as {{ dbt.type_string() }}) as bureau_naam,
        cast(schooljaar as {{ dbt.type_string() }}) as schooljaar,
        cast({{ dbt.split_part('schooljaar', "'-'", 2) }} as {{ dbt.type_int() }}) as peiljaar,
        cast(periode as {{ dbt.type_int() }}) as periode,
        cast(opleiding as {{ dbt.type_string() }}) as opleiding,
        cast(onderwijsinstelling as {{ dbt.type_string() }}) as onderwijsinstelling,
        cast(gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(aangevraagd as {{ dbt.type_int() }}) as aangevraagd,
        cast(aangeboden as {{ dbt.type_int() }}) as aangeboden,
        cast(geplaatst as {{ dbt.type_int() }}) as geplaatst,
        cast(wachtlijst as {{ dbt.type_int() }}) as wachtlijst,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
