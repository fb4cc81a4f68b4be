"""Benchmark: generate sample sources and run the full refresh at one or more scales.

Per scale it prints the wall time of ``generate`` and of the full refresh (``capmon run``),
whether the run published, the checks that failed, the files and raw rows per source, the
source megabytes, and the peak resident memory; with scales 1 and 10 it also prints the
scale-10 time as a ratio of the scale-1 time (target of issue 12: at most 4). Usage:

    .venv/bin/python bench/pipeline.py --scale 1 --scale 10
    .venv/bin/python bench/pipeline.py --scale 100 --keep /tmp/capmon-bench-100 --tot 08:50

A world at scale N brings N x the real population (orchestration/referentie/geschaald.py),
and the intake's per-row maximums of Nivel and the stagebureaus grow with it
(orchestration/bronnen/schaal.py), so every check holds at any scale. A failed check is
listed and is a finding.

Each scale runs in a child process. Peak memory is given as the process tree's (the child,
the dbt it starts and anything else under it, summed, sampled every 0.25 s, per phase), the
child's own maximum resident set (os.wait4), the sampled peaks of the processes below it,
and RUSAGE_CHILDREN as the child sees it (on Linux only an upper bound: a process forked
from the child inherits its high-water mark, whatever it then executes). The child reports
each phase as it ends, so a long run (scale 100) shows how far it got; ``--tot HH:MM``
(UTC) or ``--binnen SECONDS`` stops it there and prints what was measured until then.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

RESULT_FILE = "bench_result.json"
PHASE_FILE = "bench_fasen.json"  # what the child finished, for a run stopped before its end
SAMPLE_S = 0.25
PAGE = os.sysconf("SC_PAGE_SIZE")


def descendants(root: int) -> list[int]:
    """``root`` and every process below it, from /proc (children whose parent died are
    adopted elsewhere and no longer counted; dbt dies with its parent anyway)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = Path(entry.path, "stat").read_text()
            # The command name may hold spaces and parentheses: fields follow the last ')'.
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def resident(pid: int) -> int:
    """Resident bytes of one process, 0 if it is gone."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return 0


def program(pid: int) -> str:
    """What a process runs, in a few words: 'python3 .../bin/dbt build'."""
    with contextlib.suppress(OSError):
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        return " ".join(
            Path(w.decode()).name if "/" in w.decode() else w.decode() for w in words[:3]
        )
    return "?"


class TreeSampler(threading.Thread):
    """The summed resident memory of a process and everything below it, every SAMPLE_S, and
    each process's own peak. wait4 and RUSAGE_CHILDREN give one process's maximum, not what
    runs at the same time, and on Linux a child forked from a large process carries that
    process's high-water mark into RUSAGE_CHILDREN even after it exec'd something small."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.samples: list[tuple[float, int]] = []  # (time.time(), bytes)
        self.largest: dict[int, tuple[int, str]] = {}  # pid: (peak bytes, program)
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            total = 0
            for pid in descendants(self.root):
                size = resident(pid)
                total += size
                if size > self.largest.get(pid, (0, ""))[0]:
                    self.largest[pid] = (size, self.largest.get(pid, (0, ""))[1] or program(pid))
            self.samples.append((time.time(), total))
            self._done.wait(SAMPLE_S)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def peak_mb(self, since: float = 0.0, until: float = float("inf")) -> float:
        inside = [size for at, size in self.samples if since <= at <= until]
        return max(inside, default=0) / 2**20

    def others(self) -> list[tuple[float, str]]:
        """(peak MB, program) of every process under the root but the root, largest first."""
        return sorted(
            (
                (size / 2**20, name)
                for pid, (size, name) in self.largest.items()
                if pid != self.root
            ),
            reverse=True,
        )


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def _phase(data_dir: Path, figures: dict, line: str) -> None:
    """Say how far the child got: on stderr, and in a file the parent reads if it stops it."""
    (data_dir / PHASE_FILE).write_text(json.dumps(figures))
    print(line, file=sys.stderr, flush=True)


