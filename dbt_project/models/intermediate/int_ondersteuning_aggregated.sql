-- Nivel practice support staff per gemeente × peiljaar: persons and FTE per role.
{%- set ondersteunende_beroepen = capmon.ondersteunende_beroepen() %}
with

ondersteuning as (

    select * from {{ ref('stg_nivel__registratie') }}
    where beroep <> 'huisarts'

),

aggregated as (

    select
        gemeentecode,
        peiljaar,
        {%- for beroep in ondersteunende_beroepen %}
            cast(
                sum(case when beroep = '{{ beroep }}' then aantal_personen else 0 end)
                as {{ dbt.type_int() }}
            ) as {{ beroep }}_personen,
            cast(
                sum(case when beroep = '{{ beroep }}' then fte else 0 end)
                as {{ capmon.type_double() }}
            ) as {{ beroep }}_fte,
        {%- endfor %}
        cast(sum(aantal_personen) as {{ dbt.type_int() }}) as ondersteuning_personen,
        cast(sum(fte) as {{ capmon.type_double() }}) as ondersteuning_fte
    from ondersteuning
    group by gemeentecode, peiljaar

)

select * from aggregated
