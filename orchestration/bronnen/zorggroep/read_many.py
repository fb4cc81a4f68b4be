"""Read many zorggroep workbooks at once: the load path of every run.

Per workbook, ``conform`` costs about 20 ms a sheet whatever its size (pandas' fixed cost
per column operation), more than reading the workbook. Here every sheet of all workbooks
goes through ``conform`` as one table, with the file as part of the key; a workbook on which
that finds anything, or that is not plain (a missing or renamed sheet, an empty one, other
headers), is read again on its own by ``read_zorggroep_workbook``, which names the problems.
tests/unit/test_zorggroep_read_many.py holds both ways to the same result.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.bronnen.zorggroep.contract import META, SHEETS
from orchestration.bronnen.zorggroep.read import (
    Submission,
    _file_problems,
    _sheet_rows,
    read_zorggroep_workbook,
)
from orchestration.bronnen.zorggroep.rules import Workbook, cross_sheet_problems
from orchestration.bronnen.zorggroep.xlsx import open_workbook
from orchestration.warehouse.contracts import Column, Location, TableContract, conform
from orchestration.warehouse.errors import SourceFileError

FILE = "_bestand"
Rows = tuple[list[list], list[int]]  # cells in contract order, Excel row numbers minus 2


def _plain_rows(header: list, body: list[list], index: list[int], contract) -> Rows | None:
    """The rows if the header is the contract's, in its order, and there are rows."""
    names = [str(c).replace("\ufeff", "").strip() if c is not None else "" for c in header]
    return (body, index) if body and names == contract.column_names else None


def _cells(path: Path) -> dict[str, Rows] | None:
    """{tab: rows} of a plain workbook, 'meta' as one row of its fields; else None."""
    if _file_problems(path):
        return None
    problems: list = []
    try:
        workbook = open_workbook(path)
        try:
            if any(sheet not in workbook.sheetnames for sheet in ("meta", *SHEETS)):
                return None
            meta = _sheet_rows(workbook["meta"], path.name, problems)
            sheets = {s: _sheet_rows(workbook[s], path.name, problems) for s in SHEETS}
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - the exact way turns it into a rejection
        return None
    header, body, _ = meta
    if problems or header[:2] != ["veld", "waarde"]:
        return None
    fields = {str(row[0]).strip(): row[1] for row in body}
    if len(fields) != len(body) or sorted(fields) != sorted(META.column_names):
        return None
    cells = {"meta": ([[fields[n] for n in META.column_names]], [0])}
    for sheet, (header, body, index) in sheets.items():
        rows = _plain_rows(header, body, index, SHEETS[sheet])
        if rows is None:
            return None
        cells[sheet] = rows
    return cells


def _conform_all(frames: dict[int, Rows], contract: TableContract) -> dict[int, pd.DataFrame]:
    """Typed rows per file of the files on which conform finds nothing, in one call."""
    with_file = replace(
        contract,
        columns=(*contract.columns, Column(FILE)),
        key=(FILE, *contract.key) if contract.key else (),
    )
    sizes = [len(body) for body, _ in frames.values()]
    files = np.repeat(list(frames), sizes)
    rows = pd.DataFrame(
        [row for body, _ in frames.values() for row in body],
        columns=contract.column_names,
        dtype=object,
    ).assign(**{FILE: files.astype(str)})
    typed, problems = conform(rows, with_file, Location("", first_row=0))
    bad = {int(files[p.row]) for p in problems if p.row is not None}
    if any(p.row is None for p in problems):
        bad = set(frames)
    typed = typed.drop(columns=FILE)
    clean, start = {}, 0
    for (i, (_, index)), size in zip(frames.items(), sizes, strict=True):
        if i not in bad:
            clean[i] = typed.iloc[start : start + size].set_axis(pd.Index(index), axis=0)
        start += size
    return clean


def read_zorggroep_many(paths: list[Path]) -> list[Submission | SourceFileError]:
    """The submission of each workbook, or the ``SourceFileError`` with its problems."""
    cells = {i: c for i, path in enumerate(paths) if (c := _cells(path)) is not None}
    typed: dict[str, dict[int, pd.DataFrame]] = {}
    for sheet, contract in {"meta": META, **SHEETS}.items():
        frames = {i: c[sheet] for i, c in cells.items()}
        typed[sheet] = _conform_all(frames, contract) if frames else {}
    results: list[Submission | SourceFileError] = []
    for i, path in enumerate(paths):
        submission = None
        if all(i in typed[sheet] for sheet in typed):
            meta = typed["meta"][i].iloc[0].to_dict()
            tables = {sheet: typed[sheet][i] for sheet in SHEETS}
            checked = cross_sheet_problems(Workbook(path.name, meta, tables, None, None))
            if not any(p.severity == "fout" for p in checked):
                submission = Submission(meta=meta, tables=tables)
        if submission is None:
            try:
                submission = read_zorggroep_workbook(path)
            except SourceFileError as error:
                results.append(error)
                continue
        results.append(submission)
    return results
