"""Read a zorggroep workbook in the national exchange template."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from orchestration.defs.zorggroep.contract import META, SHEETS, TEMPLATE_VERSIONS
from orchestration.warehouse.contracts import Location, conform
from orchestration.warehouse.errors import Problem, SourceFileError


@dataclass
class Submission:
    meta: dict
    tables: dict[str, pd.DataFrame]


def _sheet_frame(sheet) -> pd.DataFrame:
    rows = [row for row in sheet.iter_rows(values_only=True)]
    rows = [row for row in rows if any(cell is not None and str(cell).strip() for cell in row)]
    if not rows:
        return pd.DataFrame()
    header = list(rows[0])
    while header and header[-1] is None:
        header.pop()
    body = [list(row[: len(header)]) + [None] * (len(header) - len(row)) for row in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=object)


def _cross_sheet_problems(name: str, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    known = set(tables["praktijken"]["praktijk_agb"])
    for sheet in ("huisartsen", "personeel", "vacatures"):
        orphans = ~tables[sheet]["praktijk_agb"].isin(known)
        for index in orphans[orphans].index:
            problems.append(
                Problem(
                    name,
                    "praktijk_bestaat",
                    "deze praktijk staat niet op het tabblad 'praktijken'",
                    sheet=sheet,
                    row=int(index) + 2,
                    column="praktijk_agb",
                    value=tables[sheet].at[index, "praktijk_agb"],
                )
            )
    praktijken = tables["praktijken"]
    for column, limit in (
        ("patienten_65plus", "ingeschreven_patienten"),
        ("patienten_75plus", "patienten_65plus"),
    ):
        broken = praktijken[column] > praktijken[limit]
        for index in broken[broken.fillna(False)].index:
            problems.append(
                Problem(
                    name,
                    f"{column}_max",
                    f"'{column}' is groter dan '{limit}'",
                    sheet="praktijken",
                    row=int(index) + 2,
                    column=column,
                    value=praktijken.at[index, column],
                )
            )
    return problems


def read_zorggroep_workbook(path: Path) -> Submission:
    """Return the typed sheets of one submission, or raise ``SourceFileError``."""
    name = path.name
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise SourceFileError(
            name,
            [
                Problem(
                    name, "werkmap", f"het bestand is geen leesbare Excel-werkmap (.xlsx): {error}"
                )
            ],
        ) from None
    try:
        problems: list[Problem] = []
        missing = [s for s in ("meta", *SHEETS) if s not in workbook.sheetnames]
        for sheet in missing:
            problems.append(
                Problem(name, "tabblad_ontbreekt", f"het tabblad '{sheet}' ontbreekt", sheet=sheet)
            )
        if problems:
            raise SourceFileError(name, problems)

        meta_raw = _sheet_frame(workbook["meta"])
        if list(meta_raw.columns[:2]) != ["veld", "waarde"]:
            raise SourceFileError(
                name,
                [
                    Problem(
                        name,
                        "meta_kolommen",
                        "het tabblad 'meta' heeft de kolommen 'veld' en 'waarde'",
                        sheet="meta",
                    )
                ],
            )
        fields = dict(
            zip(meta_raw["veld"].astype(str).str.strip(), meta_raw["waarde"], strict=True)
        )
        meta_rows, problems = conform(
            pd.DataFrame([fields]), META, Location(name, sheet="meta", first_row=2)
        )
        if any(p.rule == "toegestane_waarden" and p.column == "template_versie" for p in problems):
            problems = [
                p
                if p.column != "template_versie"
                else Problem(
                    name,
                    "template_versie",
                    "onbekende templateversie; geaccepteerd: " + ", ".join(TEMPLATE_VERSIONS),
                    sheet="meta",
                    column="template_versie",
                    value=fields.get("template_versie"),
                )
                for p in problems
            ]
        tables = {}
        for sheet, contract in SHEETS.items():
            rows, sheet_problems = conform(
                _sheet_frame(workbook[sheet]), contract, Location(name, sheet=sheet)
            )
            tables[sheet] = rows
            problems += sheet_problems
        if not problems:
            problems = _cross_sheet_problems(name, tables)
        if problems:
            raise SourceFileError(name, problems)
        return Submission(meta=meta_rows.iloc[0].to_dict(), tables=tables)
    finally:
        workbook.close()
