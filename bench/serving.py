"""Benchmark: Superset under concurrent viewers, optionally while a publication swaps the DB.

A bounded load client on 127.0.0.1 (issue 12, item 6; docs/operations.md, "Serving under
load"). Against a real Superset started here with the launcher's production settings
(gunicorn, the publication-tied result cache, the warm-up after start and publications):

1. the data: a scratch folder with ``capmon generate --scale 0.25`` and ``capmon run``, or
   an existing folder with a published serving DB (``--data-dir``); Superset is provisioned
   in it and served on a free port;
2. capture: every dashboard opened once in headless Chromium (the system one, as the browser
   tests use) as the admin; the page's chart-data requests are recorded as sent;
3. single-request latency: each recorded request replayed alone, three times (warm cache);
   and each view's requests alone, at most six at a time as a browser sends them: the floor
   under load, since a view's requests share the server's processes;
4. load: ``--sessies`` viewer sessions (admin and the three demo users in turn), each logs
   in, then opens a dashboard (its metadata calls and the chart-data requests of its first
   view, at most six at a time, as a browser does), reads it for ``--think`` seconds, opens
   its next tab (that tab's chart-data requests) or the next dashboard, for ``--duur``
   seconds. With ``--publiceer`` the job ``controleer_en_publiceer`` (re-audit
   and publish) runs a quarter into the load, and the load goes on until 30 s after it;
5. the Landelijke monitor rendered in ``--renders`` new browser contexts (JavaScript not
   cached), each then once more (the same reader again, the browser's cache warm).

It prints requests, errors, req/s, p50/p95/max, p95 divided by the single-request p50 and
by the p95 of a view alone, against the target: p95 <= 4x single, no errors; Landelijke
monitor <= 3 s.

    .venv/bin/python bench/serving.py                       # scratch scale 0.25 world
    .venv/bin/python bench/serving.py --data-dir /tmp/x --think 2-5 --duur 90 --publiceer

The server is stopped on exit, also on Ctrl-C; a scratch folder is removed unless --keep.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from orchestration import superset_browser as browser
from orchestration import superset_launcher, superset_warmup
from orchestration.paths import DataPaths

REPO = Path(__file__).resolve().parents[1]
P95_FACTOR_TARGET = 4.0
RENDER_TARGET_S = 3.0
BROWSER_PARALLEL = 6  # a browser's connections per host (HTTP/1.1)
LANDELIJK = "Landelijke monitor"
RENDER_VISITS = ("first visit, new browser context", "same reader again, browser cache warm")
CACHE_HEADER = "X-Capmon-Antwoordcache"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the smallest value with at least ``fraction`` at or below it);
    NaN for no values."""
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def parse_think(text: str) -> tuple[float, float]:
    """``"5-15"`` -> (5.0, 15.0); ``"3"`` -> (3.0, 3.0)."""
    low, _, high = text.partition("-")
    bounds = (float(low), float(high or low))
    if bounds[0] < 0 or bounds[1] < bounds[0]:
        raise argparse.ArgumentTypeError(f"think time {text!r}: want LOW-HIGH, 0 <= LOW <= HIGH")
    return bounds


@dataclass
class Sample:
    at_s: float  # seconds since the load started, when the request finished
    ms: float
    ok: bool
    chart_data: bool
    # X-Capmon-Antwoordcache: hit, miss or bypass (superset/capmon_antwoorden.py)
    answered: str = ""


@dataclass
class Recorded:
    dashboard_id: int
    title: str
    # The requests by what a person opens: the first view (None), then each tab, whose
    # charts ask for their data only when it is shown.
    pages: list[tuple[str | None, list[browser.ChartDataRequest]]]

    @property
    def requests(self) -> list[browser.ChartDataRequest]:
        return [request for _, page in self.pages for request in page]

    @staticmethod
    def of(load: browser.DashboardLoad) -> Recorded:
        good = [r for r in load.requests if r.status == 200 and r.post_data is not None]
        tab_of = {chart.id: chart.tab for chart in load.charts}
        pages: dict[str | None, list[browser.ChartDataRequest]] = {None: []}
        for request in good:
            pages.setdefault(tab_of.get(request.slice_id), []).append(request)
        return Recorded(load.dashboard.id, load.dashboard.title, list(pages.items()))

    def only(self, allowed: list[browser.ChartDataRequest]) -> Recorded:
        """These pages with only the ``allowed`` requests; pages left empty are dropped."""
        pages = [(tab, [r for r in page if r in allowed]) for tab, page in self.pages]
        return Recorded(self.dashboard_id, self.title, [(t, p) for t, p in pages if p or t is None])


