"""Superset's result cache, warmed once the server is up and after every publication.

docs/operations.md, "Serving under load". A warm-up in headless Chromium opens every
dashboard (every tab) as the admin, so exactly the chart-data requests a viewer's browser
sends, native-filter defaults included, are computed once and then served from the cache.
It keeps those requests. After a publication they are sent again over HTTP, without a
browser: the new publication's answers are in the cache within seconds, where a Chromium
pass took half a minute or more under load while viewers waited on answers not yet there.

Sent again only while they are still what a browser would send: Superset's metadata has
not changed since (no chart, filter or dashboard edited; its version is counted by
superset/capmon_antwoorden.py), and every native filter's options came back as recorded (a
filter's default, such as the newest peiljaar, is one of its options). Otherwise Chromium
again, which records anew.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestration.superset_launcher import (
    ADMIN_USERNAME,
    LOG_FILE,
    ensure_secrets,
    recorded_serving_db,
    start_server,
    wait_until_healthy,
)

if TYPE_CHECKING:  # the browser module loads Playwright, which only a warm-up needs
    from orchestration.superset_browser import ChartDataRequest


WARM_ENV = "CAPMON_SUPERSET_OPWARMEN"


def serve(
    superset_home: Path, port: int, serving_db: Path | None = None, warm: bool | None = None
) -> subprocess.Popen:
    """``superset_launcher.start_server``, with the warm-up beside it when ``warm`` (default:
    only for the data folder's own Superset, as ``capmon serve`` starts it, and unless
    CAPMON_SUPERSET_OPWARMEN=0): a thread that fills the result cache for every dashboard
    once the server is up and again after every publication (CacheWarmer)."""
    from orchestration.paths import data_paths

    serving_db = serving_db or recorded_serving_db(superset_home)
    process = start_server(superset_home, port, serving_db)
    if warm is None:
        warm = (
            os.environ.get(WARM_ENV, "1") != "0"
            and superset_home.resolve() == data_paths().superset_home.resolve()
        )
    if warm and serving_db is not None:
        CacheWarmer(process, f"http://127.0.0.1:{port}", superset_home, serving_db).start()
    return process


@dataclass(frozen=True)
class WarmUp:
    """The chart-data requests of a warm-up in Chromium, under one metadata version."""

    metadata_version: int | None
    requests: list[ChartDataRequest]  # answered 200, with what was sent


def metadata_version(superset_home: Path) -> int | None:
    """Superset's metadata version; None where it is not counted (no response cache)."""
    database = superset_home / "superset.db"
    try:
        with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=30)) as db:
            row = db.execute("SELECT n FROM capmon_versie").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def warm_result_cache(
    base_url: str, superset_home: Path, timeout_s: float = 120
) -> tuple[list[str], WarmUp]:
    """Open every dashboard once as the admin in headless Chromium; the problems, and the
    requests the pages sent.

    The admin sees no row-level security, as the national viewers, so their results are
    theirs too; a regional viewer's practice rows are cached on their first look.
    """
    from orchestration import superset_browser as browser

    version = metadata_version(superset_home)
    password = ensure_secrets(superset_home)["admin_password"]
    session = browser.login_session(base_url, ADMIN_USERNAME, password)
    problems: list[str] = []
    sent: list[ChartDataRequest] = []
    with browser.chromium() as chromium:
        context = browser.new_context(chromium, base_url, session)
        for dashboard in browser.list_dashboards(session, base_url):
            page = context.new_page()
            try:
                load = browser.load_dashboard(page, base_url, dashboard.key, timeout_s=timeout_s)
                problems += [f"{dashboard.title}: {r.status}" for r in load.failed_requests]
                sent += [r for r in load.requests if r.status == 200 and r.post_data is not None]
            except browser.DashboardTimeout:
                problems.append(f"{dashboard.title}: niet binnen {timeout_s:.0f} s geladen")
            finally:
                page.close()
        context.close()
    return problems, WarmUp(version, sent)


def _answers(body: Any) -> list | None:
    """The data of a chart-data answer, without its cache and timing fields."""
    if not isinstance(body, dict) or not isinstance(body.get("result"), list):
        return None
    return [result.get("data") for result in body["result"]]


def warm_again(base_url: str, superset_home: Path, last: WarmUp) -> list[str] | None:
    """Send ``last``'s requests again over HTTP; the problems, or None when they may no
    longer be what a browser sends (see the module docstring) and Chromium must warm."""
    from orchestration import superset_browser as browser

    if last.metadata_version is None or metadata_version(superset_home) != last.metadata_version:
        return None
    password = ensure_secrets(superset_home)["admin_password"]
    session = browser.login_session(base_url, ADMIN_USERNAME, password)
    for request in (r for r in last.requests if r.slice_id is None):
        response = browser.send_again(session, request)
        if response.status_code != 200 or _answers(response.json()) != _answers(request.body):
            return None
    problems = []
    for request in (r for r in last.requests if r.slice_id is not None):
        response = browser.send_again(session, request)
        if response.status_code != 200:
            problems.append(f"grafiek {request.slice_id}: HTTP {response.status_code}")
    return problems


class CacheWarmer(threading.Thread):
    """Warms the result cache when the server is up and after every publication.

    Polls the serving file's publication (capmon_cache.publication_token's stat, cheaply)
    every few seconds for as long as the server runs; a failure is logged in superset.log
    and costs only the warm-up, never the server.
    """

    POLL_S = 3.0

    def __init__(
        self, server: subprocess.Popen, base_url: str, superset_home: Path, serving_db: Path
    ) -> None:
        super().__init__(name="capmon-cache-opwarmen", daemon=True)
        self.server = server
        self.base_url = base_url
        self.superset_home = superset_home
        self.serving_db = serving_db

    def _log(self, message: str) -> None:
        with (self.superset_home / LOG_FILE).open("a", encoding="utf-8") as log:
            log.write(f"[capmon opwarmen] {message}\n")

    def _warm(self, last: WarmUp | None) -> tuple[str, list[str], WarmUp | None]:
        """How it warmed, the problems, and the requests to send after the next publication."""
        try:
            if last is not None:
                problems = warm_again(self.base_url, self.superset_home, last)
                if problems is not None:
                    return "opnieuw gevraagd", problems, last
            problems, recorded = warm_result_cache(self.base_url, self.superset_home)
            return "in Chromium", problems, recorded
        except Exception as error:  # noqa: BLE001 - a failed warm-up must not stop serving
            return "mislukt", [f"{type(error).__name__}: {error}"], None

    def run(self) -> None:
        from orchestration.priority import yield_to_readers
        from orchestration.warehouse.publish import publication_token

        # This thread and the Chromium it starts; the server's threads keep their priority.
        try:
            yield_to_readers()
        except ValueError as error:
            self._log(f"{error}; opwarmen met de gewone prioriteit")
        try:
            wait_until_healthy(f"{self.base_url}/health", 300)
        except TimeoutError:
            return
        warmed = None
        last: WarmUp | None = None
        while self.server.poll() is None:
            token = publication_token(self.serving_db)
            if token != warmed and token != "geen":
                started = time.monotonic()
                how, problems, last = self._warm(last)
                warmed = token
                self._log(
                    f"publicatie {token}: dashboards in {time.monotonic() - started:.1f} s "
                    f"opgewarmd ({how}){'; ' + '; '.join(problems) if problems else ''}"
                )
            time.sleep(self.POLL_S)
