/*
    The Capaciteitsorgaan's hoofdmodel, nationally, per scenario × jaar: supply in persons by
    sex and in FTE, demand in FTE and the gap, from the raming's basisjaar to its
    evenwichtsjaar, on the raming's own base stock (aanbod_personen_raming, per_vrouw_basis,
    FTE factors), so the advice is the Capaciteitsorgaan's whatever the registry holds.

    Supply, per sex, k = jaar - basisjaar (C(j) = extern_rendement_cumulatief, the sum of the
    yearly yields 1..j; "mean yield" of a range of cohorts = the mean of their yields):
      huidig: the base stock × (1 - uitstroom_cumulatief(k - uittreden_later_jaren));
      opleiding_nu (in training at the basisjaar, duration d1, c1 = ceil(d1)):
        n1 × share × intern_rendement × min(k, d1) cohorts × the mean yield of years
        max(1, k - c1 + 1)..k: a cohort counts from the 1 January after it qualifies and
        fractional cohorts count (3.2 cohorts in the raming 2025);
      opleiding_tussen (starting from the basisjaar up to the bijsturingsjaar, b = their
        number of years): n2 × share × intern × min(max(k - d2, 0), b) cohorts × the
        mean yield of years max(1, k - c2 - b + 1)..k - c2 (1 up to k = c2);
      opleiding_na_bijsturing (starting from the bijsturingsjaar, the steerable intake):
        n3 × share × intern × max(k - d3 - b, 0) cohorts × the mean yield of years
        1..k - c3 - b (1 up to k = c3 + b); a what-if intake X from year v adds
        (X - n3) × the same with v - basisjaar in place of b;
      buitenland: n_buitenland × share × k × rendement_buitenland.
    FTE = persons × the raming's FTE factor × (1 + fte_factor_wijziging from k = 1).
    respons_fte_per_opleidingsplaats: FTE in jaar per trainee a year starting from the
    bijsturingsjaar (the status-quo cohort term divided by n3).

    Demand (int_prognose_scenarios for the steps), with t = min(k, trendjaar - basisjaar),
    or k for a doorgaande trend:
        vraag = aanbod_fte(basisjaar) × groeifactor × (1 + demografie(k)) × (1 + onvervulde_vraag)
        groeifactor = 1/(1 - atv × t) + werkproces × t                     (step 4)
                    = 1 + (1/(1 - atv) - 1 + werkproces + verticaal) × t     (other steps)
    with demografie linear between the raming's 5-year points.
*/
{%- set dbl = capmon.type_double() %}

with

parameters as (

    select * from {{ ref('int_prognose_parameters_pivoted') }}

),

scenarios as (

    select * from {{ ref('int_prognose_scenarios') }}

),

curven as (

    select * from {{ ref('int_prognose_aanbodcurven_interpolated') }}

),

reeks as (

    {{ dbt.generate_series(41) }}

),

frame as (

    select
        scenarios.scenario,
        parameters.basisjaar_raming as basisjaar,
        parameters.basisjaar_raming + reeks.generated_number - 1 as jaar,
        reeks.generated_number - 1 as k,
        parameters.bijsturingsjaar - parameters.basisjaar_raming as b,
        scenarios.opleidingsinstroom_vanaf - parameters.basisjaar_raming as v,
        scenarios.uittreden_later_jaren,
        scenarios.fte_factor_wijziging,
        scenarios.opleidingsinstroom,
        parameters.opleidingsduur_tot_basisjaar as d1,
        parameters.opleidingsduur_tot_bijsturingsjaar as d2,
        parameters.opleidingsduur_vanaf_bijsturingsjaar as d3,
        ceiling(parameters.opleidingsduur_tot_basisjaar) as c1,
        ceiling(parameters.opleidingsduur_tot_bijsturingsjaar) as c2,
        ceiling(parameters.opleidingsduur_vanaf_bijsturingsjaar) as c3,
        parameters.*
    from scenarios
    cross join parameters
    cross join reeks
    where parameters.basisjaar_raming + reeks.generated_number - 1 <= parameters.evenwichtsjaar

),

