"""Publish the audited marts to the serving database that Superset reads."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration.defs.dbt.assets import MART_KEYS
from orchestration.resources import Warehouse
from orchestration.warehouse.publish import prune_result_cache, publish_marts


@asset(
    key=["serving", "marts"],
    deps=MART_KEYS,
    group_name="publicatie",
    kinds={"duckdb"},
    description="De gecontroleerde marts, als nieuw bestand gebouwd en atomair op de plaats "
    "van de serving-database gezet. Draait alleen als alle blokkerende controles slaagden.",
)
def serving_marts(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
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
