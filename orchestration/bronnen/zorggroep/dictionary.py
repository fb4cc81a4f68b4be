"""The data dictionary of the exchange standard, for people: Markdown and table rows.

Generated from ``standard.py``; ``docs/uitwisselstandaard.md`` is its committed output and
a test fails when the two drift apart (regenerate with ``capmon template --docs``).
"""

from __future__ import annotations

from orchestration.bronnen.zorggroep.standard import (
    ACCEPTED_VERSIONS,
    MAX_FILE_BYTES,
    RETIRED_VERSIONS,
    RULES,
    SHEETS,
    VERSION,
)
from orchestration.warehouse.contracts import KIND_WORDS, Column, dutch_bound

HEADER = ("tabblad", "kolom", "type", "eenheid", "verplicht", "toegestaan", "omschrijving")


def allowed_words(column: Column) -> str:
    parts = []
    if column.allowed:
        parts.append(" | ".join(column.allowed))
    if column.pattern_words:
        parts.append(column.pattern_words)
    if column.minimum is not None:
        parts.append(f"≥ {dutch_bound(column.minimum)}")
    if column.maximum is not None:
        parts.append(f"≤ {dutch_bound(column.maximum)}")
    if column.max_length is not None and not column.allowed:
        parts.append(f"hoogstens {column.max_length} tekens")
    return "; ".join(parts)


def plausibility_rows() -> list[tuple[str, str, str, str]]:
    """(tabblad, kolom, maximum, waarom) for every column with a reasoned maximum."""
    return [
        (sheet.name, column.name, dutch_bound(column.maximum), column.maximum_why)
        for sheet in SHEETS
        for column in sheet.contract.columns
        if column.maximum is not None and column.maximum_why
    ]


def column_rows() -> list[tuple[str, ...]]:
    return [
        (
            sheet.name,
            column.name,
            KIND_WORDS[column.kind],
            column.unit or "",
            "ja" if column.required else "nee",
            allowed_words(column),
            column.description,
        )
        for sheet in SHEETS
        for column in sheet.contract.columns
    ]


def rule_rows() -> list[tuple[str, str, str, str]]:
    return [(r.code, r.severity, r.sheet, r.description) for r in RULES]


def markdown() -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        f"# Uitwisselstandaard zorggroep-aanlevering, template {VERSION}",
        "",
        "<!-- Gegenereerd uit orchestration/bronnen/zorggroep/standard.py met "
        "`capmon template --docs`; niet met de hand bewerken. -->",
        "",
        "Eén Excel-werkmap (.xlsx) per zorggroep per periode. Maak een leeg template met "
        "`capmon template` en controleer een ingevulde werkmap vóór het versturen met "
        "`capmon check BESTAND`.",
        "",
        f"- Geaccepteerde templateversies: {', '.join(ACCEPTED_VERSIONS)}.",
        "- Ingetrokken versies (worden geweigerd): "
        + "; ".join(f"{v} — {why}" for v, why in RETIRED_VERSIONS.items())
        + ".",
        f"- Maximale bestandsgrootte: {MAX_FILE_BYTES // (1024 * 1024)} MB.",
        "- Rijnummers in meldingen zijn Excel-rijen (de kopregel is rij 1).",
        "- Spaties voor of na een waarde of kolomnaam en een byte-order-mark worden "
        "genegeerd; datums mogen een datumcel zijn of tekst als 2025-03-01.",
        "",
        "## Tabbladen",
        "",
    ]
    for sheet in SHEETS:
        lines += [f"- `{sheet.name}`: {sheet.description}"]
    lines += ["", "## Kolommen", ""]
    lines += ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in column_rows()]
    lines += [
        "",
        "Per tabblad is de combinatie van de sleutelkolommen uniek: "
        + "; ".join(f"`{s.name}`: {', '.join(s.contract.key)}" for s in SHEETS if s.contract.key)
        + ".",
        "",
        "## Grenzen van aannemelijkheid",
        "",
        "Een waarde boven deze grenzen is vrijwel altijd een tikfout, een totaal van meer "
        "praktijken in één rij of een verkeerde eenheid (uren in plaats van fte). Elke grens "
        "ligt ruim boven wat een echte praktijk haalt; de regel heet `maximum`, de melding "
        "noemt de reden.",
        "",
        "| tabblad | kolom | maximum | waarom |",
        "|---|---|---|---|",
        *("| " + " | ".join(cell(v) for v in row) + " |" for row in plausibility_rows()),
        "",
        "## Regels over meer cellen",
        "",
        "Een **fout** keurt het bestand af (er wordt niets geladen); een **waarschuwing** "
        "wordt gemeld, maar het bestand wordt wel geladen.",
        "",
        "| regel | soort | tabblad | omschrijving |",
        "|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rule_rows()]
    return "\n".join(lines) + "\n"
