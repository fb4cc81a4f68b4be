"""A corpus of broken zorggroep workbooks, each with the exact rule it must trip.

Every file is made in the test from one valid workbook; the same check the intake and
`capmon check` use must reject it (or warn) naming that rule, and never crash.
"""

from __future__ import annotations

import copy
import re
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


def case_blank_row_before_error(tmp):
    """Issue 13: after a blank row, an error in Excel row 4 was reported as row 3."""
    rows = _rows(huisartsen=lambda r: _set(r, 1, 5, -0.6))
    path = build(tmp, rows=rows)
    workbook = load_workbook(path)
    workbook["huisartsen"].insert_rows(3)
    workbook.save(path)
    return path


def case_no_gps(tmp):
    return build(tmp, rows={**ROWS, "huisartsen": []})


def case_empty_header_cell(tmp):
    path = build(tmp)
    _edit_cell(path, "praktijken", "C1", None)
    return path


def case_sheet_name_near_miss(tmp):
    path = build(tmp)
    workbook = load_workbook(path)
    workbook["praktijken"].title = "Praktijk"
    workbook.save(path)
    return path


def case_old_xls(tmp):
    path = tmp / "ZG001_2025-Q4.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    return path


def case_text_too_long(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: _set(r, 0, 1, "Huisartsen " * 25)))


def case_patients_implausible(tmp):
    return build(tmp, rows=_rows(praktijken=lambda r: _set(r, 0, 4, 45_000)))


def case_patients_per_gp_fte(tmp):
    def tiny(rows):
        _set(rows, 0, 5, 0.1)
        _set(rows, 1, 5, 0.1)

    return build(tmp, rows=_rows(huisartsen=tiny))


def case_fte_as_hours(tmp):
    return build(tmp, rows=_rows(huisartsen=lambda r: _set(r, 0, 5, 32)))


def case_staff_count_implausible(tmp):
    return build(tmp, rows=_rows(personeel=lambda r: _set(r, 0, 2, 80)))


def case_staff_fte_implausible(tmp):
    def hours(rows):
        _set(rows, 0, 2, 40)
        _set(rows, 0, 3, 120.0)

    return build(tmp, rows=_rows(personeel=hours))


def case_vacancy_fte_implausible(tmp):
    return build(tmp, rows=_rows(vacatures=lambda r: _set(r, 0, 2, 2.0)))


def case_birth_year_too_late(tmp):
    return build(tmp, rows=_rows(huisartsen=lambda r: _set(r, 1, 4, 2010)))


