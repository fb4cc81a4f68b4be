"""Superset's dashboards in a real browser: headless Chromium driven by Playwright.

Used by the browser tests (``tests/superset/test_dashboards_browser.py``) and by the
dashboard benchmark (``bench/dashboards.py``), so it lives in the package, not in tests/.
Playwright comes with the dev dependency group (``uv sync`` installs it).

Chromium is the system one (``/usr/bin/chromium``, Debian package
``chromium``; ``CAPMON_CHROMIUM`` overrides the path): Playwright's own browser downloads are
never used, so nothing here needs the internet.

``load_dashboard`` opens one dashboard the way a user does and reports what the page did:
every chart-data request (slice, HTTP status, duration, parsed response), the state each chart
ended in (rendered, no results, error with its message), the time from navigation start to
the moment every chart had rendered, and a full-page screenshot. The page is polled every
50 ms, so times are that precise (a poll waits while the page's main thread is busy).

How "rendered" is recognised (Superset 6.1's DOM, see ``_CHART_STATES_JS``): each chart on a
dashboard is a ``[data-test="chart-grid-component"][data-test-chart-id=<id>]``. While its
query runs it holds a ``[data-test="loading-indicator"]``; a failed query or a plugin that
throws shows an Ant Design error alert (``.ant-alert-error``, ``role="alert"``) with the
message; otherwise ``.slice_container`` receives the plugin's output (``#chart-id-<id>``),
which is empty for a moment while the plugin's code loads. A chart counts as rendered once
that container holds visible output (a canvas, table, image, SVG shapes or text), and as
"no results" when it shows Superset's empty state (``.ant-empty``), which is not an error.

Dashboard virtualisation (Superset renders only the rows near the viewport) is off for
automated browsers: Superset checks ``navigator.webdriver``, which Playwright sets, exactly so
that its own screenshots contain every chart. Charts in tabs other than the first are not
mounted until their tab is shown; ``load_dashboard`` clicks through those tabs after the
first view has rendered and waits for their charts too (the time to render is that of the
first view, what a user sees on opening the dashboard).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import requests
from playwright.sync_api import Browser, BrowserContext, Page, Request, sync_playwright

CHROMIUM = Path(os.environ.get("CAPMON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--no-first-run",
    "--disable-quic",
    # The machines have no internet: without these Chromium keeps calling (and waiting on)
    # Google's update, sync and field-trial endpoints in the background.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # WebGL (deck.gl charts need WebGL 2) in software: ANGLE on SwiftShader, no GPU needed.
    # (--disable-gpu is left out: not needed, there is no GPU to disable.)
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
)
VIEWPORT = {"width": 1440, "height": 900}
CHART_DATA_PATHS = ("/api/v1/chart/data", "/superset/explore_json/")
DEFAULT_TIMEOUT_S = 60.0
# Every chart must stay finished this long before the dashboard counts as rendered, so that
# a chart that re-queries right after its first render is not missed. Not part of the time.
SETTLE_MS = 300
POLL_MS = 50
# ECharts animates its series for about a second after rendering; wait before screenshots.
SCREENSHOT_SETTLE_MS = 1200
FINISHED_STATES = ("rendered", "no results", "error")


class BrowserUnavailable(RuntimeError):
    """Chromium is not installed where we look for it."""


class LoginFailed(RuntimeError):
    """Superset did not accept the user's credentials, or sent the browser to the login page."""


class DashboardTimeout(AssertionError):
    """Not every chart finished in time; ``load`` holds what the page did until then."""

    def __init__(self, message: str, load: DashboardLoad) -> None:
        super().__init__(message)
        self.load = load


@dataclass(frozen=True)
class Dashboard:
    id: int
    title: str
    slug: str | None

    @property
    def key(self) -> str:
        """The slug, or the id for a dashboard without one: what its URL uses."""
        return self.slug or str(self.id)


@dataclass
class ChartDataRequest:
    """One chart-data call the page made (``/api/v1/chart/data`` or legacy explore_json)."""

    slice_id: int | None  # None: not a chart's, e.g. a native filter fetching its options
    url: str
    status: int | None  # None: no response at all (connection failed or aborted)
    duration_ms: float  # request start to the last byte of the response
    started_s: float  # when it started, in seconds since the navigation started
    body: Any = None  # the parsed JSON response, None when it was not JSON
    failure: str | None = None
    # What was sent, to replay the query outside the browser (``replay``).
    post_data: str | None = None
    content_type: str | None = None

    @property
    def legacy(self) -> bool:
        return "/explore_json/" in self.url


