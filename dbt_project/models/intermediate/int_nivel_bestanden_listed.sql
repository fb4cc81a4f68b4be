-- The Nivel extracts that were loaded, one row per file, in the shape every source's file
-- list has (fct_aanleveringen unions them over var capmon_bronnen).
with

registratie as (

    select * from {{ ref('stg_nivel__registratie') }}

),

final as (

    select
        'nivel' as bron,
        'Nivel' as organisatie_code,
        'Nivel' as organisatie_naam,
        cast(min(peiljaar) as {{ dbt.type_string() }}) as periode,
        min(peiljaar) as peiljaar,
        _bronbestand as bestandsnaam,
        _sha256 as sha256,
        min(_geladen_op) as ontvangen_op
    from registratie
    group by _bronbestand, _sha256

)

select * from final
