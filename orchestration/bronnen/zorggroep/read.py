"""Read a zorggroep workbook in the national exchange template."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.bronnen.bron import file_problems
from orchestration.bronnen.zorggroep.contract import META, SHEETS, TEMPLATE_VERSIONS
from orchestration.bronnen.zorggroep.rules import Workbook, cross_sheet_problems
from orchestration.bronnen.zorggroep.standard import RETIRED_VERSIONS
from orchestration.bronnen.zorggroep.tabbladen import match_sheets
from orchestration.bronnen.zorggroep.xlsx import UNREADABLE, Sheet, open_workbook
from orchestration.warehouse.contracts import Column, Location, TableContract, conform
from orchestration.warehouse.errors import ColumnLetters, Problem, SourceFileError, column_letter
from orchestration.warehouse.gx_sheets import SheetValidator, conform_with


@dataclass
class Submission:
    meta: dict
    tables: dict[str, pd.DataFrame]


ZIP_MAGIC = b"PK\x03\x04"
# A submission without practices or GPs says nothing; the other sheets may be empty.
MUST_HAVE_ROWS = {"praktijken": "praktijk", "huisartsen": "huisarts"}
# Problems after which a sheet's rows cannot be compared with another sheet's.
STRUCTURAL_RULES = {"kopregel_leeg", "kolom_ontbreekt", "onbekende_kolom", "dubbele_kolom"}
# Password-protected .xlsx files and old .xls files are OLE2 containers, not zip files.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Reading and checking a sample workbook (25 KB) is about 30 ms of single-threaded Python,
# and a full refresh reads hundreds: from this many bytes of workbooks per core on, every
# core takes a share. A process costs about 1 s to start (its imports), so a submission or
# a few are read in place.
BYTES_PER_WORKER = 2**20


def _sheet_rows(
    sheet: Sheet, file: str, problems: list[Problem]
) -> tuple[list, list[list], list[int]]:
    """(header, rows under it, their Excel row numbers minus 2), blank rows left out.

    Blank rows are dropped but keep their numbers, so a problem names the row Excel shows.
    """
    numbered = [
        (number, row)
        for number, row in sheet.numbered_rows()
        if any(cell is not None and (not isinstance(cell, str) or cell.strip()) for cell in row)
    ]
    if not numbered:
        return [], [], []
    header_row, header = numbered[0][0], list(numbered[0][1])
    while header and header[-1] is None:
        header.pop()
    # A gap in the header is nearly always a merged cell: say so instead of naming the
    # columns that then seem to be missing.
    gaps = [i for i, cell in enumerate(header) if cell is None or not str(cell).strip()]
    for i in gaps:
        problems.append(
            Problem(
                file,
                "kopregel_leeg",
                f"de kopregel heeft hier een lege cel (samengevoegde cellen?); zet in rij "
                f"{header_row} precies één kolomnaam per kolom",
                sheet=sheet.title,
                row=header_row,
                column=f"kolom {i + 1}",
            )
        )
    width = len(header)
    body = [row[:width] + [None] * (width - len(row)) for _, row in numbered[1:]]
    return header, body, [number - 2 for number, _ in numbered[1:]]


def _sheet_frame(sheet: Sheet, file: str, problems: list[Problem]) -> pd.DataFrame:
    """The sheet's cells under its header; the index is the Excel row number minus 2."""
    header, body, index = _sheet_rows(sheet, file, problems)
    if not header:
        return pd.DataFrame()
    return pd.DataFrame(body, columns=header, index=index, dtype=object)


def _file_problems(path: Path) -> list[Problem]:
    """What is wrong with the file as a file, before trying to open it as a workbook."""
    name = path.name
    problems = file_problems(
        path,
        ".xlsx",
        wat="een Excel-werkmap (het template: capmon template)",
        te_groot_hint="Staan er lege opgemaakte rijen of afbeeldingen in?",
    )
    if problems:
        return problems
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE2_MAGIC):
        return [
            Problem(
                name,
                "beveiligd_of_xls",
                "de werkmap is met een wachtwoord beveiligd of in het oude .xls-formaat "
                "opgeslagen; haal de beveiliging eraf en sla op als .xlsx",
            )
        ]
    if not head.startswith(ZIP_MAGIC):
        return [
            Problem(
                name,
                "geen_excel",
                "dit is geen Excel-werkmap maar een ander bestand (bijvoorbeeld CSV of tekst) "
                "met de extensie .xlsx; sla het op als Excel-werkmap (.xlsx)",
            )
        ]
    return []


def _unreadable(name: str, error: Exception) -> Problem:
    return Problem(
        name,
        "werkmap",
        "het bestand is geen leesbare Excel-werkmap (.xlsx); het is beschadigd of "
        f"onvolledig ({type(error).__name__})",
    )


