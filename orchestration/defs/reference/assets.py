"""Land the vendored CBS reference data: gemeenten, regions, population."""

from __future__ import annotations

from dagster import AssetSpec, MaterializeResult, multi_asset

from orchestration.defs.reference.read import (
    BEVOLKING_2024_FILE,
    GEMEENTEN_FILE,
    PROVINCIES_FILE,
    WIJKEN_BUURTEN_2023_FILE,
    read_bevolking,
    read_gemeenten,
    read_provincies,
)
from orchestration.paths import REFERENCE_DIR
from orchestration.resources import Warehouse
from orchestration.warehouse.landing import replace_raw_table, with_lineage
from orchestration.warehouse.lineage import file_lineage

REFERENCE_TABLES = {
    "ref_gemeenten": (
        read_gemeenten,
        GEMEENTEN_FILE,
        "342 gemeenten met provincie, "
        "GGD-regio, UWV-arbeidsmarktregio en AZW-regio (CBS/PDOK 2025).",
    ),
    "ref_bevolking": (
        read_bevolking,
        BEVOLKING_2024_FILE,
        f"Inwoners en inwoners 65+ per gemeente, 2023 ({WIJKEN_BUURTEN_2023_FILE}) en 2024.",
    ),
    "ref_provincies": (read_provincies, PROVINCIES_FILE, "Provincies met ISO 3166-2-code."),
}


@multi_asset(
    specs=[
        AssetSpec(
            ["raw", table],
            group_name="referentie",
            kinds={"csv", "duckdb"},
            description=description,
        )
        for table, (_, _, description) in REFERENCE_TABLES.items()
    ],
)
def referentie(warehouse: Warehouse):
    with warehouse.connect() as conn:
        for table, (reader, main_file, _) in REFERENCE_TABLES.items():
            rows = reader(REFERENCE_DIR)
            stamped = with_lineage(
                rows, file_lineage(REFERENCE_DIR / main_file), range(2, 2 + len(rows))
            )
            columns = {
                c: "INTEGER"
                if c in ("jaar", "inwoners", "inwoners_65plus")
                else "DOUBLE"
                if c.endswith("_overlap")
                else "VARCHAR"
                for c in rows.columns
            }
            count = replace_raw_table(conn, table, columns, stamped)
            yield MaterializeResult(asset_key=["raw", table], metadata={"rijen": count})
