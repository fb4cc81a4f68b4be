"""A corpus of broken zorggroep workbooks, each with the exact rule it must trip.

Every file is made in the test from one valid workbook; the same check the intake and
`capmon check` use must reject it (or warn) naming that rule, and never crash.
"""

from __future__ import annotations

import copy
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orchestration.bronnen.zorggroep.bron import check_zorggroep
from tests.unit.test_zorggroep_workbook import META, ROWS, write_workbook


def _rows(**changes):
    rows = copy.deepcopy(ROWS)
    for sheet, edit in changes.items():
        edit(rows[sheet])
    return rows


def _set(sheet_rows, row, col, value):
    sheet_rows[row][col] = value


def _edit_cell(path: Path, sheet: str, cell: str, value) -> None:
    workbook = load_workbook(path)
    workbook[sheet][cell] = value
    workbook.save(path)


def build(tmp: Path, name="ZG001_2025-Q4.xlsx", meta=None, rows=None, **kw) -> Path:
    return write_workbook(tmp / name, meta=meta or META, rows=rows or ROWS, **kw)


def meta_with(**changes):
    return {**META, **changes}


def case_empty(tmp):
    (tmp / "leeg.xlsx").write_bytes(b"")
    return tmp / "leeg.xlsx"


def case_wrong_extension(tmp):
    path = build(tmp)
    return path.rename(tmp / "aanlevering.ods")


def case_csv_renamed(tmp):
    path = tmp / "csv.xlsx"
    path.write_text("praktijk_agb;praktijknaam\n01234567;De Linde\n", encoding="utf-8")
    return path


def case_password_protected(tmp):
    path = tmp / "beveiligd.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    return path


def case_corrupt_zip(tmp):
    data = build(tmp).read_bytes()
    path = tmp / "kapot.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def case_zip_not_workbook(tmp):
    path = tmp / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hallo.txt", "geen werkmap")
    return path


def case_huge(tmp):
    path = tmp / "groot.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.seek(51 * 1024 * 1024)
        handle.write(b"\0")
    return path


def case_missing_sheet(tmp):
    return build(tmp, drop_sheet="personeel")


def case_extra_column(tmp):
    path = build(tmp)
    _edit_cell(path, "praktijken", "J1", "opmerking")
    return path


def case_merged_header(tmp):
    path = build(tmp)
    workbook = load_workbook(path)
    workbook["personeel"].merge_cells("B1:C1")
    workbook.save(path)
    return path


def case_missing_column(tmp):
    path = build(tmp)
    _edit_cell(path, "huisartsen", "H1", "opvolger")
    return path


def case_date_as_text(tmp):
    path = build(tmp)
    _edit_cell(path, "vacatures", "D2", "1 maart 2025")
    return path


def case_decimal_comma(tmp):
    path = build(tmp)
    _edit_cell(path, "huisartsen", "F2", "0,8")
    return path


def case_bad_agb(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: _set(r, 0, 0, "1234567")))


def case_duplicate_agb(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: r.append(list(r[0]))))


def case_orphan_gp(tmp):
    return build(tmp, rows=_rows(huisartsen=lambda r: _set(r, 1, 1, "07654321")))


def case_orphan_staff(tmp):
    return build(tmp, rows=_rows(personeel=lambda r: _set(r, 0, 0, "07654321")))


def case_no_practices(tmp):
    return build(tmp, rows={**ROWS, "praktijken": [], "huisartsen": [], "personeel": []})


def case_unknown_gemeente(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: _set(r, 0, 3, "GM9999")))


def case_bad_gemeente_format(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: _set(r, 0, 3, "0014")))


def case_negative_count(tmp):
    return build(tmp, rows=_rows(personeel=lambda r: _set(r, 0, 2, -1)))


def case_65plus_above_registered(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: _set(r, 0, 5, 3000)))


def case_75plus_above_65plus(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: _set(r, 0, 6, 600)))


def case_fte_above_max(tmp):
    return build(tmp, rows=_rows(huisartsen=lambda r: _set(r, 0, 5, 1.8)))


