"""What an organisation gets under "template": the real template where the source has one.

Zorggroepen fill in the national Excel template (orchestration/bronnen/zorggroep/
template.py). Nivel and the stagebureaus deliver exports from their own systems; for them
the page lists the columns of their contract and, for Nivel's CSV, offers the header line.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from orchestration.warehouse.contracts import TableContract

KIND_WORDS = {"text": "tekst", "integer": "geheel getal", "decimal": "getal", "date": "datum"}


def contract_of(bron: str) -> TableContract | None:
    if bron == "nivel":
        from orchestration.bronnen.nivel.contract import NIVEL_REGISTRATIE

        return NIVEL_REGISTRATIE
    if bron == "stagebureau":
        from orchestration.bronnen.stagebureau.contract import STAGEBUREAU_STAGES

        return STAGEBUREAU_STAGES
    return None


def template_bytes(bron: str) -> tuple[bytes, str, str] | None:
    """(content, download name, mimetype) of the source's template, if it has one."""
    if bron == "zorggroep":
        from orchestration.bronnen.zorggroep.standard import VERSION
        from orchestration.bronnen.zorggroep.template import write_template

        with tempfile.TemporaryDirectory() as folder:
            path = write_template(Path(folder) / "template.xlsx")
            return (
                path.read_bytes(),
                f"aanlevering_template_v{VERSION}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
    if bron == "nivel":
        contract = contract_of(bron)
        header = ";".join(contract.column_names) + "\n"
        return header.encode("utf-8"), "nivel_kopregel.csv", "text/csv"
    return None


def columns(bron: str) -> list[dict]:
    contract = contract_of(bron)
    if contract is None:
        return []
    return [
        {
            "naam": c.name,
            "soort": KIND_WORDS.get(c.kind, c.kind),
            "verplicht": "ja" if c.required else "nee",
            "waarden": ", ".join(c.allowed) if c.allowed else "",
            "uitleg": c.description,
        }
        for c in contract.columns
    ]
