{# Every non-NULL value of the column is >= 0 (counts, FTE, inhabitants). #}
{% test non_negative(model, column_name) %}

select {{ column_name }} as negatieve_waarde
from {{ model }}
where {{ column_name }} < 0

{% endtest %}
