"""The metric catalogue (docs/metriekcatalogus.md), generated from the column dictionary.

The column dictionary (dbt_project/kolommen.yml, read by orchestration/kolommen.py) is the
single source of truth: every mart column's Dutch label, definition, unit, numerator,
denominator, source and caveats; the marts' dbt YAML gives the models and the order of their
columns. ``capmon catalogus`` writes the catalogue and the dbt doc blocks the model YAML
refers to; tests fail when a committed file is out of date.

The catalogue also describes how the spanningsindex behaves on real marts: how strongly its
components correlate and how stable the top-50 ranking is when a weight moves. Those figures
need a built warehouse, so ``capmon catalogus`` computes them from the serving DB when there
is one and keeps them in ``docs/spanningsindex_analyse.json`` (committed, like the
catalogue); rendering only reads that file, so the catalogue stays reproducible without a
warehouse.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from orchestration import kolommen
from orchestration.kolommen import FIELDS
from orchestration.paths import DBT_PROJECT_DIR, PROJECT_ROOT

MARTS_DIR = kolommen.MARTS_DIR
CATALOGUE = PROJECT_ROOT / "docs" / "metriekcatalogus.md"
ANALYSE = PROJECT_ROOT / "docs" / "spanningsindex_analyse.json"
# The index's components in the order of the macro spanningsindex_componenten(); the
# projection is shown beside the index, and correlated with it here.
COMPONENTEN = ("balans", "continuiteit", "vacatures")
NAAST_DE_INDEX = ("prognose",)
TOP = 50
STAP = 0.1


def _cell(value: object) -> str:
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    return text.replace("|", "\\|")


def spanningsindex_gewichten(project_dir: Path = DBT_PROJECT_DIR) -> dict[str, float]:
    """The weights of var capmon_spanningsindex.gewichten in dbt_project.yml."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in project["vars"]["capmon_spanningsindex"]["gewichten"].items()}


def index(scores: Mapping[str, float | None], gewichten: Mapping[str, float]) -> float | None:
    """The spanningsindex as the mart computes it (macro spanningsindex_totaal): the weighted
    mean of the known components, empty without a balance score."""
    if scores.get("balans") is None:
        return None
    bekend = [c for c in gewichten if scores.get(c) is not None]
    totaal = sum(gewichten[c] for c in bekend)
    if totaal <= 0:
        return None
    return sum(gewichten[c] * scores[c] for c in bekend) / totaal


def _rangorde(rijen: Sequence[Mapping], gewichten: Mapping[str, float]) -> list[str]:
    """Gemeentecodes from highest to lowest index; ties as the mart breaks them (balance score,
    then code)."""
    met_index = [(index(r, gewichten), r) for r in rijen]
    met_index = [(i, r) for i, r in met_index if i is not None]
    met_index.sort(key=lambda ir: (-ir[0], -(ir[1].get("balans") or 0), ir[1]["gemeentecode"]))
    return [r["gemeentecode"] for _, r in met_index]


def _pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    if n < 3:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _spearman(eerste: Sequence[str], tweede: Sequence[str]) -> float | None:
    """Rank correlation of two orderings of the same codes (no ties: ranks are positions)."""
    positie = {code: i for i, code in enumerate(tweede)}
    paren = [(i, positie[code]) for i, code in enumerate(eerste) if code in positie]
    return _pearson([a for a, _ in paren], [b for _, b in paren])


def correlaties(rijen: Sequence[Mapping], componenten: Sequence[str]) -> dict[str, float | None]:
    """Pearson correlation of every pair of components over the rows where both are known."""
    uitkomst: dict[str, float | None] = {}
    for i, a in enumerate(componenten):
        for b in componenten[i + 1 :]:
            paren = [(r[a], r[b]) for r in rijen if r.get(a) is not None and r.get(b) is not None]
            r_ab = _pearson([p for p, _ in paren], [q for _, q in paren])
            uitkomst[f"{a}~{b}"] = None if r_ab is None else round(r_ab, 3)
    return uitkomst