def case_fte_per_person_total(tmp):
    def two_practices(rows):
        rows.append(["Pabc1234", "01234568", "hidha", "vrouw", 1966, 0.9, None, "nvt"])

    def second_practice(rows):
        rows.append(["01234568", "Tweede", "9711 AC", "GM0014", 100, 10, 5, "geen", "solo"])

    return build(tmp, rows=_rows(huisartsen=two_practices, praktijken=second_practice))


def case_birth_year_implausible(tmp):
    return build(tmp, rows=_rows(huisartsen=lambda r: _set(r, 1, 4, 2004)))


def case_birth_year_out_of_range(tmp):
    return build(tmp, rows=_rows(huisartsen=lambda r: _set(r, 1, 4, 1920)))


def case_stop_year_past(tmp):
    return build(tmp, rows=_rows(huisartsen=lambda r: _set(r, 0, 6, 2023)))


def case_vacancy_in_future(tmp):
    return build(tmp, rows=_rows(vacatures=lambda r: _set(r, 0, 3, date(2026, 2, 1))))


def case_unknown_code_value(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: _set(r, 0, 7, "ja")))


def case_required_blank(tmp):
    return build(tmp, rows=_rows(huisartsen=lambda r: _set(r, 0, 3, None)))


def case_retired_version(tmp):
    return build(tmp, meta=meta_with(template_versie="0.9"))


def case_unknown_version(tmp):
    return build(tmp, meta=meta_with(template_versie="2.0"))


def case_bad_period(tmp):
    return build(tmp, meta=meta_with(periode="2025-Q5"))


def case_period_not_in_name(tmp):
    return build(tmp, name="ZG001_2025-Q3.xlsx")


def case_delivered_in_future(tmp):
    return build(tmp, meta=meta_with(aangeleverd_op=date(2099, 1, 1)))


def case_meta_columns(tmp):
    path = build(tmp)
    _edit_cell(path, "meta", "A1", "naam")
    return path


def case_staff_fte_per_person(tmp):
    return build(tmp, rows=_rows(personeel=lambda r: _set(r, 0, 3, 9.0)))


CORPUS = {
    "leeg bestand": (case_empty, "leeg_bestand"),
    "verkeerde extensie": (case_wrong_extension, "extensie"),
    "CSV met .xlsx": (case_csv_renamed, "geen_excel"),
    "met wachtwoord": (case_password_protected, "beveiligd_of_xls"),
    "afgebroken zip": (case_corrupt_zip, "werkmap"),
    "zip zonder werkmap": (case_zip_not_workbook, "werkmap"),
    "te groot": (case_huge, "te_groot"),
    "tabblad ontbreekt": (case_missing_sheet, "tabblad_ontbreekt"),
    "extra kolom": (case_extra_column, "onbekende_kolom"),
    "samengevoegde kopcellen": (case_merged_header, "kopregel_leeg"),
    "kolom hernoemd": (case_missing_column, "kolom_ontbreekt"),
    "datum als vrije tekst": (case_date_as_text, "type"),
    "decimale komma als tekst": (case_decimal_comma, "type"),
    "AGB 7 cijfers": (case_bad_agb, "formaat"),
    "AGB dubbel": (case_duplicate_agb, "dubbele_sleutel"),
    "huisarts zonder praktijk": (case_orphan_gp, "praktijk_bestaat"),
    "personeel zonder praktijk": (case_orphan_staff, "praktijk_bestaat"),
    "geen praktijken": (case_no_practices, "leeg_tabblad"),
    "onbekende gemeente": (case_unknown_gemeente, "gemeente_bekend"),
    "gemeentecode zonder GM": (case_bad_gemeente_format, "formaat"),
    "negatief aantal": (case_negative_count, "minimum"),
    "65+ meer dan ingeschreven": (case_65plus_above_registered, "patienten_65plus_max"),
    "75+ meer dan 65+": (case_75plus_above_65plus, "patienten_75plus_max"),
    "fte boven 1,5": (case_fte_above_max, "maximum"),
    "fte per persoon samen boven 1,5": (case_fte_per_person_total, "fte_per_persoon"),
    "huisarts van 21": (case_birth_year_implausible, "geboortejaar_leeftijd"),
    "geboortejaar 1920": (case_birth_year_out_of_range, "minimum"),
    "stopjaar verleden": (case_stop_year_past, "stopjaar_verleden"),
    "vacature in de toekomst": (case_vacancy_in_future, "open_sinds_toekomst"),
    "onbekende codewaarde": (case_unknown_code_value, "toegestane_waarden"),
    "verplichte cel leeg": (case_required_blank, "verplicht"),
    "ingetrokken versie": (case_retired_version, "template_versie"),
    "onbekende versie": (case_unknown_version, "template_versie"),
    "periode fout formaat": (case_bad_period, "formaat"),
    "periode anders dan bestandsnaam": (case_period_not_in_name, "periode_bestandsnaam"),
    "aangeleverd in de toekomst": (case_delivered_in_future, "aangeleverd_op_toekomst"),
    "meta zonder veld/waarde": (case_meta_columns, "meta_kolommen"),
    "personeel fte per persoon": (case_staff_fte_per_person, "fte_per_persoon_personeel"),
}


