/*
    GP capacity per gemeente × peiljaar: every one of the 342 gemeenten for every peiljaar
    in the Nivel registry. Counts and FTE are 0 where a source has no rows; a rate is NULL
    where its denominator is 0, and everything from zorggroep submissions (patients,
    continuity, vacancies) is NULL-rated where no practice of the gemeente was submitted
    (unknown, not zero). Every rate sits next to its numerator and denominator; the
    formulas (macros/capaciteit.sql) are the same ones the region and national marts apply
    to sums.
*/
{%- set int = dbt.type_int() %}

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

continuiteit as (

    select * from {{ ref('int_continuiteit_aggregated') }}

),

vacatures as (

    select * from {{ ref('int_vacatures_aggregated') }}

),

stages as (

    select * from {{ ref('int_stages_aggregated') }}

),

-- The projected gap shown beside the spanningsindex (not part of it): scenario
-- capmon_spanningsindex.prognose.scenario, .jaar_vooruit (5) years after the projection's
-- base year, attached only to the peiljaar the projection starts from (earlier peiljaren
-- have no projection of their own).
prognose as (

    select
        gemeentecode,
        basisjaar as peiljaar,
        tekort_fte as prognose_tekort_fte,
        vraag_fte as prognose_vraag_fte
    from {{ ref('fct_prognose_gemeente') }}
    where
        scenario = '{{ var('capmon_spanningsindex').prognose.scenario }}'
        and jaar = basisjaar + {{ var('capmon_spanningsindex').prognose.jaar_vooruit }}

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
        gemeenten.ggd_regio_code,
        gemeenten.ggd_regio_naam,
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
        spine.ggd_regio_code,
        spine.ggd_regio_naam,
        {%- for groep in ['huisartsen', 'praktijkhouders', 'hidha', 'waarnemers'] %}
            coalesce(huisartsen.{{ groep }}_personen, 0) as {{ groep }}_personen,
            coalesce(huisartsen.{{ groep }}_fte, 0) as {{ groep }}_fte,
        {%- endfor %}
        {%- for suffix in ['60plus', 'vrouw', 'man']
            + capmon.leeftijdsklassen() | map(attribute='suffix') | list %}
            coalesce(huisartsen.huisartsen_personen_{{ suffix }}, 0)
                as huisartsen_personen_{{ suffix }},
            coalesce(huisartsen.huisartsen_fte_{{ suffix }}, 0) as huisartsen_fte_{{ suffix }},
        {%- endfor %}
        {%- for beroep in capmon.ondersteunende_beroepen() + ['ondersteuning'] %}
            coalesce(ondersteuning.{{ beroep }}_personen, 0) as {{ beroep }}_personen,
            coalesce(ondersteuning.{{ beroep }}_fte, 0) as {{ beroep }}_fte,
        {%- endfor %}
        bevolking.inwoners,
        bevolking.inwoners_65plus,
        bevolking.inwoners_bronjaar,
        bevolking.inwoners_is_geschat,
        coalesce(praktijken.ingeschreven_patienten, 0) as ingeschreven_patienten,
        coalesce(praktijken.patienten_65plus, 0) as patienten_65plus,
        coalesce(praktijken.patienten_75plus, 0) as patienten_75plus,
        coalesce(praktijken.praktijken_aangeleverd, 0) as praktijken_aangeleverd,
        coalesce(praktijken.praktijken_patientenstop_gedeeltelijk, 0)
            as praktijken_patientenstop_gedeeltelijk,
        coalesce(praktijken.praktijken_patientenstop_volledig, 0)
            as praktijken_patientenstop_volledig,
        praktijken.laatste_aanlevering_op,
        coalesce(continuiteit.huisartsen_fte_praktijkgebonden_aangeleverd, 0)
            as huisartsen_fte_praktijkgebonden_aangeleverd,
        {%- for kolom in ['huisartsen_aangeleverd', 'praktijkhouders_aangeleverd',
                          'praktijkhouders_60plus', 'verwachte_stoppers_5jr',
                          'verwachte_stoppers_5jr_geschat',
                          'verwachte_stoppers_5jr_zonder_opvolging'] %}
            coalesce(continuiteit.{{ kolom }}, 0) as {{ kolom }},
        {%- endfor %}
        {%- for kolom in ['vacatures_open', 'vacatures_open_fte', 'vacatures_lang_open',
                          'vacatures_lang_open_fte'] %}
            coalesce(vacatures.{{ kolom }}, 0) as {{ kolom }},
        {%- endfor %}
        {%- for functie in capmon.opleidingen() %}
            coalesce(vacatures.vacatures_open_{{ functie }}, 0) as vacatures_open_{{ functie }},
            coalesce(vacatures.vacatures_lang_open_{{ functie }}, 0)
                as vacatures_lang_open_{{ functie }},
        {%- endfor %}
        {%- for maat in ['aangevraagd', 'aangeboden', 'geplaatst', 'wachtlijst'] %}
            coalesce(stages.stages_{{ maat }}, 0) as stages_{{ maat }},
            {%- for opleiding in capmon.opleidingen() %}
                coalesce(stages.stages_{{ maat }}_{{ opleiding }}, 0)
                    as stages_{{ maat }}_{{ opleiding }},
            {%- endfor %}
        {%- endfor %}
        -- NULL for peiljaren without a projection (every peiljaar but the basisjaar).
        prognose.prognose_tekort_fte,
        prognose.prognose_vraag_fte
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
    left join continuiteit
        on
            spine.gemeentecode = continuiteit.gemeentecode
            and spine.peiljaar = continuiteit.peiljaar
    left join vacatures
        on
            spine.gemeentecode = vacatures.gemeentecode
            and spine.peiljaar = vacatures.peiljaar
    left join stages
        on
            spine.gemeentecode = stages.gemeentecode
            and spine.peiljaar = stages.peiljaar
    left join prognose
        on
            spine.gemeentecode = prognose.gemeentecode
            and spine.peiljaar = prognose.peiljaar

),

