/*
    The suppression pattern of every published gemeente-level table, per gemeente × peiljaar
    (rule set and proof: docs/onthullingsbeheersing.md).

    Two primary rules: a gemeente's person-based figures are suppressed when fewer than
    capmon_kleine_cel.min_personen GPs are registered (Nivel), its practice-based figures when
    1 to min_praktijken − 1 practices were submitted (0 submitted practices is an empty cell,
    not a small one: the gemeente has no practice figures at all, and says so).

    Complementary suppression, because regions and the country are published as totals
    over all their gemeenten. A klasse is the gemeenten sharing provincie, AZW region, GGD
    region and heeft_aanlevering: every published total is a sum over whole klassen.
    1. Within a klasse, primary cells get the smallest other gemeenten as partners until the
       block has two gemeenten and together the threshold (or the whole klasse is taken).
       Any amount can move between two gemeenten of a block without changing a total.
    2. A klasse of one gemeente has no partner inside it. Where the hierarchies form a
       rectangle — klassen (p, a), (p, a2), (p2, a), (p2, a2), with p a provincie × GGD pair
       and a an AZW region — the smallest gemeente of each of the other three is suppressed
       too: moving +d, −d, −d, +d around the rectangle leaves every total unchanged.
    3. A klasse of one gemeente without a rectangle is fixed by the published totals alone
       (Deventer, Castricum, Hoeksche Waard). Under the practice rule its practices are left
       out of every published total (is_buiten_totalen_praktijken; fct_capaciteit_regio and
       _nationaal say how many gemeenten that concerns). Under the person rule the build
       fails (is_onvoldoende_beschermd, test assert_kleine_cellen_beschermd): the GP count of
       a town of that size never drops below the threshold, and if it ever does, nothing is
       published rather than something unsafe.
*/
{%- set min_personen = var('capmon_kleine_cel').min_personen %}
{%- set min_praktijken = var('capmon_kleine_cel').min_praktijken %}
{%- set klasse = 'peiljaar, provincie_code, azw_regio_code, ggd_regio_code, heeft_aanlevering' %}
{{ config(materialized='table') }}

with

gemeenten as (

    select * from {{ ref('stg_reference__gemeenten') }}

),

peiljaren as (

    select distinct peiljaar from {{ ref('stg_nivel__registratie') }}

),

huisartsen as (

    select * from {{ ref('int_huisartsen_aggregated') }}

),

praktijken as (

    select * from {{ ref('int_praktijken_aggregated') }}

),

basis as (

    select
        gemeenten.gemeentecode,
        peiljaren.peiljaar,
        gemeenten.provincie_code,
        gemeenten.azw_regio_code,
        gemeenten.ggd_regio_code,
        coalesce(huisartsen.huisartsen_personen, 0) as personen,
        coalesce(praktijken.praktijken_aangeleverd, 0) as praktijken,
        coalesce(praktijken.praktijken_aangeleverd, 0) > 0 as heeft_aanlevering
    from gemeenten
    cross join peiljaren
    left join huisartsen
        on
            gemeenten.gemeentecode = huisartsen.gemeentecode
            and peiljaren.peiljaar = huisartsen.peiljaar
    left join praktijken
        on
            gemeenten.gemeentecode = praktijken.gemeentecode
            and peiljaren.peiljaar = praktijken.peiljaar

),

primair as (

    select
        *,
        personen < {{ min_personen }} as is_primair_personen,
        praktijken > 0 and praktijken < {{ min_praktijken }} as is_primair_praktijken
    from basis

),

{{ capmon.kleine_cellen_blokken('primair', 'personen', min_personen, klasse) }},

{{ capmon.kleine_cellen_rechthoeken('blokken_personen', 'personen') }},

{{ capmon.kleine_cellen_blokken('rechthoeken_personen', 'praktijken', min_praktijken, klasse) }},

{{ capmon.kleine_cellen_rechthoeken('blokken_praktijken', 'praktijken') }},

final as (

    select
        gemeentecode,
        peiljaar,
        provincie_code,
        azw_regio_code,
        ggd_regio_code,
        cast(heeft_aanlevering as {{ dbt.type_boolean() }}) as heeft_aanlevering,
        cast(is_primair_personen as {{ dbt.type_boolean() }}) as is_primair_personen,
        cast(
            is_primair_personen or is_aanvullend_personen or is_rechthoek_personen
            as {{ dbt.type_boolean() }}
        ) as is_onderdrukt_personen,
        cast(is_primair_praktijken as {{ dbt.type_boolean() }}) as is_primair_praktijken,
        cast(
            is_primair_praktijken or is_aanvullend_praktijken or is_rechthoek_praktijken
            as {{ dbt.type_boolean() }}
        ) as is_onderdrukt_praktijken,
        cast(is_rechthoek_personen or is_rechthoek_praktijken as {{ dbt.type_boolean() }})
            as is_rechthoekpartner,
        cast(is_onbeschermbaar_praktijken as {{ dbt.type_boolean() }})
            as is_buiten_totalen_praktijken,
        cast(is_onbeschermbaar_personen as {{ dbt.type_boolean() }}) as is_onvoldoende_beschermd
    from rechthoeken_praktijken

)

select * from final
