/*
    The Capaciteitsorgaan's supply curves per geslacht for every whole year 0..40 (jaren),
    interpolated as the hoofdmodel does:
      - uitstroom_cumulatief: share of the base-year GPs gone after `jaren` years: 0 at 0,
        the raming's points at 5, 10, 15 and 20 years, linear in between (held after 20);
      - extern_rendement: share of a cohort working as GP in its `jaren`-th year after
        qualifying: 0 at 0, the raming's points at 1, 5, 10 and 15 years, linear in
        between, and after 15 years extrapolated along the 10-15 year slope (not below 0);
      - extern_rendement_cumulatief: the sum of extern_rendement over years 1..jaren, from
        which the engine takes the mean yield of a range of cohorts;
      - fte_factor: FTE per GP in the basisjaar.
*/
{%- set dbl = capmon.type_double() %}

with

parameters as (

    select * from {{ ref('int_prognose_parameters_pivoted') }}

),

reeks as (

    {{ dbt.generate_series(41) }}

),

geslachten as (

    {%- for geslacht in ['vrouw', 'man'] %}
        select
            cast('{{ geslacht }}' as {{ dbt.type_string() }}) as geslacht,
            uitstroom_{{ geslacht }}_5 as uitstroom_5,
            uitstroom_{{ geslacht }}_10 as uitstroom_10,
            uitstroom_{{ geslacht }}_15 as uitstroom_15,
            uitstroom_{{ geslacht }}_20 as uitstroom_20,
            extern_rendement_{{ geslacht }}_1 as extern_rendement_1,
            extern_rendement_{{ geslacht }}_5 as extern_rendement_5,
            extern_rendement_{{ geslacht }}_10 as extern_rendement_10,
            extern_rendement_{{ geslacht }}_15 as extern_rendement_15,
            fte_factor_{{ geslacht }} as fte_factor
        from parameters
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

curven as (

    select
        geslachten.geslacht,
        reeks.generated_number - 1 as jaren,
        {{ capmon.interpoleer('(reeks.generated_number - 1)', [
            (0, '0'), (5, 'geslachten.uitstroom_5'), (10, 'geslachten.uitstroom_10'),
            (15, 'geslachten.uitstroom_15'), (20, 'geslachten.uitstroom_20')
        ]) }} as uitstroom_cumulatief,
        case
            when reeks.generated_number - 1 <= 15
                then {{ capmon.interpoleer('(reeks.generated_number - 1)', [
                    (0, '0'), (1, 'geslachten.extern_rendement_1'),
                    (5, 'geslachten.extern_rendement_5'),
                    (10, 'geslachten.extern_rendement_10'),
                    (15, 'geslachten.extern_rendement_15')
                ]) }}
            else
                geslachten.extern_rendement_15
                - (geslachten.extern_rendement_10 - geslachten.extern_rendement_15)
                * (reeks.generated_number - 1 - 15) / 5.0
        end as extern_rendement_ongegrensd,
        geslachten.fte_factor
    from geslachten
    cross join reeks

),

typed as (

    select
        geslacht,
        cast(jaren as {{ dbt.type_int() }}) as jaren,
        cast(uitstroom_cumulatief as {{ dbl }}) as uitstroom_cumulatief,
        cast(
            case when extern_rendement_ongegrensd < 0 then 0 else extern_rendement_ongegrensd end
            as {{ dbl }}
        ) as extern_rendement,
        cast(
            sum(
                case
                    when extern_rendement_ongegrensd < 0 then 0 else extern_rendement_ongegrensd
                end
            )
                over (partition by geslacht order by jaren rows unbounded preceding)
            as {{ dbl }}
        ) as extern_rendement_cumulatief,
        cast(fte_factor as {{ dbl }}) as fte_factor
    from curven

)

select * from typed
