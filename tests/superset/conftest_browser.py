"""Browser fixtures shared by every Superset test: one headless Chromium, each page opened once.

Loaded as a pytest plugin (``pytest_plugins`` in tests/conftest.py) so that any module under
tests/superset can use ``dashboard_loads``: for the admin and each demo user
(``superset_launcher.demo_accounts``) every dashboard that user may see, opened once per
session in Chromium with what the page did (chart-data requests with their JSON responses,
chart states, timings; see ``browser.DashboardLoad``), e.g.::

    def test_regional_kpi(dashboard_loads):
        load = dashboard_loads[("demo_regio_groningen", "regionale-monitor")]
        body = load.responses("Fte huisartsen")[-1]

Screenshots of every page go to ``test-output/screenshots/<user>/<dashboard slug>.png`` at
the repository root (git-ignored), to look at after ``make test``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser

from orchestration import superset_browser as browser
from orchestration import superset_launcher
from orchestration.paths import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"


@dataclass(frozen=True)
class Account:
    username: str
    password: str


@pytest.fixture(scope="session")
def browser_accounts(superset_server) -> list[Account]:
    """The admin and every demo user."""
    demo = superset_launcher.demo_accounts(superset_server.home)
    return [
        Account(superset_launcher.ADMIN_USERNAME, superset_server.admin_password),
        *(Account(account.username, account.password) for account in demo),
    ]


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    try:
        with browser.chromium() as chromium:
            yield chromium
    except browser.BrowserUnavailable as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def visible_dashboards(superset_server, browser_accounts) -> dict[str, list[browser.Dashboard]]:
    """Per username, the dashboards Superset's REST API lists for that user."""
    return {
        account.username: browser.list_dashboards(
            browser.login_session(superset_server.base_url, account.username, account.password),
            superset_server.base_url,
        )
        for account in browser_accounts
    }


@pytest.fixture(scope="session")
def dashboard_loads(
    superset_server, browser_accounts, chromium_browser, request
) -> dict[tuple[str, str], browser.DashboardLoad]:
    """Every (username, dashboard slug) the user may see, opened once in Chromium.

    A dashboard whose charts did not all finish is kept too (its unfinished charts are in
    ``DashboardLoad.unfinished``): ``test_every_chart_renders`` reports it, and the other
    dashboards are still checked.
    """
    base_url = superset_server.base_url
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    loads: dict[tuple[str, str], browser.DashboardLoad] = {}
    for account in browser_accounts:
        session = browser.login_session(base_url, account.username, account.password)
        context = browser.new_context(chromium_browser, base_url, session)
        try:
            for dashboard in browser.list_dashboards(session, base_url):
                page = context.new_page()
                try:
                    loads[(account.username, dashboard.key)] = browser.load_dashboard(
                        page,
                        base_url,
                        dashboard.key,
                        screenshot=SCREENSHOTS / account.username / f"{dashboard.key}.png",
                    )
                except browser.DashboardTimeout as timeout:
                    loads[(account.username, dashboard.key)] = timeout.load
                finally:
                    page.close()
        finally:
            context.close()
    # Shown even though pytest captures output while fixtures run.
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nscreenshots of {len(loads)} dashboard pages: {SCREENSHOTS}")
    return loads
