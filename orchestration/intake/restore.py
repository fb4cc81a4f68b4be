"""Rebuild the ledger from the archive when the build DB was thrown away (`make clean`).

The archive is the source of truth for accepted submissions; the ledger only says which
of them are current. Without this, deleting the warehouse would silently drop every
submission that came in through the inbox from the next build.
"""

from __future__ import annotations

import json
import re

import duckdb

from orchestration.intake import ledger
from orchestration.intake.sources import CHECKERS, PATTERNS, identify
from orchestration.paths import DataPaths
from orchestration.warehouse.errors import SourceFileError
from orchestration.warehouse.lineage import file_lineage

STORED_NAME = re.compile(r"^(\d{6})_(.+)$")


def _loaders():
    from orchestration.defs.nivel.read import read_nivel_csv
    from orchestration.defs.stagebureau.read import read_stagebureau_jsonl
    from orchestration.defs.zorggroep.read import read_zorggroep_workbook

    return {
        "zorggroep": read_zorggroep_workbook,
        "nivel": read_nivel_csv,
        "stagebureau": read_stagebureau_jsonl,
    }


def restore_ledger(conn: duckdb.DuckDBPyConnection, paths: DataPaths) -> int:
    """Re-register archived and quarantined files if the ledger is empty; return how many."""
    if conn.execute("SELECT count(*) FROM meta.aanleveringen").fetchone()[0]:
        return 0
    restored = 0
    loaders = _loaders()
    for source in CHECKERS:
        # Oldest first (the stored name starts with the original ledger id), so that later
        # submissions supersede earlier ones exactly as they did when they arrived.
        for path in sorted((paths.archive / source).glob(PATTERNS[source])):
            if not STORED_NAME.match(path.name):
                continue
            try:
                content = loaders[source](path)
            except SourceFileError:
                continue  # accepted under older rules; left out rather than guessed at
            organisation, period = identify(source, content)
            lineage = file_lineage(path)
            entry_id = ledger.next_id(conn)
            report = path.with_name(path.name + ".rapport.html")
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
                    status=ledger.ACCEPTED,
                    aantal_fouten=0,
                    aantal_waarschuwingen=_warnings(report.with_suffix(".json")),
                    rapport_pad=str(report) if report.exists() else None,
                    opgeslagen_pad=str(path),
                    vervangt=ledger.current_for(conn, source, organisation, period),
                ),
            )
            restored += 1
    return restored


def _warnings(report_json) -> int:
    try:
        return int(json.loads(report_json.read_text(encoding="utf-8"))["aantal_waarschuwingen"])
    except (OSError, ValueError, KeyError):
        return 0