def measure(data_dir: Path, scale: float, seed: int) -> dict:
    """One scale in this process: generate into ``data_dir``, run, and say what happened."""
    import duckdb

    from orchestration.bronnen.voorbeeld import generate
    from orchestration.paths import DataPaths
    from orchestration.pipeline import run_full_refresh

    paths = DataPaths(data_dir)
    figures: dict = {"scale": scale, "started_at": time.time()}
    # dbt's per-node lines and the readers' progress bars would bury the figures.
    with open(data_dir / "bench.log", "w") as log:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            started = time.perf_counter()
            summary = generate(
                paths.sources,
                scale=scale,
                seed=seed,
                progress=False,
                referentie_dir=paths.referentie,
            )
        figures["generate_s"] = time.perf_counter() - started
        figures["generated_at"] = time.time()
        figures["generate_peak_mb"] = _peak_mb(resource.RUSAGE_SELF)
        figures["files"] = dict(summary.bestanden)
        figures["source_mb"] = (
            sum(p.stat().st_size for p in paths.sources.rglob("*") if p.is_file()) / 1e6
        )
        _phase(
            data_dir,
            figures,
            f"  [{scale:g}] generate {figures['generate_s']:.1f} s, "
            f"{sum(figures['files'].values()):,} files, {figures['source_mb']:,.0f} MB, "
            f"peak {figures['generate_peak_mb']:.0f} MB",
        )
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            started = time.perf_counter()
            result = run_full_refresh(data_dir, show_progress=False)
        figures["run_s"] = time.perf_counter() - started
    figures["failed_checks"] = sorted(
        e.asset_check_key.name for e in result.get_asset_check_evaluations() if not e.passed
    )
    # A blocking dbt test fails its dbt step too; both are listed.
    figures["failed_steps"] = [e.step_key for e in result.get_step_failure_events()]
    # A fresh folder has no serving DB until a run publishes one.
    figures["published"] = bool(result.success and paths.serving_db.exists())
    with duckdb.connect(str(paths.build_db), read_only=True) as conn:
        figures["rows"] = {
            name: conn.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0]
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
                " ORDER BY table_name"
            ).fetchall()
        }
    figures["raw_rows"] = sum(figures["rows"].values())
    figures["children_peak_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
    _phase(
        data_dir,
        figures,
        f"  [{scale:g}] run {figures['run_s']:.1f} s, published: {figures['published']}",
    )
    return figures


def _child(args: argparse.Namespace) -> None:
    data_dir = Path(args.data_dir)
    figures = measure(data_dir, args.scale[0], args.seed)
    (data_dir / RESULT_FILE).write_text(json.dumps(figures))


def run_scale(scale: float, seed: int, keep: Path | None, deadline: float | None = None) -> dict:
    """Measure one scale in a child process, stopped at ``deadline`` (time.time()) if given;
    its own peak RSS comes from wait4, the tree's from sampling."""
    if keep:
        shutil.rmtree(keep, ignore_errors=True)
        keep.mkdir(parents=True)
        data_dir = keep
    else:
        data_dir = Path(tempfile.mkdtemp(prefix=f"capmon-bench-{scale:g}-"))
    try:
        command = [
            sys.executable,
            __file__,
            "--child",
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            "--data-dir",
            str(data_dir),
        ]
        started = time.time()
        # Its own group, so that a deadline stops the child and whatever it started.
        process = subprocess.Popen(command, start_new_session=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        stopped = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.time() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                stopped = True
                break
            time.sleep(0.5)
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        result, phases = data_dir / RESULT_FILE, data_dir / PHASE_FILE
        if stopped:
            figures = json.loads(phases.read_text()) if phases.exists() else {"scale": scale}
        elif process.returncode or not result.exists():
            raise SystemExit(
                f"scale {scale:g} stopped (exit {process.returncode}); see {data_dir}/bench.log"
            )
        else:
            figures = json.loads(result.read_text())
        figures["stopped_after_s"] = time.time() - started if stopped else None
        figures["peak_mb"] = usage.ru_maxrss / 1024
        generated = figures.get("generated_at", float("inf"))
        figures["tree_peak_mb"] = sampler.peak_mb()
        figures["tree_peak_generate_mb"] = sampler.peak_mb(until=generated)
        figures["tree_peak_run_mb"] = sampler.peak_mb(since=generated)
        figures["processes_mb"] = sampler.others()[:3]
        return figures
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def _deadline(tot: str | None, binnen: float | None) -> float | None:
    """``--tot 08:50`` (UTC, today or else tomorrow) or ``--binnen 2100`` as time.time()."""
    if binnen is not None:
        return time.time() + binnen
    if tot is None:
        return None
    now = datetime.now(UTC)
    hour, minute = (int(part) for part in tot.split(":"))
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return (at if at > now else at + timedelta(days=1)).timestamp()


def report(figures: dict) -> None:
    """The lines under a scale's row of the table."""
    if figures.get("files"):
        print("       files: " + ", ".join(f"{n:,} {k}" for k, n in figures["files"].items()))
    if figures.get("rows"):
        print("       raw rows: " + ", ".join(f"{k} {n:,}" for k, n in figures["rows"].items()))
    print(
        f"       peak RSS of the process tree (summed, sampled every {SAMPLE_S} s): "
        f"generate {figures['tree_peak_generate_mb']:,.0f} MB, "
        f"run {figures['tree_peak_run_mb']:,.0f} MB; "
        f"the bench's child alone {figures['peak_mb']:,.0f} MB (wait4)"
    )
    if figures.get("processes_mb"):
        print(
            "       largest processes it started (sampled): "
            + ", ".join(f"{name} {mb:,.0f} MB" for mb, name in figures["processes_mb"])
        )
    if figures.get("children_peak_mb"):
        print(
            f"       RUSAGE_CHILDREN in the child: {figures['children_peak_mb']:,.0f} MB (an "
            "upper bound: a process forked from the child starts with its high-water mark)"
        )
    for label in ("failed_checks", "failed_steps"):
        if figures.get(label):
            print(f"       {label.replace('_', ' ')}: {', '.join(figures[label])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="repeatable; default 1")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", type=Path, help="data folder to keep (one scale only)")
    parser.add_argument("--tot", help="stop at this time of day, UTC (HH:MM)")
    parser.add_argument("--binnen", type=float, help="stop after this many seconds")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    scales = args.scale or [1.0]
    if args.keep and len(scales) > 1:
        parser.error("--keep takes one --scale")
    deadline = _deadline(args.tot, args.binnen)
    header = ("scale", "generate (s)", "run (s)", "published", "raw rows", "sources (MB)")
    print("{:>6} {:>13} {:>9} {:>10} {:>12} {:>13} {:>14}".format(*header, "peak RSS (MB)"))
    measured = {}
    for scale in scales:
        figures = run_scale(scale, args.seed, args.keep, deadline)
        if figures["stopped_after_s"] is not None:
            done = "generate done" if "generate_s" in figures else "during generate"
            print(
                f"{scale:>6g} stopped at the deadline after {figures['stopped_after_s']:.0f} s "
                f"({done}"
                + (f", {figures['generate_s']:.1f} s" if "generate_s" in figures else "")
                + f"); peak RSS of the process tree {figures['tree_peak_mb']:,.0f} MB",
                flush=True,
            )
            report({**figures, "rows": None})
            break
        measured[scale] = figures
        print(
            f"{scale:>6g} {figures['generate_s']:>13.1f} {figures['run_s']:>9.1f} "
            f"{'yes' if figures['published'] else 'NO':>10} {figures['raw_rows']:>12,} "
            f"{figures['source_mb']:>13.1f} {figures['tree_peak_mb']:>14,.0f}",
            flush=True,
        )
        report(figures)
    if 1.0 in measured and 10.0 in measured:
        one, ten = measured[1.0], measured[10.0]
        print(
            f"scale 10 / scale 1: run {ten['run_s'] / one['run_s']:.2f}x, generate + run "
            f"{(ten['generate_s'] + ten['run_s']) / (one['generate_s'] + one['run_s']):.2f}x "
            "(target: scale 10 publishes in at most 4x the scale-1 time)"
        )


if __name__ == "__main__":
    main()
