"""The numbers the dashboards show are the serving DB's numbers.

Each test reads what a dashboard, opened in headless Chromium, fetched through Superset's
chart-data API (with the dashboard's native filters at their defaults: newest peiljaar,
first AZW region, the voorkeursscenario) and compares it with the same figure computed here with
DuckDB from the serving DB. The pages are loaded once per user and dashboard by the
``dashboard_loads`` fixture (conftest.py), which the browser tests share.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import duckdb
import pytest

from orchestration import superset_launcher

pytestmark = [pytest.mark.superset, pytest.mark.browser]

ADMIN = superset_launcher.ADMIN_USERNAME
# The Prognose dashboard's default scenario (superset/bundle/dashboards/prognose.yaml).
PROGNOSE_SCENARIO = "stap6_verticale_substitutie"
# The Regionale monitor's AZW-region filter defaults to its first value, ascending.
FIRST_REGION = "(select min(azw_regio_naam) from marts.fct_capaciteit_gemeente_publiek)"
NEWEST_PEILJAAR = "(select max(peiljaar) from marts.fct_capaciteit_gemeente_publiek)"


def _serving(serving_db, sql: str, params=()):
    # read_only: the server reads the same file; DuckDB allows many readers.
    with duckdb.connect(str(serving_db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def _result(load, chart: str) -> dict:
    """The last chart-data result a chart fetched (after its filters had settled)."""
    bodies = [body for body in load.responses(chart) if body is not None]
    assert bodies, f"{chart!r} made no chart-data request:\n{load.describe()}"
    body = bodies[-1]
    return body["result"][0] if "result" in body else body


def _single(load, chart: str) -> float:
    (row,) = _result(load, chart)["data"]
    (value,) = row.values()
    return value


def _cells(rows: list[dict], x_axis: str, metric: str) -> dict[tuple, float]:
    """The non-empty cells of a chart with one metric and a groupby, by (x value, group).

    Superset pivots such a chart to one column per group, named "<metric>, <group>" or, with
    truncate_metric, just "<group>"; a group without a value at some x is null there.
    """
    return {
        (row[x_axis], column.removeprefix(f"{metric}, ")): value
        for row in rows
        for column, value in row.items()
        if column != x_axis and value is not None
    }


def _year(epoch_ms: int) -> int:
    """The year of a temporal x-axis value (Superset sends epoch milliseconds, UTC)."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).year


def _day(value) -> date | None:
    """A date column of a raw table as Superset sends it: epoch milliseconds or ISO text."""
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return datetime.fromtimestamp(value / 1000, tz=UTC).date()


def _latest_and_previous(load, chart: str, metric: str) -> tuple[float, float]:
    rows = sorted(_result(load, chart)["data"], key=lambda row: row["peildatum"])
    return rows[-1][metric], rows[-2][metric]


# --- Landelijke monitor ---------------------------------------------------------------------


def test_national_kpis_and_their_change_equal_the_serving_db(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "landelijke-monitor")]
    (latest, previous) = _serving(
        superset_server.serving_db,
        "select huisartsen_fte, patienten_per_fte_huisarts, aandeel_fte_60plus, "
        "fte_huisartsen_per_10000_inwoners "
        "from marts.fct_capaciteit_nationaal order by peiljaar desc limit 2",
    )
    for chart, metric, index in (
        ("Fte huisartsen", "som_fte_huisartsen", 0),
        ("Patiënten per fte huisarts", "verhouding_patienten_per_fte", 1),
        ("Aandeel fte 60+", "verhouding_fte_60plus", 2),
        ("Fte huisartsen per 10.000 inwoners", "verhouding_fte_per_10000_inwoners", 3),
    ):
        shown, shown_before = _latest_and_previous(load, chart, metric)
        assert shown == pytest.approx(latest[index], rel=1e-9), chart
        assert shown_before == pytest.approx(previous[index], rel=1e-9), chart


