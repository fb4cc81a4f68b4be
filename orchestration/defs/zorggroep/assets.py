"""Land the zorggroep workbooks (national exchange template) in the build warehouse."""

import pandas as pd
from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset

from orchestration.defs.zorggroep.contract import META, SHEETS
from orchestration.defs.zorggroep.read import read_zorggroep_workbook
from orchestration.intake.ledger import accepted_files
from orchestration.intake.pseudonym import pseudonym_key, pseudonymise
from orchestration.intake.sources import identify
from orchestration.resources import Warehouse
from orchestration.warehouse.intake import read_current_files
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
            deps=[AssetKey(["meta", "aanleveringen"])],
        )
        for table in TABLES
    ],
)
def zorggroep_aanleveringen(context: AssetExecutionContext, warehouse: Warehouse):
    with warehouse.connect() as conn:
        archived = accepted_files(conn, "zorggroep")
    files = read_current_files(
        warehouse.paths.source_dir("zorggroep"),
        "*.xlsx",
        archived,
        read_zorggroep_workbook,
        "Zorggroep",
        lambda content: identify("zorggroep", content),
    )
    # The region's own pseudonym never reaches the warehouse (see intake/pseudonym.py).
    key = pseudonym_key(warehouse.paths.pseudonym_key)
    frames: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    for f in files:
        submission = f.content
        keys = {k: submission.meta[k] for k in SUBMISSION_KEYS}
        frames["meta"].append(with_lineage(pd.DataFrame([submission.meta]), f.lineage, [2]))
        for sheet, rows in submission.tables.items():
            if sheet == "huisartsen":
                code = submission.meta["zorggroep_code"]
                rows = rows.assign(
                    persoon_id=[pseudonymise(key, code, str(p)) for p in rows["persoon_id"]]
                )
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
