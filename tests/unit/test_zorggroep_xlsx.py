"""The calamine workbook reader: Excel's row numbers, cell types and broken files."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from orchestration.bronnen.zorggroep.bron import rejected_workbook_identity
from orchestration.bronnen.zorggroep.read import inspect_zorggroep_workbook
from orchestration.bronnen.zorggroep.xlsx import open_workbook
from tests.unit.test_zorggroep_workbook import ROWS, write_workbook


def _cells(path, sheet="a"):
    workbook = open_workbook(path)
    try:
        return workbook[sheet].rows
    finally:
        workbook.close()


def test_rows_start_at_a1_after_leading_blank_rows_and_columns(tmp_path):
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "a"
    sheet["C3"], sheet["D3"] = "kop", "waarde"
    sheet["C6"], sheet["D6"] = "x", 1
    book.save(tmp_path / "a.xlsx")
    rows = _cells(tmp_path / "a.xlsx")
    assert rows[2] == [None, None, "kop", "waarde"]  # Excel row 3, columns C and D
    assert rows[5] == [None, None, "x", 1]
    assert rows[3] == [None] * 4 and rows[4] == [None] * 4


def test_whole_numbers_are_ints_fractions_floats_dates_dates(tmp_path):
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "a"
    sheet.append([2400, 0.8, 2.0, -3, date(2025, 3, 1), datetime(2025, 3, 1, 12, 30), "01234567"])
    sheet["A2"] = date(2024, 12, 31)
    sheet["A2"].number_format = "d-m-yyyy"  # a Dutch date format is still a date
    book.save(tmp_path / "a.xlsx")
    first, second = _cells(tmp_path / "a.xlsx")
    assert first == [2400, 0.8, 2, -3, date(2025, 3, 1), datetime(2025, 3, 1, 12, 30), "01234567"]
    assert [type(v) for v in first[:4]] == [int, float, int, int]
    assert second[0] == date(2024, 12, 31)


def test_error_cells_keep_their_text(tmp_path):
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "a & b"
    sheet.append(["kop", "getal"])
    sheet.append(["x", "=1/0"])
    book.save(tmp_path / "a.xlsx")
    # openpyxl writes no cached result; put in what Excel stores for a failed formula.
    with zipfile.ZipFile(tmp_path / "a.xlsx") as source:
        parts = {n: source.read(n) for n in source.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"]
    assert b'<c r="B2"><f>1/0</f><v /></c>' in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(
        b'<c r="B2"><f>1/0</f><v /></c>', b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    )
    with zipfile.ZipFile(tmp_path / "b.xlsx", "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert _cells(tmp_path / "b.xlsx", "a & b") == [["kop", "getal"], ["x", "#DIV/0!"]]


def _insert_rows(path, sheet, before, count=1):
    book = load_workbook(path)
    book[sheet].insert_rows(before, count)
    book.save(path)
    return path


def test_problems_name_excel_rows_after_leading_and_interior_blank_rows(tmp_path):
    rows = {**ROWS, "huisartsen": [ROWS["huisartsen"][0], [*ROWS["huisartsen"][1]]]}
    rows["huisartsen"][1][5] = -0.6  # fte below its minimum
    path = write_workbook(tmp_path / "ZG001_2025-Q4.xlsx", rows=rows)
    _insert_rows(path, "huisartsen", 1, 2)  # header now in row 3, data in rows 4 and 5
    _insert_rows(path, "huisartsen", 5)  # a blank row between them: data in rows 4 and 6
    _, problems = inspect_zorggroep_workbook(path, engine="pandas")
    assert [(p.sheet, p.row, p.column, p.rule) for p in problems] == [
        ("huisartsen", 6, "fte", "minimum")
    ]


def test_typed_rows_keep_excel_rows_and_integer_cells(tmp_path):
    path = _insert_rows(write_workbook(tmp_path / "ZG001_2025-Q4.xlsx"), "praktijken", 1)
    submission, problems = inspect_zorggroep_workbook(path, engine="pandas")
    assert problems == []
    praktijken = submission.tables["praktijken"]
    assert (praktijken.index + 2).tolist() == [3]  # header in row 2, the practice in row 3
    assert praktijken["ingeschreven_patienten"].tolist() == [2400]
    assert submission.meta["aangeleverd_op"] == date(2026, 1, 15)


def test_a_whole_number_where_a_date_belongs_is_reported_without_decimals(tmp_path):
    # Issue 13: "1890.0" leaked into reports; the sender typed 1890.
    rows = {**ROWS, "vacatures": [[*ROWS["vacatures"][0][:3], 1890, "open"]]}
    path = write_workbook(tmp_path / "ZG001_2025-Q4.xlsx", rows=rows)
    _, problems = inspect_zorggroep_workbook(path, engine="pandas")
    (problem,) = [p for p in problems if p.column == "open_sinds"]
    assert (problem.rule, problem.row, problem.value, type(problem.value)) == ("type", 2, 1890, int)
    assert "(waarde: 1890)" in problem.describe()


def test_broken_sheet_xml_is_a_rejection_not_a_crash(tmp_path):
    path = write_workbook(tmp_path / "ZG001_2025-Q4.xlsx")
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"][:200]
    broken = tmp_path / "kapot.xlsx"
    with zipfile.ZipFile(broken, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    _, problems = inspect_zorggroep_workbook(broken, engine="pandas")
    assert [p.rule for p in problems] == ["werkmap"]


def test_a_rejected_workbook_names_its_sender_whatever_the_case_of_its_meta_sheet(tmp_path):
    def workbook(sheet: str, code: str):
        book = OpenpyxlWorkbook()
        meta = book.active
        meta.title = sheet
        for row in (("veld", "waarde"), ("zorggroep_code", code), ("periode", "2025-Q1")):
            meta.append(row)
        path = tmp_path / f"{sheet}_{code}.xlsx"
        book.save(path)
        return path

    assert rejected_workbook_identity(workbook("Meta", "ZG001")) == ("ZG001", "2025-Q1")
    assert rejected_workbook_identity(workbook("meta", "ZG002")) == ("ZG002", "2025-Q1")
    # No meta sheet, or a value that is no code: nothing is recorded rather than a guess.
    assert rejected_workbook_identity(workbook("notities", "ZG003")) == (None, None)
    assert rejected_workbook_identity(workbook("meta", "iets anders")) == (None, "2025-Q1")
