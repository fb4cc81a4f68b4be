-- One row per gemeente (the 342 CBS gemeenten of 2025) with its regions and latest population.
with

gemeenten as (

    select * from {{ ref('stg_reference__gemeenten') }}

),

provincies as (

    select * from {{ ref('stg_reference__provincies') }}

),

bevolking_gerangschikt as (

    select
        gemeentecode,
        jaar,
        inwoners,
        row_number() over (partition by gemeentecode order by jaar desc) as volgorde
    from {{ ref('stg_reference__bevolking') }}
    where inwoners is not null

),

laatste_bevolking as (

    select
        gemeentecode,
        jaar,
        inwoners
    from bevolking_gerangschikt
    where volgorde = 1

),

final as (

    select
        cast(gemeenten.gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(gemeenten.gemeentenaam as {{ dbt.type_string() }}) as gemeentenaam,
        cast(gemeenten.provincie_code as {{ dbt.type_string() }}) as provincie_code,
        cast(gemeenten.provincie_naam as {{ dbt.type_string() }}) as provincie_naam,
        cast(provincies.provincie_iso as {{ dbt.type_string() }}) as provincie_iso,
        cast(gemeenten.ggd_regio_code as {{ dbt.type_string() }}) as ggd_regio_code,
        cast(gemeenten.ggd_regio_naam as {{ dbt.type_string() }}) as ggd_regio_naam,
        cast(gemeenten.arbeidsmarktregio_code as {{ dbt.type_string() }})
            as arbeidsmarktregio_code,
        cast(gemeenten.arbeidsmarktregio_naam as {{ dbt.type_string() }})
            as arbeidsmarktregio_naam,
        cast(gemeenten.azw_regio_code as {{ dbt.type_string() }}) as azw_regio_code,
        cast(gemeenten.azw_regio_naam as {{ dbt.type_string() }}) as azw_regio_naam,
        cast(laatste_bevolking.inwoners as {{ dbt.type_int() }}) as inwoners,
        cast(laatste_bevolking.jaar as {{ dbt.type_int() }}) as inwoners_jaar
    from gemeenten
    left join provincies
        on gemeenten.provincie_code = provincies.provincie_code
    left join laatste_bevolking
        on gemeenten.gemeentecode = laatste_bevolking.gemeentecode

)

select * from final
