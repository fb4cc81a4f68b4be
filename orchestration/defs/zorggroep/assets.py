"""Land the zorggroep workbooks (national exchange template) in the build warehouse."""

import pandas as pd
from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, multi_asset

from orchestration.defs.zorggroep.contract import META, SHEETS
from orchestration.defs.zorggroep.read import read_zorggroep_workbook
from orchestration.resources import Warehouse
from orchestration.warehouse.intake import read_source_files
from orchestration.warehouse.landing import replace_raw_table, with_lineage

SUBMISSION_KEYS = {"zorggroep_code": "VARCHAR", "periode": "VARCHAR"}
TABLES = ("meta", *SHEETS)


@multi_asset(
    specs=[
        AssetSpec(
            ["raw", f"zorggroep_{table}"],
            group_name="zorggroep",
            kinds={"excel", "duckdb"},
            description=f"Tabblad '{table}' van alle zorggroep-aanleveringen (template v1.0).",
        )
        for table in TABLES
    ],
)
def zorggroep_aanleveringen(context: AssetExecutionContext, warehouse: Warehouse):
    files = read_source_files(
        warehouse.paths.source_dir("zorggroep"), "*.xlsx", read_zorggroep_workbook, "Zorggroep"
    )
    frames: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    for f in files:
        submission = f.content
        keys = {k: submission.meta[k] for k in SUBMISSION_KEYS}
        frames["meta"].append(with_lineage(pd.DataFrame([submission.meta]), f.lineage, [2]))
        for sheet, rows in submission.tables.items():
            stamped = with_lineage(rows, f.lineage, range(2, 2 + len(rows)))
            frames[sheet].append(stamped.assign(**keys))
    with warehouse.connect() as conn:
        for table in TABLES:
            contract = META if table == "meta" else SHEETS[table]
            columns = {**SUBMISSION_KEYS, **contract.duckdb_schema()}
            count = replace_raw_table(
                conn, f"zorggroep_{table}", columns, pd.concat(frames[table], ignore_index=True)
            )
            yield MaterializeResult(
                asset_key=["raw", f"zorggroep_{table}"],
                metadata={"rijen": count, "aanleveringen": len(files)},
            )
    context.log.info(f"Zorggroepen: {len(files)} aanleveringen geladen")