def test_ranking_is_the_public_mart_of_the_newest_peiljaar(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "landelijke-monitor")]
    rows = _result(load, "Spanningsindex per gemeente")["data"]
    expected = _serving(
        superset_server.serving_db,
        "select gemeentenaam, spanningsindex, onderdrukking "
        "from marts.fct_capaciteit_gemeente_publiek where is_laatste_peiljaar",
    )
    assert len(rows) == len(expected) == 342
    by_name = {name: (index, note) for name, index, note in expected}
    for row in rows:
        index, note = by_name[row["gemeentenaam"]]
        if index is None:
            assert row["spanningsindex"] is None, row["gemeentenaam"]
        else:
            assert row["spanningsindex"] == pytest.approx(index, rel=1e-9)
        assert row["onderdrukking"] == note
    ranks = [row["spanningsindex_rang"] for row in rows if row["spanningsindex_rang"] is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_small_cells_are_empty_on_the_dashboard(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "landelijke-monitor")]
    rows = {row["gemeentenaam"]: row for row in _result(load, "Gemeenten")["data"]}
    suppressed = _serving(
        superset_server.serving_db,
        "select gemeentenaam from marts.fct_capaciteit_gemeente "
        "where is_laatste_peiljaar and huisartsen_personen < 5",
    )
    assert suppressed, "the sample data has no gemeente with fewer than 5 GPs"
    for (name,) in suppressed:
        assert rows[name]["huisartsen_fte"] is None, name
        assert rows[name]["huisartsen_personen"] is None, name
    # Every figure the table does show is the public mart's, gemeente by gemeente.
    columns = ("huisartsen_fte", "patienten_per_fte_huisarts", "tekort_pct_lhv_norm")
    mart = _serving(
        superset_server.serving_db,
        f"select gemeentenaam, {', '.join(columns)} from marts.fct_capaciteit_gemeente_publiek "
        "where is_laatste_peiljaar",
    )
    assert len(rows) == len(mart)
    _assert_rows_equal(rows, mart, columns)


def _assert_rows_equal(shown: dict[str, dict], mart: list[tuple], columns: tuple[str, ...]):
    """Rows keyed by their first column; None (empty or suppressed) must stay None."""
    for key, *values in mart:
        for column, value in zip(columns, values, strict=True):
            if value is None:
                assert shown[key][column] is None, (key, column)
            else:
                assert shown[key][column] == pytest.approx(value, rel=1e-9), (key, column)


def test_azw_ranking_equals_the_region_mart(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "landelijke-monitor")]
    rows = {
        row["regio_naam"]: row for row in _result(load, "AZW-regio's naar spanningsindex")["data"]
    }
    columns = ("spanningsindex", "patienten_per_fte_huisarts", "fte_huisartsen_per_10000_inwoners")
    mart = _serving(
        superset_server.serving_db,
        f"select regio_naam, {', '.join(columns)} from marts.fct_capaciteit_regio "
        "where regio_type = 'azw' and is_laatste_peiljaar",
    )
    assert len(rows) == len(mart) == 28
    _assert_rows_equal(rows, mart, columns)


def test_province_map_equals_the_serving_db(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "landelijke-monitor")]
    shown = {
        row["country_id"]: row["metric"]
        for row in _result(load, "Fte huisartsen per 10.000 inwoners per provincie")["data"]
    }
    expected = dict(
        _serving(
            superset_server.serving_db,
            "select provincie_iso, sum(huisartsen_fte) * 10000.0 / sum(inwoners) "
            "from marts.fct_capaciteit_gemeente where is_laatste_peiljaar group by 1",
        )
    )
    assert len(shown) == 12
    assert shown == pytest.approx(expected, rel=1e-9)


def test_gemeente_map_colours_each_gemeente_by_its_index(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "landelijke-monitor")]
    # Superset 6.1 queries deck.gl charts through the chart-data API: one row per polygon.
    features = _result(load, "Spanningsindex per gemeente (kaart)")["data"]
    expected = dict(
        _serving(
            superset_server.serving_db,
            "select gemeentenaam, spanningsindex from marts.fct_capaciteit_gemeente_publiek "
            "where is_laatste_peiljaar and grens_geojson is not null",
        )
    )
    shown = {feature["gemeentenaam"]: feature["max_spanningsindex"] for feature in features}
    known = {name: index for name, index in expected.items() if index is not None}
    # A gemeente whose index is unknown or suppressed may be left off the map, never shown
    # with a value; every other gemeente is drawn with exactly the mart's index.
    assert len(features) == len(shown) and known.keys() <= shown.keys() <= expected.keys()
    assert len(known) > 100
    assert all(shown[name] is None for name in shown.keys() - known.keys())
    assert {name: shown[name] for name in known} == pytest.approx(known, rel=1e-9)


