/*
    GP capacity per gemeente × peiljaar: every one of the 342 gemeenten for every peiljaar
    in the Nivel registry. Counts and FTE are 0 where a source has no rows; a rate is NULL
    where its denominator is 0, and patienten_per_fte_huisarts is also NULL where no
    practice of the gemeente was submitted (unknown, not zero). Every rate sits next to its
    numerator and denominator so regions and the country are ratios of sums.
*/
{%- set int = dbt.type_int() %}
{%- set dbl = capmon.type_double() %}
{%- set ondersteunende_beroepen = ['doktersassistent', 'poh_somatiek', 'poh_ggz',
                                   'verpleegkundig_specialist', 'physician_assistant'] %}

with

gemeenten as (

    select * from {{ ref('dim_gemeente') }}

),

peiljaren as (

    select distinct peiljaar
    from {{ ref('stg_nivel__registratie') }}

),

laatste_peiljaar as (

    select max(peiljaar) as peiljaar
    from peiljaren

),

huisartsen as (

    select * from {{ ref('int_huisartsen_aggregated') }}

),

ondersteuning as (

    select * from {{ ref('int_ondersteuning_aggregated') }}

),

bevolking as (

    select * from {{ ref('int_bevolking_per_peiljaar') }}

),

praktijken as (

    select * from {{ ref('int_praktijken_aggregated') }}

),

stages as (

    select * from {{ ref('int_stages_aggregated') }}

),

spine as (

    select
        gemeenten.gemeentecode,
        gemeenten.gemeentenaam,
        gemeenten.provincie_code,
        gemeenten.provincie_naam,
        gemeenten.provincie_iso,
        gemeenten.azw_regio_code,
        gemeenten.azw_regio_naam,
        peiljaren.peiljaar
    from gemeenten
    cross join peiljaren

),

joined as (

    select
        spine.gemeentecode,
        spine.gemeentenaam,
        spine.peiljaar,
        {{ capmon.year_start_date('spine.peiljaar') }} as peildatum,
        coalesce(spine.peiljaar = laatste_peiljaar.peiljaar, false) as is_laatste_peiljaar,
        spine.provincie_code,
        spine.provincie_naam,
        spine.provincie_iso,
        spine.azw_regio_code,
        spine.azw_regio_naam,
        coalesce(huisartsen.huisartsen_personen, 0) as huisartsen_personen,
        coalesce(huisartsen.huisartsen_fte, 0) as huisartsen_fte,
        coalesce(huisartsen.praktijkhouders_personen, 0) as praktijkhouders_personen,
        coalesce(huisartsen.praktijkhouders_fte, 0) as praktijkhouders_fte,
        coalesce(huisartsen.hidha_personen, 0) as hidha_personen,
        coalesce(huisartsen.hidha_fte, 0) as hidha_fte,
        coalesce(huisartsen.waarnemers_personen, 0) as waarnemers_personen,
        coalesce(huisartsen.waarnemers_fte, 0) as waarnemers_fte,
        coalesce(huisartsen.huisartsen_fte_60plus, 0) as huisartsen_fte_60plus,
        {%- for beroep in ondersteunende_beroepen %}
            coalesce(ondersteuning.{{ beroep }}_fte, 0) as {{ beroep }}_fte,
        {%- endfor %}
        bevolking.inwoners,
        bevolking.inwoners_65plus,
        bevolking.inwoners_bronjaar,
        coalesce(praktijken.ingeschreven_patienten, 0) as ingeschreven_patienten,
        coalesce(praktijken.patienten_65plus, 0) as patienten_65plus,
        coalesce(praktijken.patienten_75plus, 0) as patienten_75plus,
        coalesce(praktijken.praktijken_aangeleverd, 0) as praktijken_aangeleverd,
        coalesce(stages.stages_aangevraagd, 0) as stages_aangevraagd,
        coalesce(stages.stages_aangeboden, 0) as stages_aangeboden,
        coalesce(stages.stages_geplaatst, 0) as stages_geplaatst,
        coalesce(stages.stages_wachtlijst, 0) as stages_wachtlijst
    from spine
    cross join laatste_peiljaar
    left join huisartsen
        on
            spine.gemeentecode = huisartsen.gemeentecode
            and spine.peiljaar = huisartsen.peiljaar
    left join ondersteuning
        on
            spine.gemeentecode = ondersteuning.gemeentecode
            and spine.peiljaar = ondersteuning.peiljaar
    left join bevolking
        on
            spine.gemeentecode = bevolking.gemeentecode
            and spine.peiljaar = bevolking.peiljaar
    left join praktijken
        on
            spine.gemeentecode = praktijken.gemeentecode
            and spine.peiljaar = praktijken.peiljaar
    left join stages
        on
            spine.gemeentecode = stages.gemeentecode
            and spine.peiljaar = stages.peiljaar

),

