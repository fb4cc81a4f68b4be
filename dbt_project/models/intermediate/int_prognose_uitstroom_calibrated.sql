/*
    Cumulative outflow of the base-year GPs per geslacht × leeftijdsklasse × jaren (years
    after the basisjaar), so that outflow follows each gemeente's own age and sex mix while
    the country as a whole loses the Capaciteitsorgaan's share.

    Two exits, as competing risks:
      - pensioen_aandeel: by age. Ages in a leeftijdsklasse are spread evenly between
        `van` and `tot` (var capmon_prognose.leeftijdsklassen); everyone has left by the
        stopping age E = var capmon_stopleeftijd (the one stopping age of the project, also
        used by the continuity signal). So a GP aged a has left after uittredeleeftijd - a years,
        and the share of the band gone after `jaren` years is
        clamp((jaren - (E - tot)) / ((E - van) - (E - tot)), 0, 1), with both bounds at
        least 0 (a band past E leaves evenly within the next E - van years, at least 1).
      - overige_uitstroom: every other exit (earlier retirement, leaving GP care, death),
        the same share for every GP of a sex not yet retired, calibrated so that the
        national base-year mix loses the raming's uitstroom_cumulatief:
            h = (U - P) / (1 - P),  P = national person-weighted mean of pensioen_aandeel,
        clamped to [0, 1] and then never allowed to fall over the years (the running
        maximum): a cumulative share that fell would bring base-year GPs back. Where the
        clamp or the running maximum binds (is_gekalibreerd false), the country loses more
        than the raming, because retirement at E alone already exceeds it.
    uitstroom_cumulatief = pensioen_aandeel + (1 - pensioen_aandeel) × overige_uitstroom,
    non-decreasing in jaren for every band (both terms are).
*/
{%- set p = var('capmon_prognose') %}
{%- set e = var('capmon_stopleeftijd') %}
{%- set dbl = capmon.type_double() %}

with

curven as (

    select * from {{ ref('int_prognose_aanbodcurven_interpolated') }}

),

leeftijdsklassen as (

    {%- for klasse, grenzen in p.leeftijdsklassen.items() %}
        {%- set tot_uittreden_min = [e - grenzen.tot, 0] | max %}
        {%- set tot_uittreden_max = [e - grenzen.van, tot_uittreden_min + 1] | max %}
        select
            cast('{{ klasse }}' as {{ dbt.type_string() }}) as leeftijdsklasse,
            cast({{ tot_uittreden_min }} as {{ dbl }}) as jaren_tot_uittreden_min,
            cast({{ tot_uittreden_max }} as {{ dbl }}) as jaren_tot_uittreden_max
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

nationale_mix as (

    select
        geslacht,
        leeftijdsklasse,
        {{ capmon.safe_divide('personen', 'sum(personen) over (partition by geslacht)') }}
            as aandeel_personen
    from {{ ref('int_prognose_basisbestand_aggregated') }}
    where gebiedsniveau = 'nationaal'

),

pensioen as (

    select
        curven.geslacht,
        leeftijdsklassen.leeftijdsklasse,
        curven.jaren,
        curven.uitstroom_cumulatief as uitstroom_cumulatief_landelijk,
        {{ capmon.begrens(
            '(curven.jaren - leeftijdsklassen.jaren_tot_uittreden_min)'
            ~ ' / (leeftijdsklassen.jaren_tot_uittreden_max'
            ~ ' - leeftijdsklassen.jaren_tot_uittreden_min)',
            0, 1
        ) }} as pensioen_aandeel
    from curven
    cross join leeftijdsklassen

),

landelijk_pensioen as (

    select
        pensioen.geslacht,
        pensioen.jaren,
        max(pensioen.uitstroom_cumulatief_landelijk) as uitstroom_cumulatief_landelijk,
        sum(pensioen.pensioen_aandeel * nationale_mix.aandeel_personen)
            as pensioen_aandeel_landelijk
    from pensioen
    inner join nationale_mix
        on
            pensioen.geslacht = nationale_mix.geslacht
            and pensioen.leeftijdsklasse = nationale_mix.leeftijdsklasse
    group by pensioen.geslacht, pensioen.jaren

),

overig as (

    select
        geslacht,
        jaren,
        uitstroom_cumulatief_landelijk,
        pensioen_aandeel_landelijk,
        coalesce(
            {{ capmon.safe_divide(
                'uitstroom_cumulatief_landelijk - pensioen_aandeel_landelijk',
                '1 - pensioen_aandeel_landelijk'
            ) }},
            0
        ) as overige_uitstroom_ongegrensd
    from landelijk_pensioen

),

monotoon as (

    select
        *,
        {{ capmon.begrens('overige_uitstroom_ongegrensd', 0, 1) }} as overige_uitstroom_begrensd
    from overig

),

oplopend as (

    select
        *,
        max(overige_uitstroom_begrensd) over (
            partition by geslacht order by jaren rows unbounded preceding
        ) as overige_uitstroom
    from monotoon

),

gecombineerd as (

    select
        pensioen.geslacht,
        pensioen.leeftijdsklasse,
        pensioen.jaren,
        pensioen.uitstroom_cumulatief_landelijk,
        oplopend.pensioen_aandeel_landelijk,
        pensioen.pensioen_aandeel,
        oplopend.overige_uitstroom,
        oplopend.overige_uitstroom = oplopend.overige_uitstroom_ongegrensd as is_gekalibreerd
    from pensioen
    inner join oplopend
        on
            pensioen.geslacht = oplopend.geslacht
            and pensioen.jaren = oplopend.jaren

),

typed as (

    select
        geslacht,
        leeftijdsklasse,
        jaren,
        cast(uitstroom_cumulatief_landelijk as {{ dbl }}) as uitstroom_cumulatief_landelijk,
        cast(pensioen_aandeel_landelijk as {{ dbl }}) as pensioen_aandeel_landelijk,
        cast(pensioen_aandeel as {{ dbl }}) as pensioen_aandeel,
        cast(overige_uitstroom as {{ dbl }}) as overige_uitstroom,
        cast(pensioen_aandeel + (1 - pensioen_aandeel) * overige_uitstroom as {{ dbl }})
            as uitstroom_cumulatief,
        is_gekalibreerd
    from gecombineerd

)

select * from typed
