/*
    National inflow of new GPs per scenario × jaar × geslacht, from the basisjaar (the
    latest Nivel peiljaar) to the evenwichtsjaar, in the Capaciteitsorgaan's method:

      - every year n trainees start (opleidingsinstroom_*: up to the basisjaar, up to the
        bijsturingsjaar, from the bijsturingsjaar on), a share aandeel_vrouw women;
      - a cohort that starts in year s qualifies, and is available, opleidingsduur years
        later (q = s + opleidingsduur); intern_rendement of it qualifies;
      - in its j-th year after qualifying (j = t - q + 1) extern_rendement(j) of the
        qualified work as GP. Cohorts that qualified by the basisjaar are in the Nivel stock
        already, so the first cohort counted started in basisjaar - opleidingsduur + 1;
      - GPs from abroad (buitenland_instroom a year, from the year after the basisjaar)
        count with rendement_buitenland and the same extern_rendement.

    instroom_personen: persons of all these cohorts at work in jaar.
    instroom_stuurbaar_personen: the part from cohorts starting in or after the
    bijsturingsjaar, the first intake that a decision now can still change.
    respons_per_opleidingsplaats: persons at work in jaar per 1 trainee a year starting from
    the bijsturingsjaar on (instroom_stuurbaar_personen / opleidingsinstroom_vanaf_...).
    nieuw_gekwalificeerd_personen: the effective inflow of the year (cohorts with q = jaar).

    The raming's intake is for the whole country (aanbod_personen_raming GPs in its
    basisjaar). It is scaled by dekkingsfactor = GPs in the Nivel base stock /
    aanbod_personen_raming, so that inflow and stock describe the same population: about 1
    with a complete registry (and with the sample data at scale 1), 0.25 at scale 0.25.
*/
{%- set dbl = capmon.type_double() %}

with

parameters as (

    select * from {{ ref('int_prognose_parameters_pivoted') }}

),

curven as (

    select * from {{ ref('int_prognose_aanbodcurven_interpolated') }}

),

basisjaar as (

    select max(peiljaar) as basisjaar
    from {{ ref('stg_nivel__registratie') }}

),

bestand as (

    select sum(personen) as personen
    from {{ ref('int_prognose_basisbestand_aggregated') }}
    where gebiedsniveau = 'nationaal'

),

dekking as (

    select
        parameters.scenario,
        {{ capmon.safe_divide('bestand.personen', 'parameters.aanbod_personen_raming') }}
            as dekkingsfactor
    from parameters
    cross join bestand

),

geslachten as (

    select cast('vrouw' as {{ dbt.type_string() }}) as geslacht
    union all
    select cast('man' as {{ dbt.type_string() }}) as geslacht

),

reeks as (

    {{ dbt.generate_series(100) }}

),

opleiding as (

    select
        parameters.scenario,
        basisjaar.basisjaar - parameters.opleidingsduur + reeks.generated_number as startjaar,
        basisjaar.basisjaar + reeks.generated_number as beschikbaar_jaar,
        case
            when basisjaar.basisjaar - parameters.opleidingsduur + reeks.generated_number
                <= basisjaar.basisjaar
                then parameters.opleidingsinstroom_tot_basisjaar
            when basisjaar.basisjaar - parameters.opleidingsduur + reeks.generated_number
                < parameters.bijsturingsjaar
                then parameters.opleidingsinstroom_tot_bijsturingsjaar
            else parameters.opleidingsinstroom_vanaf_bijsturingsjaar
        end as aantal,
        case
            when basisjaar.basisjaar - parameters.opleidingsduur + reeks.generated_number
                <= basisjaar.basisjaar
                then parameters.aandeel_vrouw_opleiding_tot_basisjaar
            when basisjaar.basisjaar - parameters.opleidingsduur + reeks.generated_number
                < parameters.bijsturingsjaar
                then parameters.aandeel_vrouw_opleiding_tot_bijsturingsjaar
            else parameters.aandeel_vrouw_opleiding_vanaf_bijsturingsjaar
        end as aandeel_vrouw,
        case
            when basisjaar.basisjaar - parameters.opleidingsduur + reeks.generated_number
                <= basisjaar.basisjaar
                then parameters.intern_rendement_tot_basisjaar
            when basisjaar.basisjaar - parameters.opleidingsduur + reeks.generated_number
                < parameters.bijsturingsjaar
                then parameters.intern_rendement_tot_bijsturingsjaar
            else parameters.intern_rendement_vanaf_bijsturingsjaar
        end as rendement,
        basisjaar.basisjaar - parameters.opleidingsduur + reeks.generated_number
        >= parameters.bijsturingsjaar as is_stuurbaar
    from parameters
    cross join basisjaar
    cross join reeks
    where basisjaar.basisjaar + reeks.generated_number <= parameters.evenwichtsjaar

),

