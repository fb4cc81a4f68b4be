"""Find the template's sheets in a workbook: case-insensitive, with a suggestion on a miss.

Pure (names in, names out) so that it does not depend on the Excel engine that reads the
workbook (``read.py``). A region that types 'Praktijken' or 'HUISARTSEN' has the right
sheet; 'Praktijk' is a near miss the report names ("bedoelt u 'praktijken'?").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from orchestration.warehouse.errors import Problem


def _key(name: str) -> str:
    return name.strip().casefold()


def match_sheets(
    file: str, present: Iterable[str], expected: Iterable[str]
) -> tuple[dict[str, str], list[Problem]]:
    """Map each expected sheet to the workbook's own name for it; a problem per missing one.

    Extra sheets (a region's own notes) are allowed and ignored.
    """
    present = list(present)
    by_key: dict[str, str] = {}
    for name in present:
        by_key.setdefault(_key(name), name)
    found: dict[str, str] = {}
    missing: list[str] = []
    for sheet in expected:
        if _key(sheet) in by_key:
            found[sheet] = by_key[_key(sheet)]
        else:
            missing.append(sheet)
    unused = [name for name in present if name not in found.values()]
    problems = []
    for sheet in missing:
        near = difflib.get_close_matches(_key(sheet), [_key(n) for n in unused], n=1, cutoff=0.6)
        hint = ""
        if near:
            original = next(n for n in unused if _key(n) == near[0])
            hint = f"; bedoelt u '{original}'? Noem het tabblad '{sheet}'"
        shown = ", ".join(f"'{n}'" for n in present) or "(geen)"
        problems.append(
            Problem(
                file,
                "tabblad_ontbreekt",
                f"tabblad '{sheet}' niet gevonden{hint}. Tabbladen in de werkmap: {shown}",
                sheet=sheet,
            )
        )
    return found, problems