# --- Regionale monitor ------------------------------------------------------------------------


def test_region_kpi_is_the_first_region_of_the_newest_peiljaar(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "regionale-monitor")]
    ((expected,),) = _serving(
        superset_server.serving_db,
        """
        select patienten_per_fte_huisarts from marts.fct_capaciteit_regio
        where regio_type = 'azw' and is_laatste_peiljaar
          and regio_naam = (select min(azw_regio_naam) from marts.fct_capaciteit_gemeente_publiek)
        """,
    )
    assert _single(load, "Regio: patiënten per fte huisarts") == pytest.approx(expected, rel=1e-9)
    ((national,),) = _serving(
        superset_server.serving_db,
        "select patienten_per_fte_huisarts from marts.fct_capaciteit_nationaal "
        "where is_laatste_peiljaar",
    )
    shown = _single(load, "Landelijk: patiënten per fte huisarts")
    assert shown == pytest.approx(national, rel=1e-9)


def test_practice_list_shows_a_region_only_its_own_practices(dashboard_loads, superset_server):
    for account in superset_launcher.demo_accounts(superset_server.home):
        load = dashboard_loads[(account.username, "regionale-monitor")]
        rows = _result(load, "Praktijken met een vroegsignaal (uw regio)")["data"]
        if account.azw_regio_code is None:
            assert rows == [], "a national viewer must see no practice rows"
            continue
        ((expected,),) = _serving(
            superset_server.serving_db,
            "select count(*) from marts.fct_praktijk_signalen where azw_regio_code = ? "
            "and peiljaar = (select max(peiljaar) from marts.fct_capaciteit_gemeente_publiek)",
            [account.azw_regio_code],
        )
        assert len(rows) == expected > 0, account.username
        regions = _serving(
            superset_server.serving_db,
            "select distinct azw_regio_naam from marts.dim_gemeente where azw_regio_code = ?",
            [account.azw_regio_code],
        )
        assert {row["azw_regio_naam"] for row in rows} == {name for (name,) in regions}


def test_region_gemeente_table_is_the_public_mart_of_the_first_region(
    dashboard_loads, superset_server
):
    load = dashboard_loads[(ADMIN, "regionale-monitor")]
    rows = {row["gemeentenaam"]: row for row in _result(load, "Gemeenten in de regio")["data"]}
    numbers = (
        "inwoners",
        "huisartsen_fte",
        "fte_huisartsen_per_10000_inwoners",
        "patienten_per_fte_huisarts",
        "aandeel_fte_60plus",
        "vacatures_open",
        "vacatures_lang_open",
        "verwachte_stoppers_5jr_zonder_opvolging",
        "spanningsindex",
    )
    texts = ("spanningscategorie", "onderdrukking")
    mart = _serving(
        superset_server.serving_db,
        f"select gemeentenaam, {', '.join(numbers + texts)} "
        "from marts.fct_capaciteit_gemeente_publiek "
        f"where is_laatste_peiljaar and azw_regio_naam = {FIRST_REGION}",
    )
    assert len(rows) == len(mart) > 1
    _assert_rows_equal(rows, [row[: 1 + len(numbers)] for row in mart], numbers)
    for name, *values in mart:
        assert tuple(rows[name][column] for column in texts) == tuple(values[len(numbers) :])


