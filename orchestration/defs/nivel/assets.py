"""Land the Nivel registry extracts in the build warehouse."""

import pandas as pd
from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.defs.nivel.contract import NIVEL_REGISTRATIE
from orchestration.defs.nivel.read import read_nivel_csv
from orchestration.intake.ledger import accepted_files
from orchestration.intake.sources import identify
from orchestration.resources import Warehouse
from orchestration.warehouse.intake import read_current_files
from orchestration.warehouse.landing import replace_raw_table, with_lineage


@asset(
    key=["raw", "nivel_registratie"],
    group_name="nivel",
    deps=[AssetKey(["meta", "aanleveringen"])],
    kinds={"csv", "duckdb"},
    description="Nivel-beroepenregistratie: personen en fte per gemeente, beroep, positie, "
    "geslacht en leeftijdsklasse, één CSV per peiljaar.",
)
def nivel_registratie(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    with warehouse.connect() as conn:
        archived = accepted_files(conn, "nivel")
    files = read_current_files(
        warehouse.paths.source_dir("nivel"),
        "*.csv",
        archived,
        read_nivel_csv,
        "Nivel",
        lambda content: identify("nivel", content),
    )
    rows = pd.concat(
        [with_lineage(f.content, f.lineage, range(2, 2 + len(f.content))) for f in files],
        ignore_index=True,
    )
    with warehouse.connect() as conn:
        count = replace_raw_table(
            conn, "nivel_registratie", NIVEL_REGISTRATIE.duckdb_schema(), rows
        )
    context.log.info(f"Nivel: {count} rijen uit {len(files)} bestanden geladen")
    return MaterializeResult(
        metadata={
            "bestanden": MetadataValue.json([f.lineage.name for f in files]),
            "rijen": count,
            "peiljaren": MetadataValue.json(sorted(int(y) for y in rows["peiljaar"].unique())),
        }
    )
