/*
    Demand for GP care in FTE per gebied (gemeente, and 'NL') × scenario × jaar, in the
    Capaciteitsorgaan's method, nationally:

        vraag = aanbod_fte(basisjaar) × (1 + onvervulde_vraag) × (1 + demografie(jaren))
                × (1 + niet_demografische_groei × trendjaren)

    with demografie interpolated linearly between the raming's points after 5, 10, 15, 20
    years (0 at 0) and trendjaren = years after the basisjaar counted up to the trendjaar
    (after it, the non-demographic trends stop growing). The basisjaar is the latest Nivel
    peiljaar; the raming's curves are applied from there.

    A gemeente gets the national demand × its share of the national vraaggewogen_inwoners
    in that year (int_bevolking_leeftijd_projected: its own age structure aged forward,
    gemodelleerd), so municipal demand adds up to the national demand and a gemeente that
    ages faster than the country gains demand share.
*/
{%- set dbl = capmon.type_double() %}

with

parameters as (

    select * from {{ ref('int_prognose_parameters_pivoted') }}

),

aanbod as (

    select * from {{ ref('int_prognose_aanbod_projected') }}

),

bevolking as (

    select * from {{ ref('int_bevolking_leeftijd_projected') }}

),

bevolking_aandeel as (

    select
        gemeentecode,
        jaar,
        inwoners,
        inwoners_65plus,
        vraaggewogen_inwoners,
        is_gemodelleerd,
        {{ capmon.safe_divide(
            'vraaggewogen_inwoners', 'sum(vraaggewogen_inwoners) over (partition by jaar)'
        ) }} as aandeel_landelijke_vraag
    from bevolking

),

basis as (

    select
        scenario,
        aanbod_fte as aanbod_fte_basisjaar
    from aanbod
    where gebiedsniveau = 'nationaal' and jaar = basisjaar

),

landelijk as (

    select
        aanbod.scenario,
        aanbod.jaar,
        parameters.onvervulde_vraag,
        {{ capmon.interpoleer('aanbod.jaren_na_basisjaar', [
            (0, '0'), (5, 'parameters.demografie_5'), (10, 'parameters.demografie_10'),
            (15, 'parameters.demografie_15'), (20, 'parameters.demografie_20')
        ]) }} as demografische_groei,
        parameters.niet_demografische_groei,
        case
            when aanbod.jaar <= aanbod.basisjaar then 0
            when aanbod.jaar < parameters.trendjaar then aanbod.jaar - aanbod.basisjaar
            when parameters.trendjaar > aanbod.basisjaar
                then parameters.trendjaar - aanbod.basisjaar
            else 0
        end as trendjaren,
        basis.aanbod_fte_basisjaar
    from aanbod
    inner join parameters
        on aanbod.scenario = parameters.scenario
    inner join basis
        on aanbod.scenario = basis.scenario
    where aanbod.gebiedsniveau = 'nationaal'

),

landelijke_vraag as (

    select
        *,
        aanbod_fte_basisjaar
        * (1 + onvervulde_vraag)
        * (1 + demografische_groei)
        * (1 + niet_demografische_groei * trendjaren) as vraag_fte_landelijk
    from landelijk

),

per_gebied as (

    select
        aanbod.gebiedsniveau,
        aanbod.gebiedcode,
        aanbod.scenario,
        aanbod.jaar,
        landelijke_vraag.onvervulde_vraag,
        landelijke_vraag.demografische_groei,
        landelijke_vraag.niet_demografische_groei,
        landelijke_vraag.trendjaren,
        landelijke_vraag.vraag_fte_landelijk,
        bevolking_aandeel.inwoners,
        bevolking_aandeel.inwoners_65plus,
        bevolking_aandeel.vraaggewogen_inwoners,
        case
            when aanbod.gebiedsniveau = 'nationaal' then 1
            else coalesce(bevolking_aandeel.aandeel_landelijke_vraag, 0)
        end as aandeel_landelijke_vraag,
        coalesce(bevolking_aandeel.is_gemodelleerd, true) as bevolking_is_gemodelleerd
    from aanbod
    inner join landelijke_vraag
        on
            aanbod.scenario = landelijke_vraag.scenario
            and aanbod.jaar = landelijke_vraag.jaar
    left join bevolking_aandeel
        on
            aanbod.gebiedcode = bevolking_aandeel.gemeentecode
            and aanbod.jaar = bevolking_aandeel.jaar

),

typed as (

    select
        gebiedsniveau,
        gebiedcode,
        scenario,
        jaar,
        cast(onvervulde_vraag as {{ dbl }}) as onvervulde_vraag,
        cast(demografische_groei as {{ dbl }}) as demografische_groei,
        cast(niet_demografische_groei as {{ dbl }}) as niet_demografische_groei,
        cast(trendjaren as {{ dbt.type_int() }}) as trendjaren,
        cast(vraag_fte_landelijk as {{ dbl }}) as vraag_fte_landelijk,
        cast(aandeel_landelijke_vraag as {{ dbl }}) as aandeel_landelijke_vraag,
        cast(vraag_fte_landelijk * aandeel_landelijke_vraag as {{ dbl }}) as vraag_fte,
        cast(inwoners as {{ dbl }}) as inwoners,
        cast(inwoners_65plus as {{ dbl }}) as inwoners_65plus,
        cast(vraaggewogen_inwoners as {{ dbl }}) as vraaggewogen_inwoners,
        bevolking_is_gemodelleerd
    from per_gebied

)

select * from typed
