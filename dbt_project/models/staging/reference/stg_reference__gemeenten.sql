-- Region names follow the marts: ggd_regio_*, and azw_regio_* for the RegioPlus arbeidsmarktregio.
with

source as (

    select * from {{ source('reference', 'ref_gemeenten') }}

),

renamed as (

    select
        cast(gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(gemeentenaam as {{ dbt.type_string() }}) as gemeentenaam,
        cast(provincie_code as {{ dbt.type_string() }}) as provincie_code,
        cast(provincie_naam as {{ dbt.type_string() }}) as provincie_naam,
        cast(ggdregio_code as {{ dbt.type_string() }}) as ggd_regio_code,
        cast(ggdregio_naam as {{ dbt.type_string() }}) as ggd_regio_naam,
        cast(arbeidsmarktregio_code as {{ dbt.type_string() }}) as arbeidsmarktregio_code,
        cast(arbeidsmarktregio_naam as {{ dbt.type_string() }}) as arbeidsmarktregio_naam,
        cast(regioplus_arbeidsmarktregio_code as {{ dbt.type_string() }}) as azw_regio_code,
        cast(regioplus_arbeidsmarktregio_naam as {{ dbt.type_string() }}) as azw_regio_naam,
        cast(provincie_overlap as {{ capmon.type_double() }}) as provincie_overlap,
        cast(ggdregio_overlap as {{ capmon.type_double() }}) as ggd_regio_overlap,
        cast(arbeidsmarktregio_overlap as {{ capmon.type_double() }}) as arbeidsmarktregio_overlap,
        cast(regioplus_arbeidsmarktregio_overlap as {{ capmon.type_double() }})
            as azw_regio_overlap,
        _bronbestand,
        _sha256,
        _bronrij,
        _geladen_op
    from source

)

select * from renamed
