{#
    Helpers of the projection models (int_prognose_*, fct_prognose_*). ANSI SQL only.
#}

{#-
    Piecewise-linear interpolation of x through the points [(x0, 'y0'), (x1, 'y1'), ...]
    (x ascending, numbers; y as SQL expressions). Below the first point: the first y;
    beyond the last point: the last y (held, not extrapolated).
-#}
{% macro interpoleer(x, punten) -%}
    case
        when {{ x }} <= {{ punten[0][0] }} then {{ punten[0][1] }}
        {%- for i in range(1, punten | length) %}
            {%- set x0, y0 = punten[i - 1] %}
            {%- set x1, y1 = punten[i] %}
        when {{ x }} <= {{ x1 }}
            then {{ y0 }} + ({{ y1 }} - ({{ y0 }})) * ({{ x }} - {{ x0 }}) / {{ x1 - x0 }}.0
        {%- endfor %}
        else {{ punten[-1][1] }}
    end
{%- endmacro %}


{#- x clamped to [lower, upper] (ANSI CASE; greatest/least are not everywhere). -#}
{% macro begrens(x, lower, upper) -%}
    case
        when {{ x }} < {{ lower }} then {{ lower }}
        when {{ x }} > {{ upper }} then {{ upper }}
        else {{ x }}
    end
{%- endmacro %}
