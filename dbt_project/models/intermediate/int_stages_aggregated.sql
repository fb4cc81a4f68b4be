/*
    Internships per gemeente × peiljaar (the year the school year ends), in total and per
    opleiding (education type).

    aangevraagd, aangeboden and geplaatst are summed over the periods and programmes of the
    school year. The waiting list is a stock, not a flow: it is taken from the last periode
    each bureau reported for that school year.
*/
{%- set opleidingen = capmon.opleidingen() %}
with

stages as (

    select * from {{ ref('stg_stagebureau__stages') }}

),

laatste_periode as (

    select
        bureau_code,
        schooljaar,
        max(periode) as periode
    from stages
    group by bureau_code, schooljaar

),

wachtlijst as (

    select
        stages.gemeentecode,
        stages.peiljaar,
        sum(stages.wachtlijst) as stages_wachtlijst,
        {%- for opleiding in opleidingen %}
            sum(case when stages.opleiding = '{{ opleiding }}' then stages.wachtlijst else 0 end)
                as stages_wachtlijst_{{ opleiding }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from stages
    inner join laatste_periode
        on
            stages.bureau_code = laatste_periode.bureau_code
            and stages.schooljaar = laatste_periode.schooljaar
            and stages.periode = laatste_periode.periode
    group by stages.gemeentecode, stages.peiljaar

),

totalen as (

    select
        gemeentecode,
        peiljaar,
        {%- for opleiding in opleidingen %}
            {%- for maat in ['aangevraagd', 'aangeboden', 'geplaatst'] %}
                sum(case when opleiding = '{{ opleiding }}' then {{ maat }} else 0 end)
                    as stages_{{ maat }}_{{ opleiding }},
            {%- endfor %}
        {%- endfor %}
        sum(aangevraagd) as stages_aangevraagd,
        sum(aangeboden) as stages_aangeboden,
        sum(geplaatst) as stages_geplaatst
    from stages
    group by gemeentecode, peiljaar

),

joined as (

    select
        totalen.gemeentecode,
        totalen.peiljaar,
        cast(totalen.stages_aangevraagd as {{ dbt.type_int() }}) as stages_aangevraagd,
        cast(totalen.stages_aangeboden as {{ dbt.type_int() }}) as stages_aangeboden,
        cast(totalen.stages_geplaatst as {{ dbt.type_int() }}) as stages_geplaatst,
        cast(coalesce(wachtlijst.stages_wachtlijst, 0) as {{ dbt.type_int() }})
            as stages_wachtlijst,
        {%- for opleiding in opleidingen %}
            {%- for maat in ['aangevraagd', 'aangeboden', 'geplaatst'] %}
                cast(totalen.stages_{{ maat }}_{{ opleiding }} as {{ dbt.type_int() }})
                    as stages_{{ maat }}_{{ opleiding }},
            {%- endfor %}
            cast(coalesce(wachtlijst.stages_wachtlijst_{{ opleiding }}, 0) as {{ dbt.type_int() }})
                as stages_wachtlijst_{{ opleiding }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from totalen
    left join wachtlijst
        on
            totalen.gemeentecode = wachtlijst.gemeentecode
            and totalen.peiljaar = wachtlijst.peiljaar

)

select * from joined
