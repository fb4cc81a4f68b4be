"""The standard is defined once; the template, the dictionary and the CLI follow from it."""

from __future__ import annotations

from openpyxl import load_workbook

from orchestration.bronnen.zorggroep.dictionary import markdown
from orchestration.bronnen.zorggroep.standard import SHEETS
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
    assert workbook.sheetnames == [s.name for s in SHEETS] + ["toelichting"]
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
