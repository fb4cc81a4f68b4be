"""The Landelijke monitor on a real Superset server, against a real published serving DB.

The figures Superset shows must be the figures in the serving DB: each KPI is compared with
the same number computed here with DuckDB from the municipal mart (a ratio of sums).
"""

from __future__ import annotations

import json

import duckdb
import pytest

from orchestration import superset_launcher

pytestmark = pytest.mark.superset

DASHBOARD = "Landelijke monitor"
KPI_CHARTS = ("Fte huisartsen", "Patiënten per fte huisarts", "Aandeel fte 60+")
MAP_CHART = "Fte huisartsen per 10.000 inwoners per provincie"
TABLE_CHART = "Gemeenten in het laatste peiljaar"
RANKING_CHART = "Spanningsindex per gemeente"
PROJECTION_CHART = "Prognose: tekort huisartsen per scenario (gemodelleerd)"


def _serving_value(serving_db, sql: str):
    # read_only: the server is reading the same file; DuckDB allows many readers.
    with duckdb.connect(str(serving_db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def _single_value(result: dict) -> float:
    assert result["error"] is None, result["error"]
    assert len(result["data"]) == 1, result["data"]
    (value,) = result["data"][0].values()
    return value


def test_provisioning_twice_leaves_one_dashboard_and_one_database(superset_api, superset_server):
    dashboards = superset_api.get("/api/v1/dashboard/")["result"]
    assert [d["dashboard_title"] for d in dashboards] == [DASHBOARD]

    databases = superset_api.get("/api/v1/database/")["result"]
    assert len(databases) == 1
    database = superset_api.get(f"/api/v1/database/{databases[0]['id']}/connection")["result"]
    assert database["database_name"] == superset_launcher.DATABASE_NAME
    expected_uri = superset_launcher.serving_db_uri(superset_server.serving_db)
    assert database["sqlalchemy_uri"] == expected_uri
    extra = database["extra"]
    extra = json.loads(extra) if isinstance(extra, str) else extra
    assert extra["engine_params"]["connect_args"]["read_only"] is True


def test_dashboard_has_its_charts(superset_api):
    (dashboard,) = superset_api.get("/api/v1/dashboard/")["result"]
    charts = superset_api.get(f"/api/v1/dashboard/{dashboard['id']}/charts")["result"]
    assert {chart["slice_name"] for chart in charts} == {
        *KPI_CHARTS,
        MAP_CHART,
        TABLE_CHART,
        RANKING_CHART,
        PROJECTION_CHART,
    }


def test_spanningsindex_ranking_top_row_equals_the_serving_db(superset_api, superset_server):
    result = superset_api.chart_data(RANKING_CHART)
    assert result["error"] is None, result["error"]
    with duckdb.connect(str(superset_server.serving_db), read_only=True) as con:
        expected = con.execute(
            """
            select gemeentenaam, spanningsindex, spanningscategorie
            from marts.fct_capaciteit_gemeente
            where is_laatste_peiljaar
            order by spanningsindex desc nulls last, score_balans desc nulls last, gemeentecode
            limit 1
            """
        ).fetchone()
    top = result["data"][0]
    assert result["rowcount"] == 342
    assert top["spanningsindex_rang"] == 1
    assert (top["gemeentenaam"], top["spanningscategorie"]) == (expected[0], expected[2])
    assert top["spanningsindex"] == pytest.approx(expected[1], rel=1e-9)
    shown = [row["spanningsindex"] for row in result["data"] if row["spanningsindex"] is not None]
    assert shown == sorted(shown, reverse=True)


def test_projection_chart_sums_the_gap_per_scenario(superset_api, superset_server):
    result = superset_api.chart_data(PROJECTION_CHART)
    assert result["error"] is None, result["error"]
    with duckdb.connect(str(superset_server.serving_db), read_only=True) as con:
        expected = dict(
            con.execute(
                "select scenario, sum(tekort_fte) from marts.fct_prognose_nationaal "
                "where jaar = (select max(jaar) from marts.fct_prognose_nationaal) "
                "group by scenario"
            ).fetchall()
        )
    last = max(result["data"], key=lambda row: row["jaar"])
    assert set(expected) == {"laag", "midden", "hoog"}
    for scenario, gap in expected.items():
        # after pivot + flatten a series is named "<metric>, <scenario>" (or just the scenario)
        (shown,) = (v for k, v in last.items() if k.split(", ")[-1] == scenario)
        assert shown == pytest.approx(gap, rel=1e-9, abs=1e-6)


def test_kpi_patients_per_fte_equals_the_serving_db(superset_api, superset_server):
    shown = _single_value(superset_api.chart_data("Patiënten per fte huisarts"))
    expected = _serving_value(
        superset_server.serving_db,
        """
        select sum(ingeschreven_patienten)
             / sum(case when praktijken_aangeleverd > 0
                        then huisartsen_fte_praktijkgebonden else 0 end)
        from marts.fct_capaciteit_gemeente
        where is_laatste_peiljaar
        """,
    )
    assert 500 < expected < 6000, "implausible national patients per FTE in the sample data"
    assert shown == pytest.approx(expected, rel=1e-9)


def test_kpi_fte_and_share_60plus_equal_the_serving_db(superset_api, superset_server):
    fte = _single_value(superset_api.chart_data("Fte huisartsen"))
    share_60plus = _single_value(superset_api.chart_data("Aandeel fte 60+"))
    latest = "from marts.fct_capaciteit_gemeente where is_laatste_peiljaar"
    db = superset_server.serving_db
    expected_fte = _serving_value(db, f"select sum(huisartsen_fte) {latest}")
    expected_share = _serving_value(
        db,
        f"select sum(huisartsen_fte_60plus) / sum(huisartsen_fte) {latest}",
    )
    assert fte == pytest.approx(expected_fte, rel=1e-9)
    assert share_60plus == pytest.approx(expected_share, rel=1e-9)


def test_table_lists_every_gemeente_of_the_latest_peiljaar(superset_api, superset_server):
    result = superset_api.chart_data(TABLE_CHART)
    assert result["error"] is None, result["error"]
    expected = _serving_value(
        superset_server.serving_db,
        "select count(*) from marts.fct_capaciteit_gemeente where is_laatste_peiljaar",
    )
    assert result["rowcount"] == expected == 342
    assert len({row["gemeentenaam"] for row in result["data"]}) == 342
    # The figures the table shows are the mart's own, municipality by municipality.
    columns = ("huisartsen_fte", "patienten_per_fte_huisarts")
    with duckdb.connect(str(superset_server.serving_db), read_only=True) as con:
        mart = con.execute(
            f"select gemeentenaam, {', '.join(columns)} from marts.fct_capaciteit_gemeente "
            "where is_laatste_peiljaar"
        ).fetchall()
    for index, column in enumerate(columns, start=1):
        expected = {row[0]: row[index] for row in mart}
        shown = {row["gemeentenaam"]: row[column] for row in result["data"]}
        assert shown == pytest.approx(expected, rel=1e-9), column


def test_country_map_has_the_twelve_provinces(superset_browser_session, superset_server):
    # The Country Map is a legacy chart: the browser loads it through explore_json.
    api = superset_browser_session
    charts = api.get(f"{superset_server.base_url}/api/v1/chart/", timeout=30).json()["result"]
    (chart_id,) = (chart["id"] for chart in charts if chart["slice_name"] == MAP_CHART)
    response = api.post(
        f"{superset_server.base_url}/superset/explore_json/",
        params={"form_data": json.dumps({"slice_id": chart_id})},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    payload = response.json()
    assert not payload["errors"], payload["errors"]
    shown = {row["country_id"]: row["metric"] for row in payload["data"]}
    with duckdb.connect(str(superset_server.serving_db), read_only=True) as con:
        expected = dict(
            con.execute(
                """
                select provincie_iso, sum(huisartsen_fte) * 10000.0 / sum(inwoners)
                from marts.fct_capaciteit_gemeente
                where is_laatste_peiljaar
                group by provincie_iso
                """
            ).fetchall()
        )
    assert len(shown) == 12
    assert all(code.startswith("NL-") for code in shown)
    assert shown == pytest.approx(expected, rel=1e-9)
