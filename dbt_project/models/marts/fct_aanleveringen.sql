/*
    The Datakwaliteit mart: one row per submitted file, whatever became of it.

    Two ways in, both shown:
    - files that were loaded: every file the raw tables hold, of every registered source
      (stg_meta__bestanden, one row per file, keyed by the lineage columns _bronbestand
      and _sha256). A file that came through the inbox has a row in the
      intake ledger meta.aanleveringen with the same sha256 and status geaccepteerd: its
      ledger id, receipt time, counts and reasons are used. Sample files from data/sources/
      are loaded directly (no ledger row): status geaccepteerd, 0 errors and warnings;
    - ledger rows that were not loaded: afgekeurd (quarantine), dubbel (same bytes accepted
      before) and vervangen (superseded by a newer submission for the same organisation and
      period), with their counts and reasons.
*/
{%- set str = dbt.type_string() %}
{%- set int = dbt.type_int() %}

with

ledger as (

    select * from {{ ref('stg_meta__aanleveringen') }}

),

gemeenten as (

    select * from {{ ref('dim_gemeente') }}

),

-- Every file the raw tables hold, of every registered source (meta.bestanden).
geladen as (

    select * from {{ ref('stg_meta__bestanden') }}

),

-- A loaded file that came through the inbox: its accepted ledger row (same bytes).
ledger_geaccepteerd as (

    select *
    from ledger
    where status = 'geaccepteerd'

),

geladen_bestanden as (

    select
        case
            when ledger_geaccepteerd.aanlevering_id is not null
                then {{ dbt.concat([
                    "'inname-'", dbt.cast('ledger_geaccepteerd.aanlevering_id', str)
                ]) }}
            else {{ dbt.concat(['geladen.bron', "':'", 'geladen.bestandsnaam']) }}
        end as aanlevering_sleutel,
        ledger_geaccepteerd.aanlevering_id,
        geladen.bron,
        geladen.organisatie_code,
        geladen.organisatie_naam,
        geladen.periode,
        geladen.peiljaar,
        coalesce(ledger_geaccepteerd.bestandsnaam, geladen.bestandsnaam) as bestandsnaam,
        geladen.sha256,
        coalesce(ledger_geaccepteerd.ontvangen_op, geladen.ontvangen_op) as ontvangen_op,
        coalesce(ledger_geaccepteerd.status, 'geaccepteerd') as status,
        true as is_geladen,
        ledger_geaccepteerd.aanlevering_id is not null as is_via_inname,
        coalesce(ledger_geaccepteerd.aantal_fouten, 0) as aantal_fouten,
        coalesce(ledger_geaccepteerd.aantal_waarschuwingen, 0) as aantal_waarschuwingen,
        ledger_geaccepteerd.hoofdreden,
        ledger_geaccepteerd.redenen,
        ledger_geaccepteerd.rapport_pad
    from geladen
    left join ledger_geaccepteerd
        on
            geladen.bron = ledger_geaccepteerd.bron
            and geladen.sha256 = ledger_geaccepteerd.sha256

),

-- Names for ledger rows of files that were not loaded: the organisation's own name from
-- what it did deliver, the latest period first.
organisatie_namen as (

    select
        bron,
        organisatie_code,
        organisatie_naam,
        row_number() over (
            partition by bron, organisatie_code order by periode desc, ontvangen_op desc
        ) as volgorde
    from geladen

),

niet_geladen as (

    select
        {{ dbt.concat(["'inname-'", dbt.cast('ledger.aanlevering_id', str)]) }}
            as aanlevering_sleutel,
        ledger.aanlevering_id,
        ledger.bron,
        ledger.organisatie as organisatie_code,
        organisatie_namen.organisatie_naam,
        ledger.periode,
        ledger.peiljaar,
        ledger.bestandsnaam,
        ledger.sha256,
        ledger.ontvangen_op,
        ledger.status,
        false as is_geladen,
        true as is_via_inname,
        ledger.aantal_fouten,
        ledger.aantal_waarschuwingen,
        ledger.hoofdreden,
        ledger.redenen,
        ledger.rapport_pad
    from ledger
    left join organisatie_namen
        on
            ledger.bron = organisatie_namen.bron
            and ledger.organisatie = organisatie_namen.organisatie_code
            and organisatie_namen.volgorde = 1
    where
        ledger.aanlevering_id not in (
            select aanlevering_id
            from geladen_bestanden
            where aanlevering_id is not null
        )

),

bestanden as (

    select * from geladen_bestanden
    union all
    select * from niet_geladen

),

-- The AZW region of a zorggroep: where most of the practices it ever delivered are.
zorggroep_regio_telling as (

    select
        praktijken.zorggroep_code,
        gemeenten.azw_regio_code,
        gemeenten.azw_regio_naam,
        count(*) as praktijken
    from {{ ref('stg_zorggroep__praktijken') }} as praktijken
    inner join gemeenten
        on praktijken.gemeentecode = gemeenten.gemeentecode
    group by praktijken.zorggroep_code, gemeenten.azw_regio_code, gemeenten.azw_regio_naam

),

zorggroep_regio as (

    select
        zorggroep_code,
        azw_regio_code,
        azw_regio_naam,
        row_number() over (
            partition by zorggroep_code order by praktijken desc, azw_regio_code
        ) as volgorde
    from zorggroep_regio_telling

),

final as (

    select
        cast(bestanden.aanlevering_sleutel as {{ str }}) as aanlevering_sleutel,
        cast(bestanden.aanlevering_id as {{ int }}) as aanlevering_id,
        cast(bestanden.bron as {{ str }}) as bron,
        cast(bestanden.organisatie_code as {{ str }}) as organisatie_code,
        cast(bestanden.organisatie_naam as {{ str }}) as organisatie_naam,
        cast(bestanden.periode as {{ str }}) as periode,
        cast(bestanden.peiljaar as {{ int }}) as peiljaar,
        cast(bestanden.bestandsnaam as {{ str }}) as bestandsnaam,
        cast(bestanden.sha256 as {{ str }}) as sha256,
        cast(bestanden.ontvangen_op as {{ dbt.type_timestamp() }}) as ontvangen_op,
        cast(bestanden.status as {{ str }}) as status,
        cast(bestanden.is_geladen as {{ dbt.type_boolean() }}) as is_geladen,
        cast(bestanden.is_via_inname as {{ dbt.type_boolean() }}) as is_via_inname,
        cast(bestanden.aantal_fouten as {{ int }}) as aantal_fouten,
        cast(bestanden.aantal_waarschuwingen as {{ int }}) as aantal_waarschuwingen,
        cast(bestanden.hoofdreden as {{ str }}) as hoofdreden,
        cast(bestanden.redenen as {{ str }}) as redenen,
        cast(zorggroep_regio.azw_regio_code as {{ str }}) as azw_regio_code,
        cast(zorggroep_regio.azw_regio_naam as {{ str }}) as azw_regio_naam,
        cast(bestanden.rapport_pad as {{ str }}) as rapport_pad
    from bestanden
    left join zorggroep_regio
        on
            bestanden.bron = 'zorggroep'
            and bestanden.organisatie_code = zorggroep_regio.zorggroep_code
            and zorggroep_regio.volgorde = 1

)

select * from final
