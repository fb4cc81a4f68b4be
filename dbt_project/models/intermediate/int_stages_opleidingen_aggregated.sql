/*
    Internships per gemeente × peiljaar (the year the school year ends) × opleiding
    (education type): only the combinations that occur in the stagebureau exports.

    aangevraagd, aangeboden and geplaatst are summed over the periods, bureaus and
    institutions of the school year. The waiting list is a stock, not a flow: it is taken
    from the last periode each bureau reported for that school year. This is the one place
    of that rule; int_stages_aggregated pivots these rows per gemeente × peiljaar.
*/
with

stages as (

    select * from {{ ref('stg_stagebureau__stages') }}

),

laatste_periode as (

    select
        bureau_code,
        schooljaar,
        max(periode) as periode
    from stages
    group by bureau_code, schooljaar

),

gemarkeerd as (

    select
        stages.gemeentecode,
        stages.peiljaar,
        stages.opleiding,
        stages.aangevraagd,
        stages.aangeboden,
        stages.geplaatst,
        case
            when laatste_periode.periode is not null then stages.wachtlijst else 0
        end as wachtlijst_einde
    from stages
    left join laatste_periode
        on
            stages.bureau_code = laatste_periode.bureau_code
            and stages.schooljaar = laatste_periode.schooljaar
            and stages.periode = laatste_periode.periode

),

final as (

    select
        gemeentecode,
        peiljaar,
        opleiding,
        cast(sum(aangevraagd) as {{ dbt.type_int() }}) as aangevraagd,
        cast(sum(aangeboden) as {{ dbt.type_int() }}) as aangeboden,
        cast(sum(geplaatst) as {{ dbt.type_int() }}) as geplaatst,
        cast(sum(wachtlijst_einde) as {{ dbt.type_int() }}) as wachtlijst
    from gemarkeerd
    group by gemeentecode, peiljaar, opleiding

)

select * from final
