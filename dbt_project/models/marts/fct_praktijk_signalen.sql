/*
    RESTRICTED (practice level). The early-warning list: one row per practice × peiljaar ×
    signal, for every reason a practice of the counted zorggroep submissions may be heading
    for trouble. No person-level fields (pseudonym, birth year, stop year) leave the
    intermediate layer: a signal carries only counts. gemeentecode and azw_regio_code are
    there for row-level security (a region sees only its own practices).

    Signals (signaal):
    - praktijkhouder_60plus_zonder_opvolging: holders aged 60+ whose succession is not
      'geregeld' (aantal = holders);
    - stopt_binnen_5jr_zonder_opvolging: holders expected to stop within 5 years (stated
      stop year, or the year they turn capmon_stopleeftijd, 67) without settled succession
      (aantal = holders);
    - vacature_langer_dan_6_maanden: open vacancies older than 6 months (aantal = vacancies);
    - patientenstop_gedeeltelijk / patientenstop_volledig: the practice's patient stop;
    - solo_huisarts_boven_1_fte: the practice's only GP works more than 1.0 FTE.
*/
{%- set int = dbt.type_int() %}

with

praktijken as (

    select * from {{ ref('int_praktijken_deduplicated') }}

),

huisartsen as (

    select * from {{ ref('int_zorggroep_huisartsen_enriched') }}

),

vacatures as (

    select * from {{ ref('int_vacatures_assessed') }}

),

gemeenten as (

    select * from {{ ref('dim_gemeente') }}

),

per_huisarts as (

    select
        praktijk_agb,
        peiljaar,
        count(*) as huisartsen,
        max(fte) as hoogste_fte,
        sum(
            case
                when rol = 'praktijkhouder' and leeftijd >= 60 and zonder_geregelde_opvolging
                    then 1
                else 0
            end
        ) as houders_60plus_zonder_opvolging,
        sum(
            case
                when rol = 'praktijkhouder' and stopt_binnen_horizon and zonder_geregelde_opvolging
                    then 1
                else 0
            end
        ) as stoppers_zonder_opvolging
    from huisartsen
    group by praktijk_agb, peiljaar

),

per_vacature as (

    select
        praktijk_agb,
        peiljaar,
        sum(case when lang_open then 1 else 0 end) as vacatures_lang_open,
        sum(case when lang_open and functie = 'huisarts' then 1 else 0 end)
            as vacatures_lang_open_huisarts
    from vacatures
    group by praktijk_agb, peiljaar

),

signalen as (

    select
        praktijk_agb,
        peiljaar,
        'praktijkhouder_60plus_zonder_opvolging' as signaal,
        houders_60plus_zonder_opvolging as aantal,
        'praktijkhouders van 60+ zonder geregelde opvolging' as toelichting
    from per_huisarts
    where houders_60plus_zonder_opvolging > 0

    union all

    select
        praktijk_agb,
        peiljaar,
        'stopt_binnen_5jr_zonder_opvolging' as signaal,
        stoppers_zonder_opvolging as aantal,
        'praktijkhouders die binnen 5 jaar stoppen zonder geregelde opvolging' as toelichting
    from per_huisarts
    where stoppers_zonder_opvolging > 0

    union all

    select
        praktijk_agb,
        peiljaar,
        'vacature_langer_dan_6_maanden' as signaal,
        vacatures_lang_open as aantal,
        {{ dbt.concat([
            "'open vacatures, waarvan huisarts: '",
            dbt.cast('vacatures_lang_open_huisarts', dbt.type_string()),
        ]) }} as toelichting
    from per_vacature
    where vacatures_lang_open > 0

    union all

    select
        praktijk_agb,
        peiljaar,
        {{ dbt.concat(["'patientenstop_'", 'patientenstop']) }} as signaal,
        1 as aantal,
        {{ dbt.concat(["'patiëntenstop '", 'patientenstop']) }} as toelichting
    from praktijken
    where patientenstop in ('gedeeltelijk', 'volledig')

    union all

    select
        praktijk_agb,
        peiljaar,
        'solo_huisarts_boven_1_fte' as signaal,
        1 as aantal,
        'enige huisarts van de praktijk werkt meer dan 1,0 fte' as toelichting
    from per_huisarts
    where huisartsen = 1 and hoogste_fte > 1.0

),

final as (

    select
        cast(signalen.praktijk_agb as {{ dbt.type_string() }}) as praktijk_agb,
        cast(signalen.peiljaar as {{ int }}) as peiljaar,
        cast(signalen.signaal as {{ dbt.type_string() }}) as signaal,
        cast(signalen.aantal as {{ int }}) as aantal,
        cast(signalen.toelichting as {{ dbt.type_string() }}) as toelichting,
        cast(praktijken.gemeentecode as {{ dbt.type_string() }}) as gemeentecode,
        cast(gemeenten.gemeentenaam as {{ dbt.type_string() }}) as gemeentenaam,
        cast(gemeenten.azw_regio_code as {{ dbt.type_string() }}) as azw_regio_code,
        cast(gemeenten.azw_regio_naam as {{ dbt.type_string() }}) as azw_regio_naam,
        cast(praktijken.zorggroep_code as {{ dbt.type_string() }}) as zorggroep_code,
        cast(praktijken.praktijkvorm as {{ dbt.type_string() }}) as praktijkvorm,
        cast(praktijken.ingeschreven_patienten as {{ int }}) as ingeschreven_patienten,
        cast(praktijken.aangeleverd_op as date) as aangeleverd_op
    from signalen
    inner join praktijken
        on
            signalen.praktijk_agb = praktijken.praktijk_agb
            and signalen.peiljaar = praktijken.peiljaar
    left join gemeenten
        on praktijken.gemeentecode = gemeenten.gemeentecode

)

select * from final
