{#
    Every column rule of one model in one query, one pass over the model: each rule counts
    its failing rows, and the test returns one row per failing rule with the column, the
    rule in words, the number of failing rows, an example value and an example row (its
    `sleutel` columns). NULL semantics as the single tests had them: only not_null fails
    on NULL; non_negative, between, accepted_values, in_codelijst and expression_is_true
    let NULL pass.

    not_null:           [kolom, ...]  (models without an enforced contract on a table)
    non_negative:       [kolom, ...]
    between:            {kolom: {min_value: .., max_value: ..}}  (either bound may be left out)
    accepted_values:    {kolom: [waarde, ...]}  or  {kolom: {values: [..], quote: false}}
    in_codelijst:       {kolom: {lijst: .., extra: [..]}}  (var capmon_codes)
    expression_is_true: {naam: expressie}  or  {naam: {expression: .., description: ..}}
    sleutel:            [kolom, ...]  the columns that name an example row
#}
{% test kolomregels(
    model, not_null=[], non_negative=[], between={}, accepted_values={}, in_codelijst={},
    expression_is_true={}, sleutel=[]
) %}

{%- set tekst = dbt.type_string() %}
{%- set regels = [] %}
{%- for kolom in not_null %}
    {%- do regels.append({
        'kolom': kolom, 'regel': 'not_null', 'omschrijving': 'mag niet leeg zijn',
        'fout': kolom ~ ' is null', 'waarde': none}) %}
{%- endfor %}
{%- for kolom in non_negative %}
    {%- do regels.append({
        'kolom': kolom, 'regel': 'non_negative', 'omschrijving': 'mag niet negatief zijn',
        'fout': kolom ~ ' < 0', 'waarde': kolom}) %}
{%- endfor %}
{%- for kolom, grenzen in between.items() %}
    {%- set onder = grenzen.min_value if grenzen.min_value is defined else none %}
    {%- set boven = grenzen.max_value if grenzen.max_value is defined else none %}
    {%- set buiten = [] %}
    {%- if onder is not none %}{% do buiten.append(kolom ~ ' < ' ~ onder) %}{% endif %}
    {%- if boven is not none %}{% do buiten.append(kolom ~ ' > ' ~ boven) %}{% endif %}
    {%- if onder is not none and boven is not none %}
        {%- set woorden = 'moet tussen ' ~ onder ~ ' en ' ~ boven ~ ' liggen' %}
    {%- elif onder is not none %}
        {%- set woorden = 'mag niet onder ' ~ onder ~ ' liggen' %}
    {%- else %}
        {%- set woorden = 'mag niet boven ' ~ boven ~ ' liggen' %}
    {%- endif %}
    {%- do regels.append({
        'kolom': kolom, 'regel': 'between', 'omschrijving': woorden,
        'fout': '(' ~ (buiten | join(' or ') or '1 = 0') ~ ')', 'waarde': kolom}) %}
{%- endfor %}
{%- for kolom, waarden in accepted_values.items() %}
    {%- set quote = waarden.quote if waarden is mapping and waarden.quote is defined else true %}
    {%- set waarden = waarden['values'] if waarden is mapping else waarden %}
    {%- set codes = [] %}
    {%- for waarde in waarden %}
        {%- do codes.append(
            "'" ~ (waarde | string | replace("'", "''")) ~ "'" if quote else waarde | string) %}
    {%- endfor %}
    {%- do regels.append({
        'kolom': kolom, 'regel': 'accepted_values',
        'omschrijving': 'moet een van ' ~ waarden | join(', ') ~ ' zijn',
        'fout': kolom ~ ' not in (' ~ codes | join(', ') ~ ')', 'waarde': kolom}) %}
{%- endfor %}
{%- for kolom, lijst in in_codelijst.items() %}
    {%- set lijst = {'lijst': lijst} if lijst is string else lijst %}
    {%- set codes = [] %}
    {%- for code in capmon.codelijst(lijst.lijst) + (lijst.extra or []) %}
        {%- do codes.append("'" ~ (code | string | replace("'", "''")) ~ "'") %}
    {%- endfor %}
    {%- do regels.append({
        'kolom': kolom, 'regel': 'in_codelijst',
        'omschrijving': 'moet een code uit de codelijst ' ~ lijst.lijst ~ ' zijn'
            ~ (' (of ' ~ lijst.extra | join(', ') ~ ')' if lijst.extra else ''),
        'fout': kolom ~ ' not in (' ~ codes | join(', ') ~ ')', 'waarde': kolom}) %}
{%- endfor %}
{%- for naam, expressie in expression_is_true.items() %}
    {%- set expressie = expressie.expression if expressie is mapping else expressie %}
    {%- do regels.append({
        'kolom': naam, 'regel': 'expression_is_true',
        'omschrijving': 'moet waar zijn: ' ~ (expressie | trim),
        'fout': 'not (' ~ (expressie | trim) ~ ')', 'waarde': none}) %}
{%- endfor %}
{%- if not regels %}
    {{ exceptions.raise_compiler_error('kolomregels on ' ~ model ~ ' without a rule') }}
{%- endif %}
{%- set rij_delen = [] %}
{%- for kolom in sleutel %}
    {%- if not loop.first %}{% do rij_delen.append("', '") %}{% endif %}
    {%- do rij_delen.append("'" ~ kolom ~ "='") %}
    {%- do rij_delen.append("coalesce(cast(" ~ kolom ~ " as " ~ tekst ~ "), 'NULL')") %}
{%- endfor %}

with

rijen as (

    select
        *,
        {% if rij_delen %}{{ dbt.concat(rij_delen) }}{% else %}cast(null as {{ tekst }}){% endif %}
            as kolomregels_rij
    from {{ model }}

),

getoetst as (

    select
        {%- for regel in regels %}
            sum(case when {{ regel.fout }} then 1 else 0 end) as fout_{{ loop.index }},
            min(
                case
                    when {{ regel.fout }}
                        then cast({{ regel.waarde or 'null' }} as {{ tekst }})
                end
            ) as waarde_{{ loop.index }},
            min(case when {{ regel.fout }} then kolomregels_rij end) as rij_{{ loop.index }},
        {%- endfor %}
        count(*) as aantal_rijen_getoetst
    from rijen

),

regels as (

    {%- for regel in regels %}
        select
            {{ loop.index }} as nr,
            '{{ regel.kolom }}' as kolom,
            '{{ regel.regel }}' as regel,
            '{{ regel.omschrijving | replace("'", "''") }}' as omschrijving
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

uitgevouwen as (

    select
        regels.kolom,
        regels.regel,
        regels.omschrijving,
        case regels.nr
            {%- for regel in regels %}
                when {{ loop.index }} then getoetst.fout_{{ loop.index }}
            {%- endfor %}
        end as aantal_rijen,
        case regels.nr
            {%- for regel in regels %}
                when {{ loop.index }} then getoetst.waarde_{{ loop.index }}
            {%- endfor %}
        end as voorbeeld_waarde,
        case regels.nr
            {%- for regel in regels %}
                when {{ loop.index }} then getoetst.rij_{{ loop.index }}
            {%- endfor %}
        end as voorbeeld_rij
    from regels
    cross join getoetst

)

select *
from uitgevouwen
where aantal_rijen > 0

{% endtest %}
