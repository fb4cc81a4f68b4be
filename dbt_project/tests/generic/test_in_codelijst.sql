{#
    Every non-NULL value of the column is a code of the shared code list `lijst` (var
    capmon_codes in dbt_project.yml, which orchestration/codes.py reads too), or one of
    `extra`. Fails with one row per value outside it.
#}
{% test in_codelijst(model, column_name, lijst, extra=[]) %}

{%- set codes = capmon.codelijst(lijst) + extra %}

select
    {{ column_name }} as waarde,
    count(*) as aantal
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} not in (
        {%- for code in codes %}
            '{{ code }}'{% if not loop.last %},{% endif %}
        {%- endfor %}
    )
group by {{ column_name }}

{% endtest %}
