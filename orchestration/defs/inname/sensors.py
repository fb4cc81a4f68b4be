"""One sensor per registered source: files in its inbox start a refresh, intake first.

The sensor only looks; the run does the work, because only a run may write the build DB
(one writer). The run key is derived from the waiting files, so a file that is still
waiting at the next tick does not start a second run.

The run rebuilds only what a submission to that source can change (its raw tables, the
intake's tables and everything downstream of them, not the other sources' branches) when
the last refresh succeeded and none is waiting; otherwise everything. docs/inname.md,
"Alleen wat verandert".
"""

import hashlib

from dagster import (
    AssetKey,
    DagsterInstance,
    DagsterRunStatus,
    DefaultSensorStatus,
    Definitions,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    definitions,
    sensor,
)

from orchestration import bronnen
from orchestration.bronnen.bron import Bron
from orchestration.defs.inname.assets import INTAKE_TAG, LEDGER, PARTIAL_TAG, REGISTRY
from orchestration.defs.jobs import FULL_REFRESH_JOB
from orchestration.inname.process import inbox_files, settled
from orchestration.paths import DataPaths
from orchestration.resources import Warehouse


def inbox_sensor(source: str):
    @sensor(
        name=f"inbox_{source}",
        job_name=FULL_REFRESH_JOB,
        # Looking costs a directory listing. Dagster's sensor daemon loops every 5 s; an
        # interval of 5 here skipped every tick that came a moment early, so a submission
        # waited up to 10 s. With 1 the sensor looks at every loop.
        minimum_interval_seconds=1,
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Start inname en verversing zodra er bestanden in data/inbox/{source}/ staan.",
    )
    def watch(context: SensorEvaluationContext, warehouse: Warehouse):
        ready = settled(inbox_files(warehouse.paths, source))
        if not ready:
            return SkipReason(f"geen nieuwe bestanden in {warehouse.paths.inbox / source}")
        fingerprint = hashlib.sha256()
        for path in ready:
            stat = path.stat()
            fingerprint.update(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
        run_key = f"{source}-{fingerprint.hexdigest()[:16]}"
        if not incremental_allowed(context.instance, warehouse.paths):
            return RunRequest(run_key=run_key, tags={INTAKE_TAG: source})
        return RunRequest(
            run_key=run_key,
            tags={INTAKE_TAG: source, PARTIAL_TAG: source},
            asset_selection=affected_assets(
                context.repository_def.asset_graph, bronnen.by_name(source)
            ),
        )

    return watch


def affected_assets(asset_graph, bron: Bron) -> list[AssetKey]:
    """What a submission to ``bron`` can change: the intake's tables, ``bron``'s raw tables
    and everything downstream of them in ``asset_graph`` (the code location's), except
    through another source's raw tables (which depend on the intake's ledger only to be
    loaded after it)."""
    own = [AssetKey(["raw", table.name]) for table in bron.tables]
    others = {
        AssetKey(["raw", table.name])
        for other in bronnen.all_sources()
        if other.name != bron.name
        for table in other.tables
    }
    selected = {LEDGER, REGISTRY, *own}
    todo = list(selected)
    while todo:
        for child in asset_graph.get(todo.pop()).child_keys:
            if child not in selected and child not in others:
                selected.add(child)
                todo.append(child)
    return sorted(selected, key=lambda key: key.to_user_string())


def incremental_allowed(instance: DagsterInstance, paths: DataPaths) -> bool:
    """Only on top of a clean state: something is published and the latest refresh (no
    other one queued or running) succeeded. The publish step checks it once more."""
    if not paths.serving_db.exists():
        return False
    latest = instance.get_runs(RunsFilter(job_name=FULL_REFRESH_JOB), limit=1)
    return bool(latest) and latest[0].status == DagsterRunStatus.SUCCESS


@definitions
def inbox_per_bron() -> Definitions:
    """One inbox sensor per registered source, read from the registry at load time."""
    return Definitions(sensors=[inbox_sensor(bron.name) for bron in bronnen.all_sources()])
