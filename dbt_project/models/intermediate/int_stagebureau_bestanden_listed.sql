-- The stagebureau exports that were loaded, one row per file, in the shape every source's
-- file list has (fct_aanleveringen unions them over var capmon_bronnen). One export is one
-- bureau × school year; should one hold more, they are joined with '+' as the intake's
-- ledger does.
with

regels as (

    select * from {{ ref('stg_stagebureau__stages') }}

),

bureaus as (

    select distinct
        _bronbestand,
        _sha256,
        bureau_code,
        bureau_naam
    from regels

),

schooljaren as (

    select distinct
        _bronbestand,
        _sha256,
        schooljaar,
        peiljaar
    from regels

),

per_bestand as (

    select
        _bronbestand,
        _sha256,
        {{ dbt.listagg('bureau_code', "'+'", 'order by bureau_code') }} as organisatie_code,
        {{ dbt.listagg('bureau_naam', "' + '", 'order by bureau_code') }} as organisatie_naam
    from bureaus
    group by _bronbestand, _sha256

),

periode as (

    select
        _bronbestand,
        _sha256,
        {{ dbt.listagg('schooljaar', "'+'", 'order by schooljaar') }} as periode,
        case when count(*) = 1 then max(peiljaar) end as peiljaar
    from schooljaren
    group by _bronbestand, _sha256

),

geladen as (

    select
        _bronbestand,
        _sha256,
        min(_geladen_op) as ontvangen_op
    from regels
    group by _bronbestand, _sha256

),

final as (

    select
        'stagebureau' as bron,
        per_bestand.organisatie_code,
        per_bestand.organisatie_naam,
        periode.periode,
        periode.peiljaar,
        geladen._bronbestand as bestandsnaam,
        geladen._sha256 as sha256,
        geladen.ontvangen_op
    from geladen
    inner join per_bestand
        on
            geladen._bronbestand = per_bestand._bronbestand
            and geladen._sha256 = per_bestand._sha256
    inner join periode
        on
            geladen._bronbestand = periode._bronbestand
            and geladen._sha256 = periode._sha256

)

select * from final
