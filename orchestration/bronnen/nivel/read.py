"""Read a Nivel extract written with Dutch Excel conventions.

Nivel delivers ``;``-separated CSV with decimal commas, UTF-8 with a byte-order mark.
DuckDB splits and types the file; a file it cannot pass as clean in one go (a problem, a
quoted field, spaces to strip) is read again line by line so that every problem is named
with the line an editor shows (docs/inname.md).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from orchestration.bronnen.nivel.contract import NIVEL_REGISTRATIE
from orchestration.warehouse.contracts import Location
from orchestration.warehouse.duckdb_reading import connection, numbered_lines
from orchestration.warehouse.errors import Problem, SourceFileError
from orchestration.warehouse.gx_sheets import conform_with
from orchestration.warehouse.sql_conform import EDGE_IN_LINE, typed_if_clean


def _header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text.split("\n", 1)[0].rstrip("\r")), delimiter=";"))


def _typed_in_duckdb(text: str, header: list[str]) -> pd.DataFrame | None:
    """The typed rows if the file is certainly clean, else ``None``; no Python per row."""
    names = [h.replace("\ufeff", "").strip() for h in header]
    if '"' in text or sorted(names) != sorted(NIVEL_REGISTRATIE.column_names):
        return None
    fields = ", ".join(f'f[{i + 1}] AS "{name}"' for i, name in enumerate(names))
    relation = (
        f"SELECT regel - 2 AS _pos, {fields},"
        f"  len(f) > {len(names)} OR regexp_matches(line, '{EDGE_IN_LINE}') AS _twijfel"
        f" FROM (SELECT regel, line, string_split(line, ';') AS f FROM ("
        f"   SELECT regel, rtrim(line, chr(13)) AS line FROM ({numbered_lines('$text')}))"
        # Blank by a narrower test than Python's: a line it keeps has no value, so is in doubt.
        f"  WHERE regel > 1 AND NOT regexp_full_match(line, '[; \\t]*'))"
    )
    conn = connection()
    try:
        return typed_if_clean(
            conn,
            relation,
            NIVEL_REGISTRATIE,
            decimal_comma=True,
            doubt="_twijfel",
            parameters={"text": text},
            edges_checked=True,
        )
    finally:
        conn.close()


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
                    f"regel {line} heeft {len(record)} velden, de kopregel {len(header)}; "
                    "staat er een ';' te veel of een decimaalteken dat ook scheidingsteken is?",
                    row=line,
                )
            )
            continue
        rows.append(record + [None] * (len(header) - len(record)))
        index.append(line - 2)
    if problems:
        raise SourceFileError(name, problems)
    return pd.DataFrame(rows, columns=header, index=index, dtype=object)


def read_nivel_csv(path: Path, engine: str = "pandas") -> pd.DataFrame:
    """Return the typed rows of one extract, or raise ``SourceFileError`` with every problem.

    ``engine="gx"`` (the intake) runs the cell rules as GX suites, on the exact way.
    """
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
    rows = _typed_in_duckdb(text, _header(text)) if engine == "pandas" else None
    if rows is None:
        # Blank lines are dropped by the reader, not by the parser, so that every row keeps
        # its index (line number − 2) and a problem names the line an editor shows.
        raw = _raw_lines(name, text)
        rows, problems = conform_with(
            engine, raw, NIVEL_REGISTRATIE, Location(name), decimal_comma=True
        )
        if problems:
            raise SourceFileError(name, problems)
    if rows["peiljaar"].nunique() > 1:
        raise SourceFileError(
            name,
            [
                Problem(
                    name,
                    "een_peiljaar",
                    "een extract bevat precies één peiljaar",
                    column="peiljaar",
                )
            ],
        )
    return rows
