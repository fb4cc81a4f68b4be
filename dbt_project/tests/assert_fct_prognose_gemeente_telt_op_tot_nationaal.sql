/*
    The municipal projections add up to the same method run on national totals: per jaar ×
    scenario, the sums over fct_prognose_gemeente of supply (persons by sex, FTE, stock and
    new GPs) and demand equal the 'NL' gebied of int_prognose_aanbod_projected and
    int_prognose_vraag_projected, which runs the model on the national base stock with key 1.
*/
{%- set kolommen = [
    'aanbod_personen_vrouw', 'aanbod_personen_man', 'aanbod_fte', 'zittend_personen',
    'nieuw_personen', 'vraag_fte'
] %}

with

gemeenten as (

    select
        jaar,
        scenario,
        {%- for kolom in kolommen %}
            sum({{ kolom }}) as {{ kolom }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_prognose_gemeente') }}
    group by jaar, scenario

),

nationaal as (

    select
        aanbod.jaar,
        aanbod.scenario,
        aanbod.aanbod_personen_vrouw,
        aanbod.aanbod_personen_man,
        aanbod.aanbod_fte,
        vraag.vraag_fte,
        aanbod.zittend_personen_vrouw + aanbod.zittend_personen_man as zittend_personen,
        aanbod.nieuw_personen_vrouw + aanbod.nieuw_personen_man as nieuw_personen
    from {{ ref('int_prognose_aanbod_projected') }} as aanbod
    inner join {{ ref('int_prognose_vraag_projected') }} as vraag
        on
            aanbod.gebiedsniveau = vraag.gebiedsniveau
            and aanbod.gebiedcode = vraag.gebiedcode
            and aanbod.scenario = vraag.scenario
            and aanbod.jaar = vraag.jaar
    where aanbod.gebiedsniveau = 'nationaal'

)

select
    coalesce(gemeenten.jaar, nationaal.jaar) as jaar,
    coalesce(gemeenten.scenario, nationaal.scenario) as scenario,
    {%- for kolom in kolommen %}
        gemeenten.{{ kolom }} as gemeenten_{{ kolom }},
        nationaal.{{ kolom }} as nationaal_{{ kolom }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from gemeenten
full outer join nationaal
    on
        gemeenten.jaar = nationaal.jaar
        and gemeenten.scenario = nationaal.scenario
where
    gemeenten.jaar is null
    or nationaal.jaar is null
    {%- for kolom in kolommen %}
        or abs(gemeenten.{{ kolom }} - nationaal.{{ kolom }}) > 0.0001
    {%- endfor %}
