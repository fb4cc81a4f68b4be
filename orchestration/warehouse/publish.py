"""Write–audit–publish: copy the audited marts into a new serving file, then swap it in.

Superset only ever opens the serving file, read-only. The new file is built next to it
and renamed into place, which is atomic on one file system: readers see the old marts or
the new ones, never a mix, and a crash before the rename leaves the old file as it was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Publication:
    serving_db: Path
    tables: dict[str, int]
    published_at: datetime


def publish_marts(build_db: Path, serving_db: Path, run_id: str = "") -> Publication:
    staging = serving_db.with_name(f".{serving_db.name}.nieuw")
    staging.unlink(missing_ok=True)
    serving_db.parent.mkdir(parents=True, exist_ok=True)
    published_at = datetime.now(UTC).replace(tzinfo=None)
    tables: dict[str, int] = {}
    conn = duckdb.connect()
    try:
        conn.execute(f"ATTACH '{build_db}' AS build (READ_ONLY)")
        conn.execute(f"ATTACH '{staging}' AS serving")
        conn.execute("CREATE SCHEMA serving.marts")
        names = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = 'build' AND table_schema = 'marts' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        if not names:
            raise RuntimeError(f"{build_db} has no tables in schema 'marts': nothing to publish")
        for name in names:
            conn.execute(f"CREATE TABLE serving.marts.{name} AS SELECT * FROM build.marts.{name}")
            tables[name] = conn.execute(f"SELECT count(*) FROM serving.marts.{name}").fetchone()[0]
        conn.execute("CREATE SCHEMA serving.meta")
        conn.execute(
            "CREATE TABLE serving.meta.publicatie AS "
            "SELECT ?::TIMESTAMP AS gepubliceerd_op, ? AS run_id, ? AS tabellen",
            [published_at, run_id, ",".join(names)],
        )
        conn.execute("DETACH serving")
    except BaseException:
        conn.close()
        staging.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(staging, serving_db)
    return Publication(serving_db=serving_db, tables=tables, published_at=published_at)


def clear_result_cache(cache_dir: Path) -> int:
    """Empty Superset's result cache after a publication; return how many entries went.

    Only the folder's contents go: Superset's file cache creates its folder once, at start,
    and stops caching (a warning per query) if the folder itself disappears. An entry being
    written at this moment is a temporary file renamed into place; losing it only costs
    that one cache write.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    removed = 0
    for entry in cache_dir.iterdir():
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        except OSError:
            continue
    return removed
