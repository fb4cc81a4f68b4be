"""Run the full refresh headless, in this process, against one data folder."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import DagsterInstance, ExecuteInProcessResult

from orchestration import dagster_sqlite
from orchestration.defs.jobs import FULL_REFRESH_JOB
from orchestration.paths import data_paths

QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}, "voortgang": {}}}
SILENT = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}

# One run at a time: every run writes the build DB and DuckDB allows a single writer, so a
# second run (e.g. two inbox sensors firing together) waits in the queue instead of failing.
# The queue is looked at every second, not every 5 s: a submission's run waits on it
# (docs/inname.md, "Hoe lang duurt het").
# Run monitoring fails runs that never get past STARTING or CANCELING; runs whose process
# died while STARTED are Dagster-blind (in-process and default-launcher runs) and are
# failed by orchestration/runs.py instead.
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    dequeue_interval_seconds: 1
run_monitoring:
  enabled: true
  start_timeout_seconds: 300
  cancel_timeout_seconds: 180
  max_resume_run_attempts: 0
  poll_interval_seconds: 60
"""


def persistent_instance(dagster_home: Path | None = None) -> DagsterInstance:
    """The instance under ``data/dagster_home`` so runs and schedules outlive a restart."""
    dagster_sqlite.install()
    home = dagster_home or Path(os.environ.get("DAGSTER_HOME", data_paths().dagster_home))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() != DAGSTER_YAML:
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


def run_job(
    job_name: str,
    data_dir: Path | None = None,
    *,
    instance: DagsterInstance | None = None,
    show_progress: bool = True,
    tags: dict[str, str] | None = None,
) -> ExecuteInProcessResult:
    # Not at the top: importing definitions builds them (its module-level `defs`, with the
    # dbt manifest), which `capmon serve` and the tests that only need an instance skip.
    from orchestration.definitions import build_defs

    job = build_defs(data_dir).resolve_job_def(job_name)
    return job.execute_in_process(
        run_config=QUIET_CONSOLE if show_progress else SILENT,
        instance=instance or DagsterInstance.ephemeral(),
        raise_on_error=False,
        tags=tags,
    )


def run_full_refresh(data_dir: Path | None = None, **options) -> ExecuteInProcessResult:
    return run_job(FULL_REFRESH_JOB, data_dir, **options)
