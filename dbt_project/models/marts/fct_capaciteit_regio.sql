/*
    GP capacity per region × peiljaar for three region types (regio_type): the AZW region
    ('azw', RegioPlus arbeidsmarktregio), the province ('provincie') and the GGD region
    ('ggd'). Every count is the sum over the region's gemeenten in fct_capaciteit_gemeente;
    every rate, balance figure and the spanningsindex are recomputed from those sums with
    the same formulas as the gemeente mart (macros/capaciteit.sql): ratios of sums, never
    averages of municipal ratios.
*/
{%- set regio_typen = [
    ('azw', 'azw_regio_code', 'azw_regio_naam'),
    ('provincie', 'provincie_code', 'provincie_naam'),
    ('ggd', 'ggd_regio_code', 'ggd_regio_naam'),
] %}

with

-- Totals over gemeenten as published: docs/onthullingsbeheersing.md.
gemeenten as (

    {{ capmon.gemeenten_in_totalen() }}

),

opgeteld as (

    {%- for regio_type, code, naam in regio_typen %}
        {% if not loop.first %}union all{% endif %}

        select
            cast('{{ regio_type }}' as {{ dbt.type_string() }}) as regio_type,
            cast({{ code }} as {{ dbt.type_string() }}) as regio_code,
            cast(max({{ naam }}) as {{ dbt.type_string() }}) as regio_naam,
            peiljaar,
            {{ capmon.capaciteit_sommen_over_gemeenten() }}
        from gemeenten
        group by {{ code }}, peiljaar
    {%- endfor %}

),

{{ capmon.capaciteit_uit_sommen('opgeteld', landelijk='regio_type, peiljaar') }},

provincies as (

    select * from {{ ref('stg_reference__provincies') }}

)

-- The ISO 3166-2 code lets Superset's Country Map draw the provinces from this mart.
select
    final.*,
    cast(provincies.provincie_iso as {{ dbt.type_string() }}) as provincie_iso
from final
left join provincies
    on
        final.regio_type = 'provincie'
        and final.regio_code = provincies.provincie_code
