"""The previous period's patients per practice, from the files on disk instead of the build DB.

``patienten_sprong`` (docs/inname.md) compares a submission with the zorggroep's previous
one. Inside the pipeline ``process.previous_patients`` asks ``raw.zorggroep_praktijken``,
but DuckDB allows one writer process and the pipeline holds the build DB
(docs/operations.md, "One data-folder lock"), so `capmon check` and the Aanleverportaal look
where the pipeline itself loads from: the accepted files in ``archive/zorggroep/`` (with a
report JSON beside them, see ``restore.py``) and, for an organisation and period that never
came through the inbox, the sample files in ``sources/zorggroep/`` — the same precedence as
the load (docs/inname.md, "Wat wordt geladen").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from orchestration.inname import ledger
from orchestration.paths import DataPaths

SOURCE = "zorggroep"
STORED_NAME = re.compile(r"^(\d{6})_(.+)$")

Lookup = Callable[[str, str], "dict[str, int] | None"]

# (path, mtime_ns, size) -> (zorggroep_code, periode): a workbook's meta is read once.
_identities: dict[tuple[str, int, int], tuple[str | None, str | None]] = {}


def _identity(path: Path) -> tuple[str | None, str | None]:
    from orchestration.bronnen.zorggroep.bron import rejected_workbook_identity

    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _identities:
        _identities[key] = rejected_workbook_identity(path)
    return _identities[key]


def _accepted_report(report: Path) -> bool:
    try:
        status = json.loads(report.read_text(encoding="utf-8")).get("status", ledger.ACCEPTED)
    except (OSError, ValueError, AttributeError):
        return False
    # The report keeps the status the file had when it arrived; a later submission for the
    # same organisation and period supersedes it, which the highest id below accounts for.
    return status in (ledger.ACCEPTED, ledger.SUPERSEDED)


def accepted_archive(paths: DataPaths) -> list[tuple[int, Path]]:
    """(ledger id, path) of every accepted zorggroep file in the archive, oldest first."""
    folder = paths.archive / SOURCE
    found = []
    for path in folder.glob("*.xlsx") if folder.is_dir() else ():
        match = STORED_NAME.match(path.name)
        report = path.with_name(path.name + ".rapport.json")
        if match and report.is_file() and _accepted_report(report):
            found.append((int(match.group(1)), path))
    return sorted(found)


def _patients(path: Path) -> dict[str, int] | None:
    from orchestration.bronnen.zorggroep.read import read_zorggroep_workbook
    from orchestration.warehouse.errors import SourceFileError

    try:
        rows = read_zorggroep_workbook(path).tables["praktijken"]
    except (SourceFileError, OSError, KeyError):
        return None  # accepted under older rules: no comparison rather than a wrong one
    counts = rows[["praktijk_agb", "ingeschreven_patienten"]].dropna()
    return {str(agb): int(n) for agb, n in counts.itertuples(index=False)} or None


def previous_from_archive(paths: DataPaths) -> Lookup:
    """``previous(zorggroep_code, periode)`` with the contract of ``previous_patients``.

    The latest period before ``periode`` that the zorggroep delivered; within a period the
    current file: the last accepted one through the inbox, else the sample file.
    """

    def lookup(zorggroep_code: str, periode: str) -> dict[str, int] | None:
        candidates: dict[str, Path] = {}
        samples = paths.sources / SOURCE
        # Sample files are named <code>_<periode>.xlsx (bronnen/zorggroep/voorbeeld.py); the
        # name only narrows the search, the meta sheet decides.
        for path in sorted(samples.glob(f"{zorggroep_code}_*.xlsx")) if samples.is_dir() else ():
            code, found = _identity(path)
            if code == zorggroep_code and found and found < periode:
                candidates[found] = path
        for _, path in accepted_archive(paths):  # oldest first: the last one wins
            code, found = _identity(path)
            if code == zorggroep_code and found and found < periode:
                candidates[found] = path
        if not candidates:
            return None
        return _patients(candidates[max(candidates)])

    return lookup
