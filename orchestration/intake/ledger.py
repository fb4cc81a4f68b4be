"""``meta.aanleveringen``: one row per file that ever arrived, whatever became of it.

Statuses: ``geaccepteerd`` (loaded), ``vervangen`` (was loaded, superseded by a later
submission for the same organisation and period), ``afgekeurd`` (in quarantine, with a
report) and ``dubbel`` (the same bytes were accepted before; not loaded again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

ACCEPTED = "geaccepteerd"
SUPERSEDED = "vervangen"
REJECTED = "afgekeurd"
DUPLICATE = "dubbel"

DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE SEQUENCE IF NOT EXISTS meta.aanleveringen_id;
CREATE TABLE IF NOT EXISTS meta.aanleveringen (
    id INTEGER PRIMARY KEY DEFAULT nextval('meta.aanleveringen_id'),
    bron VARCHAR NOT NULL,
    bestandsnaam VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    grootte BIGINT NOT NULL,
    ontvangen_op TIMESTAMP NOT NULL,
    periode VARCHAR,
    organisatie VARCHAR,
    status VARCHAR NOT NULL,
    aantal_fouten INTEGER NOT NULL,
    aantal_waarschuwingen INTEGER NOT NULL,
    rapport_pad VARCHAR,
    opgeslagen_pad VARCHAR,
    vervangt INTEGER,
    vervangen_door INTEGER
);
"""


@dataclass(frozen=True)
class Entry:
    bron: str
    bestandsnaam: str
    sha256: str
    grootte: int
    ontvangen_op: datetime
    periode: str | None
    organisatie: str | None
    status: str
    aantal_fouten: int
    aantal_waarschuwingen: int
    rapport_pad: str | None = None
    opgeslagen_pad: str | None = None
    vervangt: int | None = None


def ensure_ledger(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(DDL)


def next_id(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute("SELECT nextval('meta.aanleveringen_id')").fetchone()[0]


def accepted_before(conn: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    row = conn.execute(
        "SELECT min(id) FROM meta.aanleveringen WHERE sha256 = ? AND status IN (?, ?)",
        [sha256, ACCEPTED, SUPERSEDED],
    ).fetchone()
    return row[0]


def current_for(conn, bron: str, organisatie: str, periode: str) -> int | None:
    row = conn.execute(
        "SELECT max(id) FROM meta.aanleveringen WHERE bron = ? AND organisatie = ? "
        "AND periode = ? AND status = ?",
        [bron, organisatie, periode, ACCEPTED],
    ).fetchone()
    return row[0]


def record(conn: duckdb.DuckDBPyConnection, entry_id: int, entry: Entry) -> None:
    """Insert ``entry``; if it supersedes an accepted submission, mark that one ``vervangen``."""
    conn.execute(
        "INSERT INTO meta.aanleveringen VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            entry_id,
            entry.bron,
            entry.bestandsnaam,
            entry.sha256,
            entry.grootte,
            entry.ontvangen_op,
            entry.periode,
            entry.organisatie,
            entry.status,
            entry.aantal_fouten,
            entry.aantal_waarschuwingen,
            entry.rapport_pad,
            entry.opgeslagen_pad,
            entry.vervangt,
        ],
    )
    if entry.vervangt is not None:
        conn.execute(
            "UPDATE meta.aanleveringen SET status = ?, vervangen_door = ? WHERE id = ?",
            [SUPERSEDED, entry_id, entry.vervangt],
        )


def accepted_files(conn: duckdb.DuckDBPyConnection, bron: str) -> list[tuple[str, str, str]]:
    """(stored path, organisation, period) of every current accepted file of ``bron``."""
    try:
        return conn.execute(
            "SELECT opgeslagen_pad, organisatie, periode FROM meta.aanleveringen "
            "WHERE bron = ? AND status = ? ORDER BY id",
            [bron, ACCEPTED],
        ).fetchall()
    except duckdb.CatalogException:
        return []
