{#
    What each reconciliation between models expects, for the generic test `sluit_aan`
    (tests/generic/test_sluit_aan.sql): one query per rule, with the key columns and the
    compared columns named as in the model it is held against. The test itself compares.
#}

{#- fct_capaciteit_nationaal = the sums of the gemeenten as published
    (capmon.gemeenten_in_totalen, docs/onthullingsbeheersing.md), rates from those sums. -#}
{% macro verwacht_capaciteit_nationaal() -%}
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

with

gemeenten as (

    select
        peiljaar,
        {{ capmon.opgeteld_over_gemeenten(opgetelde_kolommen) }},
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

)

select * from verwacht
{%- endmacro %}

{#- fct_capaciteit_regio = per regio_type × region × peiljaar the sums of its gemeenten as
    published, patients per FTE and the 60+ share recomputed from those sums. -#}
{% macro verwacht_capaciteit_regio() -%}
{%- set kolommen = capmon.capaciteit_optelbare_kolommen() | map(attribute=0) | list
    + ['tekort_fte_nza_norm_bruto', 'tekort_fte_lhv_norm_bruto'] %}
{%- set regio_typen = [
    ('azw', 'azw_regio_code'), ('provincie', 'provincie_code'), ('ggd', 'ggd_regio_code')
] %}

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
            {{ capmon.opgeteld_over_gemeenten(kolommen) }},
            {{ capmon.safe_divide(
                'sum(ingeschreven_patienten)',
                'sum(huisartsen_fte_praktijkgebonden_met_aanlevering)'
            ) }} as patienten_per_fte_huisarts,
            {{ capmon.safe_divide('sum(huisartsen_fte_60plus)', 'sum(huisartsen_fte)') }}
                as aandeel_fte_60plus
        from gemeenten
        group by {{ code }}, peiljaar
    {%- endfor %}

)

select * from verwacht
{%- endmacro %}

{#- fct_prognose_nationaal carries, next to the Capaciteitsorgaan's national model, the sums
    of fct_prognose_gemeente per jaar × scenario (*_gemeenten, on the registry's scale). -#}
{% macro verwacht_prognose_nationaal() -%}
    select
        jaar,
        scenario,
        count(*) as aantal_gemeenten,
        {%- for kolom in ['aanbod_fte', 'vraag_fte', 'tekort_fte'] %}
            sum({{ kolom }}) as {{ kolom }}_gemeenten,
        {%- endfor %}
        sum(case when tekort_fte > 0 then tekort_fte else 0 end) as tekort_fte_bruto_gemeenten
    from {{ ref('fct_prognose_gemeente') }}
    group by jaar, scenario
{%- endmacro %}

{#- The national inflow advice of fct_prognose_nationaal in both evenwichtsjaren (basisjaar
    + 18 and the short one, + 12), with the gemeenten's demand and supply there. -#}
{% macro verwacht_instroomadvies_landelijk() -%}
    {%- for advies, jaar in [
        ('instroomadvies', 'evenwichtsjaar'),
        ('instroomadvies_evenwichtsjaar_kort', 'evenwichtsjaar_kort')
    ] %}
        {% if not loop.first %}union all{% endif %}
        select
            scenario,
            jaar as evenwichtsjaar,
            {{ advies }} as instroomadvies,
            vraag_fte_gemeenten as vraag_fte,
            aanbod_fte_gemeenten as aanbod_fte,
            aantal_gemeenten
        from {{ ref('fct_prognose_nationaal') }}
        where jaar = {{ jaar }}
    {%- endfor %}
{%- endmacro %}

{#- The AZW regions' advice, demand and supply added up per scenario × evenwichtsjaar. -#}
{% macro instroomadvies_regio_opgeteld() -%}
    select
        scenario,
        evenwichtsjaar,
        sum(instroomadvies) as instroomadvies,
        sum(vraag_fte) as vraag_fte,
        sum(aanbod_fte) as aanbod_fte,
        sum(aantal_gemeenten) as aantal_gemeenten
    from {{ ref('fct_instroomadvies_regio') }}
    group by scenario, evenwichtsjaar
{%- endmacro %}

{#- The same projection method run on national totals: the 'nationaal' gebied of
    int_prognose_aanbod_projected and int_prognose_vraag_projected (key 1). -#}
{% macro verwacht_prognose_landelijk_model() -%}
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
{%- endmacro %}

{#- The municipal projections added up per jaar × scenario. -#}
{% macro prognose_gemeenten_opgeteld() -%}
    select
        jaar,
        scenario,
        {%- for kolom in [
            'aanbod_personen_vrouw', 'aanbod_personen_man', 'aanbod_fte', 'zittend_personen',
            'nieuw_personen', 'vraag_fte'
        ] %}
            sum({{ kolom }}) as {{ kolom }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_prognose_gemeente') }}
    group by jaar, scenario
{%- endmacro %}

{#- The internship columns of fct_capaciteit_gemeente, named as the opleiding sums. -#}
{% macro verwacht_stages_uit_capaciteit() -%}
    select
        gemeentecode,
        peiljaar,
        {%- for maat in ['aangevraagd', 'aangeboden', 'geplaatst', 'wachtlijst'] %}
            stages_{{ maat }} as {{ maat }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_capaciteit_gemeente') }}
{%- endmacro %}

{#- fct_stages_gemeente added up over opleidingen, in the peiljaren of the capacity mart. -#}
{% macro stages_opgeteld() -%}
    select
        gemeentecode,
        peiljaar,
        {%- for maat in ['aangevraagd', 'aangeboden', 'geplaatst', 'wachtlijst'] %}
            sum({{ maat }}) as {{ maat }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_stages_gemeente') }}
    where peiljaar in (select distinct peiljaar from {{ ref('fct_capaciteit_gemeente') }})
    group by gemeentecode, peiljaar
{%- endmacro %}

{#- The gemeenten counted and each column summed; a gross shortage (`*_bruto`) as the marts
    sum it (capmon.tekort_bruto_over_gemeenten). -#}
{% macro opgeteld_over_gemeenten(kolommen) -%}
    count(*) as aantal_gemeenten
    {%- for kolom in kolommen %},
        {%- if kolom.endswith('_bruto') %}
        {{ capmon.tekort_bruto_over_gemeenten(kolom.split('_')[2]) }}
        {%- else %}
        sum({{ kolom }}) as {{ kolom }}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The query of one of the macros above, by name: dbt resolves macros a generic test calls
    by their written names, so the test reaches them through this one. -#}
{% macro aansluiting(naam) -%}
    {%- if naam == 'verwacht_capaciteit_nationaal' %}{{ return(capmon.verwacht_capaciteit_nationaal()) }}
    {%- elif naam == 'verwacht_capaciteit_regio' %}{{ return(capmon.verwacht_capaciteit_regio()) }}
    {%- elif naam == 'verwacht_prognose_nationaal' %}{{ return(capmon.verwacht_prognose_nationaal()) }}
    {%- elif naam == 'verwacht_instroomadvies_landelijk' %}{{ return(capmon.verwacht_instroomadvies_landelijk()) }}
    {%- elif naam == 'instroomadvies_regio_opgeteld' %}{{ return(capmon.instroomadvies_regio_opgeteld()) }}
    {%- elif naam == 'verwacht_prognose_landelijk_model' %}{{ return(capmon.verwacht_prognose_landelijk_model()) }}
    {%- elif naam == 'prognose_gemeenten_opgeteld' %}{{ return(capmon.prognose_gemeenten_opgeteld()) }}
    {%- elif naam == 'verwacht_stages_uit_capaciteit' %}{{ return(capmon.verwacht_stages_uit_capaciteit()) }}
    {%- elif naam == 'stages_opgeteld' %}{{ return(capmon.stages_opgeteld()) }}
    {%- else %}{{ exceptions.raise_compiler_error('onbekende aansluiting: ' ~ naam) }}
    {%- endif %}
{%- endmacro %}
