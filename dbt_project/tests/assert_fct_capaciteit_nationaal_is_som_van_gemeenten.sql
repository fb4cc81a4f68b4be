/*
    fct_capaciteit_nationaal holds, per peiljaar, exactly the sums of fct_capaciteit_gemeente
    (as published: capmon.gemeenten_in_totalen, docs/onthullingsbeheersing.md)
    and rates recomputed from those sums. Returns every peiljaar where a column differs
    (or that is missing on either side).
*/
{%- set opgetelde_kolommen = [
    'huisartsen_personen', 'huisartsen_fte',
    'praktijkhouders_personen', 'praktijkhouders_fte',
    'hidha_personen', 'hidha_fte', 'waarnemers_personen', 'waarnemers_fte',
    'huisartsen_fte_praktijkgebonden', 'huisartsen_fte_60plus',
    'doktersassistent_fte', 'poh_somatiek_fte', 'poh_ggz_fte',
    'verpleegkundig_specialist_fte', 'physician_assistant_fte', 'ondersteuning_fte',
    'inwoners', 'inwoners_65plus',
    'ingeschreven_patienten', 'patienten_65plus', 'patienten_75plus', 'praktijken_aangeleverd',
    'stages_aangevraagd', 'stages_aangeboden', 'stages_geplaatst', 'stages_wachtlijst',
    'tekort_fte_nza_norm_bruto', 'tekort_fte_lhv_norm_bruto'
] %}
{%- set vergeleken_kolommen = opgetelde_kolommen + [
    'aantal_gemeenten', 'aandeel_fte_60plus', 'fte_huisartsen_per_10000_inwoners',
    'patienten_per_fte_huisarts', 'vulgraad_stages'
] %}
{%- set tolerantie = 0.000001 %}

with

gemeenten as (

    select
        peiljaar,
        count(*) as aantal_gemeenten,
        {%- for kolom in opgetelde_kolommen %}
            {%- if kolom.endswith('_bruto') %}
                {{ capmon.tekort_bruto_over_gemeenten(kolom.split('_')[2]) }},
            {%- else %}
                sum({{ kolom }}) as {{ kolom }},
            {%- endif %}
        {%- endfor %}
        sum(huisartsen_fte_praktijkgebonden_met_aanlevering) as fte_praktijkgebonden_met_aanlevering
    from ({{ capmon.gemeenten_in_totalen() }}) as gemeenten_in_totalen
    group by peiljaar

),

verwacht as (

    select
        *,
        {{ capmon.safe_divide('huisartsen_fte_60plus', 'huisartsen_fte') }} as aandeel_fte_60plus,
        {{ capmon.safe_divide('huisartsen_fte * 10000', 'inwoners') }}
            as fte_huisartsen_per_10000_inwoners,
        {{ capmon.safe_divide('ingeschreven_patienten', 'fte_praktijkgebonden_met_aanlevering') }}
            as patienten_per_fte_huisarts,
        {{ capmon.safe_divide('stages_geplaatst', 'stages_aangeboden') }} as vulgraad_stages
    from gemeenten

),

nationaal as (

    select * from {{ ref('fct_capaciteit_nationaal') }}

),

vergeleken as (

    select
        coalesce(verwacht.peiljaar, nationaal.peiljaar) as peiljaar,
        {%- for kolom in vergeleken_kolommen %}
            case
                when verwacht.{{ kolom }} is null and nationaal.{{ kolom }} is null then 0
                when verwacht.{{ kolom }} is null or nationaal.{{ kolom }} is null then 1
                when abs(verwacht.{{ kolom }} - nationaal.{{ kolom }}) > {{ tolerantie }} then 1
                else 0
            end as {{ kolom }}_wijkt_af,
        {%- endfor %}
        case
            when verwacht.peiljaar is null or nationaal.peiljaar is null then 1 else 0
        end as peiljaar_ontbreekt
    from verwacht
    full outer join nationaal
        on verwacht.peiljaar = nationaal.peiljaar

)

select *
from vergeleken
where
    peiljaar_ontbreekt = 1
    {%- for kolom in vergeleken_kolommen %}
        or {{ kolom }}_wijkt_af = 1
    {%- endfor %}
