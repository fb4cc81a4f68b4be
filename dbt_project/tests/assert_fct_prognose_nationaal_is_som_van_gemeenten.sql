-- fct_prognose_nationaal carries, next to the Capaciteitsorgaan's national model, the sums
-- of fct_prognose_gemeente per jaar × scenario (*_gemeenten, on the registry's scale), and
-- has a row for every jaar × scenario of the municipal projection.
{%- set kolommen = ['aanbod_fte', 'vraag_fte', 'tekort_fte'] %}

with

gemeenten as (

    select
        jaar,
        scenario,
        count(*) as aantal_gemeenten,
        {%- for kolom in kolommen %}
            sum({{ kolom }}) as {{ kolom }},
        {%- endfor %}
        sum(case when tekort_fte > 0 then tekort_fte else 0 end) as tekort_fte_bruto
    from {{ ref('fct_prognose_gemeente') }}
    group by jaar, scenario

)

select
    gemeenten.jaar,
    gemeenten.scenario
from gemeenten
left join {{ ref('fct_prognose_nationaal') }} as nationaal
    on
        gemeenten.jaar = nationaal.jaar
        and gemeenten.scenario = nationaal.scenario
where
    nationaal.jaar is null
    or gemeenten.aantal_gemeenten <> nationaal.aantal_gemeenten
    or abs(gemeenten.tekort_fte_bruto - nationaal.tekort_fte_bruto_gemeenten) > 0.0001
    {%- for kolom in kolommen %}
        or abs(gemeenten.{{ kolom }} - nationaal.{{ kolom }}_gemeenten) > 0.0001
    {%- endfor %}
