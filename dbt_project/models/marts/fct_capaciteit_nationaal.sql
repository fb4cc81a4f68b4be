/*
    GP capacity for the Netherlands per peiljaar: the sums of fct_capaciteit_gemeente over
    all gemeenten, with every rate, balance figure and the spanningsindex recomputed from
    those sums with the same formulas as the gemeente mart (macros/capaciteit.sql): a ratio
    of sums, never an average of municipal ratios. Patients per GP FTE only counts the
    practice-bound FTE of gemeenten with at least one submitted practice, as the municipal
    rate does.
*/
{%- set int = dbt.type_int() %}

with

gemeenten as (

    select * from {{ ref('fct_capaciteit_gemeente') }}

),

opgeteld as (

    select
        peiljaar,
        max(laatste_aanlevering_op) as laatste_aanlevering_op,
        {{ capmon.capaciteit_optelbare_select(aggregaat='sum') }}
        cast(sum(case when praktijken_aangeleverd > 0 then 1 else 0 end) as {{ int }})
            as aantal_gemeenten_met_aanlevering,
        cast(count(*) as {{ int }}) as aantal_gemeenten
    from gemeenten
    group by peiljaar

),

verhoudingen as (

    select
        *,
        {{ capmon.capaciteit_verhoudingen() }}
        {{ capmon.maanden_sinds('laatste_aanlevering_op') }} as maanden_sinds_laatste_aanlevering
    from opgeteld

),

scores as (

    select
        *,
        {{ capmon.capaciteit_vlaggen() }}
        {{ capmon.spanningsindex_kolommen() }}
    from verhoudingen

),

index_berekend as (

    select
        *,
        {{ capmon.spanningsindex_totaal() }}
    from scores

),

final as (

    select
        *,
        {{ capmon.year_start_date('peiljaar') }} as peildatum,
        coalesce(peiljaar = max(peiljaar) over (), false) as is_laatste_peiljaar,
        {{ capmon.spanningscategorie('spanningsindex') }} as spanningscategorie
    from index_berekend

)

select * from final
