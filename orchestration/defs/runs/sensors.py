"""Housekeeping in the daemon: runs of dead processes are marked failed.

Without it one killed run blocks the queue (one run at a time) until someone acts; with it
the next scheduled or inbox run starts within a minute. See ``orchestration/runs.py``.
"""

from dagster import DefaultSensorStatus, SensorEvaluationContext, SkipReason, sensor

from orchestration.runs import fail_runs_of_dead_processes


@sensor(
    name="afgebroken_runs_opruimen",
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Markeert runs waarvan het proces niet meer bestaat als mislukt, zodat de "
    "wachtrij verder kan.",
)
def dead_runs(context: SensorEvaluationContext):
    marked = fail_runs_of_dead_processes(context.instance)
    if marked:
        context.log.warning(f"Als mislukt gemarkeerd (proces bestaat niet meer): {marked}")
        return SkipReason(f"{len(marked)} afgebroken run(s) als mislukt gemarkeerd")
    return SkipReason("geen afgebroken runs")
