"""What the Nivel and stagebureau readers share to let DuckDB read many files in one go.

One query per file would cost more in DuckDB's planning than the file takes to read (about
10 ms for a 20 KB export); one query for all files of a source costs that once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.warehouse.errors import SourceFileError

_DATABASE: duckdb.DuckDBPyConnection | None = None
_LOCK = threading.Lock()


def connection() -> duckdb.DuckDBPyConnection:
    """A connection to one in-memory database shared by all readers; close it after use."""
    global _DATABASE
    with _LOCK:
        if _DATABASE is None:
            _DATABASE = duckdb.connect(":memory:")
        return _DATABASE.cursor()


def decoded(paths: list[Path]) -> dict[int, str]:
    """{position in ``paths``: text} of the files that are UTF-8 (a byte-order mark dropped);
    the others are left to the reader's exact way, which names the problem."""
    texts = {}
    for i, path in enumerate(paths):
        try:
            texts[i] = path.read_bytes().decode("utf-8-sig")
        except (UnicodeDecodeError, OSError):
            continue
    return texts


def register_texts(conn: duckdb.DuckDBPyConnection, texts: dict[int, str]) -> None:
    """Table ``bestanden`` (_bestand, text) on ``conn``."""
    frame = pd.DataFrame({"_bestand": list(texts), "text": list(texts.values())})
    conn.register("bestanden", frame)


# (_bestand, regel, line): every line of every registered file, numbered from 1 as an editor
# numbers them (a "\r" before the line break stays on the line).
NUMBERED_LINES = (
    "SELECT _bestand, unnest(range(1, len(l) + 1)) AS regel, unnest(l) AS line "
    "FROM (SELECT _bestand, string_split(text, chr(10)) AS l FROM bestanden)"
)


def clean_or_exact(
    paths: list[Path],
    clean: dict[int, pd.DataFrame],
    read_exact: Callable[[Path], pd.DataFrame],
) -> list:
    """Per file: the rows DuckDB typed in one go (``clean``, by position), else the exact
    reader's rows or the ``SourceFileError`` it raised with every problem."""
    results: list = []
    for i, path in enumerate(paths):
        if i in clean:
            results.append(clean[i])
            continue
        try:
            results.append(read_exact(path))
        except SourceFileError as error:
            results.append(error)
    return results
