/*
    Zorggroep practices per gemeente × peiljaar.

    Per zorggroep and peiljaar only the latest submission counts (highest periode, then
    latest aangeleverd_op, then latest load). A practice that two zorggroepen both
    submitted for the same peiljaar counts once, from the most recent of those submissions.
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
        laatste_aanleveringen.aangeleverd_op,
        praktijken.ingeschreven_patienten,
        praktijken.patienten_65plus,
        praktijken.patienten_75plus,
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

aggregated as (

    select
        gemeentecode,
        peiljaar,
        cast(sum(ingeschreven_patienten) as {{ dbt.type_int() }}) as ingeschreven_patienten,
        cast(sum(patienten_65plus) as {{ dbt.type_int() }}) as patienten_65plus,
        cast(sum(patienten_75plus) as {{ dbt.type_int() }}) as patienten_75plus,
        cast(count(*) as {{ dbt.type_int() }}) as praktijken_aangeleverd,
        max(aangeleverd_op) as laatste_aanlevering_op
    from praktijken_gerangschikt
    where volgorde = 1
    group by gemeentecode, peiljaar

)

select * from aggregated
