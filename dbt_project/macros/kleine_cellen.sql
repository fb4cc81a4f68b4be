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
    members and together at least `drempel` (all of them where the klasse cannot reach
    that); and is_enkel_<maat>: a primary cell alone in its klasse, left to
    kleine_cellen_rechthoeken().
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
        coalesce({{ primair }} and n_klasse_{{ maat }} = 1, false) as is_enkel_{{ maat }}
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
        'fte_nivel_basisjaar', 'verdeelsleutel_instroom', 'instroom_stuurbaar_fte', 'tekort_fte', 'tekort_pct',
    ]) }}
{%- endmacro %}


{#-
    CTEs on top of `bron` (the output of kleine_cellen_blokken for `maat`), ending in
    `rechthoeken_<maat>` (no trailing comma). For a primary cell alone in its klasse: the
    cheapest rectangle of klassen (same provincie × GGD pair, other AZW region; same AZW
    region, other pair; the opposite corner), all with the same heeft_aanlevering, whose
    smallest gemeenten become partners (is_rechthoek_<maat>). Where there is none,
    is_onbeschermbaar_<maat>: the published totals alone fix that gemeente.
-#}
{% macro kleine_cellen_rechthoeken(bron, maat) -%}
{%- set klasse = 'peiljaar, provincie_code, ggd_regio_code, azw_regio_code, heeft_aanlevering' %}
kleinste_{{ maat }} as (

    select
        gemeentecode,
        peiljaar,
        provincie_code,
        ggd_regio_code,
        azw_regio_code,
        heeft_aanlevering,
        {{ maat }} as maat,
        is_enkel_{{ maat }} as is_enkel
    from (
        select
            *,
            row_number() over (
                partition by {{ klasse }} order by {{ maat }}, gemeentecode
            ) as rang_in_klasse
        from {{ bron }}
    ) as gerangschikt
    where rang_in_klasse = 1

),

rechthoek_keuzes_{{ maat }} as (

    select
        enkel.gemeentecode,
        enkel.peiljaar,
        zelfde_paar.gemeentecode as partner_zelfde_paar,
        zelfde_azw.gemeentecode as partner_zelfde_azw,
        overstaand.gemeentecode as partner_overstaand,
        row_number() over (
            partition by enkel.gemeentecode, enkel.peiljaar
            order by
                zelfde_paar.maat + zelfde_azw.maat + overstaand.maat,
                zelfde_paar.gemeentecode,
                zelfde_azw.gemeentecode,
                overstaand.gemeentecode
        ) as keuze
    from kleinste_{{ maat }} as enkel
    inner join kleinste_{{ maat }} as zelfde_paar
        on
            enkel.peiljaar = zelfde_paar.peiljaar
            and enkel.heeft_aanlevering = zelfde_paar.heeft_aanlevering
            and enkel.provincie_code = zelfde_paar.provincie_code
            and enkel.ggd_regio_code = zelfde_paar.ggd_regio_code
            and enkel.azw_regio_code <> zelfde_paar.azw_regio_code
    inner join kleinste_{{ maat }} as zelfde_azw
        on
            enkel.peiljaar = zelfde_azw.peiljaar
            and enkel.heeft_aanlevering = zelfde_azw.heeft_aanlevering
            and enkel.azw_regio_code = zelfde_azw.azw_regio_code
            and not (
                enkel.provincie_code = zelfde_azw.provincie_code
                and enkel.ggd_regio_code = zelfde_azw.ggd_regio_code
            )
    inner join kleinste_{{ maat }} as overstaand
        on
            enkel.peiljaar = overstaand.peiljaar
            and enkel.heeft_aanlevering = overstaand.heeft_aanlevering
            and zelfde_paar.azw_regio_code = overstaand.azw_regio_code
            and zelfde_azw.provincie_code = overstaand.provincie_code
            and zelfde_azw.ggd_regio_code = overstaand.ggd_regio_code
    where enkel.is_enkel

),

rechthoek_partners_{{ maat }} as (

    {%- for hoek in ['zelfde_paar', 'zelfde_azw', 'overstaand'] %}
        {% if not loop.first %}union{% endif %}
        select partner_{{ hoek }} as gemeentecode, peiljaar
        from rechthoek_keuzes_{{ maat }}
        where keuze = 1
    {%- endfor %}

),

rechthoeken_{{ maat }} as (

    select
        {{ bron }}.*,
        rechthoek_partners_{{ maat }}.gemeentecode is not null as is_rechthoek_{{ maat }},
        coalesce(
            {{ bron }}.is_enkel_{{ maat }} and gekozen.gemeentecode is null, false
        ) as is_onbeschermbaar_{{ maat }}
    from {{ bron }}
    left join rechthoek_partners_{{ maat }}
        on
            {{ bron }}.gemeentecode = rechthoek_partners_{{ maat }}.gemeentecode
            and {{ bron }}.peiljaar = rechthoek_partners_{{ maat }}.peiljaar
    left join rechthoek_keuzes_{{ maat }} as gekozen
        on
            {{ bron }}.gemeentecode = gekozen.gemeentecode
            and {{ bron }}.peiljaar = gekozen.peiljaar
            and gekozen.keuze = 1

)
{%- endmacro %}


{#- The additive columns of fct_capaciteit_gemeente built from submitted practices. -#}
{% macro praktijk_optelbare_kolommen() -%}
    {%- set kolommen = [] %}
    {%- for kolom, soort in capmon.capaciteit_optelbare_kolommen() %}
        {%- if kolom.startswith('vacatures_') or kolom in [
            'ingeschreven_patienten', 'patienten_65plus', 'patienten_75plus', 'gewogen_patienten',
            'huisartsen_fte_praktijkgebonden_met_aanlevering', 'inwoners_met_aanlevering',
            'praktijken_aangeleverd', 'huisartsen_aangeleverd', 'praktijkhouders_aangeleverd',
            'praktijkhouders_60plus', 'verwachte_stoppers_5jr', 'verwachte_stoppers_5jr_geschat',
            'verwachte_stoppers_5jr_zonder_opvolging', 'praktijken_patientenstop_gedeeltelijk',
            'praktijken_patientenstop_volledig',
        ] %}
            {%- do kolommen.append(kolom) %}
        {%- endif %}
    {%- endfor %}
    {{ return(kolommen) }}
{%- endmacro %}


{#-
    The gemeente rows that regional and national totals add up (a select statement): the
    keys and regions, every additive column and the net and gross shortages of
    fct_capaciteit_gemeente, with the practice-based figures of a gemeente that only the
    totals could reveal (is_buiten_totalen_praktijken) left out, and
    is_onderdrukt_samengesteld for the gross shortage (capaciteit_sommen_over_gemeenten).
-#}
{% macro gemeenten_in_totalen() -%}
{%- set praktijk = capmon.praktijk_optelbare_kolommen() %}
{%- set buiten = 'onderdrukking.is_buiten_totalen_praktijken' %}
    select
        capaciteit.gemeentecode,
        capaciteit.peiljaar,
        {%- for regio in ['azw_regio', 'provincie', 'ggd_regio'] %}
            capaciteit.{{ regio }}_code,
            capaciteit.{{ regio }}_naam,
        {%- endfor %}
        case when not {{ buiten }} then capaciteit.laatste_aanlevering_op end
            as laatste_aanlevering_op,
        {%- for kolom, soort in capmon.capaciteit_optelbare_kolommen() %}
            {%- if kolom in praktijk %}
                case when not {{ buiten }} then capaciteit.{{ kolom }} end as {{ kolom }},
            {%- else %}
                capaciteit.{{ kolom }},
            {%- endif %}
        {%- endfor %}
        {%- for norm in ['nza', 'lhv'] %}
            case when not {{ buiten }} then capaciteit.tekort_fte_{{ norm }}_norm end
                as tekort_fte_{{ norm }}_norm,
            case when not {{ buiten }} then capaciteit.tekort_fte_{{ norm }}_norm_bruto end
                as tekort_fte_{{ norm }}_norm_bruto,
        {%- endfor %}
        {{ buiten }},
        onderdrukking.is_onderdrukt_personen or onderdrukking.is_onderdrukt_praktijken
            as is_onderdrukt_samengesteld
    from {{ ref('fct_capaciteit_gemeente') }} as capaciteit
    inner join {{ ref('int_kleine_cellen_onderdrukt') }} as onderdrukking
        on
            capaciteit.gemeentecode = onderdrukking.gemeentecode
            and capaciteit.peiljaar = onderdrukking.peiljaar
{%- endmacro %}


{#-
    The gross shortage of a rollup at one norm (one select item, no trailing comma): the
    positive shortages of the gemeenten shown plus the positive part of the net shortage of
    the suppressed ones together. Adding their positive parts one by one would be a
    non-linear total from which a suppressed gemeente's shortage could be solved; their sum
    is already published (net minus shown), so this gives nothing more away.
-#}
{% macro tekort_bruto_over_gemeenten(norm) -%}
    cast(
        case
            when count(tekort_fte_{{ norm }}_norm) > 0
                then
                    coalesce(sum(
                        case when not is_onderdrukt_samengesteld then tekort_fte_{{ norm }}_norm_bruto end
                    ), 0)
                    + greatest(coalesce(sum(
                        case when is_onderdrukt_samengesteld then tekort_fte_{{ norm }}_norm end
                    ), 0), 0)
        end as {{ capmon.type_double() }}
    ) as tekort_fte_{{ norm }}_norm_bruto
{%- endmacro %}
