"""The numbers the dashboards show are the serving DB's numbers.

Each test reads what a dashboard, opened in headless Chromium, fetched through Superset's
chart-data API (with the dashboard's native filters at their defaults: newest peiljaar,
first AZW region, scenario midden) and compares it with the same figure computed here with
DuckDB from the serving DB. The pages are loaded once per user and dashboard by the
``dashboard_loads`` fixture (conftest.py), which the browser tests share.
"""

from __future__ import annotations

import duckdb
import pytest

from orchestration import superset_launcher

pytestmark = [pytest.mark.superset, pytest.mark.browser]

ADMIN = superset_launcher.ADMIN_USERNAME


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