def test_vacancies_and_successions_are_the_sums_per_gemeente_of_the_first_region(
    dashboard_loads, superset_server
):
    load = dashboard_loads[(ADMIN, "regionale-monitor")]
    columns = ("som_vacatures_lang_open", "som_stoppers_zonder_opvolging")
    shown = {
        row["gemeentenaam"]: row
        for row in _result(load, "Vacatures en opvolging per gemeente")["data"]
    }
    mart = _serving(
        superset_server.serving_db,
        "select gemeentenaam, sum(vacatures_lang_open), "
        "sum(verwachte_stoppers_5jr_zonder_opvolging) from marts.fct_capaciteit_gemeente_publiek "
        f"where is_laatste_peiljaar and azw_regio_naam = {FIRST_REGION} group by gemeentenaam",
    )
    # A gemeente with both figures empty (suppressed) may be left off the bars; every other
    # gemeente of the region is there with exactly the mart's sums.
    known = [row for row in mart if any(value is not None for value in row[1:])]
    assert len(known) > 1
    assert {name for name, *_ in known} <= shown.keys() <= {name for name, *_ in mart}
    _assert_rows_equal(shown, [row for row in mart if row[0] in shown], columns)


SIGNAL_COLUMNS = (
    "praktijk_agb",
    "azw_regio_naam",
    "gemeentenaam",
    "toelichting",
    "aantal",
    "praktijkvorm",
    "ingeschreven_patienten",
    "zorggroep_code",
)

# The signals a viewer sees (parameters: its region code twice; None for every region).
VIEWERS_SIGNALS = f"peiljaar = {NEWEST_PEILJAAR} and (?::varchar is null or azw_regio_code = ?)"


def _signal_viewers(dashboard_loads, superset_server):
    """The admin (every region: None) and each regional demo user with its region code, each
    with its load of the Regionale monitor."""
    viewers = [(ADMIN, None)] + [
        (account.username, account.azw_regio_code)
        for account in superset_launcher.demo_accounts(superset_server.home)
        if account.azw_regio_code is not None
    ]
    return [
        (username, region, dashboard_loads[(username, "regionale-monitor")])
        for username, region in viewers
    ]


def test_practice_signals_are_the_viewers_rows_of_the_newest_peiljaar(
    dashboard_loads, superset_server
):
    for username, region, load in _signal_viewers(dashboard_loads, superset_server):
        rows = _result(load, "Praktijken met een vroegsignaal (uw regio)")["data"]
        expected = _serving(
            superset_server.serving_db,
            f"select {', '.join(SIGNAL_COLUMNS)}, aangeleverd_op "
            f"from marts.fct_praktijk_signalen where {VIEWERS_SIGNALS}",
            [region, region],
        )
        shown = [
            (*(row[column] for column in SIGNAL_COLUMNS), _day(row["aangeleverd_op"]))
            for row in rows
        ]
        assert len(shown) == len(expected) > 0, username
        assert Counter(shown) == Counter(expected), username
        agbs = [row["praktijk_agb"] for row in rows]
        assert agbs == sorted(agbs), username


def test_practices_per_signal_count_the_viewers_practices_of_the_newest_peiljaar(
    dashboard_loads, superset_server
):
    for username, region, load in _signal_viewers(dashboard_loads, superset_server):
        rows = _result(load, "Praktijken per signaal (uw regio)")["data"]
        expected = dict(
            _serving(
                superset_server.serving_db,
                "select toelichting, count(distinct praktijk_agb) from marts.fct_praktijk_signalen "
                f"where {VIEWERS_SIGNALS} group by toelichting",
                [region, region],
            )
        )
        shown = {row["toelichting"]: row["aantal_praktijken"] for row in rows}
        assert len(rows) == len(shown) == len(expected) > 0, username
        assert shown == expected, username
        counts = [row["aantal_praktijken"] for row in rows]
        assert counts == sorted(counts, reverse=True), username


# --- Prognose, Stages, Datakwaliteit ------------------------------------------------------------


def test_inflow_advice_is_the_voorkeursscenario(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "prognose")]
    ((expected,),) = _serving(
        superset_server.serving_db,
        "select max(instroomadvies) from marts.fct_prognose_nationaal where is_voorkeursscenario",
    )
    assert _single(load, "Instroomadvies huisartsopleiding (evenwicht 2043)") == pytest.approx(
        expected, rel=1e-9
    )


