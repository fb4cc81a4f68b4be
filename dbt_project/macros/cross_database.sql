{#
    Small cross-database helpers. Marts use only these, dbt's own cross-database
    macros and ANSI SQL, so the project runs on DuckDB, PostgreSQL, Trino or Spark.
    Adapter-specific variants are chosen with adapter.dispatch.
#}

{#- A double-precision float. dbt.type_float() gives FLOAT, which is 4 bytes on DuckDB. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'capmon')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro trino__type_double() -%}
    double
{%- endmacro %}


{#-
    numerator / denominator as a double, NULL when the denominator is 0 or NULL.
    Both sides are cast first so integer division never truncates.
-#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'capmon')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    (
        cast({{ numerator }} as {{ capmon.type_double() }})
        / nullif(cast({{ denominator }} as {{ capmon.type_double() }}), 0)
    )
{%- endmacro %}


{#- 1 January of an integer year, as a DATE. -#}
{% macro year_start_date(year) -%}
    {{ return(adapter.dispatch('year_start_date', 'capmon')(year)) }}
{%- endmacro %}

{% macro default__year_start_date(year) -%}
    cast({{ dbt.concat([dbt.cast(year, dbt.type_string()), "'-01-01'"]) }} as date)
{%- endmacro %}

{% macro duckdb__year_start_date(year) -%}
    make_date(cast({{ year }} as integer), 1, 1)
{%- endmacro %}
