"""Reading internship-bureau exports (JSON lines)."""

from __future__ import annotations

import json

import pytest

from orchestration.bronnen.stagebureau.read import read_stagebureau_jsonl
from orchestration.warehouse.errors import SourceFileError

RECORD = {
    "bureau_code": "SB01",
    "bureau_naam": "Stagebureau Noord",
    "schooljaar": "2024-2025",
    "periode": 1,
    "opleiding": "doktersassistent",
    "onderwijsinstelling": "ROC Noorderpoort",
    "gemeentecode": "GM0014",
    "aangevraagd": 12,
    "aangeboden": 10,
    "geplaatst": 9,
    "wachtlijst": 3,
}


def write(tmp_path, lines):
    path = tmp_path / "SB01_2024-2025.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_records_keep_their_line_numbers(tmp_path):
    second = {**RECORD, "periode": 2}
    rows = read_stagebureau_jsonl(write(tmp_path, [json.dumps(RECORD), "", json.dumps(second)]))
    assert rows["_regel"].tolist() == [1, 3]
    assert rows["geplaatst"].tolist() == [9, 9]


def test_placements_above_requests_or_offers_are_rejected_with_line(tmp_path):
    bad = {**RECORD, "periode": 2, "aangevraagd": 5, "aangeboden": 4, "geplaatst": 6}
    with pytest.raises(SourceFileError) as caught:
        read_stagebureau_jsonl(write(tmp_path, [json.dumps(RECORD), "", json.dumps(bad)]))
    assert {(p.rule, p.row) for p in caught.value.problems} == {
        ("geplaatst_max_aangevraagd", 3),
        ("geplaatst_max_aangeboden", 3),
    }


def test_broken_json_and_negative_counts_are_reported(tmp_path):
    negative = {**RECORD, "wachtlijst": -1}
    with pytest.raises(SourceFileError) as caught:
        read_stagebureau_jsonl(write(tmp_path, ['{"bureau_code": "SB01",', json.dumps(negative)]))
    assert [(p.rule, p.row) for p in caught.value.problems] == [("json", 1)]

    with pytest.raises(SourceFileError) as caught:
        read_stagebureau_jsonl(write(tmp_path, [json.dumps(negative)]))
    assert [(p.rule, p.row, p.column) for p in caught.value.problems] == [
        ("minimum", 1, "wachtlijst")
    ]