buitenland as (

    select
        parameters.scenario,
        cast(null as {{ dbt.type_int() }}) as startjaar,
        basisjaar.basisjaar + reeks.generated_number as beschikbaar_jaar,
        parameters.buitenland_instroom as aantal,
        parameters.aandeel_vrouw_buitenland as aandeel_vrouw,
        parameters.rendement_buitenland as rendement,
        false as is_stuurbaar
    from parameters
    cross join basisjaar
    cross join reeks
    where basisjaar.basisjaar + reeks.generated_number <= parameters.evenwichtsjaar

),

cohorten as (

    select * from opleiding
    union all
    select * from buitenland

),

cohorten_per_geslacht as (

    select
        cohorten.scenario,
        cohorten.beschikbaar_jaar,
        cohorten.is_stuurbaar,
        cast('vrouw' as {{ dbt.type_string() }}) as geslacht,
        cohorten.aantal * dekking.dekkingsfactor * cohorten.aandeel_vrouw as aantal,
        cohorten.aandeel_vrouw as aandeel,
        cohorten.rendement
    from cohorten
    inner join dekking
        on cohorten.scenario = dekking.scenario
    union all
    select
        cohorten.scenario,
        cohorten.beschikbaar_jaar,
        cohorten.is_stuurbaar,
        cast('man' as {{ dbt.type_string() }}) as geslacht,
        cohorten.aantal * dekking.dekkingsfactor * (1 - cohorten.aandeel_vrouw) as aantal,
        1 - cohorten.aandeel_vrouw as aandeel,
        cohorten.rendement
    from cohorten
    inner join dekking
        on cohorten.scenario = dekking.scenario

),

jaren as (

    select
        parameters.scenario,
        geslachten.geslacht,
        basisjaar.basisjaar,
        dekking.dekkingsfactor,
        parameters.opleidingsinstroom_vanaf_bijsturingsjaar * dekking.dekkingsfactor
            as opleidingsinstroom_status_quo,
        basisjaar.basisjaar + reeks.generated_number - 1 as jaar
    from parameters
    inner join dekking
        on parameters.scenario = dekking.scenario
    cross join basisjaar
    cross join reeks
    cross join geslachten
    where basisjaar.basisjaar + reeks.generated_number - 1 <= parameters.evenwichtsjaar

),

bijdragen as (

    select
        jaren.scenario,
        jaren.geslacht,
        jaren.jaar,
        cohorten_per_geslacht.is_stuurbaar,
        cohorten_per_geslacht.beschikbaar_jaar,
        cohorten_per_geslacht.aantal * cohorten_per_geslacht.rendement * curven.extern_rendement
            as personen,
        cohorten_per_geslacht.aandeel * cohorten_per_geslacht.rendement * curven.extern_rendement
            as personen_per_instromer
    from jaren
    inner join cohorten_per_geslacht
        on
            jaren.scenario = cohorten_per_geslacht.scenario
            and jaren.geslacht = cohorten_per_geslacht.geslacht
            and cohorten_per_geslacht.beschikbaar_jaar <= jaren.jaar
    inner join curven
        on
            jaren.scenario = curven.scenario
            and jaren.geslacht = curven.geslacht
            and curven.jaren = jaren.jaar - cohorten_per_geslacht.beschikbaar_jaar + 1

),

opgeteld as (

    select
        scenario,
        geslacht,
        jaar,
        sum(personen) as instroom_personen,
        sum(case when is_stuurbaar then personen else 0 end) as instroom_stuurbaar_personen,
        sum(case when is_stuurbaar then personen_per_instromer else 0 end)
            as respons_per_opleidingsplaats,
        sum(case when beschikbaar_jaar = jaar then personen else 0 end)
            as nieuw_gekwalificeerd_personen
    from bijdragen
    group by scenario, geslacht, jaar

),

compleet as (

    select
        jaren.scenario,
        jaren.geslacht,
        cast(jaren.jaar as {{ dbt.type_int() }}) as jaar,
        cast(jaren.basisjaar as {{ dbt.type_int() }}) as basisjaar,
        cast(jaren.dekkingsfactor as {{ dbl }}) as dekkingsfactor,
        cast(jaren.opleidingsinstroom_status_quo as {{ dbl }}) as opleidingsinstroom_status_quo,
        cast(coalesce(opgeteld.instroom_personen, 0) as {{ dbl }}) as instroom_personen,
        cast(coalesce(opgeteld.instroom_stuurbaar_personen, 0) as {{ dbl }})
            as instroom_stuurbaar_personen,
        cast(coalesce(opgeteld.respons_per_opleidingsplaats, 0) as {{ dbl }})
            as respons_per_opleidingsplaats,
        cast(coalesce(opgeteld.nieuw_gekwalificeerd_personen, 0) as {{ dbl }})
            as nieuw_gekwalificeerd_personen
    from jaren
    left join opgeteld
        on
            jaren.scenario = opgeteld.scenario
            and jaren.geslacht = opgeteld.geslacht
            and jaren.jaar = opgeteld.jaar

)

select * from compleet
