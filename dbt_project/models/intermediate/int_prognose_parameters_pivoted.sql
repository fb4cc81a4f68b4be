/*
    The Capaciteitsorgaan's parameters of one raming (var capmon_prognose.raming), one row
    per scenario, each under a readable name. The only place the projection reads them.

    Supply and training parameters have no scenario in the file and repeat on every row;
    demand parameters are picked per scenario (suffix _laag, _midden, _hoog).
    niet_demografische_groei is the yearly sum of the non-demographic demand components:
    epidemiologie, sociaal-cultureel, vakinhoudelijk, efficiency, horizontale substitutie,
    arbeidstijd (ATV) and verticale substitutie.
*/
{%- set dbl = capmon.type_double() %}
{#- output column: (variabele, categorie1) -#}
{%- set algemeen = {
    'basisjaar_raming': ('basisjaar', 'Jaar'),
    'bijsturingsjaar': ('bijsturingsjaar', 'Jaar'),
    'trendjaar': ('trendjaar', 'Jaar'),
    'evenwichtsjaar': ('evenwichtsjaar2', 'Jaar'),
    'opleidingsduur': ('opleidingsduur', 'Jaar'),
    'aanbod_personen_raming': ('aanbod_personen', 'Zorgaanbod'),
    'aandeel_vrouw_raming': ('per_vrouw_basis', 'Zorgaanbod'),
    'fte_factor_vrouw': ('fte_vrouw_basis', 'Zorgaanbod'),
    'fte_factor_man': ('fte_man_basis', 'Zorgaanbod'),
    'uitstroom_vrouw_5': ('uitstroom_vrouw_basis_vijf', 'Zorgaanbod'),
    'uitstroom_vrouw_10': ('uitstroom_vrouw_basis_tien', 'Zorgaanbod'),
    'uitstroom_vrouw_15': ('uitstroom_vrouw_basis_vijftien', 'Zorgaanbod'),
    'uitstroom_vrouw_20': ('uitstroom_vrouw_basis_twintig', 'Zorgaanbod'),
    'uitstroom_man_5': ('uitstroom_man_basis_vijf', 'Zorgaanbod'),
    'uitstroom_man_10': ('uitstroom_man_basis_tien', 'Zorgaanbod'),
    'uitstroom_man_15': ('uitstroom_man_basis_vijftien', 'Zorgaanbod'),
    'uitstroom_man_20': ('uitstroom_man_basis_twintig', 'Zorgaanbod'),
    'opleidingsinstroom_tot_basisjaar': ('n_inopleiding_perjaar', 'Opleiding'),
    'opleidingsinstroom_tot_bijsturingsjaar': ('n_inopleiding_perjaar2', 'Opleiding'),
    'opleidingsinstroom_vanaf_bijsturingsjaar': ('n_inopleiding_perjaar3', 'Opleiding'),
    'aandeel_vrouw_opleiding_tot_basisjaar': ('per_vrouw_opleiding', 'Opleiding'),
    'aandeel_vrouw_opleiding_tot_bijsturingsjaar': ('per_vrouw_opleiding2', 'Opleiding'),
    'aandeel_vrouw_opleiding_vanaf_bijsturingsjaar': ('per_vrouw_opleiding3', 'Opleiding'),
    'intern_rendement_tot_basisjaar': ('intern_rendement', 'Opleiding'),
    'intern_rendement_tot_bijsturingsjaar': ('intern_rendement2', 'Opleiding'),
    'intern_rendement_vanaf_bijsturingsjaar': ('intern_rendement3', 'Opleiding'),
    'extern_rendement_vrouw_1': ('extern_rendement_vrouw_1jaar', 'Opleiding'),
    'extern_rendement_vrouw_5': ('extern_rendement_vrouw_5jaar', 'Opleiding'),
    'extern_rendement_vrouw_10': ('extern_rendement_vrouw_10jaar', 'Opleiding'),
    'extern_rendement_vrouw_15': ('extern_rendement_vrouw_15jaar', 'Opleiding'),
    'extern_rendement_man_1': ('extern_rendement_man_1jaar', 'Opleiding'),
    'extern_rendement_man_5': ('extern_rendement_man_5jaar', 'Opleiding'),
    'extern_rendement_man_10': ('extern_rendement_man_10jaar', 'Opleiding'),
    'extern_rendement_man_15': ('extern_rendement_man_15jaar', 'Opleiding'),
    'buitenland_instroom': ('n_buitenland', 'Buitenland'),
    'aandeel_vrouw_buitenland': ('per_vrouw_buitenland', 'Buitenland'),
    'rendement_buitenland': ('rendement_buitenland', 'Buitenland'),
} %}
{#- output column: variable prefix, completed with _<scenario> -#}
{%- set per_scenario = {
    'onvervulde_vraag': 'onv_vraag',
    'demografie_5': 'demo_5',
    'demografie_10': 'demo_10',
    'demografie_15': 'demo_15',
    'demografie_20': 'demo_20',
} %}
{%- set niet_demografisch = ['epi', 'soc', 'vak', 'eff', 'hor', 'tijd', 'ver'] %}
{%- set jaarkolommen = [
    'basisjaar_raming', 'bijsturingsjaar', 'trendjaar', 'evenwichtsjaar', 'opleidingsduur'
] %}

with

parameters as (

    select * from {{ ref('stg_reference__capaciteitsorgaan_parameters') }}
    where raming = {{ var('capmon_prognose').raming }}

),

scenarios as (

    {{ capmon.prognose_scenarios() }}

),

pivoted as (

    select
        scenarios.scenario,
        {%- for kolom, (variabele, categorie) in algemeen.items() %}
            max(
                case
                    when
                        parameters.variabele = '{{ variabele }}'
                        and parameters.categorie1 = '{{ categorie }}'
                        then parameters.waarde
                end
            ) as {{ kolom }},
        {%- endfor %}
        {%- for kolom, prefix in per_scenario.items() %}
            max(
                case
                    when
                        parameters.variabele
                        = {{ dbt.concat(["'" ~ prefix ~ "_'", 'scenarios.scenario']) }}
                        then parameters.waarde
                end
            ) as {{ kolom }},
        {%- endfor %}
        sum(
            case
                when parameters.variabele in (
                        {%- for prefix in niet_demografisch %}
                            {{ dbt.concat(["'" ~ prefix ~ "_'", 'scenarios.scenario']) }}
                            {%- if not loop.last %},{% endif %}
                        {%- endfor %}
                    ) then parameters.waarde
                else 0
            end
        ) as niet_demografische_groei
    from scenarios
    cross join parameters
    group by scenarios.scenario

),

typed as (

    select
        scenario,
        cast({{ var('capmon_prognose').raming }} as {{ dbt.type_int() }}) as raming,
        {%- for kolom in algemeen %}
            {%- if kolom in jaarkolommen %}
                cast({{ kolom }} as {{ dbt.type_int() }}) as {{ kolom }},
            {%- else %}
                cast({{ kolom }} as {{ dbl }}) as {{ kolom }},
            {%- endif %}
        {%- endfor %}
        {%- for kolom in per_scenario %}
            cast({{ kolom }} as {{ dbl }}) as {{ kolom }},
        {%- endfor %}
        cast(niet_demografische_groei as {{ dbl }}) as niet_demografische_groei
    from pivoted

)

select * from typed
