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
        names = _mart_tables(conn, "build")
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


def _mart_tables(conn: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """The tables of schema ``marts`` in the attached database ``catalog``, sorted."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
            "AND table_schema = 'marts' AND table_type = 'BASE TABLE' ORDER BY table_name",
            [catalog],
        ).fetchall()
    ]


def differing_from_published(build_db: Path, serving_db: Path, tables: list[str]) -> list[str]:
    """Which of the marts ``tables`` in the build DB are not exactly, row for row, what the
    serving DB publishes now (all of them when nothing is published yet).

    A refresh that rebuilt only part of the marts (an incremental run after a submission)
    publishes the rest as it finds them in the build DB; that is only safe when they are the
    ones audited and published before, not left behind by a run that failed.
    """
    if not serving_db.exists():
        return sorted(tables)
    conn = duckdb.connect()
    try:
        conn.execute(f"ATTACH '{build_db}' AS build (READ_ONLY)")
        conn.execute(f"ATTACH '{serving_db}' AS serving (READ_ONLY)")
        published = set(_mart_tables(conn, "serving"))
        differing = []
        for name in sorted(tables):
            if name not in published:
                differing.append(name)
                continue
            build, serving = f"build.marts.{name}", f"serving.marts.{name}"
            try:
                left, right = conn.execute(
                    f"SELECT (SELECT count(*) FROM (FROM {build} EXCEPT ALL FROM {serving})), "
                    f"(SELECT count(*) FROM (FROM {serving} EXCEPT ALL FROM {build}))"
                ).fetchone()
            except duckdb.Error:  # other columns or types: not the published table
                left = right = 1
            if left or right:
                differing.append(name)
        return differing
    finally:
        conn.close()


def publication_token(serving_db: Path) -> str:
    """Names one publication of ``serving_db``; "geen" while there is none.

    The same as superset/capmon_cache.py's (a test keeps them equal): Superset keeps each
    chart result in a folder of this name under its result cache. The atomic rename gives a
    new file, so inode, modification time and size together change with every publication.
    """
    try:
        stat = os.stat(serving_db)
    except FileNotFoundError:
        return "geen"
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


def prune_result_cache(cache_dir: Path, serving_db: Path) -> int:
    """After a publication: remove Superset's results of every other publication.

    Superset never reads them again (superset/capmon_cache.py looks only in the folder of the
    publication on disk), so this only frees the disk; results of the new publication, from
    the warm-up or a viewer who was quicker, stay. Returns how many entries went.
    """
    return _empty_cache(cache_dir, keep=publication_token(serving_db))


def clear_result_cache(cache_dir: Path) -> int:
    """Empty Superset's result cache, every publication's; return how many entries went.

    For measuring a cold cache (bench/dashboards.py); a publication needs only
    ``prune_result_cache``. Only the folder's contents go: Superset's cache makes a
    publication's folder again when it next stores a result. An entry being written at this
    moment is a temporary file renamed into place; losing it only costs that one cache write.
    """
    return _empty_cache(cache_dir)


def _empty_cache(cache_dir: Path, keep: str | None = None) -> int:
    """Remove every entry of ``cache_dir`` but ``keep``; return how many went."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    removed = 0
    for entry in cache_dir.iterdir():
        if entry.name == keep:
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        except OSError:
            continue
    return removed
