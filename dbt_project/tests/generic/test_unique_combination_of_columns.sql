{#
    The combination of the given columns is unique: the grain of a table.
    Returns one row per duplicated combination, with how often it occurs.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as aantal_rijen
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
