-- Nivel GPs per gemeente × peiljaar: persons and FTE per position, and FTE aged 60+.
with

huisartsen as (

    select * from {{ ref('stg_nivel__registratie') }}
    where beroep = 'huisarts'

),

aggregated as (

    select
        gemeentecode,
        peiljaar,
        sum(aantal_personen) as huisartsen_personen,
        sum(fte) as huisartsen_fte,
        sum(case when positie = 'praktijkhouder' then aantal_personen else 0 end)
            as praktijkhouders_personen,
        sum(case when positie = 'praktijkhouder' then fte else 0 end) as praktijkhouders_fte,
        sum(case when positie = 'hidha' then aantal_personen else 0 end) as hidha_personen,
        sum(case when positie = 'hidha' then fte else 0 end) as hidha_fte,
        sum(case when positie = 'waarnemer' then aantal_personen else 0 end)
            as waarnemers_personen,
        sum(case when positie = 'waarnemer' then fte else 0 end) as waarnemers_fte,
        sum(case when leeftijdsklasse in ('60-64', '65+') then aantal_personen else 0 end)
            as huisartsen_personen_60plus,
        sum(case when leeftijdsklasse in ('60-64', '65+') then fte else 0 end)
            as huisartsen_fte_60plus
    from huisartsen
    group by gemeentecode, peiljaar

),

typed as (

    select
        gemeentecode,
        peiljaar,
        cast(huisartsen_personen as {{ dbt.type_int() }}) as huisartsen_personen,
        cast(huisartsen_fte as {{ capmon.type_double() }}) as huisartsen_fte,
        cast(praktijkhouders_personen as {{ dbt.type_int() }}) as praktijkhouders_personen,
        cast(praktijkhouders_fte as {{ capmon.type_double() }}) as praktijkhouders_fte,
        cast(hidha_personen as {{ dbt.type_int() }}) as hidha_personen,
        cast(hidha_fte as {{ capmon.type_double() }}) as hidha_fte,
        cast(waarnemers_personen as {{ dbt.type_int() }}) as waarnemers_personen,
        cast(waarnemers_fte as {{ capmon.type_double() }}) as waarnemers_fte,
        cast(huisartsen_personen_60plus as {{ dbt.type_int() }}) as huisartsen_personen_60plus,
        cast(huisartsen_fte_60plus as {{ capmon.type_double() }}) as huisartsen_fte_60plus
    from aggregated

)

select * from typed
