-- Nivel GPs per gemeente × peiljaar: persons and FTE per position, per sex and per age band,
-- and FTE aged 60+.
{%- set leeftijdsklassen = capmon.leeftijdsklassen() %}
with

huisartsen as (

    select * from {{ ref('stg_nivel__registratie') }}
    where beroep = 'huisarts'

),

aggregated as (

    select
        gemeentecode,
        peiljaar,
        sum(aantal_personen) as huisartsen_personen,
        sum(fte) as huisartsen_fte,
        sum(case when positie = 'praktijkhouder' then aantal_personen else 0 end)
            as praktijkhouders_personen,
        sum(case when positie = 'praktijkhouder' then fte else 0 end) as praktijkhouders_fte,
        sum(case when positie = 'hidha' then aantal_personen else 0 end) as hidha_personen,
        sum(case when positie = 'hidha' then fte else 0 end) as hidha_fte,
        sum(case when positie = 'waarnemer' then aantal_personen else 0 end)
            as waarnemers_personen,
        sum(case when positie = 'waarnemer' then fte else 0 end) as waarnemers_fte,
        sum(case when leeftijdsklasse in ('60-64', '65+') then aantal_personen else 0 end)
            as huisartsen_personen_60plus,
        sum(case when leeftijdsklasse in ('60-64', '65+') then fte else 0 end)
            as huisartsen_fte_60plus,
        {%- for geslacht in ['vrouw', 'man'] %}
            sum(case when geslacht = '{{ geslacht }}' then aantal_personen else 0 end)
                as huisartsen_personen_{{ geslacht }},
            sum(case when geslacht = '{{ geslacht }}' then fte else 0 end)
                as huisartsen_fte_{{ geslacht }},
        {%- endfor %}
        {%- for klasse in leeftijdsklassen %}
            sum(case when leeftijdsklasse = '{{ klasse.label }}' then aantal_personen else 0 end)
                as huisartsen_personen_{{ klasse.suffix }},
            sum(case when leeftijdsklasse = '{{ klasse.label }}' then fte else 0 end)
                as huisartsen_fte_{{ klasse.suffix }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from huisartsen
    group by gemeentecode, peiljaar

),

typed as (

    select
        gemeentecode,
        peiljaar,
        {%- set kolommen = ['huisartsen', 'praktijkhouders', 'hidha', 'waarnemers'] %}
        {%- for kolom in kolommen %}
            cast({{ kolom }}_personen as {{ dbt.type_int() }}) as {{ kolom }}_personen,
            cast({{ kolom }}_fte as {{ capmon.type_double() }}) as {{ kolom }}_fte,
        {%- endfor %}
        {%- set suffixen = ['60plus', 'vrouw', 'man']
            + leeftijdsklassen | map(attribute='suffix') | list %}
        {%- for suffix in suffixen %}
            cast(huisartsen_personen_{{ suffix }} as {{ dbt.type_int() }})
                as huisartsen_personen_{{ suffix }},
            cast(huisartsen_fte_{{ suffix }} as {{ capmon.type_double() }})
                as huisartsen_fte_{{ suffix }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from aggregated

)

select * from typed