def gevoeligheid(
    rijen: Sequence[Mapping], gewichten: Mapping[str, float], top: int = TOP, stap: float = STAP
) -> list[dict]:
    """How the top-``top`` ranking moves when one weight moves by ±``stap`` (the others kept;
    the index divides by the sum of the weights, so this also shifts their shares). Per
    variant: the share of the top that stays in the top, the largest rank shift of a
    gemeente of the original top, and the rank correlation of the whole ranking."""
    basis = _rangorde(rijen, gewichten)
    basis_top = basis[:top]
    varianten = []
    for component in gewichten:
        for teken in (-1, 1):
            nieuw = dict(gewichten)
            nieuw[component] = max(0.0, round(gewichten[component] + teken * stap, 10))
            rangorde = _rangorde(rijen, nieuw)
            positie = {code: i for i, code in enumerate(rangorde)}
            behouden = len(set(basis_top) & set(rangorde[:top]))
            varianten.append(
                {
                    "component": component,
                    "verschuiving": round(teken * stap, 10),
                    "gewicht": nieuw[component],
                    "top_behouden": round(behouden / len(basis_top), 3) if basis_top else None,
                    "grootste_rangverschuiving_top": max(
                        (abs(positie[code] - i) for i, code in enumerate(basis_top)), default=0
                    ),
                    "spearman": None
                    if (rho := _spearman(basis, rangorde)) is None
                    else round(rho, 4),
                }
            )
    return varianten


def analyseer(conn, gewichten: Mapping[str, float] | None = None) -> dict:
    """Correlation between the components per peiljaar and the weight sensitivity of the
    latest peiljaar, from marts.fct_capaciteit_gemeente (every gemeente with an index)."""
    gewichten = dict(gewichten or spanningsindex_gewichten())
    kolommen = [*COMPONENTEN, *NAAST_DE_INDEX]
    records = conn.execute(
        "select gemeentecode, peiljaar, "
        + ", ".join(f"score_{c}" for c in kolommen)
        + " from marts.fct_capaciteit_gemeente where spanningsindex is not null"
        " order by peiljaar, gemeentecode"
    ).fetchall()
    per_jaar: dict[int, list[dict]] = {}
    for code, peiljaar, *scores in records:
        per_jaar.setdefault(int(peiljaar), []).append(
            {"gemeentecode": code, **dict(zip(kolommen, scores, strict=True))}
        )
    laatste = max(per_jaar) if per_jaar else None
    return {
        "gewichten": gewichten,
        "top": TOP,
        "stap": STAP,
        "peiljaar_gevoeligheid": laatste,
        "correlaties": {
            str(jaar): {"gemeenten": len(rijen), **correlaties(rijen, kolommen)}
            for jaar, rijen in sorted(per_jaar.items())
        },
        "gevoeligheid": gevoeligheid(per_jaar[laatste], gewichten) if laatste else [],
    }


