"""The result-cache warm-up (orchestration/superset_warmup.py), on the real server: Chromium
records what the dashboards ask, and after a publication those requests warm the new one
over HTTP, but only while they are still what a browser would ask."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest

from orchestration import superset_browser as browser
from orchestration import superset_launcher, superset_warmup

pytestmark = pytest.mark.superset


@pytest.fixture(scope="module")
def recorded(superset_server) -> superset_warmup.WarmUp:
    # In a thread of its own, as CacheWarmer runs it: the session's Chromium (conftest_browser)
    # holds this thread's Playwright.
    with ThreadPoolExecutor(1) as thread:
        problems, warm = thread.submit(
            superset_warmup.warm_result_cache, superset_server.base_url, superset_server.home
        ).result()
    assert problems == []
    return warm


def _chart_ids(superset_api, dashboard: str) -> set[int]:
    charts = superset_api.get(f"/api/v1/dashboard/{dashboard}/charts")["result"]
    return {chart["id"] for chart in charts}


def test_the_warm_up_records_every_chart_of_every_dashboard_and_the_filters(superset_api, recorded):
    dashboards = superset_api.get("/api/v1/dashboard/", q="(page_size:100)")["result"]
    every_chart = set().union(*(_chart_ids(superset_api, d["id"]) for d in dashboards))
    assert {r.slice_id for r in recorded.requests if r.slice_id is not None} == every_chart
    assert any(r.slice_id is None for r in recorded.requests)  # the native filters' options
    assert recorded.metadata_version is not None


def test_after_a_publication_the_recorded_requests_warm_the_new_one(
    superset_server, superset_api, recorded
):
    from orchestration.warehouse.publish import publish_marts

    (national,) = [
        a for a in superset_launcher.demo_accounts(superset_server.home) if a.azw_regio_code is None
    ]
    base = superset_server.base_url
    viewer = browser.login_session(base, national.username, national.password)
    landelijk = _chart_ids(superset_api, "landelijke-monitor")
    first, second = [r for r in recorded.requests if r.slice_id in landelijk and not r.legacy][:2]
    assert first.slice_id != second.slice_id

    def cached(request: browser.ChartDataRequest) -> bool:
        response = browser.send_again(viewer, request)
        assert response.status_code == 200, response.text[:300]
        return all(result["is_cached"] for result in response.json()["result"])

    serving_db = superset_server.serving_db
    publish_marts(serving_db.with_name("build.duckdb"), serving_db, run_id="test-opwarmen")
    assert not cached(first)  # a new publication starts with an empty result cache
    assert superset_warmup.warm_again(base, superset_server.home, recorded) == []
    assert cached(second)


def test_requests_that_a_browser_may_no_longer_send_are_not_sent_again(superset_server, recorded):
    base, home = superset_server.base_url, superset_server.home
    edited = dataclasses.replace(recorded, metadata_version=recorded.metadata_version - 1)
    assert superset_warmup.warm_again(base, home, edited) is None
    # A filter whose options changed (a new peiljaar) may now default to another value.
    other_options = {"result": [{"data": [{"peiljaar": 1900}]}]}
    requests = [
        dataclasses.replace(r, body=other_options) if r.slice_id is None else r
        for r in recorded.requests
    ]
    changed = dataclasses.replace(recorded, requests=requests)
    assert superset_warmup.warm_again(base, home, changed) is None
