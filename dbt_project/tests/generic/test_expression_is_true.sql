{#
    A row-level rule: returns the rows for which the SQL expression is false.
    Rows where it evaluates to NULL pass; limit the rows checked with `config: where:`.
#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
