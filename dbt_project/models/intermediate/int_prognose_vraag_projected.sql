/*
    Demand for GP care in FTE per gebied (gemeente, and 'NL') × scenario × jaar, on the
    registry's scale. Nationally the Capaciteitsorgaan's demand path of the scenario
    (int_prognose_landelijk_projected) is applied to the registry's own basisjaar supply:

        vraag_landelijk(t) = aanbod_fte_NL(basisjaar) × (1 + onvervulde_vraag)
                             × vraag_raming(t) / vraag_raming(basisjaar)

    i.e. the same growth factors (demography, trends, unmet demand) on the registry's base.
    A gemeente gets that × its share of the national vraaggewogen_inwoners in that year
    (int_bevolking_leeftijd_projected: its own age structure aged forward, gemodelleerd),
    so municipal demand adds up to the national demand and a gemeente that ages faster
    than the country gains demand share.
*/
{%- set dbl = capmon.type_double() %}

with

aanbod as (

    select * from {{ ref('int_prognose_aanbod_projected') }}

),

landelijk as (

    select * from {{ ref('int_prognose_landelijk_projected') }}

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
        aanbod.scenario,
        aanbod.aanbod_fte as aanbod_fte_basisjaar,
        landelijk.vraag_fte as vraag_raming_basisjaar
    from aanbod
    inner join landelijk
        on
            aanbod.scenario = landelijk.scenario
            and aanbod.jaar = landelijk.jaar
    where aanbod.gebiedsniveau = 'nationaal' and aanbod.jaar = aanbod.basisjaar

),

landelijke_vraag as (

    select
        landelijk.scenario,
        landelijk.jaar,
        landelijk.onvervulde_vraag,
        landelijk.demografische_groei,
        landelijk.niet_demografische_factor,
        landelijk.trendjaren,
        basis.aanbod_fte_basisjaar * (1 + landelijk.onvervulde_vraag)
        * {{ capmon.safe_divide('landelijk.vraag_fte', 'basis.vraag_raming_basisjaar') }}
            as vraag_fte_landelijk
    from landelijk
    inner join basis
        on landelijk.scenario = basis.scenario

),

per_gebied as (

    select
        aanbod.gebiedsniveau,
        aanbod.gebiedcode,
        aanbod.scenario,
        aanbod.jaar,
        landelijke_vraag.onvervulde_vraag,
        landelijke_vraag.demografische_groei,
        landelijke_vraag.niet_demografische_factor,
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
        cast(niet_demografische_factor as {{ dbl }}) as niet_demografische_factor,
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
