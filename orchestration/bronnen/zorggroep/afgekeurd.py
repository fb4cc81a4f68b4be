"""A few deliberately flawed zorggroep submissions for the inbox (sample data only).

Real intake rejects files; sample data that never does leaves the data-quality dashboard
empty. These are corrections of the newest sample workbooks of some zorggroepen, each with
mistakes regions really make: an unknown gemeentecode, more patients 65+ than registered,
decimal commas typed as text, an empty required cell, the retired template version, a
negative count. The first `capmon run` takes them from ``inbox/zorggroep/``, rejects them
and puts them in quarantine with a report; the sample files they "correct" stay loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from orchestration.bronnen.zorggroep.voorbeeld import _deterministic_xlsx
from orchestration.synthetic.calibration import PEILJAREN


def _set_meta(workbook: Workbook, field: str, value) -> None:
    for veld, waarde in workbook["meta"].iter_rows(min_row=2, max_col=2):
        if veld.value == field:
            waarde.value = value
            return
    raise KeyError(field)


def _column(sheet, name: str) -> str:
    header = [cell.value for cell in sheet[1]]
    return sheet.cell(row=1, column=header.index(name) + 1).column_letter


def _rows(sheet, count: int) -> list[int]:
    """The first ``count`` data rows (fewer if the sheet is shorter)."""
    return list(range(2, min(sheet.max_row, count + 1) + 1))


def unknown_gemeente_and_65plus(workbook: Workbook) -> None:
    """gemeente_bekend on up to three practices, patienten_65plus_max on one more."""
    sheet = workbook["praktijken"]
    gemeente = _column(sheet, "gemeentecode")
    rows = _rows(sheet, 4)
    for row in rows[:3]:
        sheet[f"{gemeente}{row}"] = "GM9999"
    last = rows[-1]
    registered = sheet[f"{_column(sheet, 'ingeschreven_patienten')}{last}"].value
    sheet[f"{_column(sheet, 'patienten_65plus')}{last}"] = int(registered) + 150


def decimal_comma_and_blank(workbook: Workbook) -> None:
    """type (decimal comma typed as text) on up to three GPs, verplicht on one more."""
    sheet = workbook["huisartsen"]
    fte = _column(sheet, "fte")
    rows = _rows(sheet, 4)
    for row in rows[:3]:
        sheet[f"{fte}{row}"] = f"{float(sheet[f'{fte}{row}'].value):.2f}".replace(".", ",")
    sheet[f"{_column(sheet, 'geslacht')}{rows[-1]}"] = None


def retired_template_and_negative(workbook: Workbook) -> None:
    """template_versie (0.9, retired) and minimum (a negative staff count)."""
    _set_meta(workbook, "template_versie", "0.9")
    sheet = workbook["personeel"]
    sheet[f"{_column(sheet, 'aantal_personen')}2"] = -1


FLAWS: tuple[Callable[[Workbook], None], ...] = (
    unknown_gemeente_and_65plus,
    decimal_comma_and_blank,
    retired_template_and_negative,
)


def write_flawed_zorggroep(sources_dir: Path, inbox_dir: Path, count: int = 3) -> list[Path]:
    """Write up to ``count`` flawed corrections of the newest sample workbooks to
    ``inbox_dir/zorggroep/``; deterministic, like every generated file."""
    samples = sorted((sources_dir / "zorggroep").glob(f"*_{max(PEILJAREN)}-Q1.xlsx"))
    count = min(count, len(FLAWS), len(samples))
    if not count:
        return []
    # Spread over the country: evenly spaced zorggroepen, not the first few.
    chosen = [samples[i * len(samples) // count] for i in range(count)]
    folder = inbox_dir / "zorggroep"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (sample, flaw) in enumerate(zip(chosen, FLAWS, strict=False)):
        workbook = load_workbook(sample)
        flaw(workbook)
        _set_meta(workbook, "aangeleverd_op", date(max(PEILJAREN), 6, 2 + 7 * number))
        path = folder / f"{sample.stem}_correctie.xlsx"
        path.write_bytes(_deterministic_xlsx(workbook))
        written.append(path)
    return written