@dataclass
class ChartOnPage:
    id: int
    name: str
    viz_type: str
    state: str  # rendered | no results | error | loading | waiting | not on page
    messages: list[str] = field(default_factory=list)
    tab: str | None = None  # the tab it sits in when not in the first view
    # Seconds from navigation start until it finished (for good, as far as the wait saw).
    finished_s: float | None = None


@dataclass
class DashboardLoad:
    dashboard: Dashboard
    url: str
    charts: list[ChartOnPage]
    requests: list[ChartDataRequest]
    # Navigation start to every chart of the first view finished; None if it never happened.
    rendered_s: float | None
    screenshots: list[Path] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def unfinished(self) -> list[ChartOnPage]:
        return [chart for chart in self.charts if chart.state not in FINISHED_STATES]

    @property
    def chart_errors(self) -> dict[str, list[str]]:
        return {chart.name: chart.messages for chart in self.charts if chart.state == "error"}

    @property
    def failed_requests(self) -> list[ChartDataRequest]:
        return [request for request in self.requests if request.status != 200]

    def chart(self, name_or_id: str | int) -> ChartOnPage:
        matches = [c for c in self.charts if name_or_id in (c.id, c.name)]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} charts {name_or_id!r} on {self.dashboard.title!r}")
        return matches[0]

    def responses(self, name_or_id: str | int) -> list[Any]:
        """The parsed responses of one chart's data requests, in the order they were made."""
        chart = self.chart(name_or_id)
        return [r.body for r in self.requests if r.slice_id == chart.id]

    def describe(self) -> str:
        lines = [f"{self.dashboard.title} ({self.url}):"]
        for chart in self.charts:
            tab = f" [tab {chart.tab}]" if chart.tab else ""
            message = f": {' | '.join(chart.messages)}" if chart.messages else ""
            lines.append(f"  - {chart.name} (#{chart.id}, {chart.viz_type}){tab}: {chart.state}")
            if message:
                lines[-1] += message[:500]
        for request in self.failed_requests:
            lines.append(
                f"  request for slice {request.slice_id}: HTTP {request.status} "
                f"{request.failure or ''} {json.dumps(request.body)[:300] if request.body else ''}"
            )
        lines += [f"  page error: {error[:300]}" for error in self.page_errors]
        return "\n".join(lines)


# --- browser and login ------------------------------------------------------------------------


