"""Jobs and schedules."""

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    ScheduleDefinition,
    define_asset_job,
)

from orchestration.defs.executor import locked_in_process_executor
from orchestration.defs.marts import checks

FULL_REFRESH_JOB = "volledige_verversing"

# One process behind the data-folder lock: DuckDB allows a single writer and every step
# writes the build DB.
full_refresh = define_asset_job(
    name=FULL_REFRESH_JOB,
    selection=AssetSelection.all(),
    executor_def=locked_in_process_executor,
    description="Alle bronnen inlezen, dbt bouwen en testen, controleren en publiceren.",
)

monthly_refresh = ScheduleDefinition(
    name="maandelijkse_verversing",
    job=full_refresh,
    cron_schedule="0 6 1 * *",
    execution_timezone="Europe/Amsterdam",
    # On from the start: `capmon serve` runs the daemon, and a monitor that silently stops
    # refreshing is worse than one that refreshes unasked.
    default_status=DefaultScheduleStatus.RUNNING,
    description="Elke eerste van de maand om 06:00 alles opnieuw bouwen en publiceren.",
)

AUDIT_AND_PUBLISH_JOB = "controleer_en_publiceer"

# Re-audits what is in the build DB now and publishes it if every blocking check passes,
# e.g. after a check was corrected, without rebuilding the marts.
audit_and_publish = define_asset_job(
    name=AUDIT_AND_PUBLISH_JOB,
    selection=AssetSelection.keys("serving/marts") | AssetSelection.checks(*checks.MART_CHECKS),
    executor_def=locked_in_process_executor,
    description="De huidige marts opnieuw controleren en, als alles slaagt, publiceren.",
)
