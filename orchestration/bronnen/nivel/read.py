"""Read a Nivel extract written with Dutch Excel conventions.

Nivel delivers ``;``-separated CSV with decimal commas, UTF-8 with a byte-order mark.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from orchestration.bronnen.nivel.contract import NIVEL_REGISTRATIE
from orchestration.warehouse.contracts import Location
from orchestration.warehouse.errors import Problem, SourceFileError
from orchestration.warehouse.gx_sheets import conform_with


def read_nivel_csv(path: Path, engine: str = "pandas") -> pd.DataFrame:
    """Return the typed rows of one extract, or raise ``SourceFileError`` with every problem."""
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
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            sep=";",
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as error:
        raise SourceFileError(
            name, [Problem(name, "csv_formaat", f"het bestand is geen geldige CSV: {error}")]
        ) from None
    # Blank lines are dropped after reading, not by the parser, so that every row keeps its
    # index (line number − 2) and a problem names the line an editor shows.
    raw = raw[~raw.fillna("").apply(lambda column: column.str.strip()).eq("").all(axis=1)]
    rows, problems = conform_with(
        engine, raw, NIVEL_REGISTRATIE, Location(name), decimal_comma=True
    )
    if not problems and rows["peiljaar"].nunique() > 1:
        problems.append(
            Problem(
                name, "een_peiljaar", "een extract bevat precies één peiljaar", column="peiljaar"
            )
        )
    if problems:
        raise SourceFileError(name, problems)
    return rows
