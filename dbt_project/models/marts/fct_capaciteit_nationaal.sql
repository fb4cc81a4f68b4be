/*
    GP capacity for the Netherlands per peiljaar: the sums of fct_capaciteit_gemeente over
    all gemeenten, with every rate recomputed from those sums (a ratio of sums, never an
    average of municipal ratios). Patients per GP FTE only counts the practice-bound FTE
    of gemeenten with at least one submitted practice, as the municipal rate does.
*/
{%- set int = dbt.type_int() %}
{%- set dbl = capmon.type_double() %}
{#- Counts and FTE that add up over gemeenten. -#}
{%- set opgetelde_kolommen = [
    'huisartsen_personen',
    'huisartsen_fte',
    'praktijkhouders_personen',
    'praktijkhouders_fte',
    'hidha_personen',
    'hidha_fte',
    'waarnemers_personen',
    'waarnemers_fte',
    'huisartsen_fte_praktijkgebonden',
    'huisartsen_fte_60plus',
    'doktersassistent_fte',
    'poh_somatiek_fte',
    'poh_ggz_fte',
    'verpleegkundig_specialist_fte',
    'physician_assistant_fte',
    'ondersteuning_fte',
    'inwoners',
    'inwoners_65plus',
    'ingeschreven_patienten',
    'patienten_65plus',
    'patienten_75plus',
    'praktijken_aangeleverd',
    'stages_aangevraagd',
    'stages_aangeboden',
    'stages_geplaatst',
    'stages_wachtlijst',
] %}

with

gemeenten as (

    select * from {{ ref('fct_capaciteit_gemeente') }}

),

opgeteld as (

    select
        peiljaar,
        {%- for kolom in opgetelde_kolommen %}
            sum({{ kolom }}) as {{ kolom }},
        {%- endfor %}
        sum(
            case when praktijken_aangeleverd > 0 then huisartsen_fte_praktijkgebonden else 0 end
        ) as huisartsen_fte_praktijkgebonden_met_aanlevering,
        sum(case when praktijken_aangeleverd > 0 then 1 else 0 end)
            as aantal_gemeenten_met_aanlevering,
        count(*) as aantal_gemeenten
    from gemeenten
    group by peiljaar

),

final as (

    select
        cast(peiljaar as {{ int }}) as peiljaar,
        {{ capmon.year_start_date('peiljaar') }} as peildatum,
        cast(
            coalesce(peiljaar = max(peiljaar) over (), false) as {{ dbt.type_boolean() }}
        ) as is_laatste_peiljaar,
        cast(aantal_gemeenten as {{ int }}) as aantal_gemeenten,

        -- supply: GPs
        cast(huisartsen_personen as {{ int }}) as huisartsen_personen,
        cast(huisartsen_fte as {{ dbl }}) as huisartsen_fte,
        cast(praktijkhouders_personen as {{ int }}) as praktijkhouders_personen,
        cast(praktijkhouders_fte as {{ dbl }}) as praktijkhouders_fte,
        cast(hidha_personen as {{ int }}) as hidha_personen,
        cast(hidha_fte as {{ dbl }}) as hidha_fte,
        cast(waarnemers_personen as {{ int }}) as waarnemers_personen,
        cast(waarnemers_fte as {{ dbl }}) as waarnemers_fte,
        cast(huisartsen_fte_praktijkgebonden as {{ dbl }}) as huisartsen_fte_praktijkgebonden,
        cast(huisartsen_fte_60plus as {{ dbl }}) as huisartsen_fte_60plus,
        {{ capmon.safe_divide('huisartsen_fte_60plus', 'huisartsen_fte') }} as aandeel_fte_60plus,

        -- supply: practice support staff
        cast(doktersassistent_fte as {{ dbl }}) as doktersassistent_fte,
        cast(poh_somatiek_fte as {{ dbl }}) as poh_somatiek_fte,
        cast(poh_ggz_fte as {{ dbl }}) as poh_ggz_fte,
        cast(verpleegkundig_specialist_fte as {{ dbl }}) as verpleegkundig_specialist_fte,
        cast(physician_assistant_fte as {{ dbl }}) as physician_assistant_fte,
        cast(ondersteuning_fte as {{ dbl }}) as ondersteuning_fte,

        -- demand: population
        cast(inwoners as {{ int }}) as inwoners,
        cast(inwoners_65plus as {{ int }}) as inwoners_65plus,
        {{ capmon.safe_divide('huisartsen_fte * 10000', 'inwoners') }}
            as fte_huisartsen_per_10000_inwoners,

        -- demand and balance: registered patients (zorggroep submissions)
        cast(ingeschreven_patienten as {{ int }}) as ingeschreven_patienten,
        cast(patienten_65plus as {{ int }}) as patienten_65plus,
        cast(patienten_75plus as {{ int }}) as patienten_75plus,
        cast(praktijken_aangeleverd as {{ int }}) as praktijken_aangeleverd,
        cast(aantal_gemeenten_met_aanlevering as {{ int }}) as aantal_gemeenten_met_aanlevering,
        cast(huisartsen_fte_praktijkgebonden_met_aanlevering as {{ dbl }})
            as huisartsen_fte_praktijkgebonden_met_aanlevering,
        {{ capmon.safe_divide(
            'ingeschreven_patienten',
            'huisartsen_fte_praktijkgebonden_met_aanlevering'
        ) }} as patienten_per_fte_huisarts,
        {{ capmon.safe_divide(
            'ingeschreven_patienten',
            var('capmon_norm_patienten_per_fte_nza')
        ) }} as benodigde_fte_nza_norm,

        -- pipeline: internships
        cast(stages_aangevraagd as {{ int }}) as stages_aangevraagd,
        cast(stages_aangeboden as {{ int }}) as stages_aangeboden,
        cast(stages_geplaatst as {{ int }}) as stages_geplaatst,
        cast(stages_wachtlijst as {{ int }}) as stages_wachtlijst,
        {{ capmon.safe_divide('stages_geplaatst', 'stages_aangeboden') }} as vulgraad_stages
    from opgeteld

)

select * from final
