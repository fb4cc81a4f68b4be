/*
    Open vacancies (status 'open') of the counted zorggroep submissions, one row per vacancy,
    with the practice's gemeente and lang_open: open longer than
    capmon_vacature_lang_open_maanden (6) months at the end of the submission's quarter.
*/
with

vacatures as (

    select * from {{ ref('stg_zorggroep__vacatures') }}
    where status = 'open'

),

praktijken as (

    select * from {{ ref('int_praktijken_deduplicated') }}

),

joined as (

    select
        vacatures.praktijk_agb,
        praktijken.gemeentecode,
        praktijken.peiljaar,
        vacatures.functie,
        vacatures.fte,
        vacatures.open_sinds,
        praktijken.periode_einde,
        coalesce(
            vacatures.open_sinds
            < {{ dbt.dateadd(
                'month',
                -1 * var('capmon_vacature_lang_open_maanden'),
                'praktijken.periode_einde'
            ) }},
            false
        ) as lang_open
    from vacatures
    inner join praktijken
        on
            vacatures._bronbestand = praktijken._bronbestand
            and vacatures._sha256 = praktijken._sha256
            and vacatures.praktijk_agb = praktijken.praktijk_agb

)

select * from joined
