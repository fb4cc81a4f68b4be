"""Take every file out of the inboxes: check it, record it, archive or quarantine it.

Runs inside the pipeline (asset ``meta/aanleveringen``), the only writer of the build DB.
A file is moved only after its report and ledger row are written, and the move is a
rename within the data folder: a crash before it leaves the file in the inbox, where the
next run takes it again (its ledger row then names a file that never arrived there, which
is visible, rather than a file that exists without a ledger row, which would be lost).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration import bronnen
from orchestration.bronnen.bron import Checked
from orchestration.inname import ledger, parsed
from orchestration.inname.report import reasons, summary, write_html, write_json
from orchestration.inname.restore import restore_ledger
from orchestration.paths import DataPaths
from orchestration.warehouse.errors import Problem
from orchestration.warehouse.lineage import file_lineage
from orchestration.warehouse.source_files import ReadFile


@dataclass(frozen=True)
class Outcome:
    id: int
    bron: str
    bestandsnaam: str
    status: str
    stored: Path
    report: Path | None
    message: str


def inbox_files(paths: DataPaths, source: str) -> list[Path]:
    """Files waiting in ``inbox/<source>/``; Excel's lock files and hidden files are not."""
    folder = paths.inbox / source
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


# A file younger than this may still be being copied in.
SETTLE_SECONDS = 2.0


def settled(files: list[Path]) -> list[Path]:
    """The files no longer being written: untouched for SETTLE_SECONDS. A younger one is
    waited for here (at most SETTLE_SECONDS) rather than until the inbox sensor's next tick,
    5 s later; one still being written then is younger still, and waits for that tick."""
    youngest = max((path.stat().st_mtime for path in files), default=0.0)
    wait = SETTLE_SECONDS - (time.time() - youngest)
    if 0 < wait <= SETTLE_SECONDS:
        time.sleep(wait)
    now = time.time()
    return [path for path in files if now - path.stat().st_mtime >= SETTLE_SECONDS]


def previous_patients(conn: duckdb.DuckDBPyConnection):
    """Patients per practice in the zorggroep's latest loaded period before ``periode``."""

    def lookup(zorggroep_code: str, periode: str) -> dict[str, int] | None:
        try:
            rows = conn.execute(
                "SELECT praktijk_agb, ingeschreven_patienten FROM raw.zorggroep_praktijken "
                "WHERE zorggroep_code = $code AND periode = (SELECT max(periode) FROM "
                "raw.zorggroep_praktijken WHERE zorggroep_code = $code AND periode < $periode)",
                {"code": zorggroep_code, "periode": periode},
            ).fetchall()
        except duckdb.CatalogException:
            return None
        return {agb: int(n) for agb, n in rows if n is not None} or None

    return lookup


def _target(path: Path, folder: Path, entry_id: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{entry_id:06d}_{path.name}"


def _reports(stored: Path, checked: Checked, extra: dict) -> Path:
    name = stored.name
    write_json(stored.with_name(name + ".rapport.json"), name, checked.problems, extra)
    return write_html(stored.with_name(name + ".rapport.html"), name, checked.problems)


def take_file(
    conn: duckdb.DuckDBPyConnection,
    paths: DataPaths,
    source: str,
    path: Path,
    today: date | None = None,
) -> Outcome:
    lineage = file_lineage(path)
    entry_id = ledger.next_id(conn)
    base = dict(
        bron=source,
        bestandsnaam=path.name,
        sha256=lineage.sha256,
        grootte=lineage.size,
        ontvangen_op=lineage.loaded_at,
    )
    earlier = ledger.accepted_before(conn, lineage.sha256)
    if earlier is not None:
        # Same bytes as an accepted file: keep them (nothing is lost) but do not load twice.
        stored = _target(path, paths.archive / source / "dubbel", entry_id)
        message = (
            f"{path.name} is hetzelfde bestand als aanlevering {earlier}; niet opnieuw geladen."
        )
        ledger.record(
            conn,
            entry_id,
            ledger.Entry(
                **base,
                periode=None,
                organisatie=None,
                status=ledger.DUPLICATE,
                aantal_fouten=0,
                aantal_waarschuwingen=0,
                opgeslagen_pad=str(stored),
            ),
        )
        shutil.move(path, stored)
        return Outcome(entry_id, source, path.name, ledger.DUPLICATE, stored, None, message)

    # A synthetic world's Nivel and stagebureau rows are N x as large (bronnen/schaal.py).
    bron = bronnen.by_name(source).in_folder(paths)
    try:
        # The pandas rule engine: the same problems as the GX suites built from the same
        # contracts (tests/unit/test_intake_corpus.py holds them equal), in a tenth of a
        # second instead of seconds per workbook (docs/inname.md, "Twee uitvoeringen").
        checked = bron.check(path, previous=previous_patients(conn), today=today, engine="pandas")
    except Exception as error:  # noqa: BLE001 - a file we cannot read is rejected, not fatal
        checked = Checked(
            None,
            [
                Problem(
                    path.name,
                    "onleesbaar",
                    "het bestand kon niet worden gecontroleerd en is daarom afgekeurd "
                    f"({type(error).__name__}: {error}); neem contact op met het landelijk team",
                )
            ],
        )
    extra = {"aanlevering_id": entry_id, "bron": source, "sha256": lineage.sha256}
    if checked.errors:
        stored = _target(path, paths.quarantine / source, entry_id)
        status, replaces = ledger.REJECTED, None
    else:
        stored = _target(path, paths.archive / source, entry_id)
        status = ledger.ACCEPTED
        replaces = ledger.current_for(conn, source, checked.organisatie, checked.periode)
        # Parsed once, here: the load takes these rows and does not read the file again.
        parsed.store(bron, paths, [ReadFile(lineage, checked.content)])
    report = _reports(stored, checked, extra | {"status": status})
    hoofdreden, redenen = reasons(checked.problems)
    ledger.record(
        conn,
        entry_id,
        ledger.Entry(
            **base,
            periode=checked.periode,
            organisatie=checked.organisatie,
            status=status,
            aantal_fouten=len(checked.errors),
            aantal_waarschuwingen=len(checked.warnings),
            rapport_pad=str(report),
            opgeslagen_pad=str(stored),
            vervangt=replaces,
            hoofdreden=hoofdreden,
            redenen=redenen,
        ),
    )
    shutil.move(path, stored)
    message = summary(path.name, checked.problems)
    if replaces is not None:
        message += f" Vervangt aanlevering {replaces}."
    return Outcome(entry_id, source, path.name, status, stored, report, message)


def process_inbox(
    conn: duckdb.DuckDBPyConnection,
    paths: DataPaths,
    today: date | None = None,
    alleen: list[str] | None = None,
) -> list[Outcome]:
    """Take every waiting file of the sources named in ``alleen`` (default: every source)."""
    ledger.ensure_ledger(conn)
    restore_ledger(conn, paths)
    outcomes = []
    for bron in bronnen.all_sources():
        if alleen is not None and bron.name not in alleen:
            continue
        for path in inbox_files(paths, bron.name):
            outcomes.append(take_file(conn, paths, bron.name, path, today))
    return outcomes
