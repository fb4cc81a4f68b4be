/*
    GPs of the counted zorggroep submissions (person level, restricted) with their age on
    the peiljaar and the year they are expected to stop: verwacht_stopjaar where the
    zorggroep gave one, else the year they turn capmon_stopleeftijd (67). stopjaar_bron
    says which. Only rows of the submission that counts for the practice
    (int_praktijken_deduplicated) are kept.
*/
with

huisartsen as (

    select * from {{ ref('stg_zorggroep__huisartsen') }}

),

praktijken as (

    select * from {{ ref('int_praktijken_deduplicated') }}

),

joined as (

    select
        huisartsen.persoon_id,
        huisartsen.praktijk_agb,
        praktijken.gemeentecode,
        praktijken.peiljaar,
        huisartsen.rol,
        huisartsen.geslacht,
        huisartsen.geboortejaar,
        huisartsen.fte,
        huisartsen.opvolging,
        praktijken.peiljaar - huisartsen.geboortejaar as leeftijd,
        coalesce(
            huisartsen.verwacht_stopjaar,
            huisartsen.geboortejaar + {{ var('capmon_stopleeftijd') }}
        ) as verwacht_stopjaar,
        case
            when huisartsen.verwacht_stopjaar is not null then 'opgegeven' else 'leeftijd'
        end as stopjaar_bron
    from huisartsen
    inner join praktijken
        on
            huisartsen._bronbestand = praktijken._bronbestand
            and huisartsen._sha256 = praktijken._sha256
            and huisartsen.praktijk_agb = praktijken.praktijk_agb

),

final as (

    select
        *,
        verwacht_stopjaar <= peiljaar + {{ var('capmon_stop_horizon_jaren') }}
            as stopt_binnen_horizon,
        coalesce(opvolging <> 'geregeld', true) as zonder_geregelde_opvolging
    from joined

)

select * from final
