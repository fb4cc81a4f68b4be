/*
    GP capacity per region × peiljaar for three region types (regio_type): the AZW region
    ('azw', RegioPlus arbeidsmarktregio), the province ('provincie') and the GGD region
    ('ggd'). Every count is the sum over the region's gemeenten in fct_capaciteit_gemeente;
    every rate, balance figure and the spanningsindex are recomputed from those sums with
    the same formulas as the gemeente mart (macros/capaciteit.sql): ratios of sums, never
    averages of municipal ratios.
*/
{%- set int = dbt.type_int() %}
{%- set regio_typen = [
    ('azw', 'azw_regio_code', 'azw_regio_naam'),
    ('provincie', 'provincie_code', 'provincie_naam'),
    ('ggd', 'ggd_regio_code', 'ggd_regio_naam'),
] %}

with

gemeenten as (

    select * from {{ ref('fct_capaciteit_gemeente') }}

),

opgeteld as (

    {%- for regio_type, code, naam in regio_typen %}
        {% if not loop.first %}union all{% endif %}

        select
            cast('{{ regio_type }}' as {{ dbt.type_string() }}) as regio_type,
            cast({{ code }} as {{ dbt.type_string() }}) as regio_code,
            cast(max({{ naam }}) as {{ dbt.type_string() }}) as regio_naam,
            peiljaar,
            max(laatste_aanlevering_op) as laatste_aanlevering_op,
            {{ capmon.capaciteit_optelbare_select(aggregaat='sum') }}
            cast(sum(case when praktijken_aangeleverd > 0 then 1 else 0 end) as {{ int }})
                as aantal_gemeenten_met_aanlevering,
            cast(count(*) as {{ int }}) as aantal_gemeenten
        from gemeenten
        group by {{ code }}, peiljaar
    {%- endfor %}

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
