-- fct_prognose_nationaal holds per jaar × scenario the sums of fct_prognose_gemeente, and
-- its gap rate recomputed from those sums.
{%- set kolommen = [
    'aanbod_personen_vrouw', 'aanbod_personen_man', 'aanbod_personen', 'aanbod_fte',
    'vraag_fte', 'tekort_fte', 'instroom_personen', 'uitstroom_personen'
] %}

with

gemeenten as (

    select
        jaar,
        scenario,
        {%- for kolom in kolommen %}
            sum({{ kolom }}) as {{ kolom }},
        {%- endfor %}
        {{ capmon.safe_divide('sum(tekort_fte)', 'sum(vraag_fte)') }} as tekort_pct
    from {{ ref('fct_prognose_gemeente') }}
    group by jaar, scenario

)

select
    coalesce(gemeenten.jaar, nationaal.jaar) as jaar,
    coalesce(gemeenten.scenario, nationaal.scenario) as scenario
from gemeenten
full outer join {{ ref('fct_prognose_nationaal') }} as nationaal
    on
        gemeenten.jaar = nationaal.jaar
        and gemeenten.scenario = nationaal.scenario
where
    gemeenten.jaar is null
    or nationaal.jaar is null
    or abs(gemeenten.tekort_pct - nationaal.tekort_pct) > 0.000001
    {%- for kolom in kolommen %}
        or abs(gemeenten.{{ kolom }} - nationaal.{{ kolom }}) > 0.0001
    {%- endfor %}
