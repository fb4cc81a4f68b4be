"""Every dashboard in a real browser, as every user: each chart renders, none shows an error.

The pages are opened once per session by the ``dashboard_loads`` fixture
(``conftest_browser.py``): headless Chromium logs in as the admin and as each demo user and
opens every dashboard that user may see, waiting until every chart has rendered (see
``browser.py``). Screenshots: ``test-output/screenshots/<user>/<dashboard slug>.png``.
"""

from __future__ import annotations

import pytest

from orchestration import superset_browser as browser
from tests.superset.conftest_browser import SCREENSHOTS

pytestmark = [pytest.mark.superset, pytest.mark.browser]

# The five dashboards of the issue; every demo user must see each of them.
EXPECTED_DASHBOARDS = (
    "Landelijke monitor",
    "Regionale monitor",
    "Prognose",
    "Stages",
    "Datakwaliteit",
)


def _report(problems: list[str]) -> str:
    return "\n".join(problems) + f"\n(screenshots: {SCREENSHOTS})"


def test_chromium_draws_webgl2(chromium_browser):
    """deck.gl charts need WebGL 2; without a GPU it must come from SwiftShader."""
    page = chromium_browser.new_page()
    try:
        info = browser.webgl_info(page)
    finally:
        page.close()
    assert info["webgl2"] and info["draws"], info


def test_every_user_sees_the_five_dashboards(visible_dashboards):
    problems = []
    for username, dashboards in visible_dashboards.items():
        titles = {dashboard.title for dashboard in dashboards}
        missing = [title for title in EXPECTED_DASHBOARDS if title not in titles]
        if missing:
            problems.append(f"{username} does not see {missing} (sees {sorted(titles)})")
    assert not problems, "\n".join(problems)


def test_every_visible_dashboard_was_opened(visible_dashboards, dashboard_loads):
    opened = {
        (user, dashboard.key)
        for user, dashboards in visible_dashboards.items()
        for dashboard in dashboards
    }
    assert opened == set(dashboard_loads)


def test_every_chart_renders(dashboard_loads):
    problems = [
        f"{user}: {load.describe()}"
        for (user, _), load in dashboard_loads.items()
        if load.unfinished or load.rendered_s is None
    ]
    assert not problems, _report(problems)


def test_no_chart_shows_an_error(dashboard_loads):
    problems = [
        f"{user} · {load.dashboard.title} · {chart}: {' | '.join(messages)[:800]}"
        for (user, _), load in dashboard_loads.items()
        for chart, messages in load.chart_errors.items()
    ]
    assert not problems, _report(problems)


def test_every_chart_data_request_returns_200(dashboard_loads):
    problems = [
        f"{user} · {load.dashboard.title} · slice {req.slice_id}: HTTP {req.status} "
        f"{req.failure or ''} {str(req.body)[:500]}"
        for (user, _), load in dashboard_loads.items()
        for req in load.failed_requests
    ]
    assert not problems, _report(problems)


def test_every_chart_fetched_its_data(dashboard_loads):
    """Each chart on a page made a chart-data request the fixture could attribute to it."""
    problems = []
    for (user, _), load in dashboard_loads.items():
        requested = {req.slice_id for req in load.requests}
        problems += [
            f"{user} · {load.dashboard.title} · {chart.name} (#{chart.id}): no chart-data request"
            for chart in load.charts
            if chart.id not in requested
        ]
    assert not problems, _report(problems)


def test_opening_a_dashboard_asks_only_for_what_its_first_view_shows(dashboard_loads):
    """A tab's charts ask for their data when the tab is opened, not with the dashboard: that
    is what keeps opening the Landelijke monitor to the kengetallen and the maps
    (docs/operations.md, "Serving under load")."""
    problems = []
    tabbed = set()
    for (user, _), load in dashboard_loads.items():
        in_tab = {chart.id: chart.name for chart in load.charts if chart.tab is not None}
        tabbed.update((load.dashboard.title, name) for name in in_tab.values())
        problems += [
            f"{user} · {load.dashboard.title} · {in_tab[req.slice_id]}: asked at "
            f"{req.started_s:.1f} s, before the first view was drawn ({load.rendered_s:.1f} s)"
            for req in load.requests
            if req.slice_id in in_tab and req.started_s <= (load.rendered_s or 0)
        ]
    assert ("Landelijke monitor", "Gemeenten") in tabbed
    assert not problems, _report(problems)
