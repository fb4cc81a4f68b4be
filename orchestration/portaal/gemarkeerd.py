"""An annotated copy of a submitted workbook: every problem cell coloured, with the message
as a comment, and a first sheet 'controle' listing the whole report (issue item 4).

Made on request from the stored original, never from the sender's path; the original was
through the guards (guards.py) when it arrived, so openpyxl may open it.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

ERROR_FILL = PatternFill("solid", start_color="F4B6B0", end_color="F4B6B0")
WARNING_FILL = PatternFill("solid", start_color="FFE0A3", end_color="FFE0A3")
REPORT_SHEET = "controle"
COMMENT_AUTHOR = "Aanleverportaal"


def _sheet(workbook, name: str | None):
    if not name:
        return None
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() == name.strip().lower():
            return sheet
    return None


def _column(sheet, name: str | None) -> int | None:
    """The column of ``name`` in the header row (row 1); the meta sheet is field/value."""
    if not name:
        return None
    for cell in sheet[1]:
        if cell.value is not None and str(cell.value).strip().lower() == name.strip().lower():
            return cell.column
    return None


def annotate(original: Path, problems: list[dict]) -> bytes:
    """The workbook with each located problem marked; ``problems`` as in the report JSON."""
    workbook = load_workbook(original)
    report = workbook.create_sheet(REPORT_SHEET, 0)
    report.append(["soort", "tabblad", "rij", "kolom", "waarde", "wat is er mis", "regel"])
    for cell in report[1]:
        cell.font = Font(bold=True)
    for problem in problems:
        error = problem.get("severity", "fout") == "fout"
        report.append(
            [
                "Fout" if error else "Waarschuwing",
                problem.get("sheet"),
                problem.get("row"),
                problem.get("column"),
                None if problem.get("value") is None else str(problem.get("value")),
                problem.get("message"),
                problem.get("rule"),
            ]
        )
        sheet = _sheet(workbook, problem.get("sheet"))
        row = problem.get("row")
        if sheet is None or not isinstance(row, int) or row < 1:
            continue
        column = _column(sheet, problem.get("column"))
        cells = [sheet.cell(row=row, column=column)] if column else list(sheet[row])
        for cell in cells:
            cell.fill = ERROR_FILL if error else WARNING_FILL
        target = cells[0]
        text = f"{problem.get('message', '')} [regel: {problem.get('rule', '')}]"
        if target.comment is not None:
            text = f"{target.comment.text}\n{text}"
        target.comment = Comment(text, COMMENT_AUTHOR, width=320, height=120)
    for column, width in zip("ABCDEFG", (14, 14, 6, 22, 18, 80, 24), strict=True):
        report.column_dimensions[column].width = width
    workbook.active = 0
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
