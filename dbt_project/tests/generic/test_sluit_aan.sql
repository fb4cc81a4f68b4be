{#
    One test for every "adds up" rule between models: the query of the macro `verwachting`
    (macros/aansluitingen.sql) against the model, or against the query of the macro
    `werkelijk` where the model must first be added up. Rows are matched on `sleutels`;
    every other column the two sides share is compared, NULL only equal to NULL and numbers
    within `tolerantie`. Fails with each key that is missing on either side or differs.

    ontbrekend_als_nul: a key missing on the werkelijk side counts as zeros (a gemeente
    without internships has no rows in fct_stages_gemeente).
    alleen_verwachte_rijen: the model may hold keys the expectation has not (the national
    model runs further than the municipal projection).
#}
{% test sluit_aan(
    model, verwachting, sleutels, werkelijk=none, tolerantie=0.000001,
    ontbrekend_als_nul=false, alleen_verwachte_rijen=false
) %}

{%- set verwacht_sql = capmon.aansluiting(verwachting) %}
{%- set werkelijk_sql = capmon.aansluiting(werkelijk) if werkelijk else 'select * from ' ~ model %}
{%- set kolommen = [] %}
{%- if execute %}
    {%- set links = get_columns_in_query(verwacht_sql) | map('lower') | list %}
    {%- set rechts = get_columns_in_query(werkelijk_sql) | map('lower') | list %}
    {%- for kolom in links if kolom in rechts and kolom not in sleutels %}
        {%- do kolommen.append(kolom) %}
    {%- endfor %}
{%- endif %}

with

verwacht as (

    {{ verwacht_sql }}

),

werkelijk as (

    {{ werkelijk_sql }}

),

vergeleken as (

    select
        {%- for sleutel in sleutels %}
            coalesce(verwacht.{{ sleutel }}, werkelijk.{{ sleutel }}) as {{ sleutel }},
        {%- endfor %}
        verwacht.{{ sleutels[0] }} is null as ontbreekt_in_verwachting,
        werkelijk.{{ sleutels[0] }} is null as ontbreekt_in_model,
        {%- for kolom in kolommen %}
            {%- set w = 'coalesce(werkelijk.' ~ kolom ~ ', 0)' if ontbrekend_als_nul
                else 'werkelijk.' ~ kolom %}
            case
                when verwacht.{{ kolom }} is null and {{ w }} is null then false
                when verwacht.{{ kolom }} is null or {{ w }} is null then true
                else abs(verwacht.{{ kolom }} - {{ w }}) > {{ tolerantie }}
            end as {{ kolom }}_wijkt_af,
        {%- endfor %}
        {{ kolommen | length }} as vergeleken_kolommen
    from verwacht
    full outer join werkelijk
        on
            {%- for sleutel in sleutels %}
                {% if not loop.first %}and {% endif -%}
                verwacht.{{ sleutel }} = werkelijk.{{ sleutel }}
            {%- endfor %}

)

select *
from vergeleken
where
    {%- if ontbrekend_als_nul %}
        false
    {%- else %}
        ontbreekt_in_model
    {%- endif %}
    {%- if not alleen_verwachte_rijen %}
        or ontbreekt_in_verwachting
    {%- endif %}
    {%- for kolom in kolommen %}
        or {{ kolom }}_wijkt_af
    {%- endfor %}
    {%- if execute %}
        -- A rule that compares nothing is a broken rule, not a passing one.
        or {{ kolommen | length }} = 0
    {%- endif %}

{% endtest %}