def test_inflow_advice_per_region_is_the_voorkeursscenario_for_2043(
    dashboard_loads, superset_server
):
    load = dashboard_loads[(ADMIN, "prognose")]
    rows = {r["azw_regio_naam"]: r for r in _result(load, "Instroomadvies per AZW-regio")["data"]}
    columns = ("instroomadvies", "tekort_fte")
    mart = _serving(
        superset_server.serving_db,
        "select azw_regio_naam, instroomadvies, tekort_fte from marts.fct_instroomadvies_regio "
        "where is_voorkeursscenario and evenwichtsjaar_keuze = 'basisjaar + 18'",
    )
    assert len(rows) == len(mart) == 28
    _assert_rows_equal(rows, mart, columns)


def test_internships_per_opleiding_and_region_are_sums_of_the_mart(
    dashboard_loads, superset_server
):
    load = dashboard_loads[(ADMIN, "stages")]
    rows = {
        f"{r['opleiding_naam']}|{r['azw_regio_naam']}": r
        for r in _result(load, "Stages per opleiding en regio")["data"]
    }
    columns = ("som_aangevraagd", "som_geplaatst", "som_wachtlijst")
    mart = _serving(
        superset_server.serving_db,
        "select opleiding_naam || '|' || azw_regio_naam, sum(aangevraagd), sum(geplaatst), "
        "sum(wachtlijst) from marts.fct_stages_gemeente "
        "where peiljaar = (select max(peiljaar) from marts.fct_stages_gemeente) group by 1",
    )
    assert len(rows) == len(mart) > 0
    _assert_rows_equal(rows, mart, columns)


def test_coverage_per_region_equals_the_region_mart(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "datakwaliteit")]
    rows = {r["regio_naam"]: r for r in _result(load, "Dekking en versheid per AZW-regio")["data"]}
    columns = ("dekking_praktijken", "maanden_sinds_laatste_aanlevering")
    mart = _serving(
        superset_server.serving_db,
        "select regio_naam, dekking_praktijken, maanden_sinds_laatste_aanlevering "
        "from marts.fct_capaciteit_regio where regio_type = 'azw' and is_laatste_peiljaar",
    )
    assert len(rows) == len(mart) == 28
    _assert_rows_equal(rows, mart, columns)


def test_fill_rate_is_placed_over_requested_in_the_newest_year(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "stages")]
    ((expected,),) = _serving(
        superset_server.serving_db,
        "select sum(geplaatst) * 1.0 / sum(aangevraagd) from marts.fct_stages_gemeente "
        "where peiljaar = (select max(peiljaar) from marts.fct_stages_gemeente)",
    )
    assert 0 < expected < 1
    assert _single(load, "Vulgraad stageplaatsen") == pytest.approx(expected, rel=1e-9)


def test_rejected_files_are_counted_from_the_ledger(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "datakwaliteit")]
    ((expected,),) = _serving(
        superset_server.serving_db,
        "select count(*) from marts.fct_aanleveringen where status = 'afgekeurd'",
    )
    assert expected > 0, "the sample data should include rejected submissions"
    assert _single(load, "Afgekeurde bestanden") == expected


def test_scenario_table_is_the_scenario_dimension_in_its_order(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "prognose")]
    rows = _result(load, "Scenario's en instroomadvies (gemodelleerd)")["data"]
    numbers = ("instroomadvies", "instroomadvies_evenwichtsjaar_kort", "tekort_fte_evenwichtsjaar")
    mart = _serving(
        superset_server.serving_db,
        f"select scenario_naam, scenario_omschrijving, {', '.join(numbers)} "
        "from marts.dim_prognose_scenario order by volgorde",
    )
    assert len(rows) == len(mart) > 1
    assert [(row["scenario_naam"], row["scenario_omschrijving"]) for row in rows] == [
        (name, text) for name, text, *_ in mart
    ]
    _assert_rows_equal(
        {row["scenario_naam"]: row for row in rows},
        [(name, *values) for name, _text, *values in mart],
        numbers,
    )


