/*
    One row per zorggroep practice × peiljaar, from the submission that counts.

    Per zorggroep and peiljaar only the latest submission counts (highest periode, then
    latest aangeleverd_op, then latest load). A practice that two zorggroepen both
    submitted for the same peiljaar counts once, from the most recent of those submissions.
    periode_einde is the last day of the submission's quarter: the date against which a
    vacancy's age is measured.
*/
with

aanleveringen as (

    select * from {{ ref('stg_zorggroep__aanleveringen') }}

),

praktijken as (

    select * from {{ ref('stg_zorggroep__praktijken') }}

),

aanleveringen_gerangschikt as (

    select
        _bronbestand,
        _sha256,
        zorggroep_code,
        peiljaar,
        kwartaal,
        periode,
        aangeleverd_op,
        _geladen_op,
        row_number() over (
            partition by zorggroep_code, peiljaar
            order by periode desc, aangeleverd_op desc, _geladen_op desc, _bronbestand desc
        ) as volgorde
    from aanleveringen

),

laatste_aanleveringen as (

    select * from aanleveringen_gerangschikt
    where volgorde = 1

),

praktijken_gerangschikt as (

    select
        praktijken.praktijk_agb,
        praktijken.gemeentecode,
        laatste_aanleveringen.peiljaar,
        laatste_aanleveringen.kwartaal,
        laatste_aanleveringen.zorggroep_code,
        laatste_aanleveringen.periode,
        laatste_aanleveringen.aangeleverd_op,
        laatste_aanleveringen._bronbestand,
        laatste_aanleveringen._sha256,
        praktijken.ingeschreven_patienten,
        praktijken.patienten_65plus,
        praktijken.patienten_75plus,
        praktijken.patientenstop,
        praktijken.praktijkvorm,
        row_number() over (
            partition by praktijken.praktijk_agb, laatste_aanleveringen.peiljaar
            order by
                laatste_aanleveringen.periode desc,
                laatste_aanleveringen.aangeleverd_op desc,
                laatste_aanleveringen._geladen_op desc,
                laatste_aanleveringen.zorggroep_code asc
        ) as volgorde
    from praktijken
    inner join laatste_aanleveringen
        on
            praktijken._bronbestand = laatste_aanleveringen._bronbestand
            and praktijken._sha256 = laatste_aanleveringen._sha256

),

gekozen as (

    select
        praktijk_agb,
        gemeentecode,
        peiljaar,
        zorggroep_code,
        periode,
        aangeleverd_op,
        {{ dbt.dateadd(
            'day', -1,
            dbt.dateadd('month', 'kwartaal * 3', capmon.year_start_date('peiljaar'))
        ) }} as periode_einde,
        _bronbestand,
        _sha256,
        ingeschreven_patienten,
        patienten_65plus,
        patienten_75plus,
        patientenstop,
        praktijkvorm
    from praktijken_gerangschikt
    where volgorde = 1

)

select * from gekozen
