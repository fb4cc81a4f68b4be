/*
    The GP stock the projection starts from: Nivel GPs (all positions, wisselende
    waarnemers included, as the Capaciteitsorgaan counts them) in the latest peiljaar (the
    basisjaar), per gebied × geslacht × leeftijdsklasse. A gebied is a gemeente
    (gebiedsniveau 'gemeente') or the whole country (gebiedsniveau 'nationaal', gebiedcode
    'NL'): the projection runs the same method on both, so that a test can prove that the
    municipal projections add up to the national one.
*/
with

huisartsen as (

    select * from {{ ref('stg_nivel__registratie') }}
    where beroep = 'huisarts'

),

basisjaar as (

    select max(peiljaar) as basisjaar
    from {{ ref('stg_nivel__registratie') }}

),

gemeente as (

    select
        cast('gemeente' as {{ dbt.type_string() }}) as gebiedsniveau,
        huisartsen.gemeentecode as gebiedcode,
        basisjaar.basisjaar,
        huisartsen.geslacht,
        huisartsen.leeftijdsklasse,
        sum(huisartsen.aantal_personen) as personen,
        sum(huisartsen.fte) as fte
    from huisartsen
    inner join basisjaar
        on huisartsen.peiljaar = basisjaar.basisjaar
    group by
        huisartsen.gemeentecode,
        basisjaar.basisjaar,
        huisartsen.geslacht,
        huisartsen.leeftijdsklasse

),

nationaal as (

    select
        cast('nationaal' as {{ dbt.type_string() }}) as gebiedsniveau,
        cast('NL' as {{ dbt.type_string() }}) as gebiedcode,
        basisjaar,
        geslacht,
        leeftijdsklasse,
        sum(personen) as personen,
        sum(fte) as fte
    from gemeente
    group by basisjaar, geslacht, leeftijdsklasse

),

gebieden as (

    select * from gemeente
    union all
    select * from nationaal

),

typed as (

    select
        gebiedsniveau,
        gebiedcode,
        cast(basisjaar as {{ dbt.type_int() }}) as basisjaar,
        geslacht,
        leeftijdsklasse,
        cast(personen as {{ capmon.type_double() }}) as personen,
        cast(fte as {{ capmon.type_double() }}) as fte
    from gebieden

)

select * from typed
