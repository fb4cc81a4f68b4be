"""``meta.aanleveringen``: one row per file that ever arrived, whatever became of it.

Statuses: ``geaccepteerd`` (loaded), ``vervangen`` (was loaded, superseded by a later
submission for the same organisation and period), ``afgekeurd`` (in quarantine, with a
report) and ``dubbel`` (the same bytes were accepted before; not loaded again).

``hoofdreden`` and ``redenen`` say why a file was rejected, in the words of its report: the
Dutch description of the rule broken most often, and every broken rule with its count
(``type (3), verplicht (1)``). A rejected file keeps ``organisatie`` and ``periode`` when
its meta could still be read, so that a region sees its own rejected files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from orchestration import bronnen

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
# Columns added after the first release: ledgers made before them are upgraded in place.
UPGRADES = """
ALTER TABLE meta.aanleveringen ADD COLUMN IF NOT EXISTS hoofdreden VARCHAR;
ALTER TABLE meta.aanleveringen ADD COLUMN IF NOT EXISTS redenen VARCHAR;
ALTER TABLE meta.aanleveringen ADD COLUMN IF NOT EXISTS peiljaar INTEGER;
"""
COLUMNS = (
    "id",
    "bron",
    "bestandsnaam",
    "sha256",
    "grootte",
    "ontvangen_op",
    "periode",
    "organisatie",
    "status",
    "aantal_fouten",
    "aantal_waarschuwingen",
    "rapport_pad",
    "opgeslagen_pad",
    "vervangt",
    "hoofdreden",
    "redenen",
    "peiljaar",
)


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
    hoofdreden: str | None = None
    redenen: str | None = None


def ensure_ledger(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the ledger if it is not there, add columns an older ledger lacks, and write
    the registry as ``meta.bronnen`` (dbt tests every ``bron`` against it)."""
    conn.execute(DDL)
    conn.execute(UPGRADES)
    for bron, periode in conn.execute(
        "SELECT DISTINCT bron, periode FROM meta.aanleveringen "
        "WHERE peiljaar IS NULL AND periode IS NOT NULL"
    ).fetchall():
        conn.execute(
            "UPDATE meta.aanleveringen SET peiljaar = ? WHERE bron = ? AND periode = ?",
            [_peiljaar(bron, periode), bron, periode],
        )
    conn.execute("CREATE OR REPLACE TABLE meta.bronnen (bron VARCHAR PRIMARY KEY, label VARCHAR)")
    conn.executemany(
        "INSERT INTO meta.bronnen VALUES (?, ?)",
        [(bron.name, bron.label) for bron in bronnen.all_sources()],
    )


def _peiljaar(bron: str, periode: str | None) -> int | None:
    try:
        return bronnen.by_name(bron).peiljaar(periode)
    except KeyError:  # a source no longer registered: its periode stays without a year
        return None


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
    values = [entry_id] + [getattr(entry, column) for column in COLUMNS[1:-1]]
    values.append(_peiljaar(entry.bron, entry.periode))
    conn.execute(
        f"INSERT INTO meta.aanleveringen ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in COLUMNS)})",
        values,
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
