"""Provisioning on a real Superset server: the bundle's objects, exactly once each.

The conftest provisions twice and renames a chart in between, as someone editing it in the
UI would; the server must then hold the repository's version of everything, once. What the
charts show is compared with the serving DB in test_dashboard_figures.py.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml

from orchestration import superset_bundle, superset_launcher
from tests.superset.conftest import action_log, nationaal_payload

pytestmark = pytest.mark.superset


@pytest.fixture(scope="module")
def bundle() -> dict[str, dict]:
    return {name: yaml.safe_load(text) for name, text in superset_bundle.render_bundle().items()}


def _titles(bundle, kind: str, key: str) -> list[str]:
    return sorted(doc[key] for name, doc in bundle.items() if name.startswith(f"{kind}/"))


def test_provisioning_twice_leaves_every_object_once(superset_api, bundle):
    dashboards = superset_api.get("/api/v1/dashboard/", q="(page_size:100)")["result"]
    assert sorted(d["dashboard_title"] for d in dashboards) == _titles(
        bundle, "dashboards", "dashboard_title"
    )
    charts = superset_api.get("/api/v1/chart/", q="(page_size:100)")["result"]
    assert sorted(c["slice_name"] for c in charts) == _titles(bundle, "charts", "slice_name")
    datasets = superset_api.get("/api/v1/dataset/", q="(page_size:100)")["result"]
    assert sorted(d["table_name"] for d in datasets) == _titles(bundle, "datasets", "table_name")


def test_the_serving_db_is_connected_read_only(superset_api, superset_server):
    databases = superset_api.get("/api/v1/database/")["result"]
    assert len(databases) == 1
    database = superset_api.get(f"/api/v1/database/{databases[0]['id']}/connection")["result"]
    assert database["database_name"] == superset_launcher.DATABASE_NAME
    assert database["sqlalchemy_uri"] == superset_launcher.serving_db_uri(
        superset_server.serving_db
    )
    extra = database["extra"]
    extra = json.loads(extra) if isinstance(extra, str) else extra
    assert extra["engine_params"]["connect_args"]["read_only"] is True


def test_each_dashboard_holds_the_charts_of_its_bundle_file(superset_api, bundle):
    dashboards = superset_api.get("/api/v1/dashboard/", q="(page_size:100)")["result"]
    for dashboard in dashboards:
        (source,) = [
            doc
            for name, doc in bundle.items()
            if name.startswith("dashboards/")
            and doc["dashboard_title"] == dashboard["dashboard_title"]
        ]
        expected = Counter(
            element["meta"]["sliceName"]
            for element in source["position"].values()
            if isinstance(element, dict) and element.get("type") == "CHART"
        )
        charts = superset_api.get(f"/api/v1/dashboard/{dashboard['id']}/charts")["result"]
        assert Counter(chart["slice_name"] for chart in charts) == expected


def test_native_filters_reach_the_imported_charts(superset_api):
    # The importer maps the ids of scope.excluded but not chartsInScope; import_bundle.py
    # derives chartsInScope afterwards. Without it a filter would reach no chart at all.
    dashboards = superset_api.get("/api/v1/dashboard/", q="(page_size:100)")["result"]
    for dashboard in dashboards:
        detail = superset_api.get(f"/api/v1/dashboard/{dashboard['id']}")["result"]
        metadata = json.loads(detail["json_metadata"])
        chart_ids = {
            c["id"]
            for c in superset_api.get(f"/api/v1/dashboard/{dashboard['id']}/charts")["result"]
        }
        for native_filter in metadata["native_filter_configuration"]:
            excluded = set(native_filter["scope"]["excluded"])
            assert excluded <= chart_ids, native_filter["name"]
            assert set(native_filter["chartsInScope"]) == chart_ids - excluded


def test_the_result_cache_keeps_working_after_a_publication(superset_api, superset_server):
    """Publishing empties Superset's result cache; it must cache again right away (issue 9)."""
    from orchestration.warehouse.publish import clear_result_cache, publish_marts

    payload = nationaal_payload(superset_api, row_limit=9871)

    def is_cached() -> bool:
        (result,) = superset_api.post("/api/v1/chart/data", payload)["result"]
        assert result["error"] is None and result["data"], result
        return bool(result["is_cached"])

    cache_dir = superset_server.home / "cache" / "resultaten"
    assert [is_cached(), is_cached()] == [False, True]
    assert any(cache_dir.iterdir()), f"Superset cached nothing in {cache_dir}"

    # What the publish step does (orchestration/defs/publicatie/assets.py): a new serving DB,
    # swapped in atomically, then the result cache emptied.
    serving_db = superset_server.serving_db
    publish_marts(serving_db.with_name("build.duckdb"), serving_db, run_id="test-cache")
    assert clear_result_cache(cache_dir) > 0
    assert cache_dir.is_dir() and not any(cache_dir.iterdir())
    assert [is_cached(), is_cached()] == [False, True]


def test_a_publication_alone_keeps_stale_results_from_every_worker(superset_api, superset_server):
    """Results belong to the publication they came from (superset/capmon_cache.py): right
    after a swap, without anything emptied, no worker answers from the old file's results,
    and what one worker then computes the others serve (issue 12)."""
    from orchestration.warehouse.publish import publish_marts

    log = (superset_server.home / superset_launcher.LOG_FILE).read_text(errors="replace")
    assert log.count("Booting worker") >= 2, "gunicorn should run several workers"
    payload = nationaal_payload(superset_api, row_limit=9872)

    def cached() -> list[bool]:  # enough requests to reach each worker
        answers = [superset_api.post("/api/v1/chart/data", payload)["result"][0] for _ in range(6)]
        assert all(a["error"] is None and a["data"] for a in answers), answers
        return [bool(a["is_cached"]) for a in answers]

    assert cached() == [False] + [True] * 5
    serving_db = superset_server.serving_db
    publish_marts(serving_db.with_name("build.duckdb"), serving_db, run_id="test-publicatie")
    assert cached() == [False] + [True] * 5


def test_the_action_log_records_who_asked_for_which_chart_data(superset_api, superset_server):
    """Superset's action log is written beside the requests (superset/capmon_actielog.py):
    the request is still there, with its user and its payload."""
    payload = nationaal_payload(superset_api, row_limit=9863)
    superset_api.post("/api/v1/chart/data", payload)
    me = superset_api.get("/api/v1/me/")["result"]
    logged = action_log(
        superset_server.home, until=lambda row: '"row_limit": 9863' in (row[2] or "")
    )
    asked = [row for row in logged if '"row_limit": 9863' in (row[2] or "")]
    assert {user_id for user_id, _, _ in asked} == {me["id"]}
    assert "ChartDataRestApi.data" in {action for _, action, _ in asked}
