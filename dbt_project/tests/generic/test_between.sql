{#
    Every non-NULL value of the column lies within [min_value, max_value].
    Either bound may be omitted. NULLs pass (test them with not_null).
#}
{% test between(model, column_name, min_value=none, max_value=none) %}

select {{ column_name }} as waarde_buiten_bereik
from {{ model }}
where
    {{ column_name }} is not null
    and (
        1 = 0
        {%- if min_value is not none %}
        or {{ column_name }} < {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or {{ column_name }} > {{ max_value }}
        {%- endif %}
    )

{% endtest %}
