"""Great Expectations suites on the marts as blocking Dagster asset checks."""

from __future__ import annotations

from dagster import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from expectations.runner import load_suite, suite_names, validate
from orchestration.resources import Warehouse


def _gx_check(suite_name: str) -> AssetChecksDefinition:
    meta = load_suite(suite_name)["meta"]
    schema, table = meta["table"].split(".")

    @asset_check(
        asset=AssetKey([schema, table]),
        name=f"gx_{suite_name}",
        blocking=bool(meta.get("blocking", True)),
        description=f"Great Expectations-suite '{suite_name}': {meta.get('notes', '')}",
    )
    def check(warehouse: Warehouse) -> AssetCheckResult:
        with warehouse.connect() as conn:
            frame = conn.execute(f"SELECT * FROM {schema}.{table}").df()
        outcome = validate(frame, suite_name)
        return AssetCheckResult(
            passed=outcome.success,
            severity=AssetCheckSeverity.ERROR if outcome.blocking else AssetCheckSeverity.WARN,
            description=(
                "Alle verwachtingen gehaald."
                if outcome.success
                else "Niet gehaald: " + "; ".join(f.explanation for f in outcome.failures)
            ),
            metadata={
                "verwachtingen": len(outcome.outcomes),
                "mislukt": len(outcome.failures),
                "details": MetadataValue.md(
                    "\n".join(f"- {o.describe()}" for o in outcome.outcomes)
                ),
            },
        )

    return check


MART_CHECKS = [_gx_check(name) for name in suite_names()]
