"""Who may deliver: one account per organisation, as the intake identifies it.

An organisation is (bron, code), the code being what ``Checked.organisatie`` says for its
files: the zorggroep_code of a workbook, ``Nivel``, a stagebureau's ``bureau_code``. A
deployment lists its organisations in ``<data>/portaal/organisaties.json``
(``[{"bron": ..., "code": ..., "naam": ...}]``); without that file they are the sample
world's (``capmon generate``), derived from the vendored gemeenten like the sample files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CONFIG_FILE = "organisaties.json"


@dataclass(frozen=True)
class Organisatie:
    bron: str
    code: str
    naam: str

    @property
    def username(self) -> str:
        return self.code


@cache
def _sample_world() -> tuple[Organisatie, ...]:
    from orchestration.bronnen.zorggroep.voorbeeld import zorggroepen
    from orchestration.synthetic.calibration import gemeenten

    table = gemeenten()
    found = [Organisatie("nivel", "Nivel", "Nivel")]
    found += [Organisatie("zorggroep", g.code, g.naam) for g in zorggroepen(table)]
    # The stagebureau samples name each bureau after its AZW region
    # (bronnen/stagebureau/voorbeeld.py).
    regions = table[["regio_code", "regio_naam"]].drop_duplicates().sort_values("regio_code")
    found += [
        Organisatie("stagebureau", f"SB-{code}", f"Stagebureau {naam}")
        for code, naam in regions.itertuples(index=False)
    ]
    return tuple(found)


def organisations(portaal_home: Path) -> tuple[Organisatie, ...]:
    config = portaal_home / CONFIG_FILE
    if config.is_file():
        listed = json.loads(config.read_text(encoding="utf-8"))
        return tuple(Organisatie(str(o["bron"]), str(o["code"]), str(o["naam"])) for o in listed)
    return _sample_world()


def matches(organisatie: Organisatie, bron: str, found: str | None) -> bool:
    """Whether a checked file (its source and ``Checked.organisatie``) is this organisation's.

    Exact, case included: the intake supersedes by exactly this code (ledger.current_for).
    """
    return bron == organisatie.bron and found is not None and found == organisatie.code
