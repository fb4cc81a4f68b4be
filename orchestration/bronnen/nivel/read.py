"""Read Nivel extracts written with Dutch Excel conventions.

Nivel delivers ``;``-separated CSV with decimal commas, UTF-8 with a byte-order mark.
DuckDB splits and types every file that is certainly clean, all files in one query; a file
it cannot pass (a problem, a quoted field, spaces to strip) is read line by line so that
every problem is named with the line an editor shows (docs/inname.md).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from orchestration.bronnen.nivel.contract import NIVEL_REGISTRATIE, nivel_registratie
from orchestration.warehouse.contracts import Location, TableContract
from orchestration.warehouse.duckdb_reading import (
    NUMBERED_LINES,
    clean_or_exact,
    connection,
    decoded,
    register_texts,
)
from orchestration.warehouse.errors import Problem, SourceFileError
from orchestration.warehouse.gx_sheets import conform_with
from orchestration.warehouse.sql_conform import EDGE_IN_LINE, clean_files, has_unusual_spaces

HEADER = ";".join(NIVEL_REGISTRATIE.column_names)


def _clean_in_duckdb(
    texts: dict[int, str], contract: TableContract = NIVEL_REGISTRATIE
) -> dict[int, pd.DataFrame]:
    """{file: typed rows} of the files that are certainly clean; no Python per row."""
    usable = {
        i: text
        for i, text in texts.items()
        if '"' not in text
        and text.split("\n", 1)[0].rstrip("\r") == HEADER
        and not has_unusual_spaces(text)
    }
    if not usable:
        return {}
    names = NIVEL_REGISTRATIE.column_names
    fields = ", ".join(f'f[{i + 1}] AS "{name}"' for i, name in enumerate(names))
    relation = (
        f"SELECT _bestand, regel - 2 AS _pos, {fields},"
        f"  len(f) > {len(names)} OR regexp_matches(line, '{EDGE_IN_LINE}') AS _twijfel"
        " FROM (SELECT _bestand, regel, line, string_split(line, ';') AS f FROM ("
        f"   SELECT _bestand, regel, rtrim(line, chr(13)) AS line FROM ({NUMBERED_LINES}))"
        # Blank by a narrower test than Python's: a line it keeps has no value, so is in doubt.
        "  WHERE regel > 1 AND NOT regexp_full_match(line, '[; \\t]*'))"
    )
    conn = connection()
    try:
        register_texts(conn, usable)
        clean = clean_files(
            conn,
            relation,
            contract,
            decimal_comma=True,
            doubt="_twijfel",
            edges_checked=True,
        )
    finally:
        conn.close()
    return {i: rows for i, rows in clean.items() if rows["peiljaar"].nunique() == 1}


def _raw_lines(name: str, text: str) -> pd.DataFrame:
    """Every non-blank line under the header, indexed by line number − 2 (the exact way)."""
    reader = csv.reader(io.StringIO(text), delimiter=";", skipinitialspace=True)
    header = next(reader)
    rows, index, problems = [], [], []
    last = reader.line_num
    for record in reader:
        line, last = last + 1, reader.line_num  # a quoted field may span lines
        if all(not cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(
                Problem(
                    name,
                    "csv_formaat",
                    f"regel {line} heeft {len(record)} velden en de kopregel {len(header)}; "
                    "staat er een ';' te veel?",
                    row=line,
                )
            )
            continue
        rows.append(record + [None] * (len(header) - len(record)))
        index.append(line - 2)
    if problems:
        raise SourceFileError(name, problems)
    return pd.DataFrame(rows, columns=header, index=index, dtype=object)


def _read_exact(
    path: Path, engine: str, contract: TableContract = NIVEL_REGISTRATIE
) -> pd.DataFrame:
    """Every problem of one extract, by line and column; the typed rows if there are none."""
    name = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceFileError(
            name,
            [Problem(name, "codering", f"het bestand is geen UTF-8 tekst (byte {error.start})")],
        ) from None
    if not text.strip():
        raise SourceFileError(name, [Problem(name, "leeg_bestand", "het bestand is leeg")])
    header = text.splitlines()[0]
    if ";" not in header and "," in header:
        raise SourceFileError(
            name,
            [
                Problem(
                    name, "scheidingsteken", "kolommen moeten gescheiden zijn door ';', niet ','"
                )
            ],
        )
    # Blank lines are dropped by the reader, not by the parser, so that every row keeps
    # its index (line number − 2) and a problem names the line an editor shows.
    raw = _raw_lines(name, text)
    rows, problems = conform_with(engine, raw, contract, Location(name), decimal_comma=True)
    if not problems and rows["peiljaar"].nunique() > 1:
        problems.append(
            Problem(
                name, "een_peiljaar", "een extract bevat precies één peiljaar", column="peiljaar"
            )
        )
    if problems:
        raise SourceFileError(name, problems)
    return rows


def read_nivel_many(paths: list[Path], schaal: float = 1.0) -> list[pd.DataFrame | SourceFileError]:
    """The typed rows of each extract, or the ``SourceFileError`` with its problems.

    ``schaal``: a synthetic world's, whose per-row maximums grow with it (contract.py).
    """
    contract = nivel_registratie(schaal)
    return clean_or_exact(
        paths,
        _clean_in_duckdb(decoded(paths), contract),
        lambda path: _read_exact(path, "pandas", contract),
    )


def read_nivel_csv(path: Path, engine: str = "pandas", schaal: float = 1.0) -> pd.DataFrame:
    """Return the typed rows of one extract, or raise ``SourceFileError`` with every problem.

    ``engine="gx"`` runs the cell rules as GX suites, on the exact way (the parity tests).
    """
    if engine != "pandas":
        return _read_exact(path, engine, nivel_registratie(schaal))
    (result,) = read_nivel_many([path], schaal)
    if isinstance(result, SourceFileError):
        raise result
    return result


# The load path (source_files, a batch at a time) reads all files of a source through this.
read_nivel_csv.many = read_nivel_many  # type: ignore[attr-defined]
