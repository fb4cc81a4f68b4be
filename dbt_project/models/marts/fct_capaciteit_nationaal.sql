/*
    GP capacity for the Netherlands per peiljaar: the sums of fct_capaciteit_gemeente over
    all gemeenten, with every rate, balance figure and the spanningsindex recomputed from
    those sums with the same formulas as the gemeente mart (macros/capaciteit.sql): a ratio
    of sums, never an average of municipal ratios. Patients per GP FTE only counts the
    practice-bound FTE of gemeenten with at least one submitted practice, as the municipal
    rate does.
*/

with

-- Totals over gemeenten as published: docs/onthullingsbeheersing.md.
gemeenten as (

    {{ capmon.gemeenten_in_totalen() }}

),

opgeteld as (

    select
        peiljaar,
        {{ capmon.capaciteit_sommen_over_gemeenten() }}
    from gemeenten
    group by peiljaar

),

{{ capmon.capaciteit_uit_sommen('opgeteld') }}

select * from final