def schrijf_analyse(serving_db: Path, path: Path = ANALYSE) -> Path:
    import duckdb

    with duckdb.connect(str(serving_db), read_only=True) as conn:
        analyse = analyseer(conn)
    path.write_text(json.dumps(analyse, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _getal(waarde: float | None, decimalen: int = 2) -> str:
    return "–" if waarde is None else f"{waarde:.{decimalen}f}".replace(".", ",")


def _analyse_sectie(analyse: dict) -> list[str]:
    gewichten = analyse["gewichten"]
    paren = next(iter(analyse["correlaties"].values()), {})
    paren = [k for k in paren if "~" in k]
    lines = [
        "",
        "## Spanningsindex: samenhang en gevoeligheid",
        "",
        "Berekend uit `marts.fct_capaciteit_gemeente` van de laatst gebouwde warehouse door "
        "`capmon catalogus` (bewaard in `docs/spanningsindex_analyse.json`); over de gemeenten "
        "met een spanningsindex; in deze repository zijn dat de synthetische voorbeeldbronnen, "
        "dus draai `capmon catalogus` opnieuw na een run op echte aanleveringen. De index "
        "weegt elk peiljaar dezelfde componenten: "
        + ", ".join(f"{c} {_getal(w)}" for c, w in gewichten.items())
        + " (var `capmon_spanningsindex.gewichten`). De prognose (`score_prognose`, het "
        "geprognosticeerde tekort ten opzichte van het landelijke pad) staat naast de index, "
        "alleen in het basisjaar van de prognose, en telt niet mee.",
        "",
        "### Correlatie tussen de componenten (Pearson)",
        "",
        "Een hoge correlatie betekent dat twee componenten grotendeels hetzelfde meten "
        "(dubbeltelling in de index).",
        "",
        "| Peiljaar | Gemeenten | " + " | ".join(p.replace("~", " × ") for p in paren) + " |",
        "|---" * (len(paren) + 2) + "|",
    ]
    for jaar, waarden in analyse["correlaties"].items():
        lines.append(
            f"| {jaar} | {waarden['gemeenten']} | "
            + " | ".join(_getal(waarden.get(p)) for p in paren)
            + " |"
        )
    lines += [
        "",
        f"### Gevoeligheid voor de gewichten (peiljaar {analyse['peiljaar_gevoeligheid']})",
        "",
        f"Elk gewicht om beurten {_getal(analyse['stap'], 1)} omlaag en omhoog, de andere "
        "gelijk (de index deelt door de som van de gewichten). *Top behouden*: deel van de "
        f"top-{analyse['top']} dat in de top-{analyse['top']} blijft; *grootste "
        "verschuiving*: de grootste rangverandering van een gemeente uit die top; *Spearman*: "
        "rangcorrelatie van de hele rangorde met de oorspronkelijke.",
        "",
        "| Component | Verschuiving | Gewicht | Top behouden | Grootste verschuiving | Spearman |",
        "|---|---|---|---|---|---|",
    ]
    for v in analyse["gevoeligheid"]:
        lines.append(
            f"| {v['component']} | {'+' if v['verschuiving'] > 0 else '−'}"
            f"{_getal(abs(v['verschuiving']), 1)} | {_getal(v['gewicht'])} | "
            f"{_getal(None if v['top_behouden'] is None else 100 * v['top_behouden'], 0)} % | "
            f"{v['grootste_rangverschuiving_top']} | {_getal(v['spearman'], 3)} |"
        )
    return lines


def render(marts_dir: Path = MARTS_DIR, analyse_path: Path = ANALYSE) -> str:
    """The catalogue as Markdown: one section per mart, one row per column."""
    lines = [
        "# Metriekcatalogus",
        "",
        "Gegenereerd uit het kolomwoordenboek (`dbt_project/kolommen.yml`; de kolommen per mart "
        "uit `dbt_project/models/marts/*.yml`) met `capmon catalogus`. Niet met de hand "
        "bewerken: pas het woordenboek aan en genereer opnieuw. Elke verhouding noemt haar "
        "teller en noemer; regio's en het land tellen tellers en noemers op, nooit "
        "verhoudingen.",
        "",
    ]
    models = kolommen.models(marts_dir)
    lines += ["## Inhoud", ""]
    lines += [f"- [`{m['name']}`](#{m['name']})" for m in models]
    for model in models:
        lines += ["", f"## {model['name']}", "", _cell(model.get("description", "")), ""]
        lines.append("| Kolom | " + " | ".join(title for _, title in FIELDS) + " |")
        lines.append("|---" * (len(FIELDS) + 1) + "|")
        for column in model.get("columns", []):
            velden = kolommen.velden(kolommen.kolom(model["name"], column["name"]))
            cells = [f"`{column['name']}`"] + [_cell(velden.get(key)) for key, _ in FIELDS]
            lines.append("| " + " | ".join(cells) + " |")
    if analyse_path.exists():
        lines += _analyse_sectie(json.loads(analyse_path.read_text(encoding="utf-8")))
    return "\n".join(lines) + "\n"


def write(path: Path = CATALOGUE, serving_db: Path | None = None) -> Path:
    """Write the catalogue and the dbt doc blocks of the mart columns (both from the column
    dictionary); with a serving DB, recompute the spanningsindex analysis first."""
    problemen = kolommen.problemen()
    if problemen:
        raise kolommen.DictionaryError(
            "kolommen.yml en de mart-YAML passen niet:\n" + "\n".join(problemen)
        )
    if serving_db is not None and serving_db.exists():
        schrijf_analyse(serving_db)
    kolommen.DOCS.write_text(kolommen.render_docs(), encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path
