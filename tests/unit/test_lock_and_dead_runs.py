"""The data-folder lock and the recognition of runs whose process died (real processes)."""

import subprocess
import sys
import time

import pytest
from dagster import DagsterInstance, DagsterRun, DagsterRunStatus

from orchestration.lock import DataFolderBusy, data_folder_lock, holder, is_locked
from orchestration.runs import (
    HOST_TAG,
    PID_TAG,
    PROCESS_START_TAG,
    fail_runs_of_dead_processes,
    process_tags,
)

HOLD = """
import sys, time
from pathlib import Path
from orchestration.lock import data_folder_lock
with data_folder_lock(Path(sys.argv[1]), "test"):
    print("vast", flush=True)
    time.sleep(600)
"""


def test_a_held_lock_is_refused_in_dutch_and_released_by_a_kill_9(tmp_path):
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout.readline() == "vast\n"
        assert is_locked(tmp_path) and holder(tmp_path)["pid"] == other.pid
        with pytest.raises(DataFolderBusy) as busy, data_folder_lock(tmp_path, "capmon run"):
            pass
        message = str(busy.value)
        assert message.startswith(f"Er loopt al een verversing (pid {other.pid}, test, gestart ")
        assert message.endswith("wacht tot die klaar is.")
        started = time.monotonic()
        with pytest.raises(DataFolderBusy), data_folder_lock(tmp_path, "x", wait_seconds=1):
            pass
        assert time.monotonic() - started >= 1
    finally:
        other.kill()
        other.wait()
    assert not is_locked(tmp_path)
    with data_folder_lock(tmp_path, "capmon run"):
        # The same process may enter again (capmon run, then the run's own executor).
        with data_folder_lock(tmp_path, "executor"):
            assert holder(tmp_path)["opdracht"] == "capmon run"
        assert is_locked(tmp_path)
    assert not is_locked(tmp_path)
    assert (tmp_path / ".capmon.lock").stat().st_mode & 0o077 == 0


def _run(instance, status, tags):
    run = DagsterRun(job_name="volledige_verversing", status=status, tags=tags)
    return instance.add_run(run)


def test_only_runs_of_dead_processes_are_marked_failed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    reused = {**process_tags(), PROCESS_START_TAG: "1"}  # our pid, another start time
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        alive = _run(instance, DagsterRunStatus.STARTED, process_tags())
        gone = _run(instance, DagsterRunStatus.STARTED, {**process_tags(), PID_TAG: str(dead.pid)})
        recycled = _run(instance, DagsterRunStatus.STARTED, reused)
        canceling = _run(
            instance, DagsterRunStatus.CANCELING, {**process_tags(), PID_TAG: str(dead.pid)}
        )
        elsewhere = _run(
            instance,
            DagsterRunStatus.STARTED,
            {PID_TAG: str(dead.pid), HOST_TAG: "een-andere-machine"},
        )
        untagged = _run(instance, DagsterRunStatus.STARTED, {})
        finished = _run(instance, DagsterRunStatus.SUCCESS, {PID_TAG: str(dead.pid)})

        marked = fail_runs_of_dead_processes(instance)

        assert sorted(marked) == sorted([gone.run_id, recycled.run_id, canceling.run_id])
        status = {
            run.run_id: instance.get_run_by_id(run.run_id).status
            for run in (alive, gone, recycled, canceling, elsewhere, untagged, finished)
        }
        assert status == {
            alive.run_id: DagsterRunStatus.STARTED,
            gone.run_id: DagsterRunStatus.FAILURE,
            recycled.run_id: DagsterRunStatus.FAILURE,
            canceling.run_id: DagsterRunStatus.CANCELED,
            elsewhere.run_id: DagsterRunStatus.STARTED,
            untagged.run_id: DagsterRunStatus.STARTED,  # too recent to judge
            finished.run_id: DagsterRunStatus.SUCCESS,
        }
        [failure] = [
            e
            for e in instance.all_logs(gone.run_id)
            if e.dagster_event and e.dagster_event.event_type_value == "PIPELINE_FAILURE"
        ]
        assert f"(pid {dead.pid}) bestaat niet meer" in failure.dagster_event.message
        assert fail_runs_of_dead_processes(instance) == []
