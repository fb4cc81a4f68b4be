/*
    The projection's scenarios, one row each, with every parameter that differs between them.

    Scenario steps of the Capaciteitsorgaan's hoofdmodel (cumulative; step 5 and 7, the
    doorgaande-trend variants of 4 and 6, are switched off in the hoofdmodel and here):
      1 demografie: unmet demand and demography;
      2 + werkproces (epidemiologie, sociaal-cultureel, vakinhoudelijk, efficiency,
        horizontale substitutie), tijdelijke trend: growing up to the trendjaar;
      3 the same with a doorgaande trend (growing up to every projected year);
      4 step 2 + arbeidstijdverandering, as 1/(1 - atv × t);
      6 step 2 + arbeidstijd as 1/(1 - atv) - 1 a year + verticale substitutie: the
        voorkeursscenario, the one behind the advice (var capmon_prognose.voorkeursscenario).
    What-if scenarios (stg_reference__prognose_wat_als): the voorkeursscenario with the
    analyst's changes (intake, FTE factor, later outflow, unmet demand).
*/
{%- set dbl = capmon.type_double() %}
{%- set voorkeur = var('capmon_prognose').voorkeursscenario %}
{%- set stappen = [
    ('stap1_demografie', 1, 'Stap 1: demografie en onvervulde vraag', false, 'geen', false,
     'Alleen de groei en vergrijzing van de bevolking plus de onvervulde vraag van het basisjaar; geen trends in zorggebruik.'),
    ('stap2_werkproces_tijdelijk', 2, 'Stap 2: + werkproces (tijdelijke trend)', true, 'geen', false,
     'Stap 1 plus de jaarlijkse groei door epidemiologie, sociaal-culturele ontwikkelingen, vakinhoudelijke ontwikkelingen, efficiëntie en horizontale substitutie, tot het trendjaar.'),
    ('stap3_werkproces_doorgaand', 3, 'Stap 3: + werkproces (doorgaande trend)', true, 'geen', true,
     'Als stap 2, maar de trends groeien door tot elk prognosejaar in plaats van te stoppen in het trendjaar.'),
    ('stap4_arbeidstijd', 4, 'Stap 4: + arbeidstijd', true, 'cumulatief', false,
     'Stap 2 plus de verandering van de arbeidstijd van huisartsen.'),
    ('stap6_verticale_substitutie', 6, 'Stap 6: + verticale substitutie (voorkeursscenario)', true, 'jaarlijks', false,
     'Stap 4 plus verticale substitutie (taken die naar andere zorgverleners gaan): het voorkeursscenario van het Capaciteitsorgaan, waarop het instroomadvies berust.'),
] %}

with

parameters as (

    select * from {{ ref('int_prognose_parameters_pivoted') }}

),

wat_als as (

    select * from {{ ref('stg_reference__prognose_wat_als') }}

),

stappen as (

    {%- for code, stap, naam, met_werkproces, atv_vorm, doorgaand, omschrijving in stappen %}
        select
            cast('{{ code }}' as {{ dbt.type_string() }}) as scenario,
            cast('{{ naam }}' as {{ dbt.type_string() }}) as scenario_naam,
            cast(
                '{{ omschrijving }}'
                {%- if atv_vorm == 'cumulatief' %}
                    || case
                        when parameters.arbeidstijd = 0
                            then ' In deze raming is de arbeidstijdverandering 0, dus valt dit '
                                || 'scenario samen met stap 2.'
                        else ''
                    end
                {%- endif %}
                as {{ dbt.type_string() }}
            ) as scenario_omschrijving,
            cast('stap' as {{ dbt.type_string() }}) as scenario_soort,
            cast({{ stap }} as {{ dbt.type_int() }}) as scenario_stap,
            cast({{ stap }} as {{ dbt.type_int() }}) as volgorde,
            parameters.onvervulde_vraag,
            {{ 'parameters.werkproces_groei' if met_werkproces else '0' }} as werkproces_groei,
            {{ doorgaand }} as is_trend_doorgaand,
            {{ '0' if atv_vorm == 'geen' else 'parameters.arbeidstijd' }} as arbeidstijd,
            cast('{{ atv_vorm }}' as {{ dbt.type_string() }}) as arbeidstijd_vorm,
            {{ 'parameters.verticale_substitutie' if atv_vorm == 'jaarlijks' else '0' }}
                as verticale_substitutie,
            parameters.opleidingsinstroom_vanaf_bijsturingsjaar as opleidingsinstroom,
            parameters.bijsturingsjaar as opleidingsinstroom_vanaf,
            0 as fte_factor_wijziging,
            0 as uittreden_later_jaren
        from parameters
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

wat_als_scenarios as (

    select
        {{ dbt.concat(["'wat_als_'", 'wat_als.naam']) }} as scenario,
        {{ dbt.concat(["'Wat als: '", 'wat_als.naam']) }} as scenario_naam,
        wat_als.omschrijving as scenario_omschrijving,
        cast('wat_als' as {{ dbt.type_string() }}) as scenario_soort,
        cast(null as {{ dbt.type_int() }}) as scenario_stap,
        100 + wat_als.volgorde as volgorde,
        coalesce(wat_als.onvervulde_vraag, voorkeur.onvervulde_vraag) as onvervulde_vraag,
        voorkeur.werkproces_groei,
        voorkeur.is_trend_doorgaand,
        voorkeur.arbeidstijd,
        voorkeur.arbeidstijd_vorm,
        voorkeur.verticale_substitutie,
        coalesce(wat_als.opleidingsinstroom, voorkeur.opleidingsinstroom) as opleidingsinstroom,
        -- the method can only change intake from the bijsturingsjaar on
        case
            when wat_als.opleidingsinstroom_vanaf > voorkeur.opleidingsinstroom_vanaf
                then wat_als.opleidingsinstroom_vanaf
            else voorkeur.opleidingsinstroom_vanaf
        end as opleidingsinstroom_vanaf,
        coalesce(wat_als.fte_factor_wijziging, 0) as fte_factor_wijziging,
        coalesce(wat_als.uittreden_later_jaren, 0) as uittreden_later_jaren
    from wat_als
    cross join stappen as voorkeur
    where voorkeur.scenario = '{{ voorkeur }}'

),

alle as (

    select * from stappen
    union all
    select * from wat_als_scenarios

),

typed as (

    select
        scenario,
        scenario_naam,
        scenario_omschrijving,
        scenario_soort,
        scenario_stap,
        cast(volgorde as {{ dbt.type_int() }}) as volgorde,
        scenario = '{{ voorkeur }}' as is_voorkeursscenario,
        cast(onvervulde_vraag as {{ dbl }}) as onvervulde_vraag,
        cast(werkproces_groei as {{ dbl }}) as werkproces_groei,
        is_trend_doorgaand,
        cast(arbeidstijd as {{ dbl }}) as arbeidstijd,
        arbeidstijd_vorm,
        cast(verticale_substitutie as {{ dbl }}) as verticale_substitutie,
        cast(opleidingsinstroom as {{ dbl }}) as opleidingsinstroom,
        cast(opleidingsinstroom_vanaf as {{ dbt.type_int() }}) as opleidingsinstroom_vanaf,
        cast(fte_factor_wijziging as {{ dbl }}) as fte_factor_wijziging,
        cast(uittreden_later_jaren as {{ dbt.type_int() }}) as uittreden_later_jaren
    from alle

)

select * from typed
