/*
    GP supply per gebied (each gemeente, and the country as 'NL') × scenario × jaar, from
    the basisjaar (the latest Nivel peiljaar) to the evenwichtsjaar, on the registry's
    scale, in persons by sex and in FTE:

      zittend: the base-year GPs still at work: per geslacht × leeftijdsklasse, persons ×
        (1 - uitstroom_cumulatief(jaren - uittreden_later_jaren)) from
        int_prognose_uitstroom_calibrated (non-decreasing), so an older or more male GP
        population loses more and no base-year GP ever comes back;
      nieuw: the Capaciteitsorgaan's national new GPs (int_prognose_landelijk_projected:
        all training cohorts and GPs from abroad, by sex) × dekkingsfactor (Nivel base
        stock / the raming's base stock, so that inflow and stock describe the same
        population) × verdeelsleutel_instroom, the gebied's share of the national GP FTE
        in the basisjaar: new GPs are assumed to settle as today's GPs are spread (1 for
        'NL'; a gemeente without GPs gets none). Counted from the basisjaar: new GPs the
        national model has by then are taken to be in the Nivel stock already;
      aanbod_fte = persons × the raming's FTE factor per sex (× 1 + fte_factor_wijziging
        after the basisjaar). fte_nivel_basisjaar keeps Nivel's registered FTE (the
        capacity marts' definition) beside it.
    Every step is linear in the base stock and the key, so the gemeenten add up to 'NL'.
*/
{%- set dbl = capmon.type_double() %}

with

bestand as (

    select * from {{ ref('int_prognose_basisbestand_aggregated') }}

),

uitstroom as (

    select * from {{ ref('int_prognose_uitstroom_calibrated') }}

),

landelijk as (

    select * from {{ ref('int_prognose_landelijk_projected') }}

),

scenarios as (

    select * from {{ ref('int_prognose_scenarios') }}

),

parameters as (

    select * from {{ ref('int_prognose_parameters_pivoted') }}

),

basisjaar as (

    select max(basisjaar) as basisjaar from bestand

),

gebieden as (

    select
        cast('gemeente' as {{ dbt.type_string() }}) as gebiedsniveau,
        gemeentecode as gebiedcode
    from {{ ref('stg_reference__gemeenten') }}
    union all
    select
        cast('nationaal' as {{ dbt.type_string() }}) as gebiedsniveau,
        cast('NL' as {{ dbt.type_string() }}) as gebiedcode

),

dekking as (

    select
        {{ capmon.safe_divide('sum(bestand.personen)', 'max(parameters.aanbod_personen_raming)') }}
            as dekkingsfactor
    from bestand
    cross join parameters
    where bestand.gebiedsniveau = 'nationaal'

),

-- new GPs of the national model per scenario × jaar × sex, counted from the basisjaar
nieuw_landelijk as (

    select
        landelijk.scenario,
        landelijk.jaar,
        landelijk.stuurbaar_fte,
        landelijk.respons_fte_per_opleidingsplaats,
        landelijk.aanbod_personen_vrouw - landelijk.huidig_personen_vrouw
        - coalesce(start.aanbod_personen_vrouw - start.huidig_personen_vrouw, 0)
            as nieuw_personen_vrouw,
        landelijk.aanbod_personen_man - landelijk.huidig_personen_man
        - coalesce(start.aanbod_personen_man - start.huidig_personen_man, 0)
            as nieuw_personen_man
    from landelijk
    cross join basisjaar
    left join landelijk as start
        on
            landelijk.scenario = start.scenario
            and start.jaar = basisjaar.basisjaar

),

jaren as (

    select
        landelijk.scenario,
        landelijk.jaar,
        basisjaar.basisjaar,
        landelijk.jaar - basisjaar.basisjaar as jaren_na_basisjaar
    from landelijk
    cross join basisjaar
    where landelijk.jaar >= basisjaar.basisjaar

),

zittend as (

    select
        bestand.gebiedsniveau,
        bestand.gebiedcode,
        jaren.scenario,
        jaren.jaar,
        sum(
            case
                when bestand.geslacht = 'vrouw'
                    then bestand.personen * (1 - uitstroom.uitstroom_cumulatief)
                else 0
            end
        ) as zittend_personen_vrouw,
        sum(
            case
                when bestand.geslacht = 'man'
                    then bestand.personen * (1 - uitstroom.uitstroom_cumulatief)
                else 0
            end
        ) as zittend_personen_man
    from bestand
    cross join jaren
    inner join scenarios
        on jaren.scenario = scenarios.scenario
    inner join uitstroom
        on
            bestand.geslacht = uitstroom.geslacht
            and bestand.leeftijdsklasse = uitstroom.leeftijdsklasse
            and uitstroom.jaren = case
                when jaren.jaren_na_basisjaar - scenarios.uittreden_later_jaren < 0 then 0
                else jaren.jaren_na_basisjaar - scenarios.uittreden_later_jaren
            end
    group by bestand.gebiedsniveau, bestand.gebiedcode, jaren.scenario, jaren.jaar

),

