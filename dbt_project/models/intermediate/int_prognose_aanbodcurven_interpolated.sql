/*
    The Capaciteitsorgaan's supply curves for every whole year 0..40 (jaren), per scenario
    × geslacht, interpolated linearly between the raming's points:
      - uitstroom_cumulatief: share of the base-year GPs gone after `jaren` years
        (0 at 0 years; points at 5, 10, 15, 20 years; held at the 20-year value after);
      - extern_rendement: share of a cohort of new GPs working as GP in their `jaren`-th
        year after qualifying (points at 1, 5, 10, 15 years; the 1-year value for year 1
        and before, held at the 15-year value after);
      - fte_factor: FTE per GP.
*/
with

parameters as (

    select * from {{ ref('int_prognose_parameters_pivoted') }}

),

reeks as (

    {{ dbt.generate_series(41) }}

),

geslachten as (

    select
        parameters.*,
        cast('vrouw' as {{ dbt.type_string() }}) as geslacht,
        parameters.uitstroom_vrouw_5 as uitstroom_5,
        parameters.uitstroom_vrouw_10 as uitstroom_10,
        parameters.uitstroom_vrouw_15 as uitstroom_15,
        parameters.uitstroom_vrouw_20 as uitstroom_20,
        parameters.extern_rendement_vrouw_1 as extern_rendement_1,
        parameters.extern_rendement_vrouw_5 as extern_rendement_5,
        parameters.extern_rendement_vrouw_10 as extern_rendement_10,
        parameters.extern_rendement_vrouw_15 as extern_rendement_15,
        parameters.fte_factor_vrouw as fte_factor
    from parameters
    union all
    select
        parameters.*,
        cast('man' as {{ dbt.type_string() }}) as geslacht,
        parameters.uitstroom_man_5 as uitstroom_5,
        parameters.uitstroom_man_10 as uitstroom_10,
        parameters.uitstroom_man_15 as uitstroom_15,
        parameters.uitstroom_man_20 as uitstroom_20,
        parameters.extern_rendement_man_1 as extern_rendement_1,
        parameters.extern_rendement_man_5 as extern_rendement_5,
        parameters.extern_rendement_man_10 as extern_rendement_10,
        parameters.extern_rendement_man_15 as extern_rendement_15,
        parameters.fte_factor_man as fte_factor
    from parameters

),

curven as (

    select
        geslachten.scenario,
        geslachten.geslacht,
        cast(reeks.generated_number - 1 as {{ dbt.type_int() }}) as jaren,
        cast({{ capmon.interpoleer('(reeks.generated_number - 1)', [
            (0, '0'), (5, 'geslachten.uitstroom_5'), (10, 'geslachten.uitstroom_10'),
            (15, 'geslachten.uitstroom_15'), (20, 'geslachten.uitstroom_20')
        ]) }} as {{ capmon.type_double() }}) as uitstroom_cumulatief,
        cast({{ capmon.interpoleer('(reeks.generated_number - 1)', [
            (1, 'geslachten.extern_rendement_1'), (5, 'geslachten.extern_rendement_5'),
            (10, 'geslachten.extern_rendement_10'), (15, 'geslachten.extern_rendement_15')
        ]) }} as {{ capmon.type_double() }}) as extern_rendement,
        geslachten.fte_factor
    from geslachten
    cross join reeks

)

select * from curven
