{#
    Statistical disclosure control (docs/onthullingsbeheersing.md): which columns follow
    which small-cell rule, and the complementary-suppression step shared by both rules.
#}

{#- The columns the published gemeente tables empty for small cells, by rule:
    - personen: built from the gemeente's GPs (Nivel persons and FTE, the projection);
    - praktijken: built from the gemeente's submitted practices alone;
    - beide: built from both (a ratio of patients to GP FTE, the spanningsindex and its
      scores), so empty when either rule applies.
    A column derived from suppressed columns is listed with them, so it cannot be inverted.
    fct_capaciteit_gemeente_publiek and its reconciliation test share this list. -#}
{% macro kleine_cel_kolommen() -%}
    {{ return({
        'personen': [
            'huisartsen_personen', 'huisartsen_fte', 'huisartsen_fte_60plus',
            'fte_huisartsen_per_10000_inwoners', 'aandeel_fte_60plus', 'aandeel_vrouw',
            'prognose_tekort_pct',
        ],
        'praktijken': [
            'ingeschreven_patienten', 'vacatures_open', 'vacatures_lang_open',
            'verwachte_stoppers_5jr_zonder_opvolging', 'praktijkhouders_60plus',
            'aandeel_stoppers_zonder_opvolging', 'aandeel_praktijken_patientenstop',
            'dekking_praktijken', 'score_continuiteit', 'score_vacatures',
        ],
        'beide': [
            'huisartsen_fte_praktijkgebonden_met_aanlevering', 'patienten_per_fte_huisarts',
            'tekort_fte_lhv_norm', 'tekort_pct_lhv_norm', 'score_balans', 'score_prognose',
            'spanningsindex', 'spanningscategorie',
        ],
    }) }}
{%- endmacro %}


{#-
    CTEs `gerangschikt_<maat>` and `blokken_<maat>` (no trailing comma) on top of `bron`,
    which has one row per gemeente × peiljaar with the column `maat` (persons or practices)
    and the flag is_primair_<maat>. Adds is_aanvullend_<maat>: the smallest other gemeenten
    of the same klasse, taken until the block of suppressed gemeenten has at least two
    members and together at least `drempel`; and is_onvoldoende_<maat>: the klasse cannot
    reach that even with all its gemeenten.
-#}
{% macro kleine_cellen_blokken(bron, maat, drempel, klasse) -%}
{%- set primair = 'is_primair_' ~ maat %}
gerangschikt_{{ maat }} as (

    select
        *,
        sum(case when {{ primair }} then 1 else 0 end) over (partition by {{ klasse }})
            as n_primair_{{ maat }},
        sum(case when {{ primair }} then {{ maat }} else 0 end) over (partition by {{ klasse }})
            as som_primair_{{ maat }},
        count(*) over (partition by {{ klasse }}) as n_klasse_{{ maat }},
        sum({{ maat }}) over (partition by {{ klasse }}) as som_klasse_{{ maat }},
        row_number() over (
            partition by {{ klasse }}, {{ primair }} order by {{ maat }}, gemeentecode
        ) as volgorde_{{ maat }},
        sum({{ maat }}) over (
            partition by {{ klasse }}, {{ primair }}
            order by {{ maat }}, gemeentecode
            rows between unbounded preceding and current row
        ) as som_tot_en_met_{{ maat }}
    from {{ bron }}

),

blokken_{{ maat }} as (

    select
        *,
        coalesce(
            not {{ primair }}
            and n_primair_{{ maat }} > 0
            and not (
                n_primair_{{ maat }} + volgorde_{{ maat }} - 1 >= 2
                and som_primair_{{ maat }} + som_tot_en_met_{{ maat }} - {{ maat }}
                >= {{ drempel }}
            ),
            false
        ) as is_aanvullend_{{ maat }},
        coalesce(
            n_primair_{{ maat }} > 0
            and (n_klasse_{{ maat }} < 2 or som_klasse_{{ maat }} < {{ drempel }}),
            false
        ) as is_onvoldoende_{{ maat }}
    from gerangschikt_{{ maat }}

)
{%- endmacro %}


{#- The supply-based columns of fct_prognose_gemeente: empty in fct_prognose_gemeente_publiek
    for a gemeente suppressed under the person rule in the basisjaar. Its reconciliation
    test uses the same list. -#}
{% macro prognose_aanbodkolommen() -%}
    {{ return([
        'aanbod_personen_vrouw', 'aanbod_personen_man', 'aanbod_personen', 'zittend_personen',
        'nieuw_personen', 'instroom_personen', 'uitstroom_personen', 'aanbod_fte',
        'verdeelsleutel_instroom', 'instroom_stuurbaar_fte', 'tekort_fte', 'tekort_pct',
    ]) }}
{%- endmacro %}
