-- The analyst's what-if scenarios of the projection (prognose_wat_als.yaml), typed.
with

source as (

    select * from {{ source('reference', 'ref_prognose_wat_als') }}

),

renamed as (

    select
        cast(naam as {{ dbt.type_string() }}) as naam,
        cast(omschrijving as {{ dbt.type_string() }}) as omschrijving,
        cast(volgorde as {{ dbt.type_int() }}) as volgorde,
        cast(opleidingsinstroom as {{ capmon.type_double() }}) as opleidingsinstroom,
        cast(opleidingsinstroom_vanaf as {{ dbt.type_int() }}) as opleidingsinstroom_vanaf,
        cast(fte_factor_wijziging as {{ capmon.type_double() }}) as fte_factor_wijziging,
        cast(uittreden_later_jaren as {{ dbt.type_int() }}) as uittreden_later_jaren,
        cast(onvervulde_vraag as {{ capmon.type_double() }}) as onvervulde_vraag,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
