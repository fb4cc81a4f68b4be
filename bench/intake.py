"""Time from dropping one zorggroep workbook in the inbox to a new publication.

    .venv/bin/python bench/intake.py --scale 1

Generates sample sources at ``--scale`` in a scratch folder, builds and publishes once,
then drops one resubmitted workbook (same zorggroep and period, new delivery date) in
``inbox/zorggroep/`` and times what the sensor starts: the sensor evaluation and the
full-refresh run with intake first, up to the atomic swap of the serving DB. The sensor's
polling interval (5 s at most) comes on top in a running installation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


def resubmit(root: Path) -> Path:
    """A copy of the first 2025-Q1 workbook with a later delivery date, next to ``root``'s
    sources: what a zorggroep sends to correct its submission."""
    from openpyxl import load_workbook

    original = sorted((root / "sources" / "zorggroep").glob("*_2025-Q1.xlsx"))[0]
    resubmitted = root / original.name
    workbook = load_workbook(original)
    for row in workbook["meta"].iter_rows(min_row=2):
        if row[0].value == "aangeleverd_op":
            row[1].value = date(2025, 5, 1)
    workbook.save(resubmitted)
    return resubmitted


def drop_to_published(root: Path, instance=None) -> dict:
    """Drop one resubmitted workbook in the inbox of ``root`` (built and published before,
    with ``instance``: the sensor rebuilds only what the workbook changes when that instance
    holds a successful last refresh, as a running installation does) and time what the
    sensor starts, up to the swap of the serving DB.

    Returns ``seconds`` (sensor evaluation and run), ``success``, ``published_at``,
    ``interval_s`` (the sensor's polling interval, not in ``seconds``), ``workbook`` and
    ``assets`` (how many assets the run selected; None for all).
    """
    import duckdb
    from dagster import DagsterInstance, build_sensor_context

    from orchestration.definitions import build_defs
    from orchestration.defs.inname.sensors import inbox_sensor
    from orchestration.pipeline import SILENT
    from orchestration.resources import Warehouse

    resubmitted = resubmit(root)
    inbox = root / "inbox" / "zorggroep"
    inbox.mkdir(parents=True, exist_ok=True)
    old_mtime = time.time() - 10  # as if the copy finished a moment ago

    instance = instance or DagsterInstance.ephemeral()
    defs = build_defs(root)
    sensor = inbox_sensor("zorggroep")
    dropped = time.monotonic()
    shutil.move(resubmitted, inbox / resubmitted.name)
    os.utime(inbox / resubmitted.name, (old_mtime, old_mtime))
    context = build_sensor_context(
        instance=instance,
        resources={"warehouse": Warehouse(data_dir=str(root))},
        definitions=defs,
    )
    request = sensor(context)
    job = defs.resolve_job_def(request.job_name or "volledige_verversing")
    result = job.execute_in_process(
        run_config=SILENT,
        instance=instance,
        tags=request.tags,
        asset_selection=request.asset_selection,
        raise_on_error=False,
    )
    took = time.monotonic() - dropped
    conn = duckdb.connect(str(root / "warehouse" / "serving.duckdb"), read_only=True)
    published = conn.execute("SELECT gepubliceerd_op FROM meta.publicatie").fetchone()[0]
    conn.close()
    return {
        "seconds": took,
        "success": result.success,
        "published_at": published,
        "interval_s": sensor.minimum_interval_seconds or 0,
        "workbook": resubmitted.name,
        "assets": len(request.asset_selection) if request.asset_selection else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    from dagster import DagsterInstance

    from orchestration.bronnen.voorbeeld import generate
    from orchestration.pipeline import run_full_refresh

    root = Path(tempfile.mkdtemp(prefix="capmon-bench-intake-"))
    try:
        generate(root / "sources", scale=args.scale, seed=2025, progress=False)
        started = time.monotonic()
        instance = DagsterInstance.ephemeral()
        assert run_full_refresh(root, show_progress=False, instance=instance).success
        print(f"eerste volledige verversing: {time.monotonic() - started:.1f} s")
        figures = drop_to_published(root, instance)
        print(f"run geslaagd: {figures['success']}; gepubliceerd op {figures['published_at']}")
        print(f"assets in de run: {figures['assets'] or 'alle'}")
        print(f"van inbox tot gepubliceerd (schaal {args.scale:g}): {figures['seconds']:.1f} s")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
