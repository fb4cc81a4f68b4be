"""Publish the audited marts to the serving database that Superset reads."""

from dagster import AssetExecutionContext, Failure, MaterializeResult, MetadataValue, asset

from orchestration.defs.dbt.assets import MART_KEYS
from orchestration.defs.inname.assets import PARTIAL_TAG
from orchestration.resources import Warehouse
from orchestration.warehouse.publish import (
    differing_from_published,
    prune_result_cache,
    publish_marts,
)


@asset(
    key=["serving", "marts"],
    deps=MART_KEYS,
    group_name="publicatie",
    kinds={"duckdb"},
    description="De gecontroleerde marts, als nieuw bestand gebouwd en atomair op de plaats "
    "van de serving-database gezet. Draait alleen als alle blokkerende controles slaagden.",
)
def serving_marts(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    if PARTIAL_TAG in context.run.tags:
        _refuse_stale_marts(context, warehouse)
    publication = publish_marts(
        warehouse.paths.build_db, warehouse.paths.serving_db, run_id=context.run.run_id
    )
    context.log.info(f"Gepubliceerd naar {publication.serving_db}: {publication.tables}")
    # Superset already looks only at results of the new publication (superset/capmon_cache.py);
    # those of older ones are dead weight on disk.
    prune_result_cache(warehouse.paths.dashboard_cache, warehouse.paths.serving_db)
    return MaterializeResult(
        metadata={
            "serving_db": MetadataValue.path(str(publication.serving_db)),
            "tabellen": MetadataValue.json(publication.tables),
            "gepubliceerd_op": publication.published_at.isoformat(timespec="seconds"),
        }
    )


def _refuse_stale_marts(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    """An incremental run publishes the marts it did not rebuild as the build DB holds them:
    only when they are exactly the published ones (not left by a failed run)."""
    selected = context.run.asset_selection or set()
    kept = [key.path[-1] for key in MART_KEYS if key not in selected]
    differing = differing_from_published(warehouse.paths.build_db, warehouse.paths.serving_db, kept)
    if differing:
        raise Failure(
            description="Niet gepubliceerd: deze run bouwde alleen opnieuw wat de nieuwe "
            f"aanlevering raakt, maar {', '.join(differing)} in de bouw-database wijkt af van "
            "wat nu gepubliceerd is (een eerdere run is niet afgemaakt). Start een volledige "
            "verversing (capmon run); de dashboards blijven zoals ze waren.",
            metadata={"afwijkend": MetadataValue.json(differing)},
        )
