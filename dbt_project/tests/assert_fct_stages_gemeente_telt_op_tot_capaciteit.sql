/*
    fct_stages_gemeente summed over opleidingen equals the stages_aangevraagd, _aangeboden,
    _geplaatst and _wachtlijst columns of fct_capaciteit_gemeente for the same gemeente ×
    peiljaar, for every peiljaar of fct_capaciteit_gemeente (a gemeente without internships
    has 0 there and no rows here). Returns each gemeente × peiljaar that differs.
*/
{%- set maten = ['aangevraagd', 'aangeboden', 'geplaatst', 'wachtlijst'] %}

with

capaciteit as (

    select * from {{ ref('fct_capaciteit_gemeente') }}

),

stages as (

    select
        gemeentecode,
        peiljaar,
        {%- for maat in maten %}
            sum({{ maat }}) as {{ maat }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_stages_gemeente') }}
    where peiljaar in (select distinct peiljaar from capaciteit)
    group by gemeentecode, peiljaar

),

vergeleken as (

    select
        coalesce(capaciteit.gemeentecode, stages.gemeentecode) as gemeentecode,
        coalesce(capaciteit.peiljaar, stages.peiljaar) as peiljaar,
        {%- for maat in maten %}
            capaciteit.stages_{{ maat }} as capaciteit_{{ maat }},
            coalesce(stages.{{ maat }}, 0) as stages_{{ maat }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from capaciteit
    full outer join stages
        on
            capaciteit.gemeentecode = stages.gemeentecode
            and capaciteit.peiljaar = stages.peiljaar

)

select *
from vergeleken
where
    capaciteit_aangevraagd is null
    {%- for maat in maten %}
        or capaciteit_{{ maat }} <> stages_{{ maat }}
    {%- endfor %}