def _version_problems(name: str, problems: list[Problem], version: object) -> list[Problem]:
    if not any(p.column == "template_versie" and p.rule == "toegestane_waarden" for p in problems):
        return problems
    shown = str(version).strip()
    why = (
        f"versie {shown} is ingetrokken ({RETIRED_VERSIONS[shown]})"
        if shown in RETIRED_VERSIONS
        else f"versie '{shown}' bestaat niet"
    )
    return [
        p
        if p.column != "template_versie"
        else Problem(
            name,
            "template_versie",
            f"{why}; geaccepteerd: " + ", ".join(TEMPLATE_VERSIONS) + ". Download het "
            "nieuwe template (capmon template) en neem de gegevens over",
            sheet="meta",
            column="template_versie",
            value=version,
        )
        for p in problems
    ]


def inspect_zorggroep_workbook(
    path: Path, previous=None, today=None, engine: str = "gx"
) -> tuple[Submission | None, list[Problem]]:
    """Every problem (errors and warnings) of one workbook, and its rows if it has no errors.

    ``previous(zorggroep_code, periode)`` returns the patients per practice of the same
    zorggroep's previous submission, for the warning about large jumps.

    ``engine="gx"`` runs the cell rules of every sheet as a Great Expectations suite;
    ``engine="pandas"`` runs the same rules, derived from the same contract, in plain pandas
    (the intake, `capmon check`, the portal and loading): GX costs seconds per workbook and
    finds nothing else (tests/unit/test_intake_corpus.py holds the two equal).
    """
    name = path.name
    problems = _file_problems(path)
    if problems:
        return None, problems
    try:
        workbook = open_workbook(path)
    except Exception as error:  # noqa: BLE001 - any unreadable file is a rejection, not a crash
        return None, [_unreadable(name, error)]
    try:
        tabs, problems = match_sheets(name, workbook.sheetnames, ("meta", *SHEETS))
        if problems:
            return None, problems

        meta_raw = _sheet_frame(workbook[tabs["meta"]], name, problems)
        if list(meta_raw.columns[:2]) != ["veld", "waarde"]:
            return None, [
                Problem(
                    name,
                    "meta_kolommen",
                    "het tabblad 'meta' heeft de kolommen 'veld' en 'waarde'",
                    sheet="meta",
                )
            ]
        fields = dict(
            zip(meta_raw["veld"].astype(str).str.strip(), meta_raw["waarde"], strict=True)
        )
        meta_rows, meta_problems = conform(
            pd.DataFrame([fields]), META, Location(name, sheet="meta", first_row=2)
        )
        # 'meta' is one record in two columns: row numbers count its fields, not its rows.
        order = list(fields)
        meta_problems = [
            Problem(
                p.file,
                p.rule,
                p.message,
                sheet="meta",
                row=order.index(p.column) + 2 if p.column in order else None,
                column=p.column,
                value=p.value,
            )
            for p in meta_problems
        ]
        problems += _version_problems(name, meta_problems, fields.get("template_versie"))
        tables = {}
        validator = None
        if engine == "gx":
            validator = SheetValidator()  # one GX context for every sheet of the file
        for sheet, contract in SHEETS.items():
            rows, sheet_problems = conform_with(
                engine,
                _sheet_frame(workbook[tabs[sheet]], name, problems),
                contract,
                Location(name, sheet=sheet),
                validator=validator,
            )
            tables[sheet] = rows
            problems += sheet_problems
            if sheet in MUST_HAVE_ROWS and rows.empty and not sheet_problems:
                problems.append(
                    Problem(
                        name,
                        "leeg_tabblad",
                        f"het tabblad '{sheet}' bevat geen rijen; een aanlevering bevat ten "
                        f"minste één {MUST_HAVE_ROWS[sheet]}",
                        sheet=sheet,
                        row=2,
                    )
                )
    except UNREADABLE as error:  # a sheet's XML can be broken where the zip is not
        return None, [_unreadable(name, error)]
    finally:
        workbook.close()
    # The cross-sheet rules need a readable 'meta' and every sheet's columns. Given those,
    # they run even when cells failed, so a sender gets every problem in one report, on the
    # rows that passed: a row with a bad cell is not judged again on what follows from it.
    if any(p.sheet == "meta" or p.rule in STRUCTURAL_RULES for p in problems):
        return None, problems
    meta = meta_rows.iloc[0].to_dict()
    before = previous(meta["zorggroep_code"], meta["periode"]) if previous else None
    failed = {(p.sheet, p.row) for p in problems}
    problems += [
        p
        for p in cross_sheet_problems(Workbook(name, meta, tables, before, today))
        if (p.sheet, p.row) not in failed
    ]
    errors = [p for p in problems if p.severity == "fout"]
    return (None if errors else Submission(meta=meta, tables=tables)), problems


