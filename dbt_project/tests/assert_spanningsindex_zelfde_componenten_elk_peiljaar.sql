/*
    The spanningsindex has no method break between peiljaren: in every row of the three
    capacity marts, in every peiljaar, the index is the weighted mean of the same components
    (macro spanningsindex_componenten, weights var capmon_spanningsindex.gewichten) and of
    nothing else (not the projection, which exists only in its basisjaar); and every
    component is known wherever its inputs are. So a change of the index between two
    peiljaren comes only from the data. Returns each row where that does not hold.
*/
{%- set g = var('capmon_spanningsindex').gewichten %}
{%- set componenten = capmon.spanningsindex_componenten() %}
{%- set bronnen = [
    ('gemeente', 'fct_capaciteit_gemeente', 'gemeentecode'),
    ('regio', 'fct_capaciteit_regio', dbt.concat(['regio_type', "':'", 'regio_code'])),
    ('nationaal', 'fct_capaciteit_nationaal', "'NL'"),
] %}

with

rijen as (

    {%- for niveau, model, sleutel in bronnen %}
        {% if not loop.first %}union all{% endif %}

        select
            '{{ niveau }}' as niveau,
            {{ sleutel }} as sleutel,
            peiljaar,
            patienten_per_fte_huisarts,
            aandeel_stoppers_zonder_opvolging,
            aandeel_praktijken_patientenstop,
            vacatures_lang_open_per_praktijk,
            score_balans,
            score_continuiteit,
            score_vacatures,
            spanningsindex
        from {{ ref(model) }}
    {%- endfor %}

),

herberekend as (

    select
        *,
        (
            {%- for c in componenten %}
                {% if not loop.first %}+ {% endif %}coalesce({{ g[c] }} * score_{{ c }}, 0)
            {%- endfor %}
        )
        / nullif(
            {%- for c in componenten %}
                {% if not loop.first %}+ {% endif %}case
                    when score_{{ c }} is not null then {{ g[c] }} else 0
                end
            {%- endfor %}, 0
        ) as index_verwacht
    from rijen

)

select *
from herberekend
where
    (patienten_per_fte_huisarts is not null and score_balans is null)
    or (
        aandeel_stoppers_zonder_opvolging is not null
        and aandeel_praktijken_patientenstop is not null
        and score_continuiteit is null
    )
    or (vacatures_lang_open_per_praktijk is not null and score_vacatures is null)
    or (spanningsindex is null) <> (score_balans is null)
    or abs(spanningsindex - index_verwacht) > 0.000001
