/*
    Open vacancies of the counted zorggroep submissions per gemeente × peiljaar
    (int_vacatures_assessed): in number and FTE per function, and those open longer than
    capmon_vacature_lang_open_maanden (6) months at the end of the submission's quarter.
*/
{%- set functies = ['huisarts'] + capmon.ondersteunende_beroepen() %}
with

joined as (

    select * from {{ ref('int_vacatures_assessed') }}

),

aggregated as (

    select
        gemeentecode,
        peiljaar,
        cast(count(*) as {{ dbt.type_int() }}) as vacatures_open,
        cast(sum(fte) as {{ capmon.type_double() }}) as vacatures_open_fte,
        cast(sum(case when lang_open then 1 else 0 end) as {{ dbt.type_int() }})
            as vacatures_lang_open,
        cast(sum(case when lang_open then fte else 0 end) as {{ capmon.type_double() }})
            as vacatures_lang_open_fte,
        {%- for functie in functies %}
            cast(
                sum(case when functie = '{{ functie }}' then 1 else 0 end) as {{ dbt.type_int() }}
            ) as vacatures_open_{{ functie }},
            cast(
                sum(case when functie = '{{ functie }}' and lang_open then 1 else 0 end)
                as {{ dbt.type_int() }}
            ) as vacatures_lang_open_{{ functie }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from joined
    group by gemeentecode, peiljaar

)

select * from aggregated
