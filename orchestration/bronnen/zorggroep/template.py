"""Write the empty exchange-template workbook from the standard (``capmon template``)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from orchestration.bronnen.zorggroep.dictionary import HEADER, column_rows, rule_rows
from orchestration.bronnen.zorggroep.standard import SHEETS, VERSION

# Drop-downs cover this many rows; more rows are allowed, just without the list.
VALIDATED_ROWS = 5000


def write_template(path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.name)
        if sheet.layout == "veld_waarde":
            ws.append(["veld", "waarde"])
            for column in sheet.contract.columns:
                ws.append([column.name, VERSION if column.name == "template_versie" else None])
            ws.column_dimensions["A"].width = 22
            ws.column_dimensions["B"].width = 30
        else:
            ws.append(sheet.contract.column_names)
            for index, column in enumerate(sheet.contract.columns):
                letter = ws.cell(row=1, column=index + 1).column_letter
                ws.column_dimensions[letter].width = max(14, len(column.name) + 2)
                if column.allowed:
                    validation = DataValidation(
                        type="list",
                        formula1='"' + ",".join(column.allowed) + '"',
                        allow_blank=not column.required,
                        showErrorMessage=True,
                        errorTitle="Ongeldige waarde",
                        error="Kies een waarde uit de lijst: " + ", ".join(column.allowed),
                    )
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
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