final as (

    select
        cast(gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(gemeentenaam as {{ dbt.type_string() }}) as gemeentenaam,
        cast(peiljaar as {{ int }}) as peiljaar,
        cast(peildatum as date) as peildatum,
        cast(is_laatste_peiljaar as {{ dbt.type_boolean() }}) as is_laatste_peiljaar,
        cast(provincie_code as {{ dbt.type_string() }}) as provincie_code,
        cast(provincie_naam as {{ dbt.type_string() }}) as provincie_naam,
        cast(provincie_iso as {{ dbt.type_string() }}) as provincie_iso,
        cast(azw_regio_code as {{ dbt.type_string() }}) as azw_regio_code,
        cast(azw_regio_naam as {{ dbt.type_string() }}) as azw_regio_naam,

        -- supply: GPs
        cast(huisartsen_personen as {{ int }}) as huisartsen_personen,
        cast(huisartsen_fte as {{ dbl }}) as huisartsen_fte,
        cast(praktijkhouders_personen as {{ int }}) as praktijkhouders_personen,
        cast(praktijkhouders_fte as {{ dbl }}) as praktijkhouders_fte,
        cast(hidha_personen as {{ int }}) as hidha_personen,
        cast(hidha_fte as {{ dbl }}) as hidha_fte,
        cast(waarnemers_personen as {{ int }}) as waarnemers_personen,
        cast(waarnemers_fte as {{ dbl }}) as waarnemers_fte,
        cast(praktijkhouders_fte + hidha_fte as {{ dbl }}) as huisartsen_fte_praktijkgebonden,
        cast(huisartsen_fte_60plus as {{ dbl }}) as huisartsen_fte_60plus,
        {{ capmon.safe_divide('huisartsen_fte_60plus', 'huisartsen_fte') }} as aandeel_fte_60plus,

        -- supply: practice support staff
        {%- for beroep in ondersteunende_beroepen %}
            cast({{ beroep }}_fte as {{ dbl }}) as {{ beroep }}_fte,
        {%- endfor %}
        cast(
            {%- for beroep in ondersteunende_beroepen %}
                {% if not loop.first %}+ {% endif %}{{ beroep }}_fte
            {%- endfor %}
            as {{ dbl }}
        ) as ondersteuning_fte,

        -- demand: population
        cast(inwoners as {{ int }}) as inwoners,
        cast(inwoners_65plus as {{ int }}) as inwoners_65plus,
        cast(inwoners_bronjaar as {{ int }}) as inwoners_bronjaar,
        {{ capmon.safe_divide('huisartsen_fte * 10000', 'inwoners') }}
            as fte_huisartsen_per_10000_inwoners,

        -- demand and balance: registered patients (zorggroep submissions)
        cast(ingeschreven_patienten as {{ int }}) as ingeschreven_patienten,
        cast(patienten_65plus as {{ int }}) as patienten_65plus,
        cast(patienten_75plus as {{ int }}) as patienten_75plus,
        cast(praktijken_aangeleverd as {{ int }}) as praktijken_aangeleverd,
        case
            when praktijken_aangeleverd > 0
                then
                    {{ capmon.safe_divide(
                        'ingeschreven_patienten',
                        'praktijkhouders_fte + hidha_fte'
                    ) }}
        end as patienten_per_fte_huisarts,
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
    from joined

)

select * from final
