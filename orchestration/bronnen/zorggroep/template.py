"""Write the empty exchange-template workbook from the standard (``capmon template``).

Every column carries the standard's own rule as Excel data validation, so a region sees a
mistake while typing instead of in the intake's report: whole numbers and decimals within
the column's minimum and maximum, dates, text no longer than the standard allows, a
drop-down for every code list, the CBS gemeenten and the periods on the hidden sheet
``lijsten``. The bounds are read from ``standard.py``, never written here, and
``tests/unit/test_exchange_standard.py`` checks that they stay equal.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from orchestration.bronnen.zorggroep.dictionary import HEADER, allowed_words, column_rows, rule_rows
from orchestration.bronnen.zorggroep.standard import PERIODS, SHEETS, VERSION
from orchestration.paths import REFERENCE_DIR
from orchestration.referentie.read import read_gemeenten
from orchestration.warehouse.contracts import KIND_WORDS, Column

# Validations cover this many rows; more rows are allowed, just without the checks in Excel.
VALIDATED_ROWS = 5000
LISTS_SHEET = "lijsten"
# Excel's own limits for the texts of a validation.
PROMPT_TITLE_MAX, PROMPT_MAX, ERROR_MAX = 32, 255, 255
EXCEL_CELL_MAX = 32767


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sentences(*parts: str) -> str:
    """'Neemt de praktijk nieuwe patiënten aan? Geen | ...': parts as capitalised sentences."""
    found = [p.strip() for p in parts if p and p.strip()]
    return " ".join(
        p[:1].upper() + p[1:] + ("" if p.endswith((".", "?", "!")) else ".") for p in found
    )


def _bounds(column: Column) -> tuple[str, str | None, str | None, str]:
    """(operator, formula1, formula2, words) for a whole-number or decimal column."""
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return "between", f"{low:g}", f"{high:g}", f"van {_number(low)} tot en met {_number(high)}"
    if low is not None:
        return "greaterThanOrEqual", f"{low:g}", None, f"van minstens {_number(low)}"
    if high is not None:
        return "lessThanOrEqual", f"{high:g}", None, f"van hoogstens {_number(high)}"
    return "greaterThanOrEqual", "-1E+307", None, ""


def lists_ranges() -> dict[str, str]:
    """The list formula of the columns whose values stand on the hidden sheet."""
    gemeenten = len(read_gemeenten(REFERENCE_DIR))
    return {
        "gemeentecode": f"{LISTS_SHEET}!$A$2:$A${gemeenten + 1}",
        "periode": f"{LISTS_SHEET}!$C$2:$C${len(PERIODS) + 1}",
    }


def validation_for(column: Column) -> DataValidation:
    """The data validation that holds one column to its rule in the standard."""
    shared = {
        "allow_blank": not column.required,
        "showErrorMessage": True,
        "showInputMessage": True,
        "promptTitle": _clip(column.name, PROMPT_TITLE_MAX),
        "errorTitle": "Ongeldige waarde",
    }
    unit = f" ({column.unit})" if column.unit else ""
    ranges = lists_ranges()
    if column.name in ranges:
        what = "gemeentecode uit de CBS-lijst" if column.name == "gemeentecode" else "periode"
        validation = DataValidation(
            type="list", formula1=ranges[column.name], **shared, error=f"Kies een {what}."
        )
    elif column.allowed:
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(column.allowed) + '"',
            **shared,
            error="Kies een waarde uit de lijst: " + ", ".join(column.allowed),
        )
    elif column.kind in ("integer", "decimal"):
        operator, low, high, words = _bounds(column)
        kind = "whole" if column.kind == "integer" else "decimal"
        error = f"Vul een {KIND_WORDS[column.kind]} in {words}{unit}.".replace("  ", " ")
        if column.maximum_why:
            error += f" Daarboven is het niet aannemelijk: {column.maximum_why}."
        validation = DataValidation(
            type=kind,
            operator=operator,
            formula1=low,
            formula2=high,
            **shared,
            error=_clip(error, ERROR_MAX),
        )
    elif column.kind == "date":
        # Any real date: serial 1 is 1900-01-01. The standard sets no bounds on dates.
        validation = DataValidation(
            type="date",
            operator="greaterThanOrEqual",
            formula1="1",
            **shared,
            error="Vul een datum in (bijvoorbeeld 1-3-2025), geen tekst.",
        )
    else:
        words = f"; {column.pattern_words}" if column.pattern_words else ""
        validation = DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(column.max_length or EXCEL_CELL_MAX),
            **shared,
            error=_clip(
                f"Hoogstens {column.max_length or EXCEL_CELL_MAX} tekens{words}.", ERROR_MAX
            ),
        )
    rule = allowed_words(column) if column.name not in ranges else ""
    if column.name == "gemeentecode":
        rule = "een code uit de lijst (CBS-gemeenten 2025)"
    allowed = f"Toegestaan: {rule}{unit}" if rule else ""
    validation.prompt = _clip(_sentences(column.description, allowed), PROMPT_MAX)
    return validation


def _write_lists(workbook: Workbook) -> None:
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.append(["gemeentecode", "gemeentenaam", "periode"])
    gemeenten = read_gemeenten(REFERENCE_DIR).sort_values("gemeentecode")
    rows = list(zip(gemeenten["gemeentecode"], gemeenten["gemeentenaam"], strict=True))
    for index in range(max(len(rows), len(PERIODS))):
        code, name = rows[index] if index < len(rows) else (None, None)
        lists.append([code, name, PERIODS[index] if index < len(PERIODS) else None])
    # Hidden, not removed: the drop-downs read it; a region has no need to see it.
    lists.sheet_state = "hidden"


def write_template(path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.name)
        if sheet.layout == "veld_waarde":
            ws.append(["veld", "waarde"])
            for row, column in enumerate(sheet.contract.columns, start=2):
                ws.append([column.name, VERSION if column.name == "template_versie" else None])
                validation = validation_for(column)
                ws.add_data_validation(validation)
                validation.add(f"B{row}")
            ws.column_dimensions["A"].width = 22
            ws.column_dimensions["B"].width = 30
        else:
            ws.append(sheet.contract.column_names)
            for index, column in enumerate(sheet.contract.columns):
                letter = ws.cell(row=1, column=index + 1).column_letter
                ws.column_dimensions[letter].width = max(14, len(column.name) + 2)
                validation = validation_for(column)
                ws.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
                if column.name == "praktijk_agb":
                    # Text format keeps leading zeros of AGB codes.
                    for row in range(2, 202):
                        ws.cell(row=row, column=index + 1).number_format = "@"
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
    notes = workbook.create_sheet("toelichting")
    notes.append(list(HEADER))
    for row in column_rows():
        notes.append(list(row))
    notes.append([])
    notes.append(["regel", "soort", "tabblad", "omschrijving"])
    for row in rule_rows():
        notes.append(list(row))
    for cell in notes[1]:
        cell.font = bold
    _write_lists(workbook)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
