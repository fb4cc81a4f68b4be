"""The metric catalogue (docs/metriekcatalogus.md), generated from the marts' dbt YAML.

The YAML is the single source of truth: every column of a mart carries its Dutch label,
definition, unit, numerator/denominator, source and caveats in ``meta``. ``capmon catalogus``
writes the catalogue; a test fails when the committed file is out of date.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from orchestration.paths import PROJECT_ROOT

MARTS_DIR = PROJECT_ROOT / "dbt_project" / "models" / "marts"
CATALOGUE = PROJECT_ROOT / "docs" / "metriekcatalogus.md"
FIELDS = (
    ("label", "Label"),
    ("definitie", "Definitie"),
    ("eenheid", "Eenheid"),
    ("teller", "Teller"),
    ("noemer", "Noemer"),
    ("bron", "Bron"),
    ("kanttekening", "Kanttekeningen"),
)

# The same fields under their English names, as some marts' YAML spells them.
ALIASES = {
    "definition": "definitie",
    "unit": "eenheid",
    "numerator": "teller",
    "denominator": "noemer",
    "source": "bron",
    "caveats": "kanttekening",
}


def _meta(column: dict) -> dict:
    meta = {ALIASES.get(key, key): value for key, value in (column.get("meta") or {}).items()}
    return meta or {"definitie": column.get("description", "")}


def _cell(value: object) -> str:
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    return text.replace("|", "\\|")


def _models(marts_dir: Path) -> list[dict]:
    models = []
    for path in sorted(marts_dir.glob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            models.append(model)
    return sorted(models, key=lambda m: m["name"])


def render(marts_dir: Path = MARTS_DIR) -> str:
    """The catalogue as Markdown: one section per mart, one row per column."""
    lines = [
        "# Metriekcatalogus",
        "",
        "Gegenereerd uit de dbt-YAML van de marts (`dbt_project/models/marts/*.yml`, de `meta` "
        "van elke kolom) met `capmon catalogus`. Niet met de hand bewerken: pas de YAML aan en "
        "genereer opnieuw. Elke verhouding noemt haar teller en noemer; regio's en het land "
        "tellen tellers en noemers op, nooit verhoudingen.",
        "",
    ]
    models = _models(marts_dir)
    lines += ["## Inhoud", ""]
    lines += [f"- [`{m['name']}`](#{m['name']})" for m in models]
    for model in models:
        lines += ["", f"## {model['name']}", "", _cell(model.get("description", "")), ""]
        lines.append("| Kolom | " + " | ".join(title for _, title in FIELDS) + " |")
        lines.append("|---" * (len(FIELDS) + 1) + "|")
        for column in model.get("columns", []):
            meta = _meta(column)
            cells = [f"`{column['name']}`"] + [_cell(meta.get(key)) for key, _ in FIELDS]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write(path: Path = CATALOGUE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path
