"""Benchmark: generate sample sources and run the full refresh at one or more scales.

Per scale it prints the wall time of ``generate`` and of the full refresh (``capmon run``),
whether the run published, the checks that failed, the raw rows and source megabytes, and
the peak resident memory; with scales 1 and 10 it also prints the scale-10 time as a ratio
of the scale-1 time (target of issue 12: at most 4). Usage:

    .venv/bin/python bench/pipeline.py --scale 1 --scale 10
    .venv/bin/python bench/pipeline.py --scale 100 --keep /tmp/capmon-bench-100

A world at scale N brings N x the real population (orchestration/referentie/geschaald.py),
so per-inhabitant figures and the checks on them hold at any scale. A failed check is listed
and is a finding. Known today: the dbt test that the national population lies between 15
and 25 million (staging/reference, about the real CBS file) fails above scale ~1.39; the
intake's per-row maximums of Nivel (5,000 persons) and stagebureau (2,000 students) are
exceeded above scale ~15.

Each scale runs in a child process, so its peak memory is its own: "peak RSS" is the
child's maximum resident set (os.wait4), and "children" the largest of the processes it
started in turn, if any. The child reports each phase as it ends, so a long run (scale 100)
shows how far it got in the log.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULT_FILE = "bench_result.json"


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def measure(data_dir: Path, scale: float, seed: int) -> dict:
    """One scale in this process: generate into ``data_dir``, run, and say what happened."""
    import duckdb

    from orchestration.bronnen.voorbeeld import generate
    from orchestration.paths import DataPaths
    from orchestration.pipeline import run_full_refresh

    paths = DataPaths(data_dir)
    figures: dict = {"scale": scale}
    # dbt's per-node lines and the readers' progress bars would bury the figures.
    with open(data_dir / "bench.log", "w") as log:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            started = time.perf_counter()
            generate(
                paths.sources,
                scale=scale,
                seed=seed,
                progress=False,
                referentie_dir=paths.referentie,
            )
        figures["generate_s"] = time.perf_counter() - started
        figures["generate_peak_mb"] = _peak_mb(resource.RUSAGE_SELF)
        print(
            f"  [{scale:g}] generate {figures['generate_s']:.1f} s, "
            f"peak {figures['generate_peak_mb']:.0f} MB",
            file=sys.stderr,
            flush=True,
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
        figures["raw_rows"] = sum(
            conn.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0]
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
            ).fetchall()
        )
    figures["source_mb"] = (
        sum(p.stat().st_size for p in paths.sources.rglob("*") if p.is_file()) / 1e6
    )
    figures["children_peak_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
    print(
        f"  [{scale:g}] run {figures['run_s']:.1f} s, published: {figures['published']}",
        file=sys.stderr,
        flush=True,
    )
    return figures


def _child(args: argparse.Namespace) -> None:
    data_dir = Path(args.data_dir)
    figures = measure(data_dir, args.scale[0], args.seed)
    (data_dir / RESULT_FILE).write_text(json.dumps(figures))


def run_scale(scale: float, seed: int, keep: Path | None) -> dict:
    """Measure one scale in a child process; its own peak RSS comes from wait4."""
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
        process = subprocess.Popen(command)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        result = data_dir / RESULT_FILE
        if process.returncode or not result.exists():
            raise SystemExit(
                f"scale {scale:g} stopped (exit {process.returncode}); see {data_dir}/bench.log"
            )
        figures = json.loads(result.read_text())
        figures["peak_mb"] = usage.ru_maxrss / 1024
        return figures
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="repeatable; default 1")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", type=Path, help="data folder to keep (one scale only)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    scales = args.scale or [1.0]
    if args.keep and len(scales) > 1:
        parser.error("--keep takes one --scale")
    header = ("scale", "generate (s)", "run (s)", "published", "raw rows", "sources (MB)")
    print("{:>6} {:>13} {:>9} {:>10} {:>12} {:>13} {:>14}".format(*header, "peak RSS (MB)"))
    measured = {}
    for scale in scales:
        figures = run_scale(scale, args.seed, args.keep)
        measured[scale] = figures
        print(
            f"{scale:>6g} {figures['generate_s']:>13.1f} {figures['run_s']:>9.1f} "
            f"{'yes' if figures['published'] else 'NO':>10} {figures['raw_rows']:>12,} "
            f"{figures['source_mb']:>13.1f} {figures['peak_mb']:>14.0f}",
            flush=True,
        )
        if figures["children_peak_mb"]:
            print(f"       largest child process: {figures['children_peak_mb']:.0f} MB")
        for label in ("failed_checks", "failed_steps"):
            if figures[label]:
                print(f"       {label.replace('_', ' ')}: {', '.join(figures[label])}")
    if 1.0 in measured and 10.0 in measured:
        one, ten = measured[1.0], measured[10.0]
        print(
            f"scale 10 / scale 1: run {ten['run_s'] / one['run_s']:.2f}x, generate + run "
            f"{(ten['generate_s'] + ten['run_s']) / (one['generate_s'] + one['run_s']):.2f}x "
            "(target: scale 10 publishes in at most 4x the scale-1 time)"
        )


if __name__ == "__main__":
    main()
