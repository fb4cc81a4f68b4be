"""One sensor per registered source: files in its inbox start the full refresh, intake first.

The sensor only looks; the run does the work, because only a run may write the build DB
(one writer). The run key is derived from the waiting files, so a file that is still
waiting at the next tick does not start a second run.
"""

import hashlib
import time

from dagster import (
    DefaultSensorStatus,
    Definitions,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    definitions,
    sensor,
)

from orchestration import bronnen
from orchestration.defs.inname.assets import INTAKE_TAG
from orchestration.defs.jobs import FULL_REFRESH_JOB
from orchestration.inname.process import inbox_files
from orchestration.resources import Warehouse

# A file younger than this may still be being copied in; look again at the next tick.
SETTLE_SECONDS = 2.0


def inbox_sensor(source: str):
    @sensor(
        name=f"inbox_{source}",
        job_name=FULL_REFRESH_JOB,
        # Looking costs a directory listing; a submission should not wait half a minute.
        minimum_interval_seconds=5,
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Start inname en verversing zodra er bestanden in data/inbox/{source}/ staan.",
    )
    def watch(context: SensorEvaluationContext, warehouse: Warehouse):
        files = inbox_files(warehouse.paths, source)
        now = time.time()
        ready = [p for p in files if now - p.stat().st_mtime >= SETTLE_SECONDS]
        if not ready:
            return SkipReason(f"geen nieuwe bestanden in {warehouse.paths.inbox / source}")
        fingerprint = hashlib.sha256()
        for path in ready:
            stat = path.stat()
            fingerprint.update(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
        return RunRequest(
            run_key=f"{source}-{fingerprint.hexdigest()[:16]}",
            tags={INTAKE_TAG: source},
        )

    return watch


@definitions
def inbox_per_bron() -> Definitions:
    """One inbox sensor per registered source, read from the registry at load time."""
    return Definitions(sensors=[inbox_sensor(bron.name) for bron in bronnen.all_sources()])