fte_basis as (

    select
        bestand.gebiedsniveau,
        bestand.gebiedcode,
        sum(
            bestand.personen
            * case
                when bestand.geslacht = 'vrouw' then parameters.fte_factor_vrouw
                else parameters.fte_factor_man
            end
        ) as fte_basis,
        sum(bestand.fte) as fte_nivel_basisjaar
    from bestand
    cross join parameters
    group by bestand.gebiedsniveau, bestand.gebiedcode

),

sleutel as (

    select
        fte_basis.gebiedsniveau,
        fte_basis.gebiedcode,
        fte_basis.fte_nivel_basisjaar,
        {{ capmon.safe_divide('fte_basis.fte_basis', 'landelijk.fte_basis') }}
            as verdeelsleutel_instroom
    from fte_basis
    inner join fte_basis as landelijk
        on landelijk.gebiedsniveau = 'nationaal'

),

samengesteld as (

    select
        gebieden.gebiedsniveau,
        gebieden.gebiedcode,
        jaren.scenario,
        jaren.basisjaar,
        jaren.jaar,
        jaren.jaren_na_basisjaar,
        dekking.dekkingsfactor,
        nieuw_landelijk.respons_fte_per_opleidingsplaats,
        parameters.fte_factor_vrouw
        * (
            1
            + case when jaren.jaren_na_basisjaar >= 1 then scenarios.fte_factor_wijziging else 0 end
        )
            as fte_factor_vrouw,
        parameters.fte_factor_man
        * (
            1
            + case when jaren.jaren_na_basisjaar >= 1 then scenarios.fte_factor_wijziging else 0 end
        )
            as fte_factor_man,
        coalesce(sleutel.verdeelsleutel_instroom, 0) as verdeelsleutel_instroom,
        coalesce(sleutel.fte_nivel_basisjaar, 0) as fte_nivel_basisjaar,
        coalesce(zittend.zittend_personen_vrouw, 0) as zittend_personen_vrouw,
        coalesce(zittend.zittend_personen_man, 0) as zittend_personen_man,
        coalesce(sleutel.verdeelsleutel_instroom, 0) * dekking.dekkingsfactor
        * nieuw_landelijk.nieuw_personen_vrouw as nieuw_personen_vrouw,
        coalesce(sleutel.verdeelsleutel_instroom, 0) * dekking.dekkingsfactor
        * nieuw_landelijk.nieuw_personen_man as nieuw_personen_man,
        coalesce(sleutel.verdeelsleutel_instroom, 0) * dekking.dekkingsfactor
        * nieuw_landelijk.stuurbaar_fte as instroom_stuurbaar_fte
    from gebieden
    cross join jaren
    cross join parameters
    cross join dekking
    inner join scenarios
        on jaren.scenario = scenarios.scenario
    inner join nieuw_landelijk
        on
            jaren.scenario = nieuw_landelijk.scenario
            and jaren.jaar = nieuw_landelijk.jaar
    left join zittend
        on
            gebieden.gebiedsniveau = zittend.gebiedsniveau
            and gebieden.gebiedcode = zittend.gebiedcode
            and jaren.scenario = zittend.scenario
            and jaren.jaar = zittend.jaar
    left join sleutel
        on
            gebieden.gebiedsniveau = sleutel.gebiedsniveau
            and gebieden.gebiedcode = sleutel.gebiedcode

),

typed as (

    select
        gebiedsniveau,
        gebiedcode,
        scenario,
        cast(basisjaar as {{ dbt.type_int() }}) as basisjaar,
        cast(jaar as {{ dbt.type_int() }}) as jaar,
        cast(jaren_na_basisjaar as {{ dbt.type_int() }}) as jaren_na_basisjaar,
        cast(dekkingsfactor as {{ dbl }}) as dekkingsfactor,
        cast(verdeelsleutel_instroom as {{ dbl }}) as verdeelsleutel_instroom,
        cast(fte_nivel_basisjaar as {{ dbl }}) as fte_nivel_basisjaar,
        cast(zittend_personen_vrouw as {{ dbl }}) as zittend_personen_vrouw,
        cast(zittend_personen_man as {{ dbl }}) as zittend_personen_man,
        cast(nieuw_personen_vrouw as {{ dbl }}) as nieuw_personen_vrouw,
        cast(nieuw_personen_man as {{ dbl }}) as nieuw_personen_man,
        cast(zittend_personen_vrouw + nieuw_personen_vrouw as {{ dbl }}) as aanbod_personen_vrouw,
        cast(zittend_personen_man + nieuw_personen_man as {{ dbl }}) as aanbod_personen_man,
        cast(
            (zittend_personen_vrouw + nieuw_personen_vrouw) * fte_factor_vrouw
            + (zittend_personen_man + nieuw_personen_man) * fte_factor_man
            as {{ dbl }}
        ) as aanbod_fte,
        cast(instroom_stuurbaar_fte as {{ dbl }}) as instroom_stuurbaar_fte,
        cast(respons_fte_per_opleidingsplaats as {{ dbl }}) as respons_fte_per_opleidingsplaats
    from samengesteld

)

select * from typed
