"""Read an internship-bureau export (one JSON object per line)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd

from orchestration.bronnen.stagebureau.contract import STAGEBUREAU_STAGES
from orchestration.warehouse.contracts import Location
from orchestration.warehouse.errors import Problem, SourceFileError
from orchestration.warehouse.gx_sheets import conform_with


def _invariant_problems(name: str, rows: pd.DataFrame) -> list[Problem]:
    rules = [
        (
            "geplaatst_max_aangevraagd",
            rows["geplaatst"] > rows["aangevraagd"],
            "er zijn meer studenten geplaatst dan er een plek zochten",
        ),
        (
            "geplaatst_max_aangeboden",
            rows["geplaatst"] > rows["aangeboden"],
            "er zijn meer studenten geplaatst dan er plekken werden aangeboden",
        ),
        (
            "schooljaar_opeenvolgend",
            rows["schooljaar"].str[5:].astype(int) != rows["schooljaar"].str[:4].astype(int) + 1,
            "een schooljaar bestaat uit twee opeenvolgende jaren",
        ),
    ]
    problems = []
    for rule, broken, message in rules:
        for index in broken[broken.fillna(False)].index:
            problems.append(Problem(name, rule, message, row=int(index)))
    return problems


def read_stagebureau_jsonl(path: Path, engine: str = "pandas") -> pd.DataFrame:
    """Return the typed records of one export, or raise ``SourceFileError``."""
    name = path.name
    problems: list[Problem] = []
    records: list[dict] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise SourceFileError(
            name, [Problem(name, "codering", "het bestand is geen UTF-8")]
        ) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(name, "json", f"deze regel is geen geldige JSON: {error.msg}", row=number)
            )
            continue
        if not isinstance(record, dict):
            problems.append(
                Problem(name, "json", "elke regel moet één JSON-object zijn", row=number)
            )
            continue
        records.append({"_regel": number, **record})
    if not records and not problems:
        problems.append(Problem(name, "leeg_bestand", "het bestand bevat geen records"))
    if problems:
        raise SourceFileError(name, problems)
    raw = pd.DataFrame.from_records(records)
    line_numbers = raw.pop("_regel")
    # Problems come back by position in ``raw``; the sender needs the line in the file.
    rows, problems = conform_with(engine, raw, STAGEBUREAU_STAGES, Location(name, first_row=0))
    if not problems:
        problems = _invariant_problems(name, rows)
    if problems:
        raise SourceFileError(
            name,
            [
                p if p.row is None else replace(p, row=int(line_numbers.iloc[p.row]))
                for p in problems
            ],
        )
    rows.insert(0, "_regel", line_numbers.to_numpy())
    return rows
