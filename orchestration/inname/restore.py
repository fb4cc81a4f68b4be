"""Rebuild the ledger from the archive when the build DB was thrown away (`make clean`).

The archive is the source of truth for accepted submissions; the ledger only says which
of them are current. Without this, deleting the warehouse would silently drop every
submission that came in through the inbox from the next build. Rejected files in the
quarantine are registered again too (status, counts and reasons from their JSON report),
so that the data-quality view keeps them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from orchestration import bronnen
from orchestration.inname import ledger, parsed
from orchestration.inname.report import reasons
from orchestration.paths import DataPaths
from orchestration.warehouse.errors import Problem
from orchestration.warehouse.lineage import file_lineage
from orchestration.warehouse.source_files import SourceNotLoaded

STORED_NAME = re.compile(r"^(\d{6})_(.+)$")


def _stored_files(paths: DataPaths) -> list[tuple[int, str, str, object]]:
    """(original id, source, status, path) of every archived and quarantined file, oldest
    first: the stored name starts with the original ledger id."""
    found = []
    for bron in bronnen.all_sources():
        source = bron.name
        for path in (paths.archive / source).glob(bron.pattern):
            match = STORED_NAME.match(path.name)
            if match:
                found.append((int(match.group(1)), source, ledger.ACCEPTED, path))
        folder = paths.quarantine / source
        for path in folder.iterdir() if folder.is_dir() else ():
            match = STORED_NAME.match(path.name)
            if match and path.is_file() and ".rapport." not in path.name:
                found.append((int(match.group(1)), source, ledger.REJECTED, path))
    return sorted(found, key=lambda item: (item[0], item[1]))


def restore_ledger(conn: duckdb.DuckDBPyConnection, paths: DataPaths) -> int:
    """Re-register archived and quarantined files if the ledger is empty; return how many.

    Accepted files are re-read to know whose they are; rejected ones keep their place in
    the ledger (status, counts and reasons from their report) so that the data-quality view
    still shows them.
    """
    if conn.execute("SELECT count(*) FROM meta.aanleveringen").fetchone()[0]:
        return 0
    restored = 0
    # Oldest first, so that later submissions supersede earlier ones exactly as they did
    # when they arrived.
    for _, source, status, path in _stored_files(paths):
        report = path.with_name(path.name + ".rapport.html")
        problems = _problems(report.with_suffix(".json"))
        bron = bronnen.by_name(source)
        lineage = file_lineage(path)
        if status == ledger.ACCEPTED:
            try:
                # Its parsed copy knows whose it is; without one it is parsed now.
                [copy] = parsed.ensure(bron, paths, [path])
            except SourceNotLoaded:
                continue  # accepted under older rules; left out rather than guessed at
            organisation, period = copy.identity
            replaces = ledger.current_for(conn, source, organisation, period)
        else:
            organisation, period = bron.rejected_identity(path)
            replaces = None
        hoofdreden, redenen = reasons(problems)
        entry_id = ledger.next_id(conn)
        ledger.record(
            conn,
            entry_id,
            ledger.Entry(
                bron=source,
                bestandsnaam=STORED_NAME.match(path.name).group(2),
                sha256=lineage.sha256,
                grootte=lineage.size,
                ontvangen_op=lineage.loaded_at,
                periode=period,
                organisatie=organisation,
                status=status,
                aantal_fouten=sum(p.severity == "fout" for p in problems),
                aantal_waarschuwingen=sum(p.severity != "fout" for p in problems),
                rapport_pad=str(report) if report.exists() else None,
                opgeslagen_pad=str(path),
                vervangt=replaces,
                hoofdreden=hoofdreden,
                redenen=redenen,
            ),
        )
        restored += 1
    return restored


def _problems(report_json: Path) -> list[Problem]:
    """The problems listed in a file's JSON report (none if it is missing or unreadable)."""
    try:
        listed = json.loads(report_json.read_text(encoding="utf-8"))["problemen"]
        return [
            Problem(
                file=str(item.get("file", "")),
                rule=str(item["rule"]),
                message=str(item.get("message", "")),
                severity=str(item.get("severity", "fout")),
            )
            for item in listed
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return []
