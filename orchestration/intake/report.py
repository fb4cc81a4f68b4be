"""The report a sender gets for a file: JSON for machines, HTML for people, both in Dutch."""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from pathlib import Path

from orchestration.warehouse.errors import Problem

SEVERITY_WORDS = {"fout": "Fout", "waarschuwing": "Waarschuwing"}


def summary(name: str, problems: list[Problem]) -> str:
    errors = sum(p.severity == "fout" for p in problems)
    warnings = len(problems) - errors
    if errors:
        return (
            f"{name} is AFGEKEURD: {errors} fout(en) en {warnings} waarschuwing(en). "
            "Er is niets geladen; herstel de fouten en lever het bestand opnieuw aan."
        )
    if warnings:
        return f"{name} is goedgekeurd met {warnings} waarschuwing(en); controleer ze."
    return f"{name} is goedgekeurd: geen fouten of waarschuwingen."


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def write_json(path: Path, name: str, problems: list[Problem], extra: dict) -> Path:
    payload = {
        "bestand": name,
        "samenvatting": summary(name, problems),
        "aantal_fouten": sum(p.severity == "fout" for p in problems),
        "aantal_waarschuwingen": sum(p.severity != "fout" for p in problems),
        **extra,
        "problemen": [
            {k: _jsonable(v) for k, v in asdict(p).items()} | {"uitleg": p.describe()}
            for p in problems
        ],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_html(path: Path, name: str, problems: list[Problem]) -> Path:
    rows = "\n".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape('' if v is None else str(v))}</td>"
            for v in (
                SEVERITY_WORDS.get(p.severity, p.severity),
                p.sheet,
                p.row,
                p.column,
                p.value,
                p.message,
                p.rule,
            )
        )
        + "</tr>"
        for p in problems
    )
    page = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Controle {html.escape(name)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}
th{{background:#eee}}</style></head><body>
<h1>Controle van {html.escape(name)}</h1>
<p><strong>{html.escape(summary(name, problems))}</strong></p>
<p>Rijnummers zijn zoals u ze in Excel ziet (de kopregel is rij 1). De regels staan in het
tabblad 'toelichting' van het template en in de uitwisselstandaard.</p>
<table><tr><th>soort</th><th>tabblad</th><th>rij</th><th>kolom</th><th>waarde</th>
<th>wat is er mis</th><th>regel</th></tr>
{rows}
</table></body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
