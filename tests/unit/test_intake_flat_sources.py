"""Nivel CSV and stagebureau JSONL at intake: GX suites and the pandas contract agree."""

from __future__ import annotations

import json

import pytest

from orchestration.bronnen.nivel.bron import check_nivel
from orchestration.bronnen.nivel.read import read_nivel_csv
from orchestration.bronnen.stagebureau.bron import check_stagebureau
from orchestration.bronnen.stagebureau.read import read_stagebureau_jsonl
from orchestration.warehouse.errors import SourceFileError
from tests.unit.test_stagebureau_jsonl import RECORD

HEADER = "peiljaar;gemeentecode;beroep;positie;geslacht;leeftijdsklasse;aantal_personen;fte"
ROW = "2025;GM0014;huisarts;praktijkhouder;vrouw;45-54;12;9,6"

NIVEL = {
    "geldig": (ROW, None),
    "negatieve fte": (ROW.replace("9,6", "-1"), "minimum"),
    "onbekend beroep": (ROW.replace("huisarts", "tandarts"), "toegestane_waarden"),
    "gemeentecode": (ROW.replace("GM0014", "14"), "formaat"),
    "dubbele rij": (ROW + "\n" + ROW, "dubbele_sleutel"),
    "lege cel": (ROW.replace("vrouw", ""), "verplicht"),
}
STAGES = {
    "geldig": ({}, None),
    "negatief": ({"wachtlijst": -2}, "minimum"),
    "onbekende opleiding": ({"opleiding": "tandarts"}, "toegestane_waarden"),
    "meer geplaatst dan gevraagd": (
        {"geplaatst": RECORD["aangevraagd"] + 1},
        "geplaatst_max_aangevraagd",
    ),
}


def _rules(call):
    try:
        call()
    except SourceFileError as error:
        return {(p.rule, p.row, p.column) for p in error.problems}
    return set()


@pytest.mark.parametrize("case", NIVEL, ids=list(NIVEL))
def test_nivel(tmp_path, case):
    body, rule = NIVEL[case]
    path = tmp_path / "nivel_2025.csv"
    path.write_text(f"\ufeff{HEADER}\n{body}\n", encoding="utf-8")
    checked = check_nivel(path)
    assert (rule in {p.rule for p in checked.errors}) if rule else checked.problems == []
    assert _rules(lambda: read_nivel_csv(path, engine="gx")) == _rules(lambda: read_nivel_csv(path))


@pytest.mark.parametrize("case", STAGES, ids=list(STAGES))
def test_stagebureau(tmp_path, case):
    change, rule = STAGES[case]
    path = tmp_path / "SB-1_2024-2025.jsonl"
    path.write_text(json.dumps({**RECORD, **change}) + "\n", encoding="utf-8")
    checked = check_stagebureau(path)
    if rule is None:
        assert checked.problems == [] and checked.organisatie == RECORD["bureau_code"]
    else:
        assert rule in {p.rule for p in checked.errors}, checked.problems
    assert _rules(lambda: read_stagebureau_jsonl(path, engine="gx")) == _rules(
        lambda: read_stagebureau_jsonl(path)
    )
