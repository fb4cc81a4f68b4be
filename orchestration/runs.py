"""Runs left behind by a dead process, marked failed so the run queue moves again.

The instance allows one run in progress at a time (``pipeline.DAGSTER_YAML``). A run whose
process was killed (``kill -9``, a crash, a closed laptop) stays ``STARTED`` for ever:
Dagster's run monitoring cannot check runs executed in process by ``capmon run``, nor the
workers of the default run launcher. So every run records which process executes it (tags
below), and `capmon run`, `capmon ingest`, `capmon serve` and a sensor in the daemon mark
runs whose process no longer exists as failed.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.priority import current_nice

PID_TAG = "capmon/pid"
HOST_TAG = "capmon/host"
# The process's start time in clock ticks since boot (/proc/<pid>/stat field 22): a pid
# reused by another process after a reboot or a wrap-around is not taken for the run's.
PROCESS_START_TAG = "capmon/proces_start"
# The nice value the run executes at (orchestration/priority.py): 10 for the daemon's runs.
NICE_TAG = "capmon/nice"

# A run without the tags (the daemon's worker tags its run when it starts executing, a
# second or so after STARTED; runs from before these tags) counts as dead after this long.
UNTAGGED_GRACE_SECONDS = 15 * 60

_IN_PROGRESS = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def _process_start(pid: int) -> str | None:
    """The start time of a live process, or None if it does not exist (or is a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may contain spaces and parentheses; fields follow the last ')'.
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in {"Z", "X"}:
        return None
    return fields[19]


def process_tags() -> dict[str, str]:
    """Tags that identify the current process, for the run it executes."""
    return {
        PID_TAG: str(os.getpid()),
        HOST_TAG: socket.gethostname(),
        PROCESS_START_TAG: _process_start(os.getpid()) or "",
        NICE_TAG: str(current_nice()),
    }


def _dead_reason(tags: dict[str, str], age_seconds: float) -> str | None:
    pid = tags.get(PID_TAG)
    if pid is None:
        if age_seconds < UNTAGGED_GRACE_SECONDS:
            return None
        return (
            f"Run hangt al {age_seconds / 60:.0f} minuten zonder bekend proces; "
            "door capmon als mislukt gemarkeerd zodat de wachtrij verder kan."
        )
    started = _process_start(int(pid))
    if started is not None and started == (tags.get(PROCESS_START_TAG) or started):
        return None
    return (
        f"Het proces van deze run (pid {pid}) bestaat niet meer: afgebroken of vastgelopen. "
        "Door capmon als mislukt gemarkeerd zodat de wachtrij verder kan; de dashboards "
        "tonen nog de vorige publicatie."
    )


def fail_runs_of_dead_processes(instance: DagsterInstance) -> list[str]:
    """Mark in-progress runs of processes that no longer exist failed; return their ids."""
    host = socket.gethostname()
    marked = []
    for record in instance.get_run_records(filters=RunsFilter(statuses=_IN_PROGRESS)):
        run = record.dagster_run
        if run.tags.get(HOST_TAG, host) != host:
            continue  # another machine's process: not ours to judge
        since = record.start_time or record.create_timestamp.timestamp()
        reason = _dead_reason(dict(run.tags), time.time() - since)
        if reason is None:
            continue
        if run.status == DagsterRunStatus.CANCELING:
            instance.report_run_canceled(run, reason)
        else:
            instance.report_run_failed(run, reason)
        marked.append(run.run_id)
    return marked
