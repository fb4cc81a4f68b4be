"""The live status of an upload, without opening the build DB.

DuckDB allows one writer process and the intake holds the build DB while it runs
(docs/operations.md), so the status comes from what the intake and the publication leave on
disk:

- received: the portal's own record (``opslag.Record``) and the file still in the inbox;
- accepted or rejected: the intake's report JSON beside the archived or quarantined file
  (``inname/process.py`` writes ``sha256``, ``aanlevering_id`` and ``status`` into it);
  the same bytes accepted before: the file in ``archive/<bron>/dubbel/``;
- superseded and published: the published Datakwaliteit mart ``marts.fct_aanleveringen``
  and the publication time ``meta.publicatie.gepubliceerd_op`` in the serving DB
  (``warehouse/publish.py``), opened read-only as Superset opens it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from orchestration.inname import ledger
from orchestration.paths import DataPaths
from orchestration.portaal import opslag
from orchestration.portaal.opslag import Record

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STORED_NAME = re.compile(r"^(\d{6})_(.+)$")

# What the page says, and a class for its colour.
RECEIVED = "ontvangen"
REFUSED = "geweigerd"
REJECTED = "afgekeurd"
ACCEPTED = "geaccepteerd"
SUPERSEDED = "vervangen"
DUPLICATE = "dubbel"
PUBLISHED = "gepubliceerd"


@dataclass(frozen=True)
class Status:
    code: str
    tekst: str
    aanlevering_id: int | None = None


@dataclass(frozen=True)
class IntakeResult:
    aanlevering_id: int
    status: str


@dataclass(frozen=True)
class Published:
    at: datetime | None
    rows: dict[int, tuple[str, bool]]  # aanlevering_id -> (status, is_geladen)


_report_cache: dict[Path, tuple[int, str | None, IntakeResult | None]] = {}
_serving_cache: dict[tuple[int, int], Published] = {}


def _read_report(path: Path) -> tuple[str | None, IntakeResult | None]:
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None, None
    cached = _report_cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1], cached[2]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sha = str(data["sha256"])
        result = IntakeResult(int(data["aanlevering_id"]), str(data.get("status", "")))
    except (OSError, ValueError, KeyError, TypeError):
        sha, result = None, None
    _report_cache[path] = (mtime, sha, result)
    return sha, result


def intake_results(paths: DataPaths, bron: str) -> dict[str, IntakeResult]:
    """sha256 -> what the intake made of it (the latest entry for those bytes)."""
    found: dict[str, IntakeResult] = {}
    for folder in (paths.archive / bron, paths.quarantine / bron):
        for report in folder.glob("*.rapport.json") if folder.is_dir() else ():
            sha, result = _read_report(report)
            if (
                sha
                and result
                and (sha not in found or result.aanlevering_id > found[sha].aanlevering_id)
            ):
                found[sha] = result
    return found


def _duplicates(paths: DataPaths, bron: str) -> dict[str, int]:
    """Stored inbox name -> ledger id of files the intake kept as ``dubbel``."""
    folder = paths.archive / bron / "dubbel"
    found = {}
    for path in folder.iterdir() if folder.is_dir() else ():
        match = STORED_NAME.match(path.name)
        if match:
            found[match.group(2)] = int(match.group(1))
    return found


def published(paths: DataPaths) -> Published:
    """The serving DB's submissions mart and publication time (cached per published file)."""
    import duckdb

    serving = paths.serving_db
    try:
        stat = serving.stat()
    except OSError:
        return Published(None, {})
    key = (stat.st_ino, stat.st_mtime_ns)
    if key in _serving_cache:
        return _serving_cache[key]
    try:
        conn = duckdb.connect(str(serving), read_only=True)
    except duckdb.Error:
        return Published(None, {})  # being replaced this instant: ask again next time
    try:
        at = conn.execute("SELECT max(gepubliceerd_op) FROM meta.publicatie").fetchone()[0]
        rows = conn.execute(
            "SELECT aanlevering_id, status, is_geladen FROM marts.fct_aanleveringen "
            "WHERE aanlevering_id IS NOT NULL"
        ).fetchall()
    except duckdb.Error:
        at, rows = None, []
    finally:
        conn.close()
    result = Published(at, {int(i): (str(s), bool(g)) for i, s, g in rows})
    _serving_cache.clear()
    _serving_cache[key] = result
    return result