def test_gap_per_scenario_is_the_national_projection_on_both_dashboards(
    dashboard_loads, superset_server
):
    expected = {
        (jaar, scenario): tekort
        for jaar, scenario, tekort in _serving(
            superset_server.serving_db,
            "select jaar, scenario_naam, sum(tekort_fte) from marts.fct_prognose_nationaal "
            "group by jaar, scenario_naam having sum(tekort_fte) is not null",
        )
    }
    assert len({scenario for _, scenario in expected}) > 1
    # No filter of either dashboard applies to this chart: every scenario, every year.
    for slug in ("prognose", "landelijke-monitor"):
        load = dashboard_loads[(ADMIN, slug)]
        rows = _result(load, "Prognose: tekort huisartsen per scenario (gemodelleerd)")["data"]
        shown = _cells(rows, "jaar", "som_tekort_fte")
        assert shown == pytest.approx(expected, rel=1e-9), slug


def test_regional_projection_is_every_shown_gemeente_in_the_default_scenario(
    dashboard_loads, superset_server
):
    load = dashboard_loads[(ADMIN, "prognose")]
    # The AZW-region and gemeente filters have no default: the sum over all shown gemeenten.
    mart = _serving(
        superset_server.serving_db,
        """
        select jaar, sum(aanbod_fte), sum(case when aanbod_fte is not null then vraag_fte end),
               sum(tekort_fte)
                 / nullif(sum(case when tekort_fte is not null then vraag_fte end), 0)
        from marts.fct_prognose_gemeente_publiek where scenario = ? group by jaar
        """,
        [PROGNOSE_SCENARIO],
    )
    assert len(mart) > 10
    supply_demand = {
        row["jaar"]: row
        for row in _result(load, "Gekozen regio of gemeente: aanbod en vraag (gemodelleerd)")[
            "data"
        ]
    }
    gap = {
        row["jaar"]: row
        for row in _result(
            load, "Gekozen regio of gemeente: tekort in % van de vraag (gemodelleerd)"
        )["data"]
    }
    assert len(supply_demand) == len(gap) == len(mart)
    _assert_rows_equal(
        supply_demand, [row[:3] for row in mart], ("som_aanbod_fte", "som_vraag_fte")
    )
    _assert_rows_equal(gap, [(jaar, share) for jaar, *_, share in mart], ("verhouding_tekort",))


def test_internships_per_year_are_the_yearly_sums_of_the_mart(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "stages")]
    # The peiljaar filter does not apply to this chart; opleiding and region have no default.
    rows = _result(load, "Stages per jaar")["data"]
    shown = {_year(row["peildatum"]): row for row in rows}
    columns = ("som_aangevraagd", "som_geplaatst", "som_wachtlijst")
    mart = _serving(
        superset_server.serving_db,
        "select year(peildatum), sum(aangevraagd), sum(geplaatst), sum(wachtlijst) "
        "from marts.fct_stages_gemeente group by 1",
    )
    assert len(rows) == len(shown) == len(mart) > 1
    _assert_rows_equal(shown, mart, columns)


def test_submissions_per_source_and_status_are_counted_from_the_ledger(
    dashboard_loads, superset_server
):
    load = dashboard_loads[(ADMIN, "datakwaliteit")]
    shown = _cells(
        _result(load, "Aanleveringen per bron en status")["data"], "bron", "aantal_bestanden"
    )
    expected = {
        (bron, status): count
        for bron, status, count in _serving(
            superset_server.serving_db,
            "select bron, status, count(*) from marts.fct_aanleveringen group by bron, status",
        )
    }
    assert len(expected) > 1
    assert shown == expected


def test_rejection_reasons_count_the_rejected_files_of_the_ledger(dashboard_loads, superset_server):
    load = dashboard_loads[(ADMIN, "datakwaliteit")]
    rows = _result(load, "Belangrijkste redenen van afkeuring")["data"]
    shown = {row["hoofdreden"]: row["aantal_bestanden"] for row in rows}
    expected = dict(
        _serving(
            superset_server.serving_db,
            "select hoofdreden, count(*) from marts.fct_aanleveringen "
            "where status = 'afgekeurd' group by hoofdreden",
        )
    )
    assert len(rows) == len(shown) == len(expected) > 0
    assert shown == expected
    counts = [row["aantal_bestanden"] for row in rows]
    assert counts == sorted(counts, reverse=True)