@dataclass
class Load:
    samples: list[Sample] = field(default_factory=list)
    problems: dict[str, int] = field(default_factory=dict)
    views: int = 0
    tabs: int = 0
    logins: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, problem: str | None = None) -> None:
        with self.lock:
            self.samples.append(sample)
            if problem:
                self.problems[problem] = self.problems.get(problem, 0) + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def capmon(args: list[str], data_dir: Path, log: Path) -> int:
    env = {**os.environ, "CAPMON_DATA_DIR": str(data_dir)}
    with log.open("a") as handle:
        handle.write(f"\n$ capmon {' '.join(args)}\n")
        handle.flush()
        return subprocess.run(
            [str(Path(sys.executable).with_name("capmon")), *args],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        ).returncode


def publish_again(data_dir: Path, log: Path) -> subprocess.Popen:
    """The job controleer_en_publiceer (re-audit the marts, publish if they pass), at the
    priority the daemon's run worker gives it when an inbox sensor starts it."""
    code = (
        "import sys; from orchestration.pipeline import run_job; "
        "from orchestration.priority import yield_to_readers; yield_to_readers(); "
        "r = run_job('controleer_en_publiceer', show_progress=False); "
        "sys.exit(0 if r.success else 1)"
    )
    handle = log.open("a")
    handle.write("\n$ controleer_en_publiceer\n")
    handle.flush()
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "CAPMON_DATA_DIR": str(data_dir)},
        stdout=handle,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )


def wait_for_warm_up(home: Path, count: int, timeout_s: float, offset: int) -> float:
    """Until the launcher's warm-up has logged ``count`` publications after ``offset`` bytes
    of its log (where this server's part starts); seconds waited."""
    started = time.monotonic()
    log = home / superset_launcher.LOG_FILE
    while time.monotonic() - started < timeout_s:
        text = log.read_bytes()[offset:].decode(errors="replace") if log.exists() else ""
        if text.count("[capmon opwarmen] publicatie") >= count:
            return time.monotonic() - started
        time.sleep(0.5)
    return float("nan")


def capture(
    base_url: str, password: str, contexts: int
) -> tuple[list[Recorded], dict[str, list[Render]]]:
    """Every dashboard's chart-data requests as the browser sends them, and the render time
    of the Landelijke monitor in ``contexts`` new browser contexts (nothing cached but
    results), each visited twice."""
    session = browser.login_session(base_url, superset_launcher.ADMIN_USERNAME, password)
    recorded: list[Recorded] = []
    renders: dict[str, list[Render]] = {}
    with browser.chromium() as chromium:
        context = browser.new_context(chromium, base_url, session)
        for dashboard in browser.list_dashboards(session, base_url):
            page = context.new_page()
            try:
                load = browser.load_dashboard(page, base_url, dashboard.key)
            finally:
                page.close()
            recorded.append(Recorded.of(load))
        context.close()
        landelijk = next(r for r in recorded if r.title == LANDELIJK)
        for _ in range(contexts):
            context = browser.new_context(chromium, base_url, session)
            try:
                # A first visit (nothing in the browser's cache), then the same reader again.
                for visit in RENDER_VISITS:
                    page = context.new_page()
                    load = browser.load_dashboard(page, base_url, landelijk.dashboard_id)
                    rendered_s = load.rendered_s if load.rendered_s is not None else math.nan
                    phases = page.evaluate(RENDER_PHASES_JS, rendered_s * 1000)
                    renders.setdefault(visit, []).append(Render(rendered_s, *phases))
                    page.close()
            finally:
                context.close()
    return recorded, renders


