"""Time from dropping one zorggroep workbook in the inbox to a new publication.

    .venv/bin/python bench/intake.py --scale 1
    .venv/bin/python bench/intake.py --scale 1 --daemon 3

Generates sample sources at ``--scale`` in a scratch folder, builds and publishes once,
then drops one resubmitted workbook (same zorggroep and period, new delivery date) in
``inbox/zorggroep/`` and times what the sensor starts: the sensor evaluation and the
full-refresh run with intake first, up to the atomic swap of the serving DB. The sensor's
polling interval (5 s at most) comes on top in a running installation.

``--daemon N``: as a running installation does it instead, N times: a real
``dagster-daemon`` and code server (as ``capmon serve`` starts them) see the file, queue the
run and start a run worker for it. Timed from the drop to the new publication, with where
the time went: until the sensor's run request, the queue, the run worker's start, and each
step.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parents[1]
# Dagster's sensor daemon looks at most every 5 s (MIN_INTERVAL_LOOP_TIME), whatever the
# sensor's own minimum interval.
SENSOR_LOOP_S = 5


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
    ``workbook`` and ``assets`` (how many assets the run selected; None for all).
    """
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
    return {
        "seconds": took,
        "success": result.success,
        "published_at": _published(root),
        "workbook": resubmitted.name,
        "assets": len(request.asset_selection) if request.asset_selection else None,
    }


def _published(root: Path):
    import duckdb

    conn = duckdb.connect(str(root / "warehouse" / "serving.duckdb"), read_only=True)
    try:
        return conn.execute("SELECT gepubliceerd_op FROM meta.publicatie").fetchone()[0]
    finally:
        conn.close()


def _phases(instance, run_id: str, dropped: float) -> dict:
    """Seconds after the drop at which the run was queued, its worker started and it ended,
    and each step's seconds, from the run's event log."""
    from dagster import DagsterEventType

    marks: dict = {"steps": {}}
    started: dict[str, float] = {}
    for record in instance.get_records_for_run(run_id).records:
        event = record.event_log_entry.dagster_event
        at = record.event_log_entry.timestamp - dropped
        if event is None:
            continue
        kind = event.event_type
        if kind == DagsterEventType.RUN_ENQUEUED:
            marks["queued"] = at
        elif kind == DagsterEventType.RUN_START:
            marks["worker_started"] = at
        elif kind == DagsterEventType.STEP_START:
            started[event.step_key] = at
        elif kind in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            marks["steps"][event.step_key] = at - started.get(event.step_key, at)
        elif kind in (DagsterEventType.RUN_SUCCESS, DagsterEventType.RUN_FAILURE):
            marks["ended"] = at
    return marks


def through_the_daemon(root: Path, rounds: int, timeout_s: float = 300) -> list[dict]:
    """Drop a resubmitted workbook ``rounds`` times into ``root``'s inbox (built and published
    before with the persistent instance under ``root/dagster_home``) while a real
    ``dagster-daemon`` runs, as under ``capmon serve``; per drop the seconds to the new
    publication and ``_phases``."""
    from dagster import DagsterInstance

    from orchestration import code_server

    env = {
        **os.environ,
        "CAPMON_DATA_DIR": str(root),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    with (root / "daemon.log").open("w") as log:
        popen = dict(env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        server, location = code_server.serve(Path(env["DAGSTER_HOME"]), **popen)
        services = [server]
        try:
            daemon = subprocess.Popen(
                [str(Path(sys.executable).with_name("dagster-daemon")), "run", *location],
                **popen,
                cwd=REPO,
            )
        except BaseException:
            _stop(services)
            raise
        services.append(daemon)
    inbox = root / "inbox" / "zorggroep"
    inbox.mkdir(parents=True, exist_ok=True)
    figures = []
    try:
        os.environ["DAGSTER_HOME"] = env["DAGSTER_HOME"]
        instance = DagsterInstance.get()
        deadline = time.monotonic() + timeout_s
        while not {"SENSOR", "QUEUED_RUN_COORDINATOR"} <= set(instance.get_daemon_heartbeats()):
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"dagster-daemon did not start; see {root / 'daemon.log'}")
            time.sleep(0.5)
        for _ in range(rounds):
            # Over a loop of the sensor daemon after the last run: where in its loop a drop
            # falls varies with how long that run took.
            time.sleep(SENSOR_LOOP_S + 1)
            before = _published(root)
            resubmitted = resubmit(root)
            dropped_wall, dropped = time.time(), time.monotonic()
            shutil.move(resubmitted, inbox / resubmitted.name)
            while _published(root) == before:
                if daemon.poll() is not None or time.monotonic() - dropped > timeout_s:
                    raise SystemExit(f"no new publication; see {root / 'daemon.log'}")
                time.sleep(0.1)
            seconds = time.monotonic() - dropped
            [record] = instance.get_run_records(limit=1)
            # The run ends just after the swap; its end is in the event log once it has.
            while not (run := instance.get_run_by_id(record.dagster_run.run_id)).is_finished:
                time.sleep(0.1)
            figures.append(
                {
                    "seconds": seconds,
                    "success": run.is_success,
                    "requested": record.create_timestamp.timestamp() - dropped_wall,
                    **_phases(instance, record.dagster_run.run_id, dropped_wall),
                }
            )
    finally:
        _stop(services)
    return figures


def _stop(services: list[subprocess.Popen]) -> None:
    for service in reversed(services):
        os.killpg(service.pid, signal.SIGINT)
        try:
            service.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(service.pid, signal.SIGKILL)


def describe(figure: dict) -> str:
    """One drop through the daemon in a line."""
    steps = ", ".join(f"{key} {seconds:.1f}" for key, seconds in figure["steps"].items())
    return (
        f"{figure['seconds']:.1f} s: run aangevraagd na {figure['requested']:.1f} s, in de "
        f"wachtrij {figure.get('queued', float('nan')):.1f}, run-proces gestart "
        f"{figure.get('worker_started', float('nan')):.1f}, klaar "
        f"{figure.get('ended', float('nan')):.1f} (stappen in s: {steps})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--daemon", type=int, default=0, metavar="N", help="N drops through a real dagster-daemon"
    )
    args = parser.parse_args()

    from dagster import DagsterInstance

    from orchestration.bronnen.voorbeeld import generate
    from orchestration.pipeline import run_full_refresh

    root = Path(tempfile.mkdtemp(prefix="capmon-bench-intake-"))
    try:
        generate(root / "sources", scale=args.scale, seed=2025, progress=False)
        started = time.monotonic()
        if args.daemon:
            from orchestration.pipeline import persistent_instance

            instance = persistent_instance(root / "dagster_home")
        else:
            instance = DagsterInstance.ephemeral()
        assert run_full_refresh(root, show_progress=False, instance=instance).success
        print(f"eerste volledige verversing: {time.monotonic() - started:.1f} s")
        if args.daemon:
            for figure in through_the_daemon(root, args.daemon):
                print(f"van inbox tot gepubliceerd via dagster-daemon: {describe(figure)}")
            return
        figures = drop_to_published(root, instance)
        print(f"run geslaagd: {figures['success']}; gepubliceerd op {figures['published_at']}")
        print(f"assets in de run: {figures['assets'] or 'alle'}")
        print(f"van inbox tot gepubliceerd (schaal {args.scale:g}): {figures['seconds']:.1f} s")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
