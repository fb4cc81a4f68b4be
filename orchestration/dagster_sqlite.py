"""Dagster's SQLite run storage without an fsync per event.

Dagster keeps the run history of ``data/dagster_home`` in SQLite files in WAL mode and
opens a fresh connection for every event it stores: with SQLite's default
``synchronous=FULL`` each of a refresh's ~2,000 commits waits for the disk (about 4 s of a
run on our 2-core machines; docs/operations.md, "Where a run's time goes").
``synchronous=NORMAL`` is SQLite's own advice for WAL mode: a crash or power cut can lose the
last events written, never corrupt the file. The warehouse (DuckDB) is not touched by this.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _wal_normal(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def install() -> None:
    """For every SQLite connection SQLAlchemy opens in this process from now on."""
    if not event.contains(Engine, "connect", _wal_normal):
        event.listen(Engine, "connect", _wal_normal)
