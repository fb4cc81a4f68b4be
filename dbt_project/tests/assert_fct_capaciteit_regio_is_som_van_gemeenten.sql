/*
    fct_capaciteit_regio holds, for each regio_type × region × peiljaar, exactly the sums of
    fct_capaciteit_gemeente over the region's gemeenten (as published:
    capmon.gemeenten_in_totalen, docs/onthullingsbeheersing.md), with patients per FTE and the share
    of FTE aged 60+ recomputed here independently from those sums; and every region type
    covers every gemeente once. Returns each region row that differs or is missing.
*/
{%- set kolommen = capmon.capaciteit_optelbare_kolommen() | map(attribute=0) | list
    + ['tekort_fte_nza_norm_bruto', 'tekort_fte_lhv_norm_bruto'] %}
{%- set regio_typen = [
    ('azw', 'azw_regio_code'), ('provincie', 'provincie_code'), ('ggd', 'ggd_regio_code')
] %}
{%- set tolerantie = 0.000001 %}

with

gemeenten as (

    select * from ({{ capmon.gemeenten_in_totalen() }}) as gemeenten_in_totalen

),

verwacht as (

    {%- for regio_type, code in regio_typen %}
        {% if not loop.first %}union all{% endif %}

        select
            '{{ regio_type }}' as regio_type,
            {{ code }} as regio_code,
            peiljaar,
            count(*) as aantal_gemeenten,
            {%- for kolom in kolommen %}
                {%- if kolom.endswith('_bruto') %}
                    {{ capmon.tekort_bruto_over_gemeenten(kolom.split('_')[2]) }},
                {%- else %}
                    sum({{ kolom }}) as {{ kolom }},
                {%- endif %}
            {%- endfor %}
            {{ capmon.safe_divide(
                'sum(ingeschreven_patienten)',
                'sum(huisartsen_fte_praktijkgebonden_met_aanlevering)'
            ) }} as patienten_per_fte_huisarts,
            {{ capmon.safe_divide('sum(huisartsen_fte_60plus)', 'sum(huisartsen_fte)') }}
                as aandeel_fte_60plus
        from gemeenten
        group by {{ code }}, peiljaar
    {%- endfor %}

),

regio as (

    select * from {{ ref('fct_capaciteit_regio') }}

),

vergeleken as (

    select
        coalesce(verwacht.regio_type, regio.regio_type) as regio_type,
        coalesce(verwacht.regio_code, regio.regio_code) as regio_code,
        coalesce(verwacht.peiljaar, regio.peiljaar) as peiljaar,
        case
            when verwacht.peiljaar is null or regio.peiljaar is null then 1 else 0
        end as rij_ontbreekt,
        {%- for kolom in kolommen + ['aantal_gemeenten', 'patienten_per_fte_huisarts',
                                     'aandeel_fte_60plus'] %}
            case
                when verwacht.{{ kolom }} is null and regio.{{ kolom }} is null then 0
                when verwacht.{{ kolom }} is null or regio.{{ kolom }} is null then 1
                when abs(verwacht.{{ kolom }} - regio.{{ kolom }}) > {{ tolerantie }} then 1
                else 0
            end as {{ kolom }}_wijkt_af{% if not loop.last %},{% endif %}
        {%- endfor %}
    from verwacht
    full outer join regio
        on
            verwacht.regio_type = regio.regio_type
            and verwacht.regio_code = regio.regio_code
            and verwacht.peiljaar = regio.peiljaar

)

select *
from vergeleken
where
    rij_ontbreekt = 1
    {%- for kolom in kolommen + ['aantal_gemeenten', 'patienten_per_fte_huisarts',
                                 'aandeel_fte_60plus'] %}
        or {{ kolom }}_wijkt_af = 1
    {%- endfor %}
