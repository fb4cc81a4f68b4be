/*
    National GP projection per jaar × scenario: the sums of fct_prognose_gemeente (rates
    recomputed from the sums), the national demand parameters, and the inflow advice.

    Inflow advice (instroomadvies): the yearly number of trainees starting from the
    bijsturingsjaar on that closes the gap in the evenwichtsjaar. Supply is linear in that
    intake: every extra trainee a year adds respons_fte_per_opleidingsplaats FTE in year t
    (int_prognose_instroom_projected), so
        instroomadvies = opleidingsinstroom_status_quo + tekort_fte(E) / respons_fte(E)
    and aanbod_fte_bij_advies(t) = aanbod_fte(t)
        + (instroomadvies - opleidingsinstroom_status_quo) × respons_fte(t).
    Intake figures are on the scale of the registry (× dekkingsfactor, about 1 with a
    complete registry); instroomadvies_raming_schaal divides that back out.
*/
{%- set dbl = capmon.type_double() %}
{%- set opgeteld = [
    'aanbod_personen_vrouw', 'aanbod_personen_man', 'aanbod_personen', 'zittend_personen',
    'nieuw_personen', 'instroom_personen', 'uitstroom_personen', 'aanbod_fte',
    'instroom_stuurbaar_fte', 'vraag_fte', 'tekort_fte', 'inwoners_gemodelleerd',
    'inwoners_65plus_gemodelleerd', 'vraaggewogen_inwoners', 'verdeelsleutel_instroom',
    'aandeel_landelijke_vraag'
] %}
{%- set niet_in_mart = ['verdeelsleutel_instroom', 'aandeel_landelijke_vraag'] %}

with

gemeenten as (

    select * from {{ ref('fct_prognose_gemeente') }}

),

vraag as (

    select * from {{ ref('int_prognose_vraag_projected') }}
    where gebiedsniveau = 'nationaal'

),

parameters as (

    select * from {{ ref('int_prognose_parameters_pivoted') }}

),

instroom as (

    select
        instroom.scenario,
        instroom.jaar,
        max(instroom.dekkingsfactor) as dekkingsfactor,
        max(instroom.opleidingsinstroom_status_quo) as opleidingsinstroom_status_quo,
        sum(instroom.respons_per_opleidingsplaats * curven.fte_factor)
            as respons_fte_per_opleidingsplaats
    from {{ ref('int_prognose_instroom_projected') }} as instroom
    inner join {{ ref('int_prognose_aanbodcurven_interpolated') }} as curven
        on
            instroom.scenario = curven.scenario
            and instroom.geslacht = curven.geslacht
            and curven.jaren = 0
    group by instroom.scenario, instroom.jaar

),

opgeteld as (

    select
        jaar,
        scenario,
        max(basisjaar) as basisjaar,
        max(jaren_na_basisjaar) as jaren_na_basisjaar,
        count(*) as aantal_gemeenten,
        {%- for kolom in opgeteld %}
            sum({{ kolom }}) as {{ kolom }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from gemeenten
    group by jaar, scenario

),

met_parameters as (

    select
        opgeteld.*,
        parameters.evenwichtsjaar,
        parameters.bijsturingsjaar,
        vraag.onvervulde_vraag,
        vraag.demografische_groei,
        vraag.niet_demografische_groei,
        vraag.trendjaren,
        instroom.dekkingsfactor,
        instroom.opleidingsinstroom_status_quo,
        instroom.respons_fte_per_opleidingsplaats
    from opgeteld
    inner join parameters
        on opgeteld.scenario = parameters.scenario
    inner join vraag
        on
            opgeteld.scenario = vraag.scenario
            and opgeteld.jaar = vraag.jaar
    inner join instroom
        on
            opgeteld.scenario = instroom.scenario
            and opgeteld.jaar = instroom.jaar

),

advies as (

    select
        scenario,
        opleidingsinstroom_status_quo
        + {{ capmon.safe_divide('tekort_fte', 'respons_fte_per_opleidingsplaats') }}
            as instroomadvies
    from met_parameters
    where jaar = evenwichtsjaar

),

final as (

    select
        cast(met_parameters.jaar as {{ dbt.type_int() }}) as jaar,
        met_parameters.scenario,
        cast(met_parameters.basisjaar as {{ dbt.type_int() }}) as basisjaar,
        cast(met_parameters.jaren_na_basisjaar as {{ dbt.type_int() }}) as jaren_na_basisjaar,
        met_parameters.jaar = met_parameters.basisjaar as is_basisjaar,
        met_parameters.jaar > met_parameters.basisjaar as is_gemodelleerd,
        cast(met_parameters.aantal_gemeenten as {{ dbt.type_int() }}) as aantal_gemeenten,
        {%- for kolom in opgeteld if kolom not in niet_in_mart %}
            cast(met_parameters.{{ kolom }} as {{ dbl }}) as {{ kolom }},
        {%- endfor %}
        {{ capmon.safe_divide('met_parameters.tekort_fte', 'met_parameters.vraag_fte') }}
            as tekort_pct,
        cast(met_parameters.onvervulde_vraag as {{ dbl }}) as onvervulde_vraag,
        cast(met_parameters.demografische_groei as {{ dbl }}) as demografische_groei,
        cast(met_parameters.niet_demografische_groei as {{ dbl }}) as niet_demografische_groei,
        cast(met_parameters.trendjaren as {{ dbt.type_int() }}) as trendjaren,
        cast(met_parameters.bijsturingsjaar as {{ dbt.type_int() }}) as bijsturingsjaar,
        cast(met_parameters.evenwichtsjaar as {{ dbt.type_int() }}) as evenwichtsjaar,
        cast(met_parameters.dekkingsfactor as {{ dbl }}) as dekkingsfactor,
        cast(met_parameters.opleidingsinstroom_status_quo as {{ dbl }})
            as opleidingsinstroom_status_quo,
        cast(met_parameters.respons_fte_per_opleidingsplaats as {{ dbl }})
            as respons_fte_per_opleidingsplaats,
        cast(advies.instroomadvies as {{ dbl }}) as instroomadvies,
        {{ capmon.safe_divide('advies.instroomadvies', 'met_parameters.dekkingsfactor') }}
            as instroomadvies_raming_schaal,
        cast(
            met_parameters.aanbod_fte
            + (advies.instroomadvies - met_parameters.opleidingsinstroom_status_quo)
            * met_parameters.respons_fte_per_opleidingsplaats as {{ dbl }}
        ) as aanbod_fte_bij_advies,
        cast(
            met_parameters.vraag_fte - met_parameters.aanbod_fte
            - (advies.instroomadvies - met_parameters.opleidingsinstroom_status_quo)
            * met_parameters.respons_fte_per_opleidingsplaats as {{ dbl }}
        ) as tekort_fte_bij_advies
    from met_parameters
    inner join advies
        on met_parameters.scenario = advies.scenario

)

select * from final
