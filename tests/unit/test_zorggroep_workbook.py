"""Reading zorggroep workbooks in the national exchange template v1.0."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from orchestration.bronnen.zorggroep.contract import SHEETS
from orchestration.bronnen.zorggroep.read import read_zorggroep_workbook
from orchestration.warehouse.errors import SourceFileError

META = {
    "zorggroep_code": "ZG001",
    "zorggroep_naam": "Zorggroep Test",
    "periode": "2025-Q4",
    "template_versie": "1.0",
    "aangeleverd_op": date(2026, 1, 15),
}
ROWS = {
    "praktijken": [
        ["01234567", "Huisartsen De Linde", "9711 AB", "GM0014", 2400, 500, 200, "geen", "duo"]
    ],
    "huisartsen": [
        ["Pabc1234", "01234567", "praktijkhouder", "vrouw", 1966, 0.8, 2030, "gezocht"],
        ["Pdef5678", "01234567", "hidha", "man", 1990, 0.6, None, "nvt"],
    ],
    "personeel": [["01234567", "doktersassistent", 3, 2.1]],
    "vacatures": [["01234567", "huisarts", 0.5, date(2025, 3, 1), "open"]],
}


def write_workbook(path, meta=META, rows=ROWS, drop_sheet=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "meta"
    sheet.append(["veld", "waarde"])
    for field, value in meta.items():
        sheet.append([field, value])
    for name, contract in SHEETS.items():
        if name == drop_sheet:
            continue
        sheet = workbook.create_sheet(name)
        sheet.append(contract.column_names)
        for row in rows[name]:
            sheet.append(row)
    workbook.save(path)
    return path


def test_valid_workbook_is_read_typed(tmp_path):
    submission = read_zorggroep_workbook(write_workbook(tmp_path / "ZG001_2025-Q4.xlsx"))
    assert submission.meta["periode"] == "2025-Q4"
    assert submission.meta["aangeleverd_op"] == date(2026, 1, 15)
    huisartsen = submission.tables["huisartsen"]
    assert huisartsen["fte"].tolist() == [0.8, 0.6]
    assert huisartsen["verwacht_stopjaar"].isna().tolist() == [False, True]
    assert submission.tables["vacatures"]["open_sinds"].iloc[0] == date(2025, 3, 1)


def test_unknown_template_version_names_accepted_versions(tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", meta={**META, "template_versie": "0.9"})
    with pytest.raises(SourceFileError) as caught:
        read_zorggroep_workbook(path)
    problem = caught.value.problems[0]
    assert (problem.rule, problem.sheet, problem.column) == (
        "template_versie",
        "meta",
        "template_versie",
    )
    assert "1.0" in problem.message


def test_missing_sheet_is_named(tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", drop_sheet="personeel")
    with pytest.raises(SourceFileError) as caught:
        read_zorggroep_workbook(path)
    assert [(p.rule, p.sheet) for p in caught.value.problems] == [
        ("tabblad_ontbreekt", "personeel")
    ]


def test_gp_of_unknown_practice_and_impossible_counts_are_reported(tmp_path):
    rows = {
        **ROWS,
        "praktijken": [
            ["01234567", "De Linde", "9711 AB", "GM0014", 2400, 2500, 200, "geen", "duo"]
        ],
        "huisartsen": [
            *ROWS["huisartsen"],
            ["Pxyz", "99999999", "hidha", "man", 1980, 0.5, None, "nvt"],
        ],
    }
    with pytest.raises(SourceFileError) as caught:
        read_zorggroep_workbook(write_workbook(tmp_path / "x.xlsx", rows=rows))
    found = {(p.rule, p.sheet, p.row, p.column) for p in caught.value.problems}
    assert found == {
        ("praktijk_bestaat", "huisartsen", 4, "praktijk_agb"),
        ("patienten_65plus_max", "praktijken", 2, "patienten_65plus"),
    }


def test_csv_renamed_to_xlsx_is_rejected_not_crashing(tmp_path):
    path = tmp_path / "stiekem.xlsx"
    path.write_text("praktijk_agb;praktijknaam\n01234567;De Linde\n")
    with pytest.raises(SourceFileError) as caught:
        read_zorggroep_workbook(path)
    assert caught.value.problems[0].rule == "geen_excel"


def _with_blank_row(path, sheet: str, before_row: int):
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook[sheet].insert_rows(before_row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("engine", ["pandas", "gx"])
def test_a_problem_after_a_blank_row_names_the_row_excel_shows(tmp_path, engine):
    from orchestration.bronnen.zorggroep.read import inspect_zorggroep_workbook

    rows = {**ROWS, "huisartsen": [ROWS["huisartsen"][0], [*ROWS["huisartsen"][1]]]}
    rows["huisartsen"][1][5] = -0.6  # fte below its minimum: a cell rule
    path = _with_blank_row(
        write_workbook(tmp_path / "ZG001_2025-Q4.xlsx", rows=rows), "huisartsen", 3
    )
    _, problems = inspect_zorggroep_workbook(path, engine=engine)
    assert {(p.sheet, p.row, p.column) for p in problems if p.severity == "fout"} == {
        ("huisartsen", 4, "fte")
    }


def test_cross_sheet_problems_and_lineage_keep_excel_rows_after_a_blank_row(tmp_path):
    from orchestration.bronnen.zorggroep.read import inspect_zorggroep_workbook

    rows = {**ROWS, "huisartsen": [ROWS["huisartsen"][0], [*ROWS["huisartsen"][1]]]}
    rows["huisartsen"][1][1] = "07654321"  # a practice that is not on 'praktijken'
    path = _with_blank_row(
        write_workbook(tmp_path / "ZG001_2025-Q4.xlsx", rows=rows), "huisartsen", 2
    )
    _, problems = inspect_zorggroep_workbook(path, engine="pandas")
    assert [(p.rule, p.row) for p in problems] == [("praktijk_bestaat", 4)]

    (tmp_path / "geldig").mkdir()
    valid = write_workbook(tmp_path / "geldig" / "ZG001_2025-Q4.xlsx")
    valid = _with_blank_row(valid, "huisartsen", 3)
    submission = read_zorggroep_workbook(valid)
    assert (submission.tables["huisartsen"].index + 2).tolist() == [2, 4]
