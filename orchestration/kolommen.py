"""The column dictionary of the marts: dbt_project/kolommen.yml, read and rendered here.

Every mart column's label, definitie, eenheid, teller, noemer, bron and kanttekening is
written once, in ``kolommen:`` under the column's name. A model whose column means something
else, or says a little more (the public marts' suppression sentence), lists only what
differs under ``modellen: <model>: <kolom>:``: a field there replaces the shared one (``null``
removes it) and ``kanttekening_extra`` is appended to the shared kanttekening. Sentences used
by many columns stand once under ``zinnen:`` with a YAML anchor (``&naam``) and are referred
to with ``*naam``. ``factor`` (a number) scales the teller of a rate: per 10.000 inwoners.

What is generated from it (``capmon catalogus`` writes all of it; unit tests fail when a
committed file is out of date):

- the column descriptions dbt shows: one ``{% docs <model>__<kolom> %}`` block per mart
  column in dbt_project/models/marts/_kolommen.md; the model YAML says
  ``description: '{{ doc("<model>__<kolom>") }}'`` and nothing else about a column's meaning
  (dbt's own mechanism, so dbt docs and Dagster show the text without a second copy in YAML);
- the metric catalogue (orchestration/catalogue.py, docs/metriekcatalogus.md);
- the Superset dataset columns' labels and descriptions and the ratio metrics
  (orchestration/superset_bundle.py): a metric with ``verhouding: <kolom>`` becomes
  ``SUM(teller) / NULLIF(SUM(noemer), 0)`` from that column's entry.

The model YAML (dbt_project/models/marts/*.yml) keeps the contract: names, data types,
constraints and data tests; dbt unit tests live in models/marts/unit_tests/.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from orchestration.paths import DBT_PROJECT_DIR

KOLOMMEN = DBT_PROJECT_DIR / "kolommen.yml"
MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
DOCS = MARTS_DIR / "_kolommen.md"
# The fields of an entry, in the catalogue's order, with the catalogue's column titles.
FIELDS = (
    ("label", "Label"),
    ("definitie", "Definitie"),
    ("eenheid", "Eenheid"),
    ("teller", "Teller"),
    ("noemer", "Noemer"),
    ("bron", "Bron"),
    ("kanttekening", "Kanttekeningen"),
)
KEYS = {key for key, _ in FIELDS} | {"factor"}
OVERRIDE_KEYS = KEYS | {"kanttekening_extra"}
REQUIRED = ("label", "definitie", "eenheid", "bron")


class DictionaryError(ValueError):
    """The dictionary and the mart YAML do not fit together."""


@cache
def _load(path: Path = KOLOMMEN) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def models(marts_dir: Path = MARTS_DIR) -> tuple[dict, ...]:
    """The mart models of the dbt YAML (contract: names, data types, tests), by name."""
    found = []
    for path in sorted(marts_dir.glob("*.yml")):
        found += (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", [])
    return tuple(sorted(found, key=lambda m: m["name"]))


def model(name: str, marts_dir: Path = MARTS_DIR) -> dict:
    matches = [m for m in models(marts_dir) if m["name"] == name]
    if not matches:
        raise DictionaryError(f"no mart model {name!r} in {marts_dir}")
    return matches[0]


def kolom(model_name: str, column: str, path: Path = KOLOMMEN) -> dict:
    """The resolved entry of one mart column: shared entry, then the model's own fields."""
    dictionary = _load(path)
    if column not in dictionary["kolommen"]:
        raise DictionaryError(f"{model_name}.{column}: not in {path.name} (kolommen:)")
    entry = dict(dictionary["kolommen"][column])
    eigen = ((dictionary.get("modellen") or {}).get(model_name) or {}).get(column) or {}
    extra = eigen.get("kanttekening_extra")
    for key, value in eigen.items():
        if key != "kanttekening_extra":
            entry[key] = value
    if extra:
        entry["kanttekening"] = " ".join(t for t in (entry.get("kanttekening"), extra) if t)
    return {key: value for key, value in entry.items() if value not in (None, "")}


def teller_tekst(entry: dict) -> str | None:
    """The teller as the catalogue writes it: with its factor (``huisartsen_fte × 10.000``)."""
    teller, factor = entry.get("teller"), entry.get("factor")
    if teller is None or factor is None:
        return teller
    return f"{teller} × {factor:,}".replace(",", ".")


def velden(entry: dict) -> dict[str, str]:
    """The catalogue fields of an entry, text only."""
    out = {key: entry[key] for key, _ in FIELDS if key in entry}
    if "teller" in out:
        out["teller"] = teller_tekst(entry)
    return {key: " ".join(str(value).split()) for key, value in out.items()}


