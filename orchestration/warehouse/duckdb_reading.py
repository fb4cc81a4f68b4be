"""What the Nivel and stagebureau readers share to let DuckDB read a file's lines."""

from __future__ import annotations

import threading

import duckdb

_DATABASE: duckdb.DuckDBPyConnection | None = None
_LOCK = threading.Lock()


def connection() -> duckdb.DuckDBPyConnection:
    """A connection to one in-memory database shared by all readers (opening one per file
    would cost more than reading it); close it after use."""
    global _DATABASE
    with _LOCK:
        if _DATABASE is None:
            _DATABASE = duckdb.connect(":memory:")
        return _DATABASE.cursor()


def numbered_lines(text: str) -> str:
    """SQL for (regel, line): every line of the text expression ``text``, numbered from 1 as
    an editor numbers them (a ``\\r`` before the line break stays on the line)."""
    return (
        "SELECT unnest(range(1, len(l) + 1)) AS regel, unnest(l) AS line "
        f"FROM (SELECT string_split({text}, chr(10)) AS l)"
    )
