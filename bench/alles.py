"""Every issue-12 figure next to its floor and target, in one run.

    .venv/bin/python bench/alles.py                        # scale 1: run, floor, check, intake
    .venv/bin/python bench/alles.py --schaal 10 --make-up --serving --json alles.json

On one generated scale-1 data folder (a temp dir), in this order:

- full refresh: ``run_full_refresh`` (what `capmon run` does), against the floor of the same
  work done once (``bench/floor.py``, which also checks that it reproduces the marts);
- `capmon check` on the workbook closest to 16 KB (``bench/lezen.py``: median after
  imports), against calamine reading that workbook;
- one zorggroep workbook from inbox to published through a real ``dagster-daemon``, as in a
  running installation (``bench/intake.py --daemon``: the sensor's tick, the queue, the run
  worker's start and the run; the slowest of three drops), against the floor's build, tests
  and publish plus reading one workbook;
- ``--schaal 10``: the full refresh at scale 10 against the scale-1 time, and whether it
  published;
- ``--make-up``: a fresh clone of HEAD, `make up` until it prints its URLs (the uv cache
  warm), then its servers stopped; needs ports 8088, 3000 and 8090 free;
- ``--serving``: ``bench/serving.py``, if present, run as it is, its output passed through.

The targets are those of issue 12 (2-core machine). Figures depend on the machine's load;
the load average is printed with them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

RUN_TARGET_S = 45.0
RUN_TARGET_RATIO = 4.0
DROP_TARGET_S = 20.0
CHECK_TARGET_S = 1.0
SCALE10_TARGET_RATIO = 4.0
MAKE_UP_TARGET_S = 180.0
DROPS = 3
MAKE_UP_PORTS = (8088, 3000, 8090)
MAKE_UP_TIMEOUT_S = 1800


# --- the table: pure --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure: ``measured`` against ``floor`` (seconds), met when within ``target_s``
    and ``target_ratio`` times the floor (each where given) and ``condition`` holds."""

    label: str
    measured: float | None
    floor: float | None = None
    target_s: float | None = None
    target_ratio: float | None = None
    condition: tuple[str, bool] | None = None  # ("publishes", True)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.measured is None or not self.floor:
            return None
        return self.measured / self.floor

    @property
    def target(self) -> str:
        parts = []
        if self.target_s is not None:
            parts.append(f"≤ {self.target_s:g} s")
        if self.target_ratio is not None:
            parts.append(f"≤ {self.target_ratio:g}× floor")
        if self.condition is not None:
            parts.append(self.condition[0])
        return " and ".join(parts) or "-"

    @property
    def met(self) -> bool | None:
        """None when there is nothing to judge (not measured, or no target)."""
        if self.measured is None:
            return None
        checks = []
        if self.target_s is not None:
            checks.append(self.measured <= self.target_s)
        if self.target_ratio is not None:
            checks.append(self.ratio is not None and self.ratio <= self.target_ratio)
        if self.condition is not None:
            checks.append(self.condition[1])
        return all(checks) if checks else None

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "target": self.target, "met": self.met}


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def table(figures: list[Figure]) -> str:
    """The figures as a text table: figure | measured | floor | ratio | target | met?"""
    header = ("figure", "measured", "floor", "ratio", "target", "met?")
    rows = [
        (
            f.label,
            _seconds(f.measured),
            _seconds(f.floor),
            "-" if f.ratio is None else f"{f.ratio:.1f}×",
            f.target,
            {True: "yes", False: "NO", None: "-"}[f.met],
        )
        for f in figures
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {1, 2, 3}

    def line(cells) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [line(header), line("-" * w for w in widths), *map(line, rows)]
    notes = [f"  {f.label}: {f.note}" for f in figures if f.note]
    return "\n".join(out + (["notes:", *notes] if notes else []))


# --- the measurements -------------------------------------------------------------------


@contextlib.contextmanager
def _quiet(log: Path):
    """dbt's lines and the readers' progress bars go to ``log``, not between the figures."""
    with (
        open(log, "a") as handle,
        contextlib.redirect_stdout(handle),
        contextlib.redirect_stderr(handle),
    ):
        yield


def full_refresh(scale: float, keep: Path | None = None, instance=None) -> dict:
    """Generate at ``scale`` in ``keep`` (or a temp dir, removed after) and run the full
    refresh (with ``instance``, else an ephemeral one); the figures of bench/pipeline.py."""
    from orchestration.bronnen.voorbeeld import generate
    from orchestration.paths import DataPaths
    from orchestration.pipeline import run_full_refresh

    root = keep or Path(tempfile.mkdtemp(prefix=f"capmon-bench-alles-{scale:g}-"))
    try:
        with _quiet(root / "bench.log"):
            started = time.perf_counter()
            # The world's own population, as `capmon generate` writes it: a scale-10 world
            # checked against the real country fails its per-inhabitant checks.
            paths = DataPaths(root)
            generate(
                paths.sources,
                scale=scale,
                seed=2025,
                progress=False,
                referentie_dir=paths.referentie,
            )
            generated = time.perf_counter()
            result = run_full_refresh(root, show_progress=False, instance=instance)
            finished = time.perf_counter()
        failed = sorted(
            e.asset_check_key.name for e in result.get_asset_check_evaluations() if not e.passed
        )
        return {
            "generate_s": generated - started,
            "run_s": finished - generated,
            "success": result.success,
            "published": (root / "warehouse" / "serving.duckdb").exists(),
            "failed_checks": failed,
        }
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def make_up() -> dict:
    """A fresh clone of HEAD, `make up` until its URLs appear; then its servers stopped."""
    busy = [port for port in MAKE_UP_PORTS if not _free(port)]
    if busy:
        return {"error": f"ports in use: {busy}; make up cannot serve next to them"}
    clone = Path(tempfile.mkdtemp(prefix="capmon-bench-makeup-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAPMON_", "DAGSTER_"))}
    env.pop("VIRTUAL_ENV", None)
    # As a new user's shell: not this checkout's environment first on PATH (importing the
    # dbt assets puts it there), or `make` would run its python3 instead of the system's.
    env["PATH"] = os.pathsep.join(
        entry
        for entry in env.get("PATH", "").split(os.pathsep)
        if not Path(entry).resolve().is_relative_to(REPO)
    )
    process = None
    lines: list[str] = []
    marks: list[str] = []
    try:
        subprocess.run(
            ["git", "clone", "--quiet", str(REPO), str(clone / "repo")], check=True, env=env
        )
        started = time.perf_counter()
        process = subprocess.Popen(
            ["make", "up"],
            cwd=clone / "repo",
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own group, so it can be stopped as a whole
        )
        took = None
        deadline = started + MAKE_UP_TIMEOUT_S
        for line in process.stdout:
            lines.append(line.rstrip())
            if line.startswith("=== "):  # when each step of `capmon up` began and ended
                marks.append(f"{time.perf_counter() - started:6.1f} s  {line.rstrip()}")
            if "Superset (dashboards):" in line and "http" in line:
                took = time.perf_counter() - started
                break
            if time.perf_counter() > deadline:
                break
        return {
            "seconds": took,
            "steps": marks,
            "tail": [] if took else lines[-20:],
        }
    finally:
        if process is not None and process.poll() is None:
            # Ctrl-C, as a user stops it: `capmon serve` then stops the servers it started,
            # up to 20 s each. They write to the same pipe, so its end means they are gone.
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        _stop_leftovers(clone)
        shutil.rmtree(clone, ignore_errors=True)


