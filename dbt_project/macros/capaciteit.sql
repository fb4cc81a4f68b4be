{#
    The capacity model's shared definitions: code lists, the columns of
    fct_capaciteit_gemeente that add up over gemeenten, and every rate, balance figure and
    spanningsindex formula computed from them. fct_capaciteit_gemeente, fct_capaciteit_regio
    and fct_capaciteit_nationaal all call capaciteit_verhoudingen() and
    spanningsindex_kolommen() on (sums of) the same additive columns, so a region's or the
    country's rate is always a ratio of sums and every formula is written once.
    Constants (norms, thresholds, weights) are dbt vars in dbt_project.yml.
#}

{#- A shared code list (var capmon_codes); ondersteunende_functies = beroepen but huisarts. -#}
{% macro codelijst(naam) -%}
    {%- set codes = var('capmon_codes') %}
    {%- if naam == 'ondersteunende_functies' %}
        {{ return(codes['beroepen'][1:]) }}
    {%- elif naam == 'leeftijdsklassen' %}
        {{ return(codes['leeftijdsklassen'] | map(attribute='label') | list) }}
    {%- else %}
        {{ return(codes[naam]) }}
    {%- endif %}
{%- endmacro %}

{% macro ondersteunende_beroepen() -%}
    {{ return(capmon.codelijst('ondersteunende_functies')) }}
{%- endmacro %}

{% macro opleidingen() -%}
    {{ return(capmon.codelijst('beroepen')) }}
{%- endmacro %}

{#- Readable Dutch names of the opleidingen (and vacancy functions), for dashboards. -#}
{% macro opleiding_namen() -%}
    {{ return({
        'huisarts': 'Huisartsopleiding',
        'doktersassistent': 'Doktersassistent',
        'poh_somatiek': 'POH somatiek',
        'poh_ggz': 'POH GGZ',
        'verpleegkundig_specialist': 'Verpleegkundig specialist',
        'physician_assistant': 'Physician assistant',
    }) }}
{%- endmacro %}

{#- CASE expression: the readable name of an opleiding code (the code itself if unknown). -#}
{% macro opleiding_naam(kolom) -%}
    case {{ kolom }}
        {%- for code, naam in capmon.opleiding_namen().items() %}
            when '{{ code }}' then '{{ naam }}'
        {%- endfor %}
        else {{ kolom }}
    end
{%- endmacro %}

{% macro leeftijdsklassen() -%}
    {{ return(var('capmon_codes')['leeftijdsklassen']) }}
{%- endmacro %}

{#- x clamped to [0, 1]; NULL stays NULL. ANSI CASE, so it runs on every warehouse. -#}
{% macro begrens_0_1(expression) -%}
    case
        when ({{ expression }}) < 0 then 0.0
        when ({{ expression }}) > 1 then 1.0
        else ({{ expression }})
    end
{%- endmacro %}

{#- A 0-100 score: 0 at or below `ondergrens`, 100 at or above `bovengrens`, linear between. -#}
{% macro score_0_100(expression, ondergrens, bovengrens) -%}
    cast(100 * {{ capmon.begrens_0_1(
        '(' ~ expression ~ ' - ' ~ ondergrens ~ ') / (' ~ bovengrens ~ ' - ' ~ ondergrens ~ ')'
    ) }} as {{ capmon.type_double() }})
{%- endmacro %}

{#-
    Columns of fct_capaciteit_gemeente that add up over gemeenten: (name, type) pairs with
    type 'int' or 'dbl'. Regions and the country are their sums.
-#}
{% macro capaciteit_optelbare_kolommen() -%}
    {%- set kolommen = [] %}
    {%- for groep in ['huisartsen', 'praktijkhouders', 'hidha', 'waarnemers'] %}
        {%- do kolommen.append((groep ~ '_personen', 'int')) %}
        {%- do kolommen.append((groep ~ '_fte', 'dbl')) %}
    {%- endfor %}
    {%- do kolommen.append(('huisartsen_fte_praktijkgebonden', 'dbl')) %}
    {%- for suffix in ['60plus', 'vrouw', 'man']
        + capmon.leeftijdsklassen() | map(attribute='suffix') | list %}
        {%- do kolommen.append(('huisartsen_personen_' ~ suffix, 'int')) %}
        {%- do kolommen.append(('huisartsen_fte_' ~ suffix, 'dbl')) %}
    {%- endfor %}
    {%- for beroep in capmon.ondersteunende_beroepen() + ['ondersteuning'] %}
        {%- do kolommen.append((beroep ~ '_personen', 'int')) %}
        {%- do kolommen.append((beroep ~ '_fte', 'dbl')) %}
    {%- endfor %}
    {%- for kolom in ['inwoners', 'inwoners_65plus', 'inwoners_met_aanlevering',
                      'ingeschreven_patienten', 'patienten_65plus', 'patienten_75plus'] %}
        {%- do kolommen.append((kolom, 'int')) %}
    {%- endfor %}
    {%- do kolommen.append(('gewogen_patienten', 'dbl')) %}
    {%- do kolommen.append(('huisartsen_fte_praktijkgebonden_met_aanlevering', 'dbl')) %}
    {%- for kolom in ['praktijken_aangeleverd', 'huisartsen_aangeleverd',
                      'praktijkhouders_aangeleverd', 'praktijkhouders_60plus',
                      'verwachte_stoppers_5jr', 'verwachte_stoppers_5jr_geschat',
                      'verwachte_stoppers_5jr_zonder_opvolging',
                      'praktijken_patientenstop_gedeeltelijk',
                      'praktijken_patientenstop_volledig',
                      'vacatures_open', 'vacatures_lang_open'] %}
        {%- do kolommen.append((kolom, 'int')) %}
    {%- endfor %}
    {%- do kolommen.append(('vacatures_open_fte', 'dbl')) %}
    {%- do kolommen.append(('vacatures_lang_open_fte', 'dbl')) %}
    {%- for functie in capmon.opleidingen() %}
        {%- do kolommen.append(('vacatures_open_' ~ functie, 'int')) %}
        {%- do kolommen.append(('vacatures_lang_open_' ~ functie, 'int')) %}
    {%- endfor %}
    {%- for maat in ['aangevraagd', 'aangeboden', 'geplaatst', 'wachtlijst'] %}
        {%- do kolommen.append(('stages_' ~ maat, 'int')) %}
        {%- for opleiding in capmon.opleidingen() %}
            {%- do kolommen.append(('stages_' ~ maat ~ '_' ~ opleiding, 'int')) %}
        {%- endfor %}
    {%- endfor %}
    {%- do kolommen.append(('praktijken_verwacht', 'dbl')) %}
    {%- do kolommen.append(('prognose_tekort_fte', 'dbl')) %}
    {%- do kolommen.append(('prognose_vraag_fte', 'dbl')) %}
    {{ return(kolommen) }}
{%- endmacro %}

{#- The additive columns, cast to their contract types (select list, trailing comma). -#}
{% macro capaciteit_optelbare_select(prefix='', aggregaat=none) -%}
    {%- for kolom, soort in capmon.capaciteit_optelbare_kolommen() %}
        {%- set expressie = prefix ~ kolom if aggregaat is none
            else aggregaat ~ '(' ~ prefix ~ kolom ~ ')' %}
        cast({{ expressie }} as {{ dbt.type_int() if soort == 'int' else capmon.type_double() }})
            as {{ kolom }},
    {%- endfor %}
{%- endmacro %}

{#-
    Every rate and balance figure from the additive columns (select list, trailing comma).
    Each is a ratio of two additive columns, so it is correct at every level.
-#}
{% macro capaciteit_verhoudingen() -%}
    {%- set dbl = capmon.type_double() %}
    {%- set nza = var('capmon_norm_patienten_per_fte_nza') %}
    {%- set lhv = var('capmon_norm_patienten_per_fte_lhv') %}
    -- supply
    {{ capmon.safe_divide('huisartsen_fte_60plus', 'huisartsen_fte') }} as aandeel_fte_60plus,
    {{ capmon.safe_divide('huisartsen_personen_vrouw', 'huisartsen_personen') }}
        as aandeel_vrouw,
    {{ capmon.safe_divide('huisartsen_fte * 10000', 'inwoners') }}
        as fte_huisartsen_per_10000_inwoners,
    {{ capmon.safe_divide('ondersteuning_fte', 'huisartsen_fte_praktijkgebonden') }}
        as ondersteuning_fte_per_fte_huisarts,
    -- demand
    {{ capmon.safe_divide('ingeschreven_patienten', 'inwoners_met_aanlevering') }}
        as verhouding_patienten_inwoners,
    -- balance: patients and FTE of the same (submitted) practices, like for like
    {{ capmon.safe_divide(
        'ingeschreven_patienten', 'huisartsen_fte_praktijkgebonden_met_aanlevering'
    ) }} as patienten_per_fte_huisarts,
    {{ capmon.safe_divide(
        'gewogen_patienten', 'huisartsen_fte_praktijkgebonden_met_aanlevering'
    ) }} as gewogen_patienten_per_fte_huisarts,
    {{ capmon.safe_divide('ingeschreven_patienten', nza) }} as benodigde_fte_nza_norm,
    {{ capmon.safe_divide('ingeschreven_patienten', lhv) }} as benodigde_fte_lhv_norm,
    {%- for norm, waarde in [('nza', nza), ('lhv', lhv)] %}
        case
            when praktijken_aangeleverd > 0
                then cast(
                    {{ capmon.safe_divide('ingeschreven_patienten', waarde) }}
                    - huisartsen_fte_praktijkgebonden_met_aanlevering as {{ dbl }}
                )
        end as tekort_fte_{{ norm }}_norm,
        case
            when praktijken_aangeleverd > 0
                then {{ capmon.safe_divide(
                    capmon.safe_divide('ingeschreven_patienten', waarde)
                    ~ ' - huisartsen_fte_praktijkgebonden_met_aanlevering',
                    capmon.safe_divide('ingeschreven_patienten', waarde)
                ) }}
        end as tekort_pct_{{ norm }}_norm,
    {%- endfor %}
    -- continuity
    {{ capmon.safe_divide('praktijkhouders_60plus', 'praktijkhouders_aangeleverd') }}
        as aandeel_praktijkhouders_60plus,
    {{ capmon.safe_divide('verwachte_stoppers_5jr_zonder_opvolging', 'praktijkhouders_aangeleverd') }}
        as aandeel_stoppers_zonder_opvolging,
    {{ capmon.safe_divide(
        'praktijken_patientenstop_gedeeltelijk + praktijken_patientenstop_volledig',
        'praktijken_aangeleverd'
    ) }} as aandeel_praktijken_patientenstop,
    {{ capmon.safe_divide('vacatures_lang_open', 'praktijken_aangeleverd') }}
        as vacatures_lang_open_per_praktijk,
    -- pipeline
    {{ capmon.safe_divide('stages_geplaatst', 'stages_aangeboden') }} as vulgraad_stages,
    {%- for opleiding in capmon.opleidingen() %}
        {{ capmon.safe_divide('stages_geplaatst_' ~ opleiding, 'stages_aangeboden_' ~ opleiding) }}
            as vulgraad_stages_{{ opleiding }},
    {%- endfor %}
    -- coverage
    {{ capmon.safe_divide('praktijken_aangeleverd', 'praktijken_verwacht') }}
        as dekking_praktijken,
    -- projection (fct_prognose_gemeente)
    {{ capmon.safe_divide('prognose_tekort_fte', 'prognose_vraag_fte') }} as prognose_tekort_pct,
{%- endmacro %}

{#-
    The projected gap against the national path (one select item, no trailing comma): the row's
    prognose_tekort_pct minus the country's, in shares (0.05 = 5 percentage points more
    gap than the Netherlands as a whole). `landelijk` partitions the rows into complete
    copies of the country (per peiljaar; per regio_type and peiljaar for regions), so the
    window sums are the national projected gap and demand.
-#}
{% macro prognose_relatief(landelijk='peiljaar') -%}
    cast(
        prognose_tekort_pct
        - {{ capmon.safe_divide(
            'sum(prognose_tekort_fte) over (partition by ' ~ landelijk ~ ')',
            'sum(prognose_vraag_fte) over (partition by ' ~ landelijk ~ ')'
        ) }} as {{ capmon.type_double() }}
    ) as prognose_tekort_pct_relatief
{%- endmacro %}

{#-
    Gross shortages of one gemeente (select list, trailing comma): the positive part of
    the net shortage at each norm, empty where the net shortage is. Summed over gemeenten
    they give the regional and national gross shortage, next to the net one (which nets
    one gemeente's room against another's shortage).
-#}
{% macro tekort_bruto_gemeente() -%}
    {%- for norm in ['nza', 'lhv'] %}
        cast(
            case
                when tekort_fte_{{ norm }}_norm > 0 then tekort_fte_{{ norm }}_norm
                when tekort_fte_{{ norm }}_norm is not null then 0
            end as {{ capmon.type_double() }}
        ) as tekort_fte_{{ norm }}_norm_bruto,
    {%- endfor %}
{%- endmacro %}

{#- The components of the spanningsindex, in order: each has a weight in
    capmon_spanningsindex.gewichten and a score_<component> column. The projected gap is
    deliberately not one of them: a projection exists only from its basisjaar, so it would
    change the index's make-up between peiljaren; it is shown beside the index instead
    (prognose_tekort_pct, prognose_tekort_pct_relatief, score_prognose). -#}
{% macro spanningsindex_componenten() -%}
    {{ return(['balans', 'continuiteit', 'vacatures']) }}
{%- endmacro %}

{#-
    The spanningsindex scores from the rates of capaciteit_verhoudingen() and
    prognose_relatief() (select list, no trailing comma: put it last). Each is a 0-100
    score between two thresholds (var capmon_spanningsindex). score_prognose scores the
    projected gap against the national path; it is NOT part of the index.
-#}
{% macro spanningsindex_kolommen() -%}
    {%- set s = var('capmon_spanningsindex') %}
    {{ capmon.score_0_100(
        'patienten_per_fte_huisarts', s.balans.ondergrens, s.balans.bovengrens
    ) }} as score_balans,
    cast((
        {{ capmon.score_0_100('aandeel_stoppers_zonder_opvolging',
                              s.continuiteit.stoppers_ondergrens,
                              s.continuiteit.stoppers_bovengrens) }}
        + {{ capmon.score_0_100('aandeel_praktijken_patientenstop',
                                s.continuiteit.patientenstop_ondergrens,
                                s.continuiteit.patientenstop_bovengrens) }}
    ) / 2 as {{ capmon.type_double() }}) as score_continuiteit,
    {{ capmon.score_0_100(
        'vacatures_lang_open_per_praktijk', s.vacatures.ondergrens, s.vacatures.bovengrens
    ) }} as score_vacatures,
    {{ capmon.score_0_100(
        'prognose_tekort_pct_relatief', s.prognose.ondergrens, s.prognose.bovengrens
    ) }} as score_prognose
{%- endmacro %}

{#- The index from the score_* columns (one select item, no trailing comma): the weighted
    mean of the components of spanningsindex_componenten() that are known, the same
    components in every peiljaar. -#}
{% macro spanningsindex_totaal() -%}
    {%- set g = var('capmon_spanningsindex').gewichten %}
    {%- set componenten = capmon.spanningsindex_componenten() %}
    case
        when score_balans is not null
            then cast(
                (
                    {%- for c in componenten %}
                        {% if not loop.first %}+ {% endif %}coalesce({{ g[c] }} * score_{{ c }}, 0)
                    {%- endfor %}
                )
                / (
                    {%- for c in componenten %}
                        {% if not loop.first %}+ {% endif %}case
                            when score_{{ c }} is not null then {{ g[c] }} else 0
                        end
                    {%- endfor %}
                ) as {{ capmon.type_double() }}
            )
    end as spanningsindex
{%- endmacro %}

{% macro spanningscategorie(index) -%}
    {%- set s = var('capmon_spanningsindex') %}
    case
        when {{ index }} >= {{ s.drempel_hoog }} then 'hoog'
        when {{ index }} >= {{ s.drempel_verhoogd }} then 'verhoogd'
        when {{ index }} is not null then 'laag'
    end
{%- endmacro %}

{#-
    Flags on figures that are estimated or incomplete, from the additive columns and rates
    (select list, trailing comma).
-#}
{% macro capaciteit_vlaggen() -%}
    praktijken_aangeleverd = 0 as vlag_patienten_onbekend,
    coalesce(dekking_praktijken < {{ var('capmon_dekking_drempel') }}, true)
        as vlag_dekking_onvolledig,
    coalesce(verhouding_patienten_inwoners > {{ var('capmon_lijstinflatie_drempel') }}, false)
        as vlag_lijstinflatie,
    coalesce(
        patienten_per_fte_huisarts < {{ var('capmon_patienten_per_fte_min') }}
        or patienten_per_fte_huisarts > {{ var('capmon_patienten_per_fte_max') }},
        false
    ) as vlag_patienten_per_fte_buiten_bereik,
    verwachte_stoppers_5jr_geschat > 0 as vlag_stopjaar_geschat,
    prognose_vraag_fte is null as vlag_prognose_ontbreekt,
{%- endmacro %}

{#- Whole months from `datum` to the run date (freshness of a submission). -#}
{% macro maanden_sinds(datum) -%}
    cast(
        {{ dbt.datediff(datum, 'cast(' ~ dbt.current_timestamp() ~ ' as date)', 'month') }}
        as {{ dbt.type_int() }}
    )
{%- endmacro %}


{#-
    The sums that every rollup of fct_capaciteit_gemeente takes (country, region), for use
    in a select grouped by the rollup's key.
-#}
{% macro capaciteit_sommen_over_gemeenten() -%}
    max(laatste_aanlevering_op) as laatste_aanlevering_op,
    {{ capmon.capaciteit_optelbare_select(aggregaat='sum') }}
    {%- for norm in ['nza', 'lhv'] %}
        {{ capmon.tekort_bruto_over_gemeenten(norm) }},
    {%- endfor %}
    cast(sum(case when praktijken_aangeleverd > 0 then 1 else 0 end) as {{ dbt.type_int() }})
        as aantal_gemeenten_met_aanlevering,
    cast(sum(case when is_buiten_totalen_praktijken then 1 else 0 end) as {{ dbt.type_int() }})
        as aantal_gemeenten_praktijken_buiten_totaal,
    cast(count(*) as {{ dbt.type_int() }}) as aantal_gemeenten
{%- endmacro %}


{#-
    CTEs verhoudingen -> relatief -> scores -> index_berekend -> final: rates, flags, the
    spanningsindex and its category recomputed from the CTE `sommen` (one row per rollup key
    and peiljaar), with the same formulas as the gemeente mart. `landelijk` partitions the
    rows into copies of the whole country (see prognose_relatief). The caller ends with
    `select * from final`.
-#}
{% macro capaciteit_uit_sommen(sommen, landelijk='peiljaar') -%}
verhoudingen as (

    select
        *,
        {{ capmon.capaciteit_verhoudingen() }}
        {{ capmon.maanden_sinds('laatste_aanlevering_op') }} as maanden_sinds_laatste_aanlevering
    from {{ sommen }}

),

relatief as (

    select
        *,
        {{ capmon.prognose_relatief(landelijk) }}
    from verhoudingen

),

scores as (

    select
        *,
        {{ capmon.capaciteit_vlaggen() }}
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
        {{ capmon.year_start_date('peiljaar') }} as peildatum,
        coalesce(peiljaar = max(peiljaar) over (), false) as is_laatste_peiljaar,
        {{ capmon.spanningscategorie('spanningsindex') }} as spanningscategorie
    from index_berekend

)
{%- endmacro %}
