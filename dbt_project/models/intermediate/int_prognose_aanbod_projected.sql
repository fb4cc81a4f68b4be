/*
    GP supply per gebied (each gemeente, and the country as 'NL') × scenario × jaar, from
    the basisjaar to the evenwichtsjaar, in persons by sex and in FTE.

      zittend: the base-year GPs still at work: per geslacht × leeftijdsklasse, persons ×
        (1 - uitstroom_cumulatief(jaren)) from int_prognose_uitstroom_calibrated, so an
        older or more male GP population loses more;
      instroom: new GPs (int_prognose_instroom_projected, national) shared out by the
        settlement key verdeelsleutel_instroom = the gebied's share of the national GP FTE
        in the basisjaar ("new GPs settle as today's GPs are spread"; 1 for 'NL');
      aanbod_fte = persons × the raming's FTE factor per sex.
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

instroom as (

    select * from {{ ref('int_prognose_instroom_projected') }}

),

fte_factoren as (

    select
        scenario,
        max(case when geslacht = 'vrouw' then fte_factor end) as fte_factor_vrouw,
        max(case when geslacht = 'man' then fte_factor end) as fte_factor_man
    from {{ ref('int_prognose_aanbodcurven_interpolated') }}
    where jaren = 0
    group by scenario

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

-- scenario × jaar × basisjaar, from the national inflow frame
jaren as (

    select distinct
        scenario,
        jaar,
        basisjaar
    from instroom

),

zittend as (

    select
        bestand.gebiedsniveau,
        bestand.gebiedcode,
        uitstroom.scenario,
        bestand.basisjaar + uitstroom.jaren as jaar,
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
    inner join uitstroom
        on
            bestand.geslacht = uitstroom.geslacht
            and bestand.leeftijdsklasse = uitstroom.leeftijdsklasse
    group by
        bestand.gebiedsniveau,
        bestand.gebiedcode,
        uitstroom.scenario,
        bestand.basisjaar + uitstroom.jaren

),

fte_basis as (

    select
        bestand.gebiedsniveau,
        bestand.gebiedcode,
        fte_factoren.scenario,
        sum(
            bestand.personen
            * case
                when bestand.geslacht = 'vrouw' then fte_factoren.fte_factor_vrouw
                else fte_factoren.fte_factor_man
            end
        ) as fte_basis
    from bestand
    cross join fte_factoren
    group by bestand.gebiedsniveau, bestand.gebiedcode, fte_factoren.scenario

),

sleutel as (

    select
        fte_basis.gebiedsniveau,
        fte_basis.gebiedcode,
        fte_basis.scenario,
        {{ capmon.safe_divide('fte_basis.fte_basis', 'landelijk.fte_basis') }}
            as verdeelsleutel_instroom
    from fte_basis
    inner join fte_basis as landelijk
        on
            fte_basis.scenario = landelijk.scenario
            and landelijk.gebiedsniveau = 'nationaal'

),

instroom_breed as (

    select
        scenario,
        jaar,
        sum(case when geslacht = 'vrouw' then instroom_personen else 0 end)
            as instroom_personen_vrouw,
        sum(case when geslacht = 'man' then instroom_personen else 0 end) as instroom_personen_man,
        sum(case when geslacht = 'vrouw' then instroom_stuurbaar_personen else 0 end)
            as instroom_stuurbaar_personen_vrouw,
        sum(case when geslacht = 'man' then instroom_stuurbaar_personen else 0 end)
            as instroom_stuurbaar_personen_man,
        sum(nieuw_gekwalificeerd_personen) as nieuw_gekwalificeerd_personen
    from instroom
    group by scenario, jaar

),

samengesteld as (

    select
        gebieden.gebiedsniveau,
        gebieden.gebiedcode,
        jaren.scenario,
        jaren.basisjaar,
        jaren.jaar,
        fte_factoren.fte_factor_vrouw,
        fte_factoren.fte_factor_man,
        jaren.jaar - jaren.basisjaar as jaren_na_basisjaar,
        coalesce(sleutel.verdeelsleutel_instroom, 0) as verdeelsleutel_instroom,
        coalesce(zittend.zittend_personen_vrouw, 0) as zittend_personen_vrouw,
        coalesce(zittend.zittend_personen_man, 0) as zittend_personen_man,
        coalesce(sleutel.verdeelsleutel_instroom, 0) * instroom_breed.instroom_personen_vrouw
            as instroom_personen_vrouw,
        coalesce(sleutel.verdeelsleutel_instroom, 0) * instroom_breed.instroom_personen_man
            as instroom_personen_man,
        coalesce(sleutel.verdeelsleutel_instroom, 0)
        * (
            instroom_breed.instroom_stuurbaar_personen_vrouw * fte_factoren.fte_factor_vrouw
            + instroom_breed.instroom_stuurbaar_personen_man * fte_factoren.fte_factor_man
        ) as instroom_stuurbaar_fte,
        coalesce(sleutel.verdeelsleutel_instroom, 0)
        * instroom_breed.nieuw_gekwalificeerd_personen
            as nieuw_gekwalificeerd_personen
    from gebieden
    cross join jaren
    inner join fte_factoren
        on jaren.scenario = fte_factoren.scenario
    inner join instroom_breed
        on
            jaren.scenario = instroom_breed.scenario
            and jaren.jaar = instroom_breed.jaar
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
            and jaren.scenario = sleutel.scenario

),

typed as (

    select
        gebiedsniveau,
        gebiedcode,
        scenario,
        cast(basisjaar as {{ dbt.type_int() }}) as basisjaar,
        cast(jaar as {{ dbt.type_int() }}) as jaar,
        cast(jaren_na_basisjaar as {{ dbt.type_int() }}) as jaren_na_basisjaar,
        cast(verdeelsleutel_instroom as {{ dbl }}) as verdeelsleutel_instroom,
        cast(zittend_personen_vrouw as {{ dbl }}) as zittend_personen_vrouw,
        cast(zittend_personen_man as {{ dbl }}) as zittend_personen_man,
        cast(instroom_personen_vrouw as {{ dbl }}) as instroom_personen_vrouw,
        cast(instroom_personen_man as {{ dbl }}) as instroom_personen_man,
        cast(zittend_personen_vrouw + instroom_personen_vrouw as {{ dbl }})
            as aanbod_personen_vrouw,
        cast(zittend_personen_man + instroom_personen_man as {{ dbl }}) as aanbod_personen_man,
        cast(
            (zittend_personen_vrouw + instroom_personen_vrouw) * fte_factor_vrouw
            + (zittend_personen_man + instroom_personen_man) * fte_factor_man
            as {{ dbl }}
        ) as aanbod_fte,
        cast(instroom_stuurbaar_fte as {{ dbl }}) as instroom_stuurbaar_fte,
        cast(nieuw_gekwalificeerd_personen as {{ dbl }}) as nieuw_gekwalificeerd_personen
    from samengesteld

)

select * from typed