def local_time(moment: datetime) -> str:
    """A naive UTC time (as the warehouse keeps them) as Dutch wall-clock time."""
    return moment.replace(tzinfo=UTC).astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def statuses(paths: DataPaths, records: list[Record]) -> dict[str, Status]:
    """sha256 -> status for an organisation's records (one scan of the folders per page)."""
    by_source: dict[str, tuple[dict[str, IntakeResult], dict[str, int]]] = {}
    publication = published(paths)
    result = {}
    for record in records:
        if record.bron not in by_source:
            by_source[record.bron] = (
                intake_results(paths, record.bron),
                _duplicates(paths, record.bron),
            )
        intake, duplicates = by_source[record.bron]
        result[record.sha256] = _status(paths, record, intake, duplicates, publication)
    return _superseded_locally(records, result)


def _status(paths, record, intake, duplicates, publication) -> Status:
    if record.uitkomst == opslag.REFUSED:
        return Status(REFUSED, "Geweigerd door het portaal; niet aangeleverd.")
    if record.uitkomst == opslag.REJECTED:
        return Status(REJECTED, "Afgekeurd bij de controle; niet aangeleverd.")
    taken = intake.get(record.sha256)
    if record.inbox_naam in duplicates:
        number = duplicates[record.inbox_naam]
        return Status(
            DUPLICATE,
            f"Dubbel (aanlevering {number}): precies dit bestand was al geaccepteerd.",
            number,
        )
    if taken is None:
        if record.inbox_naam and (paths.inbox / record.bron / record.inbox_naam).exists():
            return Status(RECEIVED, "Ontvangen; wacht op de inname.")
        return Status(RECEIVED, "Ontvangen; de inname is bezig.")
    number = taken.aanlevering_id
    if taken.status == ledger.REJECTED:
        return Status(REJECTED, f"Afgekeurd bij de inname (aanlevering {number}).", number)
    mart = publication.rows.get(number)
    if mart and mart[0] == ledger.SUPERSEDED:
        return Status(
            SUPERSEDED, f"Vervangen door een nieuwere aanlevering (aanlevering {number}).", number
        )
    if mart and mart[0] == ledger.ACCEPTED and mart[1] and publication.at:
        return Status(
            PUBLISHED,
            f"Gepubliceerd op {local_time(publication.at)} (aanlevering {number}); "
            "de dashboards tonen deze gegevens.",
            number,
        )
    return Status(
        ACCEPTED,
        f"Geaccepteerd (aanlevering {number}); wordt verwerkt en daarna gepubliceerd.",
        number,
    )


def _superseded_locally(records: list[Record], found: dict[str, Status]) -> dict[str, Status]:
    """An accepted upload with a later accepted one for the same period is superseded, also
    before the next publication says so (ledger.current_for: same organisation and period)."""
    latest: dict[str, int] = {}
    for record in records:
        status = found[record.sha256]
        if status.code in (ACCEPTED, PUBLISHED) and record.periode:
            latest[record.periode] = max(latest.get(record.periode, 0), status.aanlevering_id)
    for record in records:
        status = found[record.sha256]
        if (
            status.code in (ACCEPTED, PUBLISHED)
            and record.periode
            and status.aanlevering_id < latest[record.periode]
        ):
            found[record.sha256] = Status(
                SUPERSEDED,
                f"Vervangen door aanlevering {latest[record.periode]} voor dezelfde periode.",
                status.aanlevering_id,
            )
    return found
