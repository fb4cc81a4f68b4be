/*
    The Capaciteitsorgaan's parameters of one raming (var capmon_prognose.raming), one row,
    each under a readable name: the only place the projection reads them.

    Training: duration, intake, share of women and yields come from the `Opleiding` rows,
    one set per group of cohorts (in training at the basisjaar; starting up to the
    bijsturingsjaar; starting from the bijsturingsjaar on), as the hoofdmodel reads them.
    The `Jaar` row opleidingsduur (whole years) is not used: the hoofdmodel counts
    fractional cohorts (3.2 years in the raming 2025).
    Demand: the file has a laag/midden/hoog column per component; the hoofdmodel's scenario
    steps use the midden values (in the raming 2025 all three are identical). werkproces_groei
    is the yearly sum of epidemiologie, sociaal-cultureel, vakinhoudelijk, efficiency and
    horizontale substitutie (the "werkproces" of scenario steps 2 and 3).
*/
{%- set dbl = capmon.type_double() %}
{#- output column: (variabele, categorie1) -#}
{%- set kolommen = {
    'basisjaar_raming': ('basisjaar', 'Jaar'),
    'bijsturingsjaar': ('bijsturingsjaar', 'Jaar'),
    'trendjaar': ('trendjaar', 'Jaar'),
    'evenwichtsjaar_kort': ('evenwichtsjaar1', 'Jaar'),
    'evenwichtsjaar': ('evenwichtsjaar2', 'Jaar'),
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
    'opleidingsduur_tot_basisjaar': ('opleidingsduur', 'Opleiding'),
    'opleidingsduur_tot_bijsturingsjaar': ('opleidingsduur2', 'Opleiding'),
    'opleidingsduur_vanaf_bijsturingsjaar': ('opleidingsduur3', 'Opleiding'),
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
    'onvervulde_vraag': ('onv_vraag_midden', 'Zorgvraag'),
    'demografie_5': ('demo_5_midden', 'Zorgvraag'),
    'demografie_10': ('demo_10_midden', 'Zorgvraag'),
    'demografie_15': ('demo_15_midden', 'Zorgvraag'),
    'demografie_20': ('demo_20_midden', 'Zorgvraag'),
    'epidemiologie': ('epi_midden', 'Zorgvraag'),
    'sociaal_cultureel': ('soc_midden', 'Zorgvraag'),
    'vakinhoudelijk': ('vak_midden', 'Zorgvraag'),
    'efficiency': ('eff_midden', 'Zorgvraag'),
    'horizontale_substitutie': ('hor_midden', 'Zorgvraag'),
    'arbeidstijd': ('tijd_midden', 'Zorgvraag'),
    'verticale_substitutie': ('ver_midden', 'Zorgvraag'),
} %}
{%- set jaarkolommen = [
    'basisjaar_raming', 'bijsturingsjaar', 'trendjaar', 'evenwichtsjaar_kort', 'evenwichtsjaar'
] %}

with

parameters as (

    select * from {{ ref('stg_reference__capaciteitsorgaan_parameters') }}
    where raming = {{ var('capmon_prognose').raming }}

),

pivoted as (

    select
        {%- for kolom, (variabele, categorie) in kolommen.items() %}
            max(
                case
                    when
                        variabele = '{{ variabele }}'
                        and categorie1 = '{{ categorie }}'
                        then waarde
                end
            ) as {{ kolom }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from parameters

),

typed as (

    select
        cast({{ var('capmon_prognose').raming }} as {{ dbt.type_int() }}) as raming,
        {%- for kolom in kolommen %}
            {%- if kolom in jaarkolommen %}
                cast({{ kolom }} as {{ dbt.type_int() }}) as {{ kolom }},
            {%- else %}
                cast(coalesce({{ kolom }}, 0) as {{ dbl }}) as {{ kolom }},
            {%- endif %}
        {%- endfor %}
        cast(
            coalesce(epidemiologie, 0) + coalesce(sociaal_cultureel, 0)
            + coalesce(vakinhoudelijk, 0) + coalesce(efficiency, 0)
            + coalesce(horizontale_substitutie, 0) as {{ dbl }}
        ) as werkproces_groei
    from pivoted

)

select * from typed