def test_the_valid_workbook_passes(tmp_path):
    checked = check_zorggroep(build(tmp_path))
    assert checked.problems == [] and checked.content is not None
    assert (checked.organisatie, checked.periode) == ("ZG001", "2025-Q4")


@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_broken_file_trips_its_rule(tmp_path, case):
    make, rule = CORPUS[case]
    checked = check_zorggroep(make(tmp_path))
    assert checked.content is None, f"{case}: should be rejected"
    assert rule in {p.rule for p in checked.errors}, [p.describe() for p in checked.problems]
    for problem in checked.errors:
        text = problem.describe()
        assert problem.file in text and problem.rule in text


def test_trailing_spaces_and_bom_are_normalised(tmp_path):
    path = build(tmp_path)
    _edit_cell(path, "praktijken", "A1", "\ufeffpraktijk_agb ")
    _edit_cell(path, "praktijken", "H2", "geen  ")
    assert check_zorggroep(path).problems == []


def test_patient_jump_is_a_warning_not_an_error(tmp_path):
    checked = check_zorggroep(build(tmp_path), previous=lambda code, period: {"01234567": 1000})
    assert checked.content is not None
    assert [p.rule for p in checked.warnings] == ["patienten_sprong"]


@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_gx_suites_and_pandas_contract_agree(tmp_path, case):
    """The intake (GX) and the loader (pandas) apply the same rules to the same file."""
    from orchestration.bronnen.zorggroep.read import inspect_zorggroep_workbook

    path = CORPUS[case][0](tmp_path)
    by_gx = inspect_zorggroep_workbook(path, engine="gx")[1]
    by_pandas = inspect_zorggroep_workbook(path, engine="pandas")[1]
    assert {(p.rule, p.sheet, p.row, p.column) for p in by_gx} == {
        (p.rule, p.sheet, p.row, p.column) for p in by_pandas
    }


def test_cell_and_cross_sheet_problems_come_in_one_report(tmp_path):
    """A sender fixes everything in one round: a cell rule does not hide a cross-sheet one."""
    rows = _rows(
        personeel=lambda r: _set(r, 0, 2, -1),  # cell rule: minimum
        huisartsen=lambda r: _set(r, 1, 1, "07654321"),  # cross-sheet: praktijk_bestaat
    )
    checked = check_zorggroep(build(tmp_path, rows=rows))
    assert {(p.rule, p.sheet, p.row) for p in checked.errors} == {
        ("minimum", "personeel", 2),
        ("praktijk_bestaat", "huisartsen", 3),
    }


def test_a_row_that_failed_a_cell_rule_is_not_judged_again_across_sheets(tmp_path):
    rows = _rows(praktijken=lambda r: _set(r, 0, 3, "GM14"))  # bad format, also unknown
    checked = check_zorggroep(build(tmp_path, rows=rows))
    assert [(p.rule, p.column) for p in checked.errors] == [("formaat", "gemeentecode")]
