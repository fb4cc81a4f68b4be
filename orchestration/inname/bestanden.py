"""``meta.bestanden``: one row per file the raw tables hold, whatever its source.

The raw tables know each row's file (``_sha256``, ``_bronbestand``); the parsed copy of
that file knows whose it is, which period and when it was delivered (``parsed.py``). Joined
here once for every registered source, so that dbt's data-quality mart reads one table and
needs no model per source (docs/architectuur.md, "Adding a source").
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from orchestration import bronnen
from orchestration.inname.parsed import info_path, received_at
from orchestration.paths import DataPaths
from orchestration.warehouse.landing import write_typed

COLUMNS = {
    "bron": "VARCHAR",
    "organisatie_code": "VARCHAR",
    "organisatie_naam": "VARCHAR",
    "periode": "VARCHAR",
    "peiljaar": "INTEGER",
    "bestandsnaam": "VARCHAR",
    "sha256": "VARCHAR",
    "ontvangen_op": "TIMESTAMP",
}


def loaded_files(conn: duckdb.DuckDBPyConnection, paths: DataPaths) -> pd.DataFrame:
    rows = []
    landed = {
        name
        for (name,) in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'"
        ).fetchall()
    }
    for bron in bronnen.all_sources():
        # A source not loaded in this warehouse (yet) has no files in it.
        tables = [t.name for t in bron.tables if t.name in landed]
        if not tables:
            continue
        union = " UNION ".join(
            f"SELECT DISTINCT _sha256, _bronbestand FROM raw.{t}" for t in tables
        )
        for sha, name in conn.execute(f"{union} ORDER BY 2, 1").fetchall():
            info = json.loads(info_path(paths, bron, sha).read_text(encoding="utf-8"))
            rows.append(
                {
                    "bron": bron.name,
                    "organisatie_code": info["organisatie"],
                    "organisatie_naam": info.get("organisatie_naam") or info["organisatie"],
                    "periode": info["periode"],
                    "peiljaar": info["peiljaar"],
                    "bestandsnaam": name,
                    "sha256": sha,
                    "ontvangen_op": received_at(info),
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_loaded_files(conn: duckdb.DuckDBPyConnection, paths: DataPaths) -> int:
    frame = loaded_files(conn, paths)
    conn.execute("CREATE SCHEMA IF NOT EXISTS meta")
    write_typed(conn, frame, COLUMNS, "CREATE OR REPLACE TABLE meta.bestanden AS {rows}")
    return len(frame)