# name: (make, rule, sheet, Excel row, column letter) of an error the check must report.
CORPUS = {
    "leeg bestand": (case_empty, "leeg_bestand", None, None, None),
    "verkeerde extensie": (case_wrong_extension, "extensie", None, None, None),
    "oud .xls": (case_old_xls, "extensie", None, None, None),
    "CSV met .xlsx": (case_csv_renamed, "geen_excel", None, None, None),
    "met wachtwoord": (case_password_protected, "beveiligd_of_xls", None, None, None),
    "afgebroken zip": (case_corrupt_zip, "werkmap", None, None, None),
    "zip zonder werkmap": (case_zip_not_workbook, "werkmap", None, None, None),
    "te groot": (case_huge, "te_groot", None, None, None),
    "tabblad ontbreekt": (case_missing_sheet, "tabblad_ontbreekt", "personeel", None, None),
    "tabblad bijna goed": (
        case_sheet_name_near_miss,
        "tabblad_ontbreekt",
        "praktijken",
        None,
        None,
    ),
    "extra kolom": (case_extra_column, "onbekende_kolom", "praktijken", None, "J"),
    "samengevoegde kopcellen": (case_merged_header, "kopregel_leeg", "personeel", 1, "C"),
    "lege kopcel": (case_empty_header_cell, "kopregel_leeg", "praktijken", 1, "C"),
    "kolom hernoemd": (case_missing_column, "onbekende_kolom", "huisartsen", None, "H"),
    "datum als vrije tekst": (case_date_as_text, "type", "vacatures", 2, "D"),
    "decimale komma als tekst": (case_decimal_comma, "type", "huisartsen", 2, "F"),
    "fout na een lege rij": (case_blank_row_before_error, "minimum", "huisartsen", 4, "F"),
    "AGB 7 cijfers": (case_bad_agb, "formaat", "praktijken", 2, "A"),
    "AGB dubbel": (case_duplicate_agb, "dubbele_sleutel", "praktijken", 3, "A"),
    "tekst te lang": (case_text_too_long, "lengte", "praktijken", 2, "B"),
    "huisarts zonder praktijk": (case_orphan_gp, "praktijk_bestaat", "huisartsen", 3, "B"),
    "personeel zonder praktijk": (case_orphan_staff, "praktijk_bestaat", "personeel", 2, "A"),
    "geen praktijken": (case_no_practices, "leeg_tabblad", "praktijken", 2, None),
    "geen huisartsen": (case_no_gps, "leeg_tabblad", "huisartsen", 2, None),
    "onbekende gemeente": (case_unknown_gemeente, "gemeente_bekend", "praktijken", 2, "D"),
    "gemeentecode zonder GM": (case_bad_gemeente_format, "formaat", "praktijken", 2, "D"),
    "negatief aantal": (case_negative_count, "minimum", "personeel", 2, "C"),
    "65+ meer dan ingeschreven": (
        case_65plus_above_registered,
        "patienten_65plus_max",
        "praktijken",
        2,
        "F",
    ),
    "75+ meer dan 65+": (case_75plus_above_65plus, "patienten_75plus_max", "praktijken", 2, "G"),
    "45.000 patiënten": (case_patients_implausible, "maximum", "praktijken", 2, "E"),
    "patiënten per fte huisarts": (
        case_patients_per_gp_fte,
        "patienten_per_fte",
        "praktijken",
        2,
        "E",
    ),
    "fte boven 1,5": (case_fte_above_max, "maximum", "huisartsen", 2, "F"),
    "fte als uren": (case_fte_as_hours, "maximum", "huisartsen", 2, "F"),
    "fte per persoon samen boven 1,5": (
        case_fte_per_person_total,
        "fte_per_persoon",
        "huisartsen",
        2,
        "F",
    ),
    "huisarts van 21": (case_birth_year_implausible, "geboortejaar_leeftijd", "huisartsen", 3, "E"),
    "geboortejaar 1920": (case_birth_year_out_of_range, "minimum", "huisartsen", 3, "E"),
    "geboortejaar 2010": (case_birth_year_too_late, "maximum", "huisartsen", 3, "E"),
    "stopjaar verleden": (case_stop_year_past, "stopjaar_verleden", "huisartsen", 2, "G"),
    "vacature in de toekomst": (case_vacancy_in_future, "open_sinds_toekomst", "vacatures", 2, "D"),
    "vacature van 2 fte": (case_vacancy_fte_implausible, "maximum", "vacatures", 2, "C"),
    "onbekende codewaarde": (case_unknown_code_value, "toegestane_waarden", "praktijken", 2, "H"),
    "verplichte cel leeg": (case_required_blank, "verplicht", "huisartsen", 2, "D"),
    "ingetrokken versie": (case_retired_version, "template_versie", "meta", None, None),
    "onbekende versie": (case_unknown_version, "template_versie", "meta", None, None),
    "periode fout formaat": (case_bad_period, "formaat", "meta", 4, None),
    "periode anders dan bestandsnaam": (
        case_period_not_in_name,
        "periode_bestandsnaam",
        "meta",
        None,
        "B",
    ),
    "aangeleverd in de toekomst": (
        case_delivered_in_future,
        "aangeleverd_op_toekomst",
        "meta",
        None,
        "B",
    ),
    "meta zonder veld/waarde": (case_meta_columns, "meta_kolommen", "meta", None, None),
    "personeel: 80 personen in één functie": (
        case_staff_count_implausible,
        "maximum",
        "personeel",
        2,
        "C",
    ),
    "personeel: fte als uren": (case_staff_fte_implausible, "maximum", "personeel", 2, "D"),
    "personeel fte per persoon": (
        case_staff_fte_per_person,
        "fte_per_persoon_personeel",
        "personeel",
        2,
        "D",
    ),
}


def letter_of(problem) -> str | None:
    """The column letter a sender reads in the problem's text ('kolom E (fte)' -> 'E')."""
    found = re.match(r"kolom(?:men)? ([A-Z]+(?:, [A-Z]+)*)\b", problem.where_column or "")
    return found.group(1) if found else None


def test_the_valid_workbook_passes(tmp_path):
    checked = check_zorggroep(build(tmp_path))
    assert checked.problems == [] and checked.content is not None
    assert (checked.organisatie, checked.periode) == ("ZG001", "2025-Q4")


@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_broken_file_trips_its_rule(tmp_path, case):
    make, rule, sheet, row, letter = CORPUS[case]
    checked = check_zorggroep(make(tmp_path))
    assert checked.content is None, f"{case}: should be rejected"
    found = {(p.rule, p.sheet, p.row, letter_of(p)) for p in checked.errors}
    assert (rule, sheet, row, letter) in found, [p.describe() for p in checked.problems]
    for problem in checked.errors:
        text = problem.describe()
        assert problem.file in text and problem.rule in text
        # No pandas leaking through: "kolom 'nan'", "waarde: 1890.0".
        assert not re.search(r"\bnan\b|waarde: -?\d+\.0\)", text), text


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


def test_sheet_names_are_matched_whatever_their_case(tmp_path):
    path = build(tmp_path)
    workbook = load_workbook(path)
    for name in ("praktijken", "huisartsen"):
        sheet = workbook[name]
        sheet.title = "tijdelijk"  # Excel (and openpyxl) compare sheet names without case
        sheet.title = name.upper() if name == "huisartsen" else name.capitalize()
    workbook.save(path)
    assert check_zorggroep(path).problems == []


def test_a_near_miss_sheet_name_gets_a_suggestion(tmp_path):
    (problem,) = check_zorggroep(case_sheet_name_near_miss(tmp_path)).errors
    assert "tabblad 'praktijken' niet gevonden; bedoelt u 'Praktijk'?" in problem.message


