/*
    The suppression pattern of every published gemeente-level table, per gemeente × peiljaar
    (rule set: docs/onthullingsbeheersing.md).

    Two primary rules: a gemeente's person-based figures are suppressed when fewer than
    capmon_kleine_cel.min_personen GPs are registered (Nivel), its practice-based figures when
    1 to min_praktijken − 1 practices were submitted (0 submitted practices is an empty cell,
    not a small one: the gemeente has no practice figures at all, and says so).

    Complementary suppression, because regions and the country are published as totals
    over all their gemeenten: each primary cell is put in a block with other gemeenten of the
    same "klasse" — the same provincie, AZW region, GGD region and heeft_aanlevering — until
    the block has at least two gemeenten and together at least the threshold (persons or
    practices). Every published total is a sum over whole klassen (a region of any of the
    three types, the country, and those sums restricted to gemeenten with a submission), so
    two gemeenten of one block can swap any amount without changing a published figure:
    differencing gives at most the block's sum, which is itself not a small cell. The extra
    gemeenten are the smallest of the klasse (least information lost).

    A klasse whose gemeenten together cannot reach the threshold gets
    is_onvoldoende_beschermd; the singular test assert_kleine_cellen_beschermd then fails the
    build, so nothing is published until the rule set is extended (see the doc).
*/
{%- set min_personen = var('capmon_kleine_cel').min_personen %}
{%- set min_praktijken = var('capmon_kleine_cel').min_praktijken %}
{%- set klasse = 'peiljaar, provincie_code, azw_regio_code, ggd_regio_code, heeft_aanlevering' %}

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

{{ capmon.kleine_cellen_blokken('blokken_personen', 'praktijken', min_praktijken, klasse) }},

final as (

    select
        gemeentecode,
        peiljaar,
        provincie_code,
        azw_regio_code,
        ggd_regio_code,
        cast(heeft_aanlevering as {{ dbt.type_boolean() }}) as heeft_aanlevering,
        cast(is_primair_personen as {{ dbt.type_boolean() }}) as is_primair_personen,
        cast(is_primair_personen or is_aanvullend_personen as {{ dbt.type_boolean() }})
            as is_onderdrukt_personen,
        cast(is_primair_praktijken as {{ dbt.type_boolean() }}) as is_primair_praktijken,
        cast(is_primair_praktijken or is_aanvullend_praktijken as {{ dbt.type_boolean() }})
            as is_onderdrukt_praktijken,
        cast(
            is_onvoldoende_personen or is_onvoldoende_praktijken as {{ dbt.type_boolean() }}
        ) as is_onvoldoende_beschermd
    from blokken_praktijken

)

select * from final