afgeleid as (

    select
        *,
        praktijkhouders_fte + hidha_fte as huisartsen_fte_praktijkgebonden,
        -- Like for like: the practice-bound FTE the zorggroepen submitted for the same
        -- practices whose patients are counted, not the FTE of every practice in the
        -- gemeente (which would understate patients per FTE where coverage is partial).
        case
            when praktijken_aangeleverd > 0 then huisartsen_fte_praktijkgebonden_aangeleverd
            else 0
        end as huisartsen_fte_praktijkgebonden_met_aanlevering,
        case when praktijken_aangeleverd > 0 then inwoners else 0 end as inwoners_met_aanlevering,
        (ingeschreven_patienten - patienten_65plus) * {{ var('capmon_vraaggewicht_tot65') }}
        + (patienten_65plus - patienten_75plus) * {{ var('capmon_vraaggewicht_65_74') }}
        + patienten_75plus * {{ var('capmon_vraaggewicht_75plus') }} as gewogen_patienten,
        {{ capmon.safe_divide(
            'praktijkhouders_personen', var('capmon_praktijkhouders_per_praktijk')
        ) }} as praktijken_verwacht
    from joined

),

optelbaar as (

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
        cast(ggd_regio_code as {{ dbt.type_string() }}) as ggd_regio_code,
        cast(ggd_regio_naam as {{ dbt.type_string() }}) as ggd_regio_naam,
        cast(inwoners_bronjaar as {{ int }}) as inwoners_bronjaar,
        cast(coalesce(inwoners_is_geschat, true) as {{ dbt.type_boolean() }})
            as vlag_inwoners_geschat,
        cast(laatste_aanlevering_op as date) as laatste_aanlevering_op,
        {{ capmon.capaciteit_optelbare_select() }}
        cast(1 as {{ int }}) as aantal_gemeenten
    from afgeleid

),

verhoudingen as (

    select
        *,
        {{ capmon.capaciteit_verhoudingen() }}
        {{ capmon.maanden_sinds('laatste_aanlevering_op') }} as maanden_sinds_laatste_aanlevering
    from optelbaar

),

relatief as (

    select
        *,
        {{ capmon.prognose_relatief('peiljaar') }}
    from verhoudingen

),

scores as (

    select
        *,
        {{ capmon.capaciteit_vlaggen() }}
        {{ capmon.tekort_bruto_gemeente() }}
        {{ capmon.spanningsindex_kolommen() }}
    from relatief

),

index_berekend as (

    select
        *,
        {{ capmon.spanningsindex_totaal() }}
    from scores

),

final as (

    select
        *,
        {{ capmon.spanningscategorie('spanningsindex') }} as spanningscategorie,
        cast(
            row_number()
                over (
                    partition by peiljaar
                    order by
                        spanningsindex desc nulls last,
                        score_balans desc nulls last,
                        gemeentecode
                )
            as {{ int }}
        ) as spanningsindex_rang
    from index_berekend

)

select * from final
