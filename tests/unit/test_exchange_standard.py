"""The standard is defined once; the template, the dictionary and the CLI follow from it."""

from __future__ import annotations

from openpyxl import load_workbook

from orchestration.bronnen.zorggroep.dictionary import markdown
from orchestration.bronnen.zorggroep.rules import known_gemeenten
from orchestration.bronnen.zorggroep.standard import PERIODS, SHEETS
from orchestration.bronnen.zorggroep.template import LISTS_SHEET, VALIDATED_ROWS
from orchestration.cli import main
from orchestration.paths import PROJECT_ROOT
from tests.unit.test_zorggroep_workbook import META, ROWS, write_workbook


def test_committed_dictionary_is_up_to_date():
    committed = (PROJECT_ROOT / "docs" / "uitwisselstandaard.md").read_text(encoding="utf-8")
    assert committed == markdown(), "regenerate with `capmon template --docs`"


def test_template_has_every_sheet_header_and_drop_down(tmp_path):
    path = tmp_path / "template.xlsx"
    assert main(["template", str(path)]) == 0
    workbook = load_workbook(path)
    assert workbook.sheetnames == [s.name for s in SHEETS] + ["toelichting", LISTS_SHEET]
    practices = workbook["praktijken"]
    names = [c.value for c in practices[1]]
    assert names == next(s for s in SHEETS if s.name == "praktijken").contract.column_names
    lists = [v.formula1 for v in practices.data_validations.dataValidation]
    assert '"geen,gedeeltelijk,volledig"' in lists
    assert workbook["meta"]["B5"].value == "1.0"


def test_check_exit_codes_and_report(tmp_path, capsys):
    good = write_workbook(tmp_path / "goed.xlsx")
    assert main(["check", str(good)]) == 0
    assert (tmp_path / "goed.xlsx.rapport.html").is_file()
    bad = write_workbook(tmp_path / "fout.xlsx", meta={**META, "template_versie": "0.9"}, rows=ROWS)
    report = tmp_path / "rapport.html"
    assert main(["check", str(bad), "--rapport", str(report)]) == 1
    out = capsys.readouterr().out
    assert "ingetrokken" in out and "AFGEKEURD" in out and "template_versie" in out
    assert "<td>meta</td>" in report.read_text(encoding="utf-8")
    assert main(["check", str(tmp_path / "bestaat_niet.xlsx")]) == 2


def _number(text: str | None) -> float | None:
    return None if text is None else float(text)


def test_every_column_of_the_template_holds_the_standards_rule(tmp_path):
    """Each column's validation in Excel has exactly the standard's bounds, lists and
    lengths, so the template and the intake cannot drift apart."""
    path = tmp_path / "template.xlsx"
    assert main(["template", str(path)]) == 0
    workbook = load_workbook(path)
    lists = workbook[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    gemeenten = [
        row[0] for row in lists.iter_rows(min_row=2, max_col=1, values_only=True) if row[0]
    ]
    assert set(gemeenten) == known_gemeenten()
    periods = [r[0] for r in lists.iter_rows(min_row=2, min_col=3, max_col=3, values_only=True)]
    assert [p for p in periods if p] == list(PERIODS)
    for sheet in SHEETS:
        ws = workbook[sheet.name]
        by_range = {str(v.sqref): v for v in ws.data_validations.dataValidation}
        for index, column in enumerate(sheet.contract.columns):
            if sheet.layout == "veld_waarde":
                where = f"B{index + 2}"
                assert ws[f"A{index + 2}"].value == column.name
            else:
                letter = ws.cell(row=1, column=index + 1).column_letter
                where = f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
            assert where in by_range, f"{sheet.name}.{column.name} has no validation"
            rule = by_range.pop(where)
            label = f"{sheet.name}.{column.name}"
            assert rule.showInputMessage and rule.prompt and rule.promptTitle, label
            assert rule.showErrorMessage and rule.error, label
            assert len(rule.prompt) <= 255 and len(rule.error) <= 255, label
            assert rule.allow_blank == (not column.required), label
            if column.name == "gemeentecode":
                n = len(known_gemeenten())
                assert (rule.type, rule.formula1) == ("list", f"{LISTS_SHEET}!$A$2:$A${n + 1}")
            elif column.name == "periode":
                n = len(PERIODS)
                assert (rule.type, rule.formula1) == ("list", f"{LISTS_SHEET}!$C$2:$C${n + 1}")
            elif column.allowed:
                assert (rule.type, rule.formula1) == ("list", '"' + ",".join(column.allowed) + '"')
            elif column.kind in ("integer", "decimal"):
                assert rule.type == ("whole" if column.kind == "integer" else "decimal"), label
                assert column.minimum is not None and column.maximum is not None, label
                assert rule.operator == "between", label
                bounds = (_number(rule.formula1), _number(rule.formula2))
                assert bounds == (column.minimum, column.maximum), label
            elif column.kind == "date":
                assert rule.type == "date", label
            else:
                assert column.max_length is not None, f"{label}: text without a length"
                assert (rule.type, rule.operator) == ("textLength", "lessThanOrEqual"), label
                assert int(rule.formula1) == column.max_length, label
        assert not by_range, f"{sheet.name}: validations the standard does not know: {by_range}"
