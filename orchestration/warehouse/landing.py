"""Land conformed rows in the build warehouse's ``raw`` schema, with their lineage."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import numpy as np
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
    return with_lineage_many([(rows, lineage, row_numbers)])


def with_lineage_many(
    parts: list[tuple[pd.DataFrame, FileLineage, Iterable[int]]],
    per_file: dict[str, list] | None = None,
) -> pd.DataFrame:
    """The rows of many files as one table, each stamped as ``with_lineage`` does, plus the
    ``per_file`` values (one per part) on each of that part's rows.

    One concatenation and a handful of columns, not four assignments per file: for the
    hundreds of workbooks of a full refresh that was seconds.
    """
    sizes = [len(rows) for rows, _, _ in parts]
    files = pd.DataFrame(
        {
            "_bronbestand": [lineage.name for _, lineage, _ in parts],
            "_sha256": [lineage.sha256 for _, lineage, _ in parts],
            "_geladen_op": [lineage.loaded_at for _, lineage, _ in parts],
            **(per_file or {}),
        }
    )
    stamped = pd.concat([rows for rows, _, _ in parts], ignore_index=True)
    stamped["_bronrij"] = np.fromiter(
        (number for _, _, numbers in parts for number in numbers), dtype=np.int64, count=sum(sizes)
    )
    for name, values in files.iloc[np.repeat(np.arange(len(parts)), sizes)].items():
        stamped[name] = values.to_numpy()
    return stamped


def write_typed(
    conn: duckdb.DuckDBPyConnection,
    rows: pd.DataFrame,
    schema: dict[str, str],
    statement: str,
) -> None:
    """Run ``statement`` (with ``{rows}`` where the typed rows go) on ``rows`` cast to
    ``schema``; a column ``rows`` lacks is NULL."""
    for name in schema:
        if name not in rows.columns:
            rows[name] = None
    casts = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"' for name, kind in schema.items())
    conn.register("incoming_rows", rows[list(schema)])
    try:
        conn.execute(statement.format(rows=f"SELECT {casts} FROM incoming_rows"))
    finally:
        conn.unregister("incoming_rows")


def replace_raw_table(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, str],
    rows: pd.DataFrame,
) -> int:
    """Replace ``raw.<table>`` with ``rows`` cast to ``columns`` plus the lineage columns."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
    write_typed(
        conn, rows, {**columns, **LINEAGE_TYPES}, f"CREATE OR REPLACE TABLE raw.{table} AS {{rows}}"
    )
    return len(rows)


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    try:
        return [row[:2] for row in conn.execute(f"DESCRIBE {table}").fetchall()]
    except duckdb.CatalogException:
        return []


def sync_raw_table(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, str],
    files: list[tuple[str, str, str, Path]],
) -> tuple[int, int, int]:
    """Make ``raw.<table>`` hold exactly ``files`` and touch only what changed.

    ``files`` are (sha256, file name, batch, Parquet file holding the batch's rows), typed
    as the table but for the file name, which is where the file is loaded from now
    (``orchestration/inname/parsed.py``). ``meta.raw_partijen`` records which batch each
    file's rows came from, so that a file parsed again (a new reader, contract or pseudonym
    key gives a new batch) is replaced too. Returns (rows now, files added, files removed).
    """
    schema = {**columns, **LINEAGE_TYPES}
    types = ", ".join(f'"{name}" {kind}' for name, kind in schema.items())
    conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
    conn.execute("CREATE SCHEMA IF NOT EXISTS meta")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS meta.raw_partijen "
        "(tabel VARCHAR, _sha256 VARCHAR, _bronbestand VARCHAR, partij VARCHAR)"
    )
    # The types as DuckDB spells them, to see whether the table still has this shape.
    conn.execute(f"CREATE OR REPLACE TEMP TABLE gewenste_vorm ({types})")
    if _columns(conn, f"raw.{table}") != _columns(conn, "temp.gewenste_vorm"):
        # New, or made for another contract: built again from every copy.
        conn.execute(f"CREATE OR REPLACE TABLE raw.{table} ({types})")
        conn.execute("DELETE FROM meta.raw_partijen WHERE tabel = $t", {"t": table})
    conn.execute("DROP TABLE temp.gewenste_vorm")
    held = set(
        conn.execute(
            "SELECT _sha256, _bronbestand, partij FROM meta.raw_partijen WHERE tabel = $t",
            {"t": table},
        ).fetchall()
    )
    wanted = {(sha, name, batch): str(path) for sha, name, batch, path in files}
    stale = held - set(wanted)
    new = [(*key, path) for key, path in wanted.items() if key not in held]
    frame_columns = ["_sha256", "_bronbestand", "partij", "kopie"]
    conn.register("vervallen", pd.DataFrame([(*key, "") for key in stale], columns=frame_columns))
    conn.register("nieuw", pd.DataFrame(new, columns=frame_columns))
    try:
        for target in (f"raw.{table}", "meta.raw_partijen"):
            extra = " AND huidig.tabel = $t" if target == "meta.raw_partijen" else ""
            conn.execute(
                f"DELETE FROM {target} AS huidig WHERE EXISTS (SELECT 1 FROM vervallen AS v "
                f"WHERE v._sha256 = huidig._sha256 AND v._bronbestand = huidig._bronbestand)"
                + extra,
                {"t": table} if extra else {},
            )
        if new:
            select = ", ".join(
                "nieuw._bronbestand" if name == "_bronbestand" else f'kopie."{name}"'
                for name in schema
            )
            conn.execute(
                f"INSERT INTO raw.{table} SELECT {select} "
                "FROM read_parquet($paths, filename = true) AS kopie JOIN nieuw "
                "ON kopie.filename = nieuw.kopie AND kopie._sha256 = nieuw._sha256",
                {"paths": sorted({path for *_, path in new})},
            )
            conn.execute(
                "INSERT INTO meta.raw_partijen SELECT $t, _sha256, _bronbestand, partij FROM nieuw",
                {"t": table},
            )
    finally:
        conn.unregister("vervallen")
        conn.unregister("nieuw")
    count = conn.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]
    return count, len(new), len(stale)
