-- The zorggroep workbooks that were loaded, one row per file, in the shape every source's
-- file list has (fct_aanleveringen unions them over var capmon_bronnen).
with

aanleveringen as (

    select * from {{ ref('stg_zorggroep__aanleveringen') }}

),

final as (

    select
        'zorggroep' as bron,
        zorggroep_code as organisatie_code,
        zorggroep_naam as organisatie_naam,
        periode,
        peiljaar,
        _bronbestand as bestandsnaam,
        _sha256 as sha256,
        -- The delivery date the zorggroep put in its workbook: for sample files the only
        -- receipt date there is.
        cast(aangeleverd_op as {{ dbt.type_timestamp() }}) as ontvangen_op
    from aanleveringen

)

select * from final