per_geslacht as (

    {%- for g in ['vrouw', 'man'] %}
        select
            frame.*,
            cast('{{ g }}' as {{ dbt.type_string() }}) as geslacht,
            {%- if g == 'vrouw' %}
                frame.aandeel_vrouw_raming as aandeel_basis,
                frame.aandeel_vrouw_opleiding_tot_basisjaar as aandeel_1,
                frame.aandeel_vrouw_opleiding_tot_bijsturingsjaar as aandeel_2,
                frame.aandeel_vrouw_opleiding_vanaf_bijsturingsjaar as aandeel_3,
                frame.aandeel_vrouw_buitenland as aandeel_buitenland
            {%- else %}
                1 - frame.aandeel_vrouw_raming as aandeel_basis,
                1 - frame.aandeel_vrouw_opleiding_tot_basisjaar as aandeel_1,
                1 - frame.aandeel_vrouw_opleiding_tot_bijsturingsjaar as aandeel_2,
                1 - frame.aandeel_vrouw_opleiding_vanaf_bijsturingsjaar as aandeel_3,
                1 - frame.aandeel_vrouw_buitenland as aandeel_buitenland
            {%- endif %}
        from frame
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

-- the yield sums each term needs, C(j) for j = the index named in the join
met_curven as (

    select
        per_geslacht.*,
        uit.uitstroom_cumulatief,
        uit.fte_factor,
        coalesce(c_k.extern_rendement_cumulatief, 0) as c_k,
        coalesce(c_1.extern_rendement_cumulatief, 0) as c_1_onder,
        coalesce(c_2b.extern_rendement_cumulatief, 0) as c_2_boven,
        coalesce(c_2o.extern_rendement_cumulatief, 0) as c_2_onder,
        coalesce(c_3.extern_rendement_cumulatief, 0) as c_3,
        coalesce(c_w.extern_rendement_cumulatief, 0) as c_w
    from per_geslacht
    inner join curven as uit
        on
            per_geslacht.geslacht = uit.geslacht
            and uit.jaren = case
                when per_geslacht.k - per_geslacht.uittreden_later_jaren < 0 then 0
                else per_geslacht.k - per_geslacht.uittreden_later_jaren
            end
    left join curven as c_k
        on per_geslacht.geslacht = c_k.geslacht and c_k.jaren = per_geslacht.k
    left join curven as c_1
        on per_geslacht.geslacht = c_1.geslacht and c_1.jaren = per_geslacht.k - per_geslacht.c1
    left join curven as c_2b
        on per_geslacht.geslacht = c_2b.geslacht and c_2b.jaren = per_geslacht.k - per_geslacht.c2
    left join curven as c_2o
        on
            per_geslacht.geslacht = c_2o.geslacht
            and c_2o.jaren = per_geslacht.k - per_geslacht.c2 - per_geslacht.b
    left join curven as c_3
        on
            per_geslacht.geslacht = c_3.geslacht
            and c_3.jaren = per_geslacht.k - per_geslacht.c3 - per_geslacht.b
    left join curven as c_w
        on
            per_geslacht.geslacht = c_w.geslacht
            and c_w.jaren = per_geslacht.k - per_geslacht.c3 - per_geslacht.v

),

termen as (

    select
        scenario,
        basisjaar,
        jaar,
        k,
        geslacht,
        opleidingsinstroom_vanaf_bijsturingsjaar as opleidingsinstroom_status_quo,
        fte_factor * (1 + case when k >= 1 then fte_factor_wijziging else 0 end) as fte_factor,
        aanbod_personen_raming * aandeel_basis * (1 - uitstroom_cumulatief) as huidig,
        opleidingsinstroom_tot_basisjaar * aandeel_1 * intern_rendement_tot_basisjaar
        * case when k < d1 then k else d1 end
        * case
            when k = 0 then 0
            else (c_k - c_1_onder) / case when k < c1 then k else c1 end
        end as opleiding_nu,
        opleidingsinstroom_tot_bijsturingsjaar * aandeel_2 * intern_rendement_tot_bijsturingsjaar
        * case when k - d2 <= 0 then 0 when k - d2 < b then k - d2 else b end
        * case
            when k <= c2 or b <= 0 then 1
            -- mean yield of years max(1, k - c2 - b + 1) .. k - c2
            else (c_2_boven - c_2_onder) / case when k - c2 < b then k - c2 else b end
        end as opleiding_tussen,
        aandeel_3 * intern_rendement_vanaf_bijsturingsjaar
        * case when k - d3 - b > 0 then k - d3 - b else 0 end
        * case when k <= c3 + b then 1 else c_3 / (k - c3 - b) end as respons_personen,
        (opleidingsinstroom - opleidingsinstroom_vanaf_bijsturingsjaar)
        * aandeel_3 * intern_rendement_vanaf_bijsturingsjaar
        * case when k - d3 - v > 0 then k - d3 - v else 0 end
        * case when k <= c3 + v then 1 else c_w / (k - c3 - v) end as wat_als_extra,
        buitenland_instroom * aandeel_buitenland * k * rendement_buitenland as buitenland
    from met_curven

),

aanbod as (

    select
        scenario,
        basisjaar,
        jaar,
        k,
        max(opleidingsinstroom_status_quo) as opleidingsinstroom_status_quo,
        {%- for g in ['vrouw', 'man'] %}
            sum(case when geslacht = '{{ g }}' then huidig else 0 end) as huidig_personen_{{ g }},
            sum(
                case
                    when geslacht = '{{ g }}'
                        then
                            huidig + opleiding_nu + opleiding_tussen
                            + opleidingsinstroom_status_quo * respons_personen + wat_als_extra
                            + buitenland
                    else 0
                end
            ) as aanbod_personen_{{ g }},
        {%- endfor %}
        sum(opleiding_nu) as opleiding_nu_personen,
        sum(opleiding_tussen) as opleiding_tussen_personen,
        sum(opleidingsinstroom_status_quo * respons_personen + wat_als_extra)
            as opleiding_na_bijsturing_personen,
        sum(buitenland) as buitenland_personen,
        sum(
            fte_factor * (
                huidig + opleiding_nu + opleiding_tussen
                + opleidingsinstroom_status_quo * respons_personen + wat_als_extra + buitenland
            )
        ) as aanbod_fte,
        sum(fte_factor * (opleidingsinstroom_status_quo * respons_personen + wat_als_extra))
            as stuurbaar_fte,
        sum(fte_factor * respons_personen) as respons_fte_per_opleidingsplaats
    from termen
    group by scenario, basisjaar, jaar, k

),

vraag as (

    select
        aanbod.*,
        scenarios.onvervulde_vraag,
        scenarios.werkproces_groei,
        scenarios.arbeidstijd,
        scenarios.verticale_substitutie,
        {{ capmon.interpoleer('aanbod.k', [
            (0, '0'), (5, 'parameters.demografie_5'), (10, 'parameters.demografie_10'),
            (15, 'parameters.demografie_15'), (20, 'parameters.demografie_20')
        ]) }} as demografische_groei,
        case
            when scenarios.is_trend_doorgaand then aanbod.k
            when aanbod.jaar <= parameters.trendjaar then aanbod.k
            when parameters.trendjaar > aanbod.basisjaar
                then parameters.trendjaar - aanbod.basisjaar
            else 0
        end as trendjaren,
        scenarios.arbeidstijd_vorm,
        first_value(aanbod.aanbod_fte) over (
            partition by aanbod.scenario order by aanbod.jaar
        ) as aanbod_fte_basisjaar,
        parameters.bijsturingsjaar,
        parameters.evenwichtsjaar,
        parameters.evenwichtsjaar_kort,
        parameters.raming
    from aanbod
    inner join scenarios
        on aanbod.scenario = scenarios.scenario
    cross join parameters

),

groei as (

    select
        *,
        case
            when arbeidstijd_vorm = 'cumulatief'
                then 1 / (1 - arbeidstijd * trendjaren) + werkproces_groei * trendjaren
            when arbeidstijd_vorm = 'jaarlijks'
                then
                    1 + (1 / (1 - arbeidstijd) - 1 + werkproces_groei + verticale_substitutie)
                    * trendjaren
            else 1 + (werkproces_groei + verticale_substitutie) * trendjaren
        end as niet_demografische_factor
    from vraag

),

typed as (

    select
        scenario,
        cast(raming as {{ dbt.type_int() }}) as raming,
        cast(basisjaar as {{ dbt.type_int() }}) as basisjaar,
        cast(jaar as {{ dbt.type_int() }}) as jaar,
        cast(k as {{ dbt.type_int() }}) as jaren_na_basisjaar,
        cast(bijsturingsjaar as {{ dbt.type_int() }}) as bijsturingsjaar,
        cast(evenwichtsjaar as {{ dbt.type_int() }}) as evenwichtsjaar,
        cast(evenwichtsjaar_kort as {{ dbt.type_int() }}) as evenwichtsjaar_kort,
        cast(huidig_personen_vrouw as {{ dbl }}) as huidig_personen_vrouw,
        cast(huidig_personen_man as {{ dbl }}) as huidig_personen_man,
        cast(opleiding_nu_personen as {{ dbl }}) as opleiding_nu_personen,
        cast(opleiding_tussen_personen as {{ dbl }}) as opleiding_tussen_personen,
        cast(opleiding_na_bijsturing_personen as {{ dbl }}) as opleiding_na_bijsturing_personen,
        cast(buitenland_personen as {{ dbl }}) as buitenland_personen,
        cast(aanbod_personen_vrouw as {{ dbl }}) as aanbod_personen_vrouw,
        cast(aanbod_personen_man as {{ dbl }}) as aanbod_personen_man,
        cast(aanbod_personen_vrouw + aanbod_personen_man as {{ dbl }}) as aanbod_personen,
        cast(aanbod_fte as {{ dbl }}) as aanbod_fte,
        cast(stuurbaar_fte as {{ dbl }}) as stuurbaar_fte,
        cast(respons_fte_per_opleidingsplaats as {{ dbl }}) as respons_fte_per_opleidingsplaats,
        cast(opleidingsinstroom_status_quo as {{ dbl }}) as opleidingsinstroom_status_quo,
        cast(onvervulde_vraag as {{ dbl }}) as onvervulde_vraag,
        cast(demografische_groei as {{ dbl }}) as demografische_groei,
        cast(trendjaren as {{ dbt.type_int() }}) as trendjaren,
        cast(niet_demografische_factor as {{ dbl }}) as niet_demografische_factor,
        cast(
            aanbod_fte_basisjaar * niet_demografische_factor * (1 + demografische_groei)
            * (1 + onvervulde_vraag) as {{ dbl }}
        ) as vraag_fte
    from groei

)

select * from typed