def beschrijving(entry: dict) -> str:
    """The dbt description of a column: ``**label** — definitie``, teller/noemer, kanttekening."""
    v = velden(entry)
    tekst = f"**{v['label']}** — {v['definitie']}" if "label" in v else v.get("definitie", "")
    if "teller" in v and "noemer" in v:
        tekst += f" Teller: `{v['teller']}`; noemer: `{v['noemer']}`."
    if "kanttekening" in v:
        tekst += f" {v['kanttekening']}"
    return tekst


def doc_naam(model_name: str, column: str) -> str:
    return f"{model_name}__{column}"


def doc_ref(model_name: str, column: str) -> str:
    return '{{ doc("' + doc_naam(model_name, column) + '") }}'


def render_docs(marts_dir: Path = MARTS_DIR, path: Path = KOLOMMEN) -> str:
    """dbt doc blocks for every mart column (dbt_project/models/marts/_kolommen.md)."""
    lines = [
        "{#- Gegenereerd uit dbt_project/kolommen.yml met `capmon catalogus`; niet met de",
        "    hand bewerken. Eén doc-blok per martkolom, aangeroepen vanuit de model-YAML. -#}",
    ]
    for m in models(marts_dir):
        for column in m.get("columns", []):
            tekst = beschrijving(kolom(m["name"], column["name"], path))
            lines += [
                "",
                "{% docs " + doc_naam(m["name"], column["name"]) + " %}",
                tekst,
                "{% enddocs %}",
            ]
    return "\n".join(lines) + "\n"


def verhouding(
    model_name: str, column: str, alleen_getoond: bool = False, path: Path = KOLOMMEN
) -> str:
    """The Superset expression of a rate column: the ratio of the sums of its teller and
    noemer, never an average of rates. ``alleen_getoond``: the noemer counts only rows whose
    teller is shown (a public, suppressed mart)."""
    entry = kolom(model_name, column, path)
    teller, noemer = entry.get("teller"), entry.get("noemer")
    bekend = {c["name"] for c in model(model_name).get("columns", [])}
    if teller not in bekend or noemer not in bekend:
        raise DictionaryError(
            f"{model_name}.{column}: teller {teller!r} and noemer {noemer!r} must be columns "
            "of the model to make a metric"
        )
    factor = entry.get("factor")
    som_teller = f"SUM({teller})" + (f" * {float(factor)}" if factor else "")
    som_noemer = (
        f"SUM(CASE WHEN {teller} IS NOT NULL THEN {noemer} END)"
        if alleen_getoond
        else f"SUM({noemer})"
    )
    return f"{som_teller} / NULLIF({som_noemer}, 0)"


def problemen(marts_dir: Path = MARTS_DIR, path: Path = KOLOMMEN) -> list[str]:
    """Everything that does not fit: columns without an entry, entries without a column,
    overrides of unknown models or columns, unknown keys, descriptions that are not the
    column's doc block."""
    dictionary = _load(path)
    out = []
    gebruikt = set()
    kolommen_per_model = {}
    for m in models(marts_dir):
        kolommen_per_model[m["name"]] = {c["name"] for c in m.get("columns", [])}
        for column in m.get("columns", []):
            naam = f"{m['name']}.{column['name']}"
            gebruikt.add(column["name"])
            if column["name"] not in dictionary["kolommen"]:
                out.append(f"{naam}: geen entry in kolommen:")
                continue
            entry = kolom(m["name"], column["name"], path)
            out += [f"{naam}: {key} ontbreekt" for key in REQUIRED if key not in entry]
            if "noemer" in entry and "teller" not in entry:
                out.append(f"{naam}: een noemer zonder teller")
            if column.get("meta"):
                out.append(f"{naam}: meta hoort in kolommen.yml, niet in de model-YAML")
            if column.get("description") != doc_ref(m["name"], column["name"]):
                out.append(f"{naam}: description is niet {doc_ref(m['name'], column['name'])}")
    for column, entry in dictionary["kolommen"].items():
        if column not in gebruikt:
            out.append(f"kolommen.{column}: geen martkolom met die naam")
        out += [f"kolommen.{column}: onbekend veld {k}" for k in entry if k not in KEYS]
    for model_name, eigen in (dictionary.get("modellen") or {}).items():
        if model_name not in kolommen_per_model:
            out.append(f"modellen.{model_name}: geen martmodel met die naam")
            continue
        for column, velden_ in eigen.items():
            if column not in kolommen_per_model[model_name]:
                out.append(f"modellen.{model_name}.{column}: geen kolom van het model")
            out += [
                f"modellen.{model_name}.{column}: onbekend veld {k}"
                for k in velden_
                if k not in OVERRIDE_KEYS
            ]
    return out
