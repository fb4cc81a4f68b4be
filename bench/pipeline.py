"""Benchmark: generate sample sources and run the full refresh at one or more scales.

Prints wall time per phase and the peak resident memory of this process. Usage:

Above scale 1 the sample has more GPs per inhabitant than any real gemeente (the population
is real, the volume is multiplied), so the per-inhabitant plausibility checks are expected to
fail there and publishing is then skipped; the timing still covers every step, and the
failed checks are listed so that an unexpected one is not missed.

    .venv/bin/python bench/pipeline.py --scale 1 --scale 10
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import tempfile
import time
from pathlib import Path

import duckdb


def measure(scale: float, seed: int) -> dict[str, float]:
    from orchestration.bronnen.voorbeeld import generate
    from orchestration.pipeline import run_full_refresh

    with tempfile.TemporaryDirectory(prefix=f"capmon-bench-{scale:g}-") as folder:
        data_dir = Path(folder)
        # dbt's per-node lines and the readers' progress bars would bury the figures.
        with (
            open(data_dir / "bench.log", "w") as log,
            contextlib.redirect_stdout(log),
            contextlib.redirect_stderr(log),
        ):
            started = time.perf_counter()
            generate(data_dir / "sources", scale=scale, seed=seed, progress=False)
            generated = time.perf_counter()
            result = run_full_refresh(data_dir, show_progress=False)
            finished = time.perf_counter()
        failed_checks = sorted(
            e.asset_check_key.name for e in result.get_asset_check_evaluations() if not e.passed
        )
        # A blocking dbt test fails its dbt step too; both are listed, neither stops the timing.
        failed_steps = [e.step_key for e in result.get_step_failure_events()]
        with duckdb.connect(str(data_dir / "warehouse" / "build.duckdb"), read_only=True) as conn:
            raw_rows = sum(
                conn.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0]
                for (name,) in conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
                ).fetchall()
            )
        source_bytes = sum(
            p.stat().st_size for p in (data_dir / "sources").rglob("*") if p.is_file()
        )
    return {
        "generate_s": generated - started,
        "run_s": finished - generated,
        "raw_rows": raw_rows,
        "source_mb": source_bytes / 1e6,
        "failed_checks": failed_checks,
        "failed_steps": failed_steps,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="repeatable; default 1")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    header = ("scale", "generate (s)", "capmon run (s)", "raw rows", "sources (MB)")
    print("{:>6} {:>13} {:>15} {:>10} {:>13}".format(*header))
    for scale in args.scale or [1.0]:
        figures = measure(scale, args.seed)
        print(
            f"{scale:>6g} {figures['generate_s']:>13.1f} {figures['run_s']:>15.1f} "
            f"{figures['raw_rows']:>10,} {figures['source_mb']:>13.1f}",
            flush=True,
        )
        for label in ("failed_checks", "failed_steps"):
            if figures[label]:
                print(f"       {label.replace('_', ' ')}: {', '.join(figures[label])}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
