"""Benchmark: open every Superset dashboard in headless Chromium, at one or more scales.

Per scale, everything happens in a scratch data folder (``CAPMON_DATA_DIR``): generate the
sample sources, run the pipeline (``capmon run``), provision Superset in a scratch home and
serve it on a free port. Then, as the admin, each dashboard is opened once to warm up and
``--loads`` times measured, each time in a new tab of one browser context (the JavaScript
comes from the browser cache, as for a returning user). Per dashboard it prints the number
of charts, p50 and p95 of the chart-data request durations (request start to last byte, as
the browser saw them) and p50 and max of the time from navigation start until every chart
had rendered, with the targets: chart queries p95 < 300 ms and every load < 3 s, at scale 1.
It does so twice: with Superset's result cache emptied before every load (every query runs,
as for the first viewer after a publication) and with the cache as the warm-up left it (as
for every later viewer until the next publication); ``--warm-only`` skips the first.

Should a run not publish (a check failed), the benchmark publishes the marts itself (the
same write–audit–publish copy, without the audit) and says so.

    .venv/bin/python bench/dashboards.py                  # scales 1 and 10, 5 loads each
    .venv/bin/python bench/dashboards.py --scale 1 --loads 10

The page loading and the "every chart rendered" test are those of the browser tests
(orchestration/superset_browser.py). The Superset server is stopped on exit, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from orchestration import superset_browser as browser
from orchestration import superset_launcher
from orchestration.paths import DataPaths
from orchestration.warehouse.publish import clear_result_cache

REPO = Path(__file__).resolve().parents[1]

QUERY_P95_TARGET_MS = 300
DASHBOARD_TARGET_S = 3.0
TARGET_SCALE = 1.0
HEALTH_TIMEOUT_S = 180


@dataclass
class DashboardFigures:
    title: str
    charts: int
    query_ms: list[float] = field(default_factory=list)
    alone_ms: list[float] = field(default_factory=list)
    first_query_s: list[float] = field(default_factory=list)
    render_s: list[float] = field(default_factory=list)
    chart_s: dict[str, list[float]] = field(default_factory=dict)  # when each chart finished
    problems: list[str] = field(default_factory=list)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def step(label: str, function, *args):
    """Run one phase with a progress line; return its result and its wall time."""
    print(f"  {label} ...", end="", flush=True)
    started = time.perf_counter()
    result = function(*args)
    took = time.perf_counter() - started
    print(f" {took:.1f} s", flush=True)
    return result, took


def capmon(args: list[str], data_dir: Path, log: Path) -> int:
    """Run the capmon command against ``data_dir``; its output goes to ``log``."""
    command = Path(sys.executable).with_name("capmon")
    env = {**os.environ, "CAPMON_DATA_DIR": str(data_dir)}
    with log.open("a") as handle:
        handle.write(f"\n$ capmon {' '.join(args)}\n")
        handle.flush()
        return subprocess.run(
            [str(command), *args], env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=REPO
        ).returncode


def process_tree_peak_rss_mb(pid: int) -> float:
    """Sum of the high-water RSS (VmHWM) of a process and its children, in MB."""
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    pids.append(int(entry.name))
    total_kb = 0
    for each in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


def measure_dashboards(
    base_url: str,
    password: str,
    loads: int,
    timeout_s: float,
    cold_caches: tuple[Path, ...] = (),
):
    """Open every dashboard 1 + ``loads`` times; with ``cold_caches``, empty those caches (the
    result cache, the answers given again) before each load, so every chart query really runs
    (as right after a publication)."""
    session = browser.login_session(base_url, superset_launcher.ADMIN_USERNAME, password)
    dashboards = browser.list_dashboards(session, base_url)
    figures: list[DashboardFigures] = []
    with browser.chromium() as chromium:
        context = browser.new_context(chromium, base_url, session)
        for dashboard in dashboards:
            result = DashboardFigures(dashboard.title, charts=0)
            figures.append(result)
            for attempt in range(loads + 1):  # the first one warms up and is not counted
                for cache in cold_caches:
                    clear_result_cache(cache)
                page = context.new_page()
                try:
                    load = browser.load_dashboard(
                        page, base_url, dashboard.key, timeout_s=timeout_s
                    )
                except browser.DashboardTimeout as timeout:
                    result.problems.append(str(timeout).splitlines()[0])
                    break
                finally:
                    page.close()
                result.charts = len(load.charts)
                for chart, messages in load.chart_errors.items():
                    problem = f"chart {chart!r} shows an error: {' '.join(messages)[:200]}"
                    if problem not in result.problems:
                        result.problems.append(problem)
                for request in load.failed_requests:
                    problem = f"a chart-data request for slice {request.slice_id}: {request.status}"
                    if problem not in result.problems:
                        result.problems.append(problem)
                if attempt > 0:
                    result.query_ms += [r.duration_ms for r in load.requests]
                    result.render_s.append(load.rendered_s)
                    if load.requests:
                        result.first_query_s.append(min(r.started_s for r in load.requests))
                    for chart in load.charts:
                        if chart.finished_s is not None:
                            result.chart_s.setdefault(chart.name, []).append(chart.finished_s)
            else:  # every load finished: the last one's queries once more, one at a time
                result.alone_ms = [
                    browser.replay(session, r) for r in load.requests if r.status == 200
                ]
            print(f"    {dashboard.title}: {len(result.render_s)} loads", flush=True)
        context.close()
    return figures


def run_scale(
    scale: float, seed: int, loads: int, timeout_s: float, keep: bool, cold: bool
) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix=f"capmon-bench-dashboards-{scale:g}-"))
    paths = DataPaths(data_dir)
    log = data_dir / "bench.log"
    print(f"scale {scale:g} (scratch folder {data_dir}, log {log.name})", flush=True)
    server: subprocess.Popen | None = None
    finished = False
    try:
        rc, _ = step(
            "generate sources",
            capmon,
            ["generate", "--scale", f"{scale:g}", "--seed", str(seed)],
            data_dir,
            log,
        )
        if rc != 0:
            raise SystemExit(f"capmon generate failed (exit {rc}); see {log}")
        rc, _ = step("capmon run", capmon, ["run"], data_dir, log)
        if rc != 0 or not paths.serving_db.exists():
            from orchestration.warehouse.publish import publish_marts

            publish_marts(paths.build_db, paths.serving_db, run_id="bench")
            failed = [
                line.strip(" ✘").split(": MISLUKT")[0]
                for line in log.read_text(encoding="utf-8").splitlines()
                if ": MISLUKT" in line
            ]
            print(
                f"  capmon run exited {rc} (failed: {', '.join(failed) or 'see the log'}); for "
                "the benchmark the marts were published anyway, without the audit",
                flush=True,
            )
        step(
            "provision Superset",
            quietly,
            log,
            superset_launcher.provision,
            paths.serving_db,
            paths.superset_home,
        )
        port = free_port()
        server = quietly(log, superset_launcher.start_server, paths.superset_home, port)
        base_url = f"http://127.0.0.1:{port}"
        step(
            "start Superset",
            superset_launcher.wait_until_healthy,
            f"{base_url}/health",
            HEALTH_TIMEOUT_S,
        )
        password = superset_launcher.ensure_secrets(paths.superset_home)["admin_password"]
        for cache_state in ("cold", "warm") if cold else ("warm",):
            print(
                f"  dashboards, result cache {cache_state}: 1 warm-up + {loads} loads each",
                flush=True,
            )
            figures = measure_dashboards(
                base_url,
                password,
                loads,
                timeout_s,
                cold_caches=(paths.dashboard_cache, paths.answer_cache)
                if cache_state == "cold"
                else (),
            )
            print_table(scale, figures, process_tree_peak_rss_mb(server.pid), cache_state)
        finished = True
    finally:
        if server is not None:
            server.terminate()  # gunicorn stops its workers on SIGTERM
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        if keep or not finished:  # after a failure the log tells why
            print(f"  kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def quietly(log: Path, function, *args):
    """Call ``function`` with its printed progress going to ``log``."""
    with log.open("a") as handle, contextlib.redirect_stdout(handle):
        return function(*args)


def print_table(
    scale: float, figures: list[DashboardFigures], peak_rss_mb: float, cache_state: str
) -> None:
    judged = scale == TARGET_SCALE

    def verdict(ok: bool) -> str:
        return ("met" if ok else "NOT met") if judged else "-"

    print(
        f"\nscale {scale:g}, result cache {cache_state}: chart-data requests in ms (in the page;"
        " alone: replayed one at a time), seconds from navigation start to the first query and"
        " to all charts rendered"
    )
    print(
        f"{'dashboard':<22} {'charts':>6} {'query p50':>9} {'p95':>6} {'alone p50':>9} "
        f"{'1st query':>9} {'render p50':>10} {'max':>6}  {'p95<300ms':<9} {'<3s':<7}"
    )
    for item in figures:
        p50, p95 = percentile(item.query_ms, 0.5), percentile(item.query_ms, 0.95)
        render_max = max(item.render_s) if item.render_s else float("nan")
        print(
            f"{item.title[:22]:<22} {item.charts:>6} {p50:>9.0f} {p95:>6.0f} "
            f"{percentile(item.alone_ms, 0.5):>9.0f} {percentile(item.first_query_s, 0.5):>9.2f} "
            f"{percentile(item.render_s, 0.5):>10.2f} {render_max:>6.2f}  "
            f"{verdict(p95 < QUERY_P95_TARGET_MS):<9} {verdict(render_max < DASHBOARD_TARGET_S):<7}"
        )
        if item.chart_s:
            slowest = max(item.chart_s, key=lambda name: percentile(item.chart_s[name], 0.5))
            print(
                f"    last to render: {slowest} "
                f"(p50 {percentile(item.chart_s[slowest], 0.5):.2f} s)"
            )
        for problem in item.problems:
            print(f"    ! {problem}")
    if not judged:
        print(f"(targets are for scale {TARGET_SCALE:g}: query p95 < 300 ms, every load < 3 s)")
    print(f"Superset server peak RSS (gunicorn master + workers): {peak_rss_mb:,.0f} MB\n")


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="repeatable; default 1 and 10")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--loads", type=int, default=5, help="measured loads per dashboard")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per dashboard load")
    parser.add_argument("--keep", action="store_true", help="keep the scratch data folders")
    parser.add_argument(
        "--warm-only",
        action="store_true",
        help="skip the round with the result cache emptied before every load",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _stop)  # so that the server is stopped in `finally`
    signal.signal(signal.SIGHUP, _stop)
    for scale in args.scale or [1.0, 10.0]:
        run_scale(scale, args.seed, args.loads, args.timeout, args.keep, not args.warm_only)


if __name__ == "__main__":
    main()