def _stop_leftovers(clone: Path) -> None:
    """Stop, by pid, any process still running a program of the clone (a server whose
    parent was killed): they run in sessions of their own, out of make's group."""
    mine = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if str(clone).encode() in (entry / "cmdline").read_bytes():
                    mine.append(int(entry.name))
    for stop in (signal.SIGTERM, signal.SIGKILL):
        for pid in mine:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, stop)
        if mine and stop == signal.SIGTERM:
            time.sleep(10)


def serving() -> int | None:
    """bench/serving.py as it is, its output passed through; None when it is not there."""
    script = BENCH / "serving.py"
    if not script.exists():
        return None
    print("\n=== bench/serving.py ===", flush=True)
    return subprocess.run([sys.executable, str(script)], cwd=REPO).returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schaal", type=float, action="append", default=[], help="e.g. 10")
    parser.add_argument("--make-up", action="store_true", help="time a fresh `make up`")
    parser.add_argument("--serving", action="store_true", help="also run bench/serving.py")
    parser.add_argument("--herhaal", type=int, default=5, help="runs of capmon check (median)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()

    sys.path.insert(0, str(BENCH))
    import floor as floor_bench
    import intake as intake_bench
    import lezen as lezen_bench

    root = Path(tempfile.mkdtemp(prefix="capmon-bench-alles-"))
    # `capmon check` looks for the previous period in the data folder: this one.
    os.environ["CAPMON_DATA_DIR"] = str(root)
    details: dict = {"started": datetime.now().isoformat(timespec="seconds")}
    figures: list[Figure] = []
    try:
        print("full refresh at scale 1 ...", flush=True)
        # The daemon's instance for the refresh and the drops: the sensor rebuilds only what
        # a workbook changes on top of a successful refresh, as in a running installation.
        from orchestration.pipeline import persistent_instance

        instance = persistent_instance(root / "dagster_home")
        run = details["run_1"] = full_refresh(1.0, keep=root, instance=instance)
        print("floor ...", flush=True)
        with _quiet(root / "bench.log"):
            floor = floor_bench.measure(root, vergelijk=root / "warehouse" / "build.duckdb")
        details["floor"] = floor.as_dict()
        print("capmon check ...", flush=True)
        check = details["check"] = lezen_bench.check_16kb(root / "sources", args.herhaal)
        print("one workbook from inbox to published, through dagster-daemon ...", flush=True)
        with _quiet(root / "bench.log"):
            drops = details["drops"] = intake_bench.through_the_daemon(root, DROPS)
        drop = max(drops, key=lambda figure: figure["seconds"])
    finally:
        shutil.rmtree(root, ignore_errors=True)

    reproduced = all(f == p and d == 0 for _, f, p, d in floor.comparison)
    one_workbook = floor.seconds["read inputs"] / max(1, sum(floor.files.values()))
    figures += [
        Figure(
            "full refresh, scale 1 (capmon run)",
            run["run_s"],
            floor.total_s,
            RUN_TARGET_S,
            RUN_TARGET_RATIO,
            ("publishes", run["success"] and run["published"]),
            note=f"floor: {floor.tests:,} tests, {len(floor.failing)} failing; marts "
            + ("reproduced" if reproduced else "DIFFER (see --json)"),
        ),
        Figure(
            "  floor: read inputs",
            floor.seconds["read inputs"],
            note=f"{sum(n for k, n in floor.files.items() if k != 'reference')} files and "
            f"{floor.files.get('reference', 0)} reference tables, {floor.raw_rows:,} rows",
        ),
        Figure("  floor: build models", floor.seconds["build models"]),
        Figure("  floor: run tests", floor.seconds["run tests"]),
        Figure("  floor: publish", floor.seconds["publish"]),
        Figure(
            "one workbook, inbox to published",
            drop["seconds"],
            one_workbook
            + floor.seconds["build models"]
            + floor.seconds["run tests"]
            + floor.seconds["publish"],
            DROP_TARGET_S,
            condition=("publishes", all(figure["success"] for figure in drops)),
            note=f"the slowest of {len(drops)} drops through dagster-daemon ("
            + ", ".join(f"{figure['seconds']:.1f}" for figure in drops)
            + f" s); that one: {intake_bench.describe(drop)}; floor: one workbook read, the "
            "whole build, tests, publish",
        ),
        Figure(
            f"capmon check, {check['bytes'] / 1000:.0f} KB workbook",
            check["seconds"],
            check["floor_s"],
            CHECK_TARGET_S,
            note=f"median of {args.herhaal} after imports; floor: calamine reads the workbook",
        ),
    ]
    for scale in args.schaal:
        print(f"full refresh at scale {scale:g} ...", flush=True)
        big = details[f"run_{scale:g}"] = full_refresh(scale)
        figures.append(
            Figure(
                f"full refresh, scale {scale:g}",
                big["run_s"],
                run["run_s"],
                target_ratio=SCALE10_TARGET_RATIO,
                condition=("publishes", big["success"] and big["published"]),
                note="floor column: the scale-1 run"
                + (
                    f"; failed checks: {', '.join(big['failed_checks'])}"
                    if big["failed_checks"]
                    else ""
                ),
            )
        )
    if args.make_up:
        print("fresh make up ...", flush=True)
        up = details["make_up"] = make_up()
        figures.append(
            Figure(
                "fresh make up to URLs",
                up.get("seconds"),
                target_s=MAKE_UP_TARGET_S,
                note=up.get("error")
                or "; ".join(" ".join(s.replace("===", "").split()) for s in up["steps"])
                or "no URLs: " + " | ".join(up["tail"][-3:]),
            )
        )

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # dbt and the make-up clone run as processes of their own: their peak is not ours.
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"\n{os.cpu_count()} cores, load 1/5/15 min: {load}; peak memory {peak:.0f} MB, "
        f"largest child process (dbt, make up) {children:.0f} MB; the summed process tree: "
        "bench/pipeline.py"
    )
    print(table(figures))
    code = serving() if args.serving else None
    if args.serving and code is None:
        print("\nbench/serving.py is not there (yet): no serving figures")
    if args.json:
        details["figures"] = [f.as_dict() for f in figures]
        details["serving_exit_code"] = code
        args.json.write_text(json.dumps(details, indent=2, default=str))


if __name__ == "__main__":
    main()
