/*
    Inhabitants for every gemeente × peiljaar from 2020 (var capmon_bevolking_eerste_jaar,
    or the first Nivel peiljaar if earlier) up to the latest Nivel peiljaar or CBS year, as
    on 1 January of the peiljaar itself.

    A peiljaar with a vendored CBS gemeente file takes its figures unchanged. Any other
    peiljaar is estimated: the gemeente distribution of the nearest CBS year (on a tie the
    later year) scaled so that the gemeenten add up to the national CBS total on 1 January
    of the peiljaar (stg_reference__bevolking_nederland), rounded to whole persons by
    largest remainder so the sum is exact. Without a national total for the peiljaar the
    nearest year's figures are used unscaled. Either way inwoners_is_geschat is true and
    inwoners_bronjaar names the year whose distribution was used. Scaling keeps every
    gemeente's share of the country, so a trend per 10,000 inhabitants follows the
    national population rather than jumping where the source year changes.
*/
{%- set dbl = capmon.type_double() %}
{%- set int = dbt.type_int() %}

with

bevolking as (

    select * from {{ ref('stg_reference__bevolking') }}
    where inwoners is not null

),

landelijk as (

    select * from {{ ref('stg_reference__bevolking_nederland') }}

),

nivel_peiljaren as (

    select
        min(peiljaar) as eerste_peiljaar,
        max(peiljaar) as laatste_peiljaar
    from {{ ref('stg_nivel__registratie') }}

),

cbs_jaren as (

    select distinct jaar
    from bevolking

),

grenzen as (

    select
        case
            when nivel_peiljaren.eerste_peiljaar < {{ var('capmon_bevolking_eerste_jaar') }}
                then nivel_peiljaren.eerste_peiljaar
            else {{ var('capmon_bevolking_eerste_jaar') }}
        end as eerste_jaar,
        case
            when nivel_peiljaren.laatste_peiljaar > max(cbs_jaren.jaar)
                then nivel_peiljaren.laatste_peiljaar
            else max(cbs_jaren.jaar)
        end as laatste_jaar
    from nivel_peiljaren
    cross join cbs_jaren
    group by nivel_peiljaren.eerste_peiljaar, nivel_peiljaren.laatste_peiljaar

),

reeks as (

    {{ dbt.generate_series(200) }}

),

peiljaren as (

    select grenzen.eerste_jaar + reeks.generated_number - 1 as peiljaar
    from grenzen
    cross join reeks
    where grenzen.eerste_jaar + reeks.generated_number - 1 <= grenzen.laatste_jaar

),

-- One source year per peiljaar for all gemeenten: a whole distribution, never a mix.
bronjaren as (

    select
        peiljaar,
        jaar as bronjaar
    from (
        select
            peiljaren.peiljaar,
            cbs_jaren.jaar,
            row_number() over (
                partition by peiljaren.peiljaar
                order by abs(cbs_jaren.jaar - peiljaren.peiljaar) asc, cbs_jaren.jaar desc
            ) as rangorde
        from peiljaren
        cross join cbs_jaren
    ) as kandidaten
    where rangorde = 1

),

bron as (

    select
        bronjaren.peiljaar,
        bronjaren.bronjaar,
        bevolking.gemeentecode,
        bevolking.inwoners,
        bevolking.inwoners_65plus,
        bevolking.bron,
        landelijk.inwoners as inwoners_nederland,
        sum(bevolking.inwoners) over (partition by bronjaren.peiljaar) as bron_totaal
    from bronjaren
    inner join bevolking
        on bronjaren.bronjaar = bevolking.jaar
    left join landelijk
        on bronjaren.peiljaar = landelijk.jaar

),

geschaald as (

    select
        *,
        case
            when bronjaar <> peiljaar and inwoners_nederland is not null
                then cast(inwoners as {{ dbl }}) * inwoners_nederland / bron_totaal
            else cast(inwoners as {{ dbl }})
        end as inwoners_exact,
        case
            when bronjaar <> peiljaar and inwoners_nederland is not null
                then cast(inwoners_65plus as {{ dbl }}) * inwoners_nederland / bron_totaal
            else cast(inwoners_65plus as {{ dbl }})
        end as inwoners_65plus_exact
    from bron

),

-- Largest remainder: the floors, plus one person for the gemeenten with the largest
-- fractions until the national total is reached exactly.
afgerond as (

    select
        *,
        floor(inwoners_exact) as inwoners_basis,
        row_number() over (
            partition by peiljaar
            order by inwoners_exact - floor(inwoners_exact) desc, gemeentecode
        ) as restrang,
        sum(floor(inwoners_exact)) over (partition by peiljaar) as basis_totaal
    from geschaald

),

final as (

    select
        gemeentecode,
        cast(peiljaar as {{ int }}) as peiljaar,
        cast(
            case
                when bronjaar <> peiljaar and inwoners_nederland is not null
                    then inwoners_basis
                        + case when restrang <= inwoners_nederland - basis_totaal then 1 else 0 end
                else inwoners
            end as {{ int }}
        ) as inwoners,
        cast(round(inwoners_65plus_exact) as {{ int }}) as inwoners_65plus,
        cast(bronjaar as {{ int }}) as inwoners_bronjaar,
        cast(bronjaar <> peiljaar as {{ dbt.type_boolean() }}) as inwoners_is_geschat,
        cast(inwoners_nederland as {{ int }}) as inwoners_nederland,
        cast(
            case
                when bronjaar = peiljaar then bron
                when inwoners_nederland is not null
                    then {{ dbt.concat([
                        "'verdeling van '", "cast(bronjaar as " ~ dbt.type_string() ~ ")",
                        "' ('", "bron", "') geschaald naar CBS 03759ned Nederland 1 januari '",
                        "cast(peiljaar as " ~ dbt.type_string() ~ ")",
                    ]) }}
                else {{ dbt.concat([
                    "'ongeschaald overgenomen uit '", "cast(bronjaar as " ~ dbt.type_string() ~ ")",
                    "' (geen landelijk totaal): '", "bron",
                ]) }}
            end as {{ dbt.type_string() }}
        ) as inwoners_bron
    from afgerond

)

select * from final