@contextmanager
def chromium(headless: bool = True) -> Iterator[Browser]:
    """The system Chromium, headless, with software WebGL and no background network traffic."""
    if not CHROMIUM.exists():
        raise BrowserUnavailable(
            f"Chromium ontbreekt ({CHROMIUM}); installeer het met "
            "`sudo apt-get install -y chromium chromium-driver` of zet CAPMON_CHROMIUM."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=headless, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def login_session(base_url: str, username: str, password: str) -> requests.Session:
    """Log in through Superset's login form (a React page that posts a classic form).

    The session cookie also authenticates the REST API (``list_dashboards``) and, copied into
    a browser context (``new_context``), the browser.
    """
    session = requests.Session()
    page = session.get(f"{base_url}/login/", timeout=30)
    page.raise_for_status()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    if not token:
        raise LoginFailed(f"no CSRF token on {base_url}/login/")
    response = session.post(
        f"{base_url}/login/",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    # A wrong password answers 302 too, but back to /login/.
    if response.status_code != 302 or "/login" in response.headers.get("Location", ""):
        raise LoginFailed(f"login as {username!r} failed: HTTP {response.status_code}")
    return session


def new_context(browser: Browser, base_url: str, session: requests.Session) -> BrowserContext:
    """A browser context (own cookies and cache) logged in with ``session``'s cookies."""
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.add_cookies(
        [
            {"name": cookie.name, "value": cookie.value or "", "url": base_url}
            for cookie in session.cookies
        ]
    )
    return context


def list_dashboards(session: requests.Session, base_url: str) -> list[Dashboard]:
    """The dashboards this user may see, by title (the REST API applies Superset's rights)."""
    response = session.get(
        f"{base_url}/api/v1/dashboard/",
        params={"q": "(order_column:dashboard_title,order_direction:asc,page_size:100)"},
        timeout=30,
    )
    response.raise_for_status()
    return [
        Dashboard(id=item["id"], title=item["dashboard_title"], slug=item.get("slug") or None)
        for item in response.json()["result"]
    ]


def webgl_info(page: Page) -> dict[str, Any]:
    """The WebGL renderer and whether a WebGL 2 context really draws (deck.gl needs one)."""
    return page.evaluate(
        """() => {
          const gl = document.createElement('canvas').getContext('webgl2');
          if (!gl) return {webgl2: false, renderer: null, draws: false};
          const info = gl.getExtension('WEBGL_debug_renderer_info');
          gl.clearColor(1, 0, 0, 1);
          gl.clear(gl.COLOR_BUFFER_BIT);
          const pixel = new Uint8Array(4);
          gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
          return {
            webgl2: true,
            renderer: gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER),
            draws: pixel[0] === 255 && pixel[1] === 0 && pixel[3] === 255,
          };
        }"""
    )


def send_again(session: requests.Session, request: ChartDataRequest) -> requests.Response:
    """Send a captured chart-data request again, as the browser sent it. Chart-data
    endpoints need no CSRF token."""
    headers = {"Content-Type": request.content_type} if request.content_type else {}
    return session.post(
        request.url, data=(request.post_data or "").encode(), headers=headers, timeout=120
    )


def replay(session: requests.Session, request: ChartDataRequest) -> float:
    """Send a captured chart-data request again, alone; its wall time in ms.

    Without the browser's parallel requests this is the server's own time for the query
    (Superset plus DuckDB), without queueing.
    """
    started = time.perf_counter()
    response = send_again(session, request)
    took = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return took


# --- one dashboard ------------------------------------------------------------------------------

# The state of each chart (by id) on the page, plus the page's clock (ms since navigation).
_CHART_STATES_JS = """
(ids) => {
  const charts = {};
  for (const id of ids) {
    const holder = document.querySelector(
      `[data-test="chart-grid-component"][data-test-chart-id="${id}"]`);
    if (!holder) { charts[id] = {state: 'not on page', messages: []}; continue; }
    const alerts = [...holder.querySelectorAll('.ant-alert-error, .ant-alert-warning')];
    if (alerts.length) {
      charts[id] = {state: 'error', messages: alerts.map(a => a.innerText.trim())};
      continue;
    }
    if (holder.querySelector('[data-test="loading-indicator"]')) {
      charts[id] = {state: 'loading', messages: []};
      continue;
    }
    const body = holder.querySelector('.slice_container');
    if (body && body.querySelector('.ant-empty')) {
      charts[id] = {state: 'no results', messages: [body.innerText.trim()].filter(Boolean)};
    } else if (body && (body.querySelector(
        'canvas, table, img, svg path, svg text, svg circle, svg polygon')
        || body.innerText.trim())) {
      charts[id] = {state: 'rendered', messages: []};
    } else {
      charts[id] = {state: 'waiting', messages: []};
    }
  }
  return {now: performance.now(), charts};
}
"""


def _slice_id(request: Request) -> int | None:
    """The chart a chart-data request is for: ``form_data`` in the URL, else in the body."""
    candidates = parse_qs(urlsplit(request.url).query).get("form_data", [])
    body = request.post_data or ""
    try:
        payload = json.loads(body) if body else None
    except ValueError:  # explore_json posts a form: form_data=<json>
        payload = None
        candidates += parse_qs(body).get("form_data", [])
    if isinstance(payload, dict):
        candidates.append(payload.get("form_data") or {})
    for candidate in candidates:
        try:
            form_data = json.loads(candidate) if isinstance(candidate, str) else candidate
        except ValueError:
            continue
        if isinstance(form_data, dict) and form_data.get("slice_id") is not None:
            return int(form_data["slice_id"])
    return None


class _RequestRecorder:
    """Collects the page's chart-data requests; ``pending`` tells whether any is in flight."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[Request] = []
        self.finished: set[int] = set()
        self.failures: dict[int, str] = {}
        self.page_errors: list[str] = []
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_finished)
        page.on("requestfailed", self._on_failed)
        page.on("pageerror", self._on_page_error)

    @staticmethod
    def _is_chart_data(request: Request) -> bool:
        return any(urlsplit(request.url).path.startswith(p) for p in CHART_DATA_PATHS)

    def _on_request(self, request: Request) -> None:
        if self._is_chart_data(request):
            self.requests.append(request)

    def _on_finished(self, request: Request) -> None:
        self.finished.add(id(request))

    def _on_failed(self, request: Request) -> None:
        self.finished.add(id(request))
        self.failures[id(request)] = request.failure or "failed"

    def _on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    @property
    def pending(self) -> int:
        return sum(id(r) not in self.finished for r in self.requests)

    def detach(self) -> None:
        self.page.remove_listener("request", self._on_request)
        self.page.remove_listener("requestfinished", self._on_finished)
        self.page.remove_listener("requestfailed", self._on_failed)
        self.page.remove_listener("pageerror", self._on_page_error)

    def collect(self, time_origin_ms: float) -> list[ChartDataRequest]:
        collected = []
        for request in self.requests:
            response = None if id(request) in self.failures else request.response()
            body = None
            if response is not None:
                try:
                    body = response.json()
                except Exception:  # not JSON, or the body is gone
                    body = None
            timing = request.timing
            duration = timing.get("responseEnd", -1)
            collected.append(
                ChartDataRequest(
                    slice_id=_slice_id(request),
                    url=request.url,
                    status=response.status if response is not None else None,
                    duration_ms=float(duration) if duration >= 0 else float("nan"),
                    started_s=(timing["startTime"] - time_origin_ms) / 1000,
                    body=body,
                    failure=self.failures.get(id(request)),
                    post_data=request.post_data,
                    content_type=request.headers.get("content-type"),
                )
            )
        return collected


@dataclass(frozen=True)
class _Layout:
    """The dashboard's charts from its saved layout: names, and which tab each sits in."""

    names: dict[int, str]
    viz_types: dict[int, str]
    # Charts shown on opening, then per tab group (the chain of tabs to click, outer first,
    # as (layout id, title)) the rest.
    first_view: list[int]
    in_tabs: dict[tuple[tuple[str, str], ...], list[int]]


def _layout(page: Page, base_url: str, key: str) -> tuple[Dashboard, _Layout]:
    """Read the dashboard and its charts through the REST API, as the logged-in user."""

    def get(path: str) -> dict:
        response = page.request.get(f"{base_url}{path}", timeout=30_000)
        if response.status == 401 or "/login" in response.url:
            raise LoginFailed(f"not logged in: GET {path} answered {response.status}")
        if not response.ok:
            raise RuntimeError(f"GET {path}: HTTP {response.status} {response.text()[:300]}")
        return response.json()["result"]

    info = get(f"/api/v1/dashboard/{quote(key)}")
    dashboard = Dashboard(id=info["id"], title=info["dashboard_title"], slug=info.get("slug"))
    charts = get(f"/api/v1/dashboard/{quote(key)}/charts")
    names = {c["id"]: c["slice_name"] for c in charts}
    viz_types = {c["id"]: (c.get("form_data") or {}).get("viz_type", "?") for c in charts}

    position = json.loads(info.get("position_json") or "{}")
    first_view: list[int] = []
    in_tabs: dict[tuple[tuple[str, str], ...], list[int]] = {}

    def walk(node_id: str, tabs: tuple[tuple[str, str], ...], hidden: bool) -> None:
        node = position.get(node_id) or {}
        if node.get("type") == "CHART":
            chart_id = node.get("meta", {}).get("chartId")
            if chart_id is not None:
                names.setdefault(chart_id, node["meta"].get("sliceName", f"#{chart_id}"))
                viz_types.setdefault(chart_id, "?")
                (in_tabs.setdefault(tabs, []) if hidden else first_view).append(chart_id)
            return
        children = node.get("children", [])
        for index, child in enumerate(children):
            child_node = position.get(child) or {}
            if node.get("type") == "TABS" and child_node.get("type") == "TAB":
                meta = child_node.get("meta", {})
                title = meta.get("text") or meta.get("defaultText") or child
                walk(child, (*tabs, (child, title)), hidden or index > 0)
            else:
                walk(child, tabs, hidden)

    if position:
        walk("ROOT_ID", (), False)
    else:  # a dashboard without a saved layout shows its charts in one grid
        first_view = sorted(names)
    return dashboard, _Layout(names, viz_types, first_view, in_tabs)


def _wait_for_charts(
    page: Page, recorder: _RequestRecorder, chart_ids: list[int], timeout_s: float
) -> tuple[float | None, dict[int, dict]]:
    """Poll until every chart finished and no chart-data request is in flight.

    Returns the page time (ms since navigation start) at which that first held, and the
    charts' last states, each with ``finished_ms``: when it reached its final state. The
    time is None when the deadline passed first.
    """
    deadline = time.monotonic() + timeout_s
    finished_at: float | None = None
    chart_finished: dict[int, float] = {}
    while True:
        snapshot = page.evaluate(_CHART_STATES_JS, chart_ids)
        states = {int(k): v for k, v in snapshot["charts"].items()}
        for chart_id, state in states.items():
            if state["state"] not in FINISHED_STATES:
                chart_finished.pop(chart_id, None)
            else:
                state["finished_ms"] = chart_finished.setdefault(chart_id, snapshot["now"])
        if "/login" in urlsplit(page.url).path:
            raise LoginFailed(f"Superset sent the browser to its login page ({page.url})")
        done = recorder.pending == 0 and all(
            states[i]["state"] in FINISHED_STATES for i in chart_ids
        )
        if not done:
            finished_at = None
        elif finished_at is None:
            finished_at = snapshot["now"]
        elif snapshot["now"] - finished_at >= SETTLE_MS:
            return finished_at, states
        if time.monotonic() > deadline:
            return None, states
        page.wait_for_timeout(POLL_MS)


def _seconds(milliseconds: float | None) -> float | None:
    return None if milliseconds is None else milliseconds / 1000


def _tab_screenshot(path: Path, titles: list[str]) -> Path:
    label = re.sub(r"[^a-z0-9]+", "-", "-".join(titles).lower()).strip("-") or "tab"
    return path.with_name(f"{path.stem}--{label}{path.suffix}")


def load_dashboard(
    page: Page,
    base_url: str,
    slug_or_id: str | int,
    screenshot: Path | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> DashboardLoad:
    """Open a dashboard, wait for every chart, and report what the page did.

    ``page`` must belong to a logged-in context (``new_context``). Raises ``DashboardTimeout``
    (with the partial ``DashboardLoad`` attached) when a chart has not finished after
    ``timeout_s`` seconds, naming each such chart and its state. A chart that shows an error
    is finished: the caller decides what an error means (``DashboardLoad.chart_errors``).
    Screenshots: ``screenshot`` for the first view, ``<stem>--<tab>.png`` per other tab.
    """
    dashboard, layout = _layout(page, base_url, str(slug_or_id))
    url = f"{base_url}/superset/dashboard/{quote(dashboard.key)}/"
    recorder = _RequestRecorder(page)
    screenshots: list[Path] = []
    final: dict[int, dict] = {}
    tab_of: dict[int, str] = {}
    rendered_ms: float | None = None
    try:
        page.goto(url, wait_until="commit")
        groups = [((), layout.first_view), *layout.in_tabs.items()]
        for tabs, chart_ids in layout.in_tabs.items():
            tab_of.update(dict.fromkeys(chart_ids, " › ".join(title for _, title in tabs)))
        for tabs, chart_ids in groups:
            # Outer tab first; clicking the active tab changes nothing. Superset gives each
            # tab button the id "<tabs id>-tab-<tab id>" (its accessible name also holds the
            # "Copy URL" button's label, so the title alone does not find it).
            for tab_id, _ in tabs:
                page.locator(f'[role="tab"][id$="-tab-{tab_id}"]').first.click(
                    timeout=timeout_s * 1000
                )
            titles = [title for _, title in tabs]
            finished_at, states = _wait_for_charts(page, recorder, chart_ids, timeout_s)
            final.update(states)
            if finished_at is None:
                break
            if not tabs:
                rendered_ms = finished_at
            if screenshot is not None:
                target = _tab_screenshot(screenshot, titles) if tabs else screenshot
                target.parent.mkdir(parents=True, exist_ok=True)
                page.wait_for_timeout(SCREENSHOT_SETTLE_MS)
                page.screenshot(path=str(target), full_page=True)
                screenshots.append(target)
        load = DashboardLoad(
            dashboard=dashboard,
            url=url,
            charts=[
                ChartOnPage(
                    id=chart_id,
                    name=layout.names.get(chart_id, f"#{chart_id}"),
                    viz_type=layout.viz_types.get(chart_id, "?"),
                    state=final.get(chart_id, {}).get("state", "tab not opened"),
                    messages=final.get(chart_id, {}).get("messages", []),
                    tab=tab_of.get(chart_id),
                    finished_s=_seconds(final.get(chart_id, {}).get("finished_ms")),
                )
                for chart_ids in [layout.first_view, *layout.in_tabs.values()]
                for chart_id in chart_ids
            ],
            requests=recorder.collect(page.evaluate("performance.timeOrigin")),
            rendered_s=_seconds(rendered_ms),
            screenshots=screenshots,
            page_errors=list(recorder.page_errors),
        )
    finally:
        recorder.detach()
    if load.unfinished:
        if screenshot is not None:  # show what the page looked like when we gave up
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            load.screenshots.append(screenshot)
        waiting = "\n".join(
            f"  - {c.name} (#{c.id}, {c.viz_type}{', tab ' + c.tab if c.tab else ''}): {c.state}"
            for c in load.unfinished
        )
        raise DashboardTimeout(
            f"dashboard {dashboard.title!r} ({url}): {len(load.unfinished)} of "
            f"{len(load.charts)} charts not finished after {timeout_s:.0f} s "
            f"({recorder.pending} chart-data requests still open):\n{waiting}",
            load,
        )
    return load