def read_zorggroep_workbook(path: Path) -> Submission:
    """Return the typed sheets of one submission, or raise ``SourceFileError``."""
    submission, problems = inspect_zorggroep_workbook(path, engine="pandas")
    if submission is None:
        raise SourceFileError(path.name, [p for p in problems if p.severity == "fout"])
    return submission


# Reading many workbooks at once: the load path of every run. Per workbook, ``conform``
# costs about 20 ms a sheet whatever its size (pandas' fixed cost per column operation),
# more than reading the workbook. Here every sheet of all workbooks goes through ``conform``
# as one table, with the file as part of the key; a workbook on which that finds anything,
# or that is not plain (a missing or renamed sheet, an empty one, other headers), is read
# again on its own by ``read_zorggroep_workbook``, which names the problems.
# tests/unit/test_zorggroep_read_many.py holds both ways to the same result.

FILE = "_bestand"
Rows = tuple[list[list], list[int]]  # cells in contract order, Excel row numbers minus 2


def _plain_rows(
    header: list, body: list[list], index: list[int], contract, may_be_empty: bool
) -> Rows | None:
    """The rows if the header is the contract's, in its order (and there are rows, if the
    sheet must have them)."""
    names = [str(c).replace("\ufeff", "").strip() if c is not None else "" for c in header]
    return (body, index) if (body or may_be_empty) and names == contract.column_names else None


def _cells(path: Path) -> dict[str, Rows] | None:
    """{tab: rows} of a plain workbook, 'meta' as one row of its fields; else None."""
    if _file_problems(path):
        return None
    problems: list = []
    try:
        workbook = open_workbook(path)
        try:
            tabs, missing = match_sheets(path.name, workbook.sheetnames, ("meta", *SHEETS))
            if missing:
                return None
            meta = _sheet_rows(workbook[tabs["meta"]], path.name, problems)
            sheets = {s: _sheet_rows(workbook[tabs[s]], path.name, problems) for s in SHEETS}
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
        rows = _plain_rows(header, body, index, SHEETS[sheet], sheet not in MUST_HAVE_ROWS)
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
    clean = {}
    if any(not body for body, _ in frames.values()):
        # A sheet with its header and no rows, as the exact way reads it.
        empty = pd.DataFrame([], columns=contract.column_names, index=[], dtype=object)
        nothing = conform(empty, contract, Location(""))[0]
        clean = {i: nothing.copy() for i, (body, _) in frames.items() if not body}
        frames = {i: rows for i, rows in frames.items() if rows[0]}
        if not frames:
            return clean
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
    letters = ColumnLetters({c: column_letter(i + 1) for i, c in enumerate(contract.column_names)})
    start = 0
    for (i, (_, index)), size in zip(frames.items(), sizes, strict=True):
        if i not in bad:
            part = typed.iloc[start : start + size].set_axis(pd.Index(index), axis=0)
            part.attrs["letters"] = letters  # as conform leaves them for one file
            clean[i] = part
        start += size
    return clean


def read_zorggroep_many(paths: list[Path]) -> list[Submission | SourceFileError]:
    """The submission of each workbook, or the ``SourceFileError`` with its problems, in the
    order of ``paths``; many workbooks are shared out over the machine's cores."""
    total = sum(path.stat().st_size for path in paths if path.is_file())
    workers = min(os.cpu_count() or 1, len(paths), total // BYTES_PER_WORKER)
    if workers < 2:
        return _read_share(paths)
    size = -(-len(paths) // workers)
    shares = [paths[start : start + size] for start in range(0, len(paths), size)]
    # Interpreters of their own rather than multiprocessing's: a fork would copy whatever
    # lock one of the run's threads holds, and spawn re-runs the caller's main script.
    helpers = [
        subprocess.Popen(
            [sys.executable, "-m", "orchestration.bronnen.zorggroep.read_share", *map(str, share)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for share in shares[1:]
    ]
    results = _read_share(shares[0])
    for helper in helpers:
        out, err = helper.communicate()
        if helper.returncode != 0:
            raise RuntimeError(
                "Het inlezen van een deel van de zorggroep-werkmappen is mislukt:\n"
                + err.decode(errors="replace")[-4000:]
            )
        results += pickle.loads(out)
    return results


def _read_share(paths: list[Path]) -> list[Submission | SourceFileError]:
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


# The load path (source_files, a batch at a time) reads all workbooks of a run through this.
read_zorggroep_workbook.many = read_zorggroep_many  # type: ignore[attr-defined]
