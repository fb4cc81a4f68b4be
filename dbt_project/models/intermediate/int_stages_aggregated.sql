/*
    Internships per gemeente × peiljaar (the year the school year ends), in total and per
    opleiding (education type): int_stages_opleidingen_aggregated pivoted to one row, so
    that the totals are the sums over opleidingen by construction. The rules (counts summed
    over the school year; waiting list from each bureau's last periode) live there.
*/
{%- set opleidingen = capmon.opleidingen() %}
{%- set maten = ['aangevraagd', 'aangeboden', 'geplaatst', 'wachtlijst'] %}
with

per_opleiding as (

    select * from {{ ref('int_stages_opleidingen_aggregated') }}

),

final as (

    select
        gemeentecode,
        peiljaar,
        {%- for maat in maten %}
            cast(sum({{ maat }}) as {{ dbt.type_int() }}) as stages_{{ maat }},
        {%- endfor %}
        {%- for opleiding in opleidingen %}
            {%- set outer_loop = loop %}
            {%- for maat in maten %}
                cast(
                    sum(case when opleiding = '{{ opleiding }}' then {{ maat }} else 0 end)
                    as {{ dbt.type_int() }}
                ) as stages_{{ maat }}_{{ opleiding }}
                {%- if not (outer_loop.last and loop.last) %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from per_opleiding
    group by gemeentecode, peiljaar

)

select * from final
