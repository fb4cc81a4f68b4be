"""Land conformed rows in the build warehouse's ``raw`` schema, with their lineage."""

from __future__ import annotations

import duckdb
import pandas as pd

from orchestration.warehouse.lineage import FileLineage

LINEAGE_TYPES = {
    "_bronbestand": "VARCHAR",
    "_sha256": "VARCHAR",
    "_bronrij": "INTEGER",
    "_geladen_op": "TIMESTAMP",
}


def with_lineage(rows: pd.DataFrame, lineage: FileLineage, row_numbers) -> pd.DataFrame:
    """Stamp every row with the file it came from and its row number in that file."""
    stamped = rows.reset_index(drop=True).copy()
    stamped["_bronbestand"] = lineage.name
    stamped["_sha256"] = lineage.sha256
    stamped["_bronrij"] = list(row_numbers)
    stamped["_geladen_op"] = lineage.loaded_at
    return stamped


def replace_raw_table(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, str],
    rows: pd.DataFrame,
) -> int:
    """Replace ``raw.<table>`` with ``rows`` cast to ``columns`` plus the lineage columns."""
    schema = {**columns, **LINEAGE_TYPES}
    for name in schema:
        if name not in rows.columns:
            rows[name] = None
    casts = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"' for name, kind in schema.items())
    conn.register("incoming_rows", rows[list(schema)])
    try:
        conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
        conn.execute(f"CREATE OR REPLACE TABLE raw.{table} AS SELECT {casts} FROM incoming_rows")
    finally:
        conn.unregister("incoming_rows")
    return len(rows)
