"""Land the internship-bureau exports in the build warehouse."""

import pandas as pd
from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.defs.stagebureau.contract import STAGEBUREAU_STAGES
from orchestration.defs.stagebureau.read import read_stagebureau_jsonl
from orchestration.intake.ledger import accepted_files
from orchestration.intake.sources import identify
from orchestration.resources import Warehouse
from orchestration.warehouse.intake import read_current_files
from orchestration.warehouse.landing import replace_raw_table, with_lineage


@asset(
    key=["raw", "stagebureau_stages"],
    group_name="stagebureau",
    deps=[AssetKey(["meta", "aanleveringen"])],
    kinds={"json", "duckdb"},
    description="Stageplaatsen per stagebureau, schooljaar, periode, opleiding, "
    "onderwijsinstelling en gemeente: aangevraagd, aangeboden, geplaatst, wachtlijst.",
)
def stagebureau_stages(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    with warehouse.connect() as conn:
        archived = accepted_files(conn, "stagebureau")
    files = read_current_files(
        warehouse.paths.source_dir("stagebureau"),
        "*.jsonl",
        archived,
        read_stagebureau_jsonl,
        "Stagebureau",
        lambda content: identify("stagebureau", content),
    )
    frames = []
    for f in files:
        records = f.content.drop(columns="_regel")
        frames.append(with_lineage(records, f.lineage, f.content["_regel"]))
    rows = pd.concat(frames, ignore_index=True)
    with warehouse.connect() as conn:
        count = replace_raw_table(
            conn, "stagebureau_stages", STAGEBUREAU_STAGES.duckdb_schema(), rows
        )
    context.log.info(f"Stagebureaus: {count} records uit {len(files)} bestanden geladen")
    return MaterializeResult(
        metadata={"bestanden": MetadataValue.json([f.lineage.name for f in files]), "rijen": count}
    )
