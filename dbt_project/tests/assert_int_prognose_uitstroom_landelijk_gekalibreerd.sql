/*
    The age-specific outflow reproduces the Capaciteitsorgaan's national outflow: applied to
    the national base-year stock, the share of each sex gone after `jaren` years equals the
    raming's uitstroom_cumulatief wherever no clamp or running maximum was needed
    (is_gekalibreerd), and is never below it elsewhere (the monotone outflow may lose more).
*/
with

bestand as (

    select * from {{ ref('int_prognose_basisbestand_aggregated') }}
    where gebiedsniveau = 'nationaal'

),

uitstroom as (

    select * from {{ ref('int_prognose_uitstroom_calibrated') }}

),

landelijk as (

    select
        uitstroom.geslacht,
        uitstroom.jaren,
        max(uitstroom.uitstroom_cumulatief_landelijk) as verwacht,
        sum(bestand.personen * uitstroom.uitstroom_cumulatief) / sum(bestand.personen) as berekend,
        min(case when uitstroom.is_gekalibreerd then 1 else 0 end) as is_gekalibreerd
    from bestand
    inner join uitstroom
        on
            bestand.geslacht = uitstroom.geslacht
            and bestand.leeftijdsklasse = uitstroom.leeftijdsklasse
    group by uitstroom.geslacht, uitstroom.jaren

)

select *
from landelijk
where
    (is_gekalibreerd = 1 and abs(berekend - verwacht) > 0.000001)
    or berekend < verwacht - 0.000001
