"""Benchmark: the dbt audit before and after issue 12 (contracts + one kolomregels per model).

For each dbt project (this tree's, and the one of a git ref such as ``main``, exported with
``git archive``): copy the build DB of a data folder that `capmon run` has loaded, time
`dbt build` on the copy, and count its nodes and distinct rules (orchestration/regels.py).
Both projects run on the same data, one after the other, so the figures are comparable on
a shared machine. Usage:

    CAPMON_DATA_DIR=/tmp/w .venv/bin/capmon generate --scale 1
    CAPMON_DATA_DIR=/tmp/w .venv/bin/capmon run
    .venv/bin/python bench/audit.py /tmp/w --ref main
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from orchestration import regels
from orchestration.paths import DBT_PROJECT_DIR, PROJECT_ROOT

DBT = Path(sys.executable).parent / "dbt"


def export(ref: str, into: Path) -> Path:
    """The dbt project as it is at `ref`, unpacked under `into`."""
    archive = subprocess.run(
        ["git", "archive", ref, "dbt_project"], cwd=PROJECT_ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "dbt_project"


def measure(project_dir: Path, build_db: Path, work: Path) -> dict[str, object]:
    db = work / "build.duckdb"
    shutil.copyfile(build_db, db)
    env = {
        **os.environ,
        "CAPMON_BUILD_DB": str(db),
        "CAPMON_DBT_THREADS": os.environ.get("CAPMON_DBT_THREADS", str(os.cpu_count() or 1)),
    }
    target = work / "target"
    common = ["--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    subprocess.run(
        [DBT, "parse", "--quiet", *common, "--target-path", str(target)], env=env, check=True
    )
    started = time.perf_counter()
    build = subprocess.run(
        [DBT, "build", *common, "--target-path", str(target)],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    (work / "dbt.log").write_text(build.stdout + build.stderr, encoding="utf-8")
    manifest = regels.lees(target / "manifest.json")
    return {
        "seconds": seconds,
        "ok": build.returncode == 0,
        "nodes": regels.aantal_nodes(manifest),
        "rules": set(regels.inventaris(manifest)),
        "log": work / "dbt.log",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="a data folder after `capmon run`")
    parser.add_argument("--ref", help="also measure the dbt project of this git ref (e.g. main)")
    args = parser.parse_args()
    build_db = args.data_dir / "warehouse" / "build.duckdb"
    with tempfile.TemporaryDirectory(prefix="capmon-bench-audit-") as folder:
        runs = []
        if args.ref:
            work = Path(folder) / "ref"
            work.mkdir()
            runs.append((args.ref, measure(export(args.ref, work), build_db, work)))
        work = Path(folder) / "tree"
        work.mkdir()
        runs.append(("this tree", measure(DBT_PROJECT_DIR, build_db, work)))
        threads = os.environ.get("CAPMON_DBT_THREADS", os.cpu_count())
        print(f"dbt build on {build_db} ({threads} threads)")
        header = ("project", "models", "tests", "unit", "rules", "seconds")
        print("{:<12} {:>6} {:>6} {:>5} {:>6} {:>8}  ok".format(*header))
        for name, run in runs:
            nodes = run["nodes"]
            print(
                f"{name:<12} {nodes.get('model', 0):>6} {nodes.get('test', 0):>6} "
                f"{nodes.get('unit_test', 0):>5} {len(run['rules']):>6} "
                f"{run['seconds']:>8.1f}  {'yes' if run['ok'] else 'NO (' + str(run['log']) + ')'}"
            )
            if not run["ok"]:
                print((run["log"]).read_text(encoding="utf-8")[-3000:])
        if len(runs) == 2:
            (_, before), (_, after) = runs
            lost = sorted(before["rules"] - after["rules"])
            print(f"rules of {args.ref} missing here: {len(lost)}")
            for rule in lost[:20]:
                print(f"  {rule}")
            print(f"dbt build: {before['seconds'] / after['seconds']:.1f}x faster")


if __name__ == "__main__":
    main()