# Where a render's time goes, from the page's resource timing (ms since navigation): when
# Superset's app, loaded and started, first asks for the dashboard, and when the last
# chart-data response of the first view arrived (tabs opened later are not counted). What
# follows that is drawing.
RENDER_PHASES_JS = """(renderedMs) => {
  const entries = performance.getEntriesByType('resource');
  const asks = entries.filter(e => e.name.includes('/api/v1/dashboard/'));
  const data = entries.filter(e => e.name.includes('/chart/data') && e.startTime <= renderedMs);
  return [
    asks.length ? Math.min(...asks.map(e => e.startTime)) / 1000 : NaN,
    data.length ? Math.max(...data.map(e => e.responseEnd)) / 1000 : NaN,
  ];
}"""


@dataclass
class Render:
    total_s: float
    app_started_s: float
    data_in_s: float

    def __str__(self) -> str:
        return (
            f"{self.total_s:.2f} (app started {self.app_started_s:.1f}, "
            f"chart data in {self.data_in_s:.1f})"
        )


class Connections:
    """A logged-in viewer's keep-alive connections, one per thread (a browser keeps six per
    host), on the standard library's HTTP client. The requests library costs about a
    millisecond of this process's GIL per request; with six in flight per view and twenty
    sessions in one process, that wait would be counted as the server's time."""

    def __init__(self, base_url: str, session: requests.Session) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        self._local = threading.local()

    def post(self, url: str, body: bytes, content_type: str | None) -> tuple[int, dict, bytes]:
        """Status, headers and the body as sent (gzip-compressed, read to the last byte)."""
        parts = urllib.parse.urlsplit(url)
        headers = {"Cookie": self.cookie, "Accept-Encoding": "gzip"}
        if content_type:
            headers["Content-Type"] = content_type
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            self._local.connection = connection
        try:
            connection.request("POST", f"{parts.path}?{parts.query}".rstrip("?"), body, headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self._local.connection = None
            raise


_PROBLEMS: dict[bytes, str | None] = {}


def answer_problem(body: bytes, encoding: str) -> str | None:
    """The first error a chart-data answer reports, if any. Each distinct answer is unpacked
    and read once: sessions get the same answers again and again, and reading one of up to
    700 KB of JSON holds this client's GIL for milliseconds, which the requests of other
    sessions waiting beside it would count as the server's time."""
    digest = hashlib.blake2b(body, digest_size=16).digest()
    if digest not in _PROBLEMS:
        answer = json.loads(gzip.decompress(body) if encoding == "gzip" else body)
        results = answer.get("result") or [] if isinstance(answer, dict) else []
        errors = [r.get("error") for r in results if isinstance(r, dict) and r.get("error")]
        _PROBLEMS[digest] = f"chart-data error: {str(errors[0])[:80]}" if errors else None
    return _PROBLEMS[digest]


def send(
    connections: Connections, request: browser.ChartDataRequest
) -> tuple[float, str | None, str]:
    """One chart-data request; its time in ms (to the last byte, as a browser's resource
    timing), what went wrong, if anything, and whether the response cache answered it."""
    started = time.perf_counter()
    try:
        status, headers, body = connections.post(
            request.url, (request.post_data or "").encode(), request.content_type
        )
    except (OSError, http.client.HTTPException) as error:
        return (time.perf_counter() - started) * 1000, f"chart-data {type(error).__name__}", ""
    took = (time.perf_counter() - started) * 1000
    answered = headers.get(CACHE_HEADER, "")
    if status != 200:
        return took, f"chart-data HTTP {status}", answered
    try:
        return took, answer_problem(body, headers.get("Content-Encoding", "")), answered
    except ValueError as error:
        return took, f"chart-data unreadable: {error}"[:100], answered


def single_latency(connections: Connections, recorded: list[Recorded]) -> list[float]:
    """Each request alone, three times; the cache is warm from the capture."""
    times = []
    for _ in range(3):
        for dashboard in recorded:
            for request in dashboard.requests:
                took, problem, _ = send(connections, request)
                if problem is None:
                    times.append(took)
    return times


def view_alone(connections: Connections, recorded: list[Recorded]) -> list[float]:
    """Each view's chart-data requests (a dashboard's first view, or one of its tabs) sent as a
    browser sends them, at most six at a time, with nothing else running; three times. The
    floor for what a viewer waits on a view: its requests share the server's processes."""
    times = []
    with ThreadPoolExecutor(BROWSER_PARALLEL) as pool:
        for _ in range(3):
            for dashboard in recorded:
                for _, asks in dashboard.pages:
                    sent = pool.map(lambda r: send(connections, r), asks)
                    times += [took for took, problem, _ in sent if problem is None]
    return times


def viewer(
    index: int,
    base_url: str,
    account: tuple[str, str],
    plan: list[Recorded],
    think: tuple[float, float],
    t0: float,
    stop_at: list[float],
    load: Load,
) -> None:
    rng = random.Random(index)
    time.sleep(rng.uniform(0, think[1] or 1.0))  # people do not all arrive at once
    try:
        session = browser.login_session(base_url, *account)
    except (browser.LoginFailed, requests.RequestException) as error:
        load.add(Sample(time.monotonic() - t0, 0, False, False), f"login: {error}"[:100])
        return
    with load.lock:
        load.logins += 1
    connections = Connections(base_url, session)
    order = plan[rng.randrange(len(plan)) :] + plan[: rng.randrange(len(plan))]
    position = 0
    with ThreadPoolExecutor(BROWSER_PARALLEL) as pool:
        pages = [(dashboard, tab, asks) for dashboard in order for tab, asks in dashboard.pages]
        while time.monotonic() < t0 + stop_at[0]:
            dashboard, tab, asks = pages[position % len(pages)]
            position += 1
            # Opening a dashboard: what the page asks before its charts; a tab asks only for
            # its charts' data.
            for path in ("", "/charts", "/datasets") if tab is None else ():
                started = time.perf_counter()
                try:
                    response = session.get(
                        f"{base_url}/api/v1/dashboard/{dashboard.dashboard_id}{path}", timeout=120
                    )
                    status = response.status_code
                    problem = None if response.ok else f"dashboard{path} HTTP {status}"
                except requests.RequestException as error:
                    problem = f"dashboard{path} {type(error).__name__}"
                took = (time.perf_counter() - started) * 1000
                load.add(Sample(time.monotonic() - t0, took, problem is None, False), problem)
            for took, problem, answered in pool.map(lambda r: send(connections, r), asks):
                sample = Sample(time.monotonic() - t0, took, problem is None, True, answered)
                load.add(sample, problem)
            with load.lock:
                load.views += tab is None
                load.tabs += tab is not None
            time.sleep(rng.uniform(*think))


def allowed_plan(
    base_url: str, account: tuple[str, str], recorded: list[Recorded]
) -> tuple[list[Recorded], int]:
    """The dashboards and requests this account may ask (the admin's recording, minus what
    its rights refuse: a national viewer gets no practice rows); and how many were refused."""
    session = browser.login_session(base_url, *account)
    connections = Connections(base_url, session)
    plan, refused = [], 0
    for dashboard in recorded:
        if not session.get(f"{base_url}/api/v1/dashboard/{dashboard.dashboard_id}").ok:
            refused += len(dashboard.requests)
            continue
        keep = []
        for request in dashboard.requests:
            if send(connections, request)[1] is None:
                keep.append(request)
            else:
                refused += 1
        if keep:
            plan.append(dashboard.only(keep))
    return plan, refused


def print_table(
    title: str, samples: list[Sample], seconds: float, single_ms: float, view_ms: float
) -> None:
    """A row of the table: p95 against the single request (the target) and against the p95
    of a view's requests alone (the floor a browser's view sets)."""
    data = [s for s in samples if s.chart_data]
    ok_ms = [s.ms for s in data if s.ok]
    errors = sum(not s.ok for s in samples)
    p95 = percentile(ok_ms, 0.95)
    factor = p95 / single_ms if single_ms else math.nan
    verdict = "met" if factor <= P95_FACTOR_TARGET and errors == 0 else "NOT met"
    print(
        f"{title:<28} {len(data):>8} {errors:>6} {len(data) / seconds if seconds else 0:>7.1f} "
        f"{percentile(ok_ms, 0.5):>7.0f} {p95:>7.0f} {max(ok_ms, default=math.nan):>7.0f} "
        f"{factor:>8.2f} {p95 / view_ms if view_ms else math.nan:>7.2f}  {verdict}"
    )


def print_by_answer(samples: list[Sample]) -> None:
    """How the chart-data requests were answered: from the response cache or by Superset."""
    ok = [s for s in samples if s.chart_data and s.ok]
    parts = []
    for answered in sorted({s.answered for s in ok}):
        ms = [s.ms for s in ok if s.answered == answered]
        parts.append(
            f"{answered or 'no header'} {len(ms)} (p50 {percentile(ms, 0.5):.0f} ms, "
            f"p95 {percentile(ms, 0.95):.0f} ms)"
        )
    print(f"  answered: {', '.join(parts)}  [{CACHE_HEADER}: hit = from the response cache]")


def run(args: argparse.Namespace) -> None:
    scratch = args.data_dir is None
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="capmon-bench-serving-")).resolve()
    paths = DataPaths(data_dir)
    log = data_dir / "bench-serving.log"
    server: subprocess.Popen | None = None
    publisher: subprocess.Popen | None = None
    print(f"data folder {data_dir} (log {log.name})", flush=True)
    try:
        if scratch:
            for label, command in (
                ("generate", ["generate", "--scale", "0.25"]),
                ("capmon run", ["run"]),
            ):
                started = time.monotonic()
                if capmon(command, data_dir, log) != 0:
                    raise SystemExit(f"{label} failed; see {log}")
                print(f"  {label}: {time.monotonic() - started:.0f} s", flush=True)
        if not paths.serving_db.exists():
            raise SystemExit(f"no serving DB in {data_dir}; run `capmon run` first")
        if not (args.skip_provision and (paths.superset_home / "superset.db").exists()):
            started = time.monotonic()
            if capmon(["provision"], data_dir, log) != 0:
                raise SystemExit(f"capmon provision failed; see {log}")
            print(f"  provision: {time.monotonic() - started:.0f} s", flush=True)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        size = superset_launcher.server_size(os.cpu_count())
        server_log = paths.superset_home / superset_launcher.LOG_FILE
        offset = server_log.stat().st_size if server_log.exists() else 0
        server = superset_warmup.serve(
            paths.superset_home, port, serving_db=paths.serving_db, warm=True
        )
        superset_launcher.wait_until_healthy(f"{base_url}/health", 180)
        waited = wait_for_warm_up(paths.superset_home, 1, 300, offset)
        print(
            f"  server up: gunicorn {size.workers} workers x {size.threads} threads; "
            f"warm-up after start done {waited:.0f} s later",
            flush=True,
        )
        secrets = superset_launcher.ensure_secrets(paths.superset_home)
        admin = (superset_launcher.ADMIN_USERNAME, secrets["admin_password"])
        accounts = [admin] + [
            (a.username, a.password) for a in superset_launcher.demo_accounts(paths.superset_home)
        ]
        recorded, renders = capture(base_url, admin[1], args.renders)
        per_dashboard = ", ".join(
            f"{r.title} {'+'.join(str(len(page)) for _, page in r.pages)}" for r in recorded
        )
        print(
            f"  chart-data requests per dashboard view (first view+each tab): {per_dashboard}",
            flush=True,
        )
        plans = {}
        for account in accounts:
            plans[account[0]], refused = allowed_plan(base_url, account, recorded)
            if refused:
                print(f"  {account[0]}: {refused} requests refused by its rights, left out")
        as_admin = Connections(base_url, browser.login_session(base_url, *admin))
        single = single_latency(as_admin, recorded)
        single_p50 = percentile(single, 0.5)
        alone = view_alone(as_admin, recorded)
        view_p95 = percentile(alone, 0.95)

        load = Load()
        load_before = os.getloadavg()[0]
        stop_at = [args.duur]
        t0 = time.monotonic()
        threads = [
            threading.Thread(
                target=viewer,
                args=(
                    i,
                    base_url,
                    accounts[i % len(accounts)],
                    plans[accounts[i % len(accounts)][0]],
                    args.think,
                    t0,
                    stop_at,
                    load,
                ),
                daemon=True,
            )
            for i in range(args.sessies)
        ]
        for thread in threads:
            thread.start()
        publication: tuple[float, float, float, int] | None = None
        if args.publiceer:
            stop_at[0] = math.inf  # the load goes on until 30 s after the warm-up
            time.sleep(args.duur / 4)
            pub_start = time.monotonic() - t0
            publisher = publish_again(data_dir, log)
            rc = publisher.wait()
            pub_end = time.monotonic() - t0
            warm = wait_for_warm_up(paths.superset_home, 2, 300, offset) + pub_end
            stop_at[0] = max(args.duur, warm + 30)
            publication = (pub_start, pub_end, warm, rc)
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - t0

        print(
            f"\nServing under load: {args.sessies} sessions, think {args.think[0]:g}-"
            f"{args.think[1]:g} s, {seconds:.0f} s; {load.logins} logins, {load.views} "
            f"dashboard views and {load.tabs} tabs opened; gunicorn {size.workers}x{size.threads}; "
            "machine load average "
            f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
            f"({os.cpu_count()} cores, shared with other processes)"
        )
        print(
            f"single chart-data request alone (warm cache): p50 {single_p50:.0f} ms, "
            f"p95 {percentile(single, 0.95):.0f} ms ({len(single)} requests)"
        )
        print(
            f"a view's requests alone, at most {BROWSER_PARALLEL} at a time (the floor of a "
            f"view): p50 {percentile(alone, 0.5):.0f} ms, p95 {view_p95:.0f} ms "
            f"({len(alone)} requests)"
        )
        print(
            f"\n{'chart-data requests':<28} {'requests':>8} {'errors':>6} {'req/s':>7} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'p95/1':>8} {'p95/view':>7}  "
            "target p95<=4x single, 0 errors"
        )
        print_table("whole run", load.samples, seconds, single_p50, view_p95)
        print_by_answer(load.samples)
        if publication:
            pub_start, pub_end, warm, rc = publication
            phases = (
                ("before the publication", 0, pub_start),
                ("during (job running)", pub_start, pub_end),
                ("swap to warm-up done", pub_end, warm),
                ("after the warm-up", warm, seconds),
            )
            for title, low, high in phases:
                part = [s for s in load.samples if low <= s.at_s < high]
                print_table(title, part, high - low, single_p50, view_p95)
                print_by_answer(part)
            print(
                f"publication: controleer_en_publiceer exit {rc}, {pub_start:.0f}-{pub_end:.0f} s;"
                f" warm-up of the new publication done at {warm:.0f} s"
            )
        if load.problems:
            print("errors:")
            for problem, count in sorted(load.problems.items(), key=lambda kv: -kv[1]):
                print(f"  {count:>5} x {problem}")
        print()
        for visit, times in renders.items():
            render_max = max(r.total_s for r in times)
            render_p50 = percentile([r.total_s for r in times], 0.5)
            print(
                f"{LANDELIJK} rendered, {visit}: "
                + ", ".join(str(r) for r in times)
                + f" s (median {render_p50:.2f} s, max {render_max:.2f} s;"
                + f" target <= {RENDER_TARGET_S:g} s: "
                + ("met" if render_max <= RENDER_TARGET_S else "NOT met")
                + ")"
            )
    finally:
        if publisher is not None and publisher.poll() is None:
            publisher.terminate()
            publisher.wait(timeout=60)
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        if scratch and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="a data folder with a published serving DB")
    parser.add_argument("--sessies", type=int, default=20, help="viewer sessions (default 20)")
    parser.add_argument(
        "--think", type=parse_think, default=(5.0, 15.0), help="seconds LOW-HIGH (default 5-15)"
    )
    parser.add_argument("--duur", type=float, default=120, help="seconds of load (default 120)")
    parser.add_argument(
        "--publiceer", action="store_true", help="re-audit and publish during the load"
    )
    parser.add_argument("--keep", action="store_true", help="keep a scratch data folder")
    parser.add_argument(
        "--renders",
        type=int,
        default=5,
        help="new browser contexts the Landelijke monitor is rendered in, twice each (default 5)",
    )
    parser.add_argument(
        "--skip-provision",
        action="store_true",
        help="with --data-dir: reuse its Superset metadata when there is one",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    run(args)


if __name__ == "__main__":
    main()
