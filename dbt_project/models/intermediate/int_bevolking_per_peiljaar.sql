/*
    Inhabitants for every gemeente × peiljaar from 2020 (var capmon_bevolking_eerste_jaar,
    or the first Nivel peiljaar if earlier) up to the latest Nivel peiljaar or CBS year.

    Each peiljaar takes the CBS figure of the same year when there is one, else the figure
    of the nearest year (on a tie the later year). inwoners_bronjaar says which year was used.
*/
with

bevolking as (

    select * from {{ ref('stg_reference__bevolking') }}
    where inwoners is not null

),

nivel_peiljaren as (

    select
        min(peiljaar) as eerste_peiljaar,
        max(peiljaar) as laatste_peiljaar
    from {{ ref('stg_nivel__registratie') }}

),

cbs_jaren as (

    select max(jaar) as laatste_jaar
    from bevolking

),

grenzen as (

    select
        case
            when nivel_peiljaren.eerste_peiljaar < {{ var('capmon_bevolking_eerste_jaar') }}
                then nivel_peiljaren.eerste_peiljaar
            else {{ var('capmon_bevolking_eerste_jaar') }}
        end as eerste_jaar,
        case
            when nivel_peiljaren.laatste_peiljaar > cbs_jaren.laatste_jaar
                then nivel_peiljaren.laatste_peiljaar
            else cbs_jaren.laatste_jaar
        end as laatste_jaar
    from nivel_peiljaren
    cross join cbs_jaren

),

reeks as (

    {{ dbt.generate_series(200) }}

),

peiljaren as (

    select grenzen.eerste_jaar + reeks.generated_number - 1 as peiljaar
    from grenzen
    cross join reeks
    where grenzen.eerste_jaar + reeks.generated_number - 1 <= grenzen.laatste_jaar

),

kandidaten as (

    select
        bevolking.gemeentecode,
        peiljaren.peiljaar,
        bevolking.jaar,
        bevolking.inwoners,
        bevolking.inwoners_65plus,
        bevolking.bron,
        row_number() over (
            partition by bevolking.gemeentecode, peiljaren.peiljaar
            order by abs(bevolking.jaar - peiljaren.peiljaar) asc, bevolking.jaar desc
        ) as rangorde
    from peiljaren
    cross join bevolking

),

gekozen as (

    select
        gemeentecode,
        cast(peiljaar as {{ dbt.type_int() }}) as peiljaar,
        cast(inwoners as {{ dbt.type_int() }}) as inwoners,
        cast(inwoners_65plus as {{ dbt.type_int() }}) as inwoners_65plus,
        cast(jaar as {{ dbt.type_int() }}) as inwoners_bronjaar,
        bron as inwoners_bron
    from kandidaten
    where rangorde = 1

)

select * from gekozen