def test_an_old_xls_gets_a_plain_dutch_hint(tmp_path):
    (problem,) = check_zorggroep(case_old_xls(tmp_path)).errors
    assert "oude Excel-formaat" in problem.message and "Opslaan als" in problem.message
    assert "--bron" not in problem.describe()


def test_values_are_shown_as_the_sender_typed_them(tmp_path):
    rows = _rows(huisartsen=lambda r: _set(r, 1, 4, 1890))
    (problem,) = check_zorggroep(build(tmp_path, rows=rows)).errors
    assert problem.value == 1890 and isinstance(problem.value, int)
    assert "kolom E (geboortejaar)" in problem.describe()
    assert "(waarde: 1890)" in problem.describe()
    (tmp_path / "komma").mkdir()
    (comma,) = check_zorggroep(case_decimal_comma(tmp_path / "komma")).errors
    assert "decimale komma" in comma.message and "(waarde: '0,8')" in comma.describe()


def test_a_repeated_problem_is_one_line_in_every_report(tmp_path):
    """Issue 13: one decimal comma in a long column gave a line per cell."""
    import json

    from orchestration.inname.report import grouped, lines, write_html, write_json

    def commas(rows):
        rows[:] = [
            [f"P{i:04d}", "01234567", "hidha", "man", 1980, "0,2", None, "nvt"] for i in range(40)
        ]

    checked = check_zorggroep(build(tmp_path, rows=_rows(huisartsen=commas)))
    assert len(checked.errors) == 40  # every cell stays a problem (ledger counts, JSON detail)
    (line,) = lines(checked.problems)
    assert "40 cellen in kolom F (fte): dit is geen getal maar tekst met een decimale komma" in line
    assert "eerste: rij 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 …" in line and "[regel: type]" in line
    assert len(grouped(checked.problems)) == 1
    page = write_html(tmp_path / "r.html", "x.xlsx", checked.problems).read_text("utf-8")
    assert page.count("<tr><td>") == 1 and "40 cellen" in page
    report = json.loads(
        write_json(tmp_path / "r.json", "x.xlsx", checked.problems, {}).read_text("utf-8")
    )
    assert [(o["aantal"], o["kolomletter"]) for o in report["overzicht"]] == [(40, "F")]
    assert len(report["problemen"]) == 40


def test_problems_are_reported_by_sheet_row_and_column(tmp_path):
    from orchestration.inname.report import lines, ordered

    def gps(rows):
        _set(rows, 1, 5, 1.8)  # row 3, column F
        _set(rows, 0, 3, "x")  # row 2, column D

    rows = _rows(
        huisartsen=gps,
        vacatures=lambda r: _set(r, 0, 2, -1),
        praktijken=lambda r: _set(r, 0, 3, "GM9999"),
    )
    checked = check_zorggroep(build(tmp_path, rows=rows))
    assert [(p.sheet, p.row, p.letter) for p in ordered(checked.problems)] == [
        ("praktijken", 2, "D"),
        ("huisartsen", 2, "D"),
        ("huisartsen", 3, "F"),
        ("vacatures", 2, "C"),
    ]
    assert lines(checked.problems)[0].startswith(
        "bestand ZG001_2025-Q4.xlsx, tabblad 'praktijken', rij 2, kolom D (gemeentecode)"
    )


def test_the_filled_in_template_passes(tmp_path):
    """The template's extra sheets (toelichting, the hidden lists) do not disturb the check."""
    from orchestration.bronnen.zorggroep.template import write_template

    path = write_template(tmp_path / "ZG001_2025-Q4.xlsx")
    workbook = load_workbook(path)
    for row, value in enumerate(META.values(), start=2):
        workbook["meta"].cell(row=row, column=2, value=value)
    for sheet, rows in ROWS.items():
        for row in rows:
            workbook[sheet].append(row)
    workbook.save(path)
    assert check_zorggroep(path).problems == []


def test_nivel_and_stagebureau_have_plausibility_maximums(tmp_path):
    import json

    from orchestration.bronnen.nivel.bron import check_nivel
    from orchestration.bronnen.stagebureau.bron import check_stagebureau
    from tests.unit.test_intake_flat_sources import HEADER, ROW
    from tests.unit.test_stagebureau_jsonl import RECORD

    nivel = tmp_path / "nivel_2025.csv"
    nivel.write_text(f"{HEADER}\n{ROW.replace(';12;9,6', ';12000;9,6')}\n", encoding="utf-8")
    (problem,) = check_nivel(nivel).errors
    assert (problem.rule, problem.row, problem.column) == ("maximum", 2, "aantal_personen")
    assert "grootste gemeente" in problem.message and "12000" in problem.describe()
    stages = tmp_path / "SB-1_2024-2025.jsonl"
    stages.write_text(json.dumps({**RECORD, "wachtlijst": 5000}) + "\n", encoding="utf-8")
    assert ("maximum", "wachtlijst") in {
        (p.rule, p.column) for p in check_stagebureau(stages).errors
    }
