"""The jobs' executor: in process (DuckDB allows one writer), behind the data-folder lock.

`capmon run` takes the lock itself before it starts a run; the runs that the Dagster
daemon launches (schedule, inbox sensors, the UI) get it here, in the run worker, before
any step touches the build DB. They wait for a hand-started refresh rather than fail, and
if the lock stays taken they fail before doing anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack

from dagster import executor
from dagster._core.definitions.executor_definition import (
    IN_PROC_CONFIG,
    _core_in_process_executor_creation,
)
from dagster._core.events import DagsterEvent
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.executor.in_process import InProcessExecutor

from orchestration.lock import DataFolderBusy, data_folder_lock
from orchestration.paths import data_paths
from orchestration.priority import yield_to_readers
from orchestration.runs import process_tags

PRIVATE_UMASK = 0o077
LOCK_WAIT_SECONDS = float(os.environ.get("CAPMON_LOCK_WAIT_SECONDS", 2 * 3600))


class LockedInProcessExecutor(InProcessExecutor):
    def execute(
        self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan
    ) -> Iterator[DagsterEvent]:
        run = plan_context.dagster_run
        # The run worker writes the build and serving DBs: private, also when the daemon was
        # started by hand rather than by `capmon serve` (which sets this umask for all).
        os.umask(PRIVATE_UMASK)
        # This process does nothing but this run: it gives viewers the CPU first.
        yield_to_readers()
        # Who executes this run, so that a killed worker's run can be recognised as dead.
        plan_context.instance.add_run_tags(run.run_id, process_tags())
        root = data_paths().root
        what = f"Dagster-run {run.run_id[:8]}"
        with ExitStack() as stack:
            try:
                stack.enter_context(data_folder_lock(root, what))
            except DataFolderBusy as busy:
                yield DagsterEvent.engine_event(
                    plan_context,
                    f"{busy} Deze run wacht daarop (hooguit {LOCK_WAIT_SECONDS / 60:.0f} min).",
                )
                stack.enter_context(data_folder_lock(root, what, wait_seconds=LOCK_WAIT_SECONDS))
            yield from super().execute(plan_context, execution_plan)


@executor(name="in_process_met_datamapslot", config_schema=IN_PROC_CONFIG)
def locked_in_process_executor(init_context) -> LockedInProcessExecutor:
    plain = _core_in_process_executor_creation(init_context.executor_config)
    return LockedInProcessExecutor(
        retries=plain.retries, step_dependency_config=plain.step_dependency_config
    )
