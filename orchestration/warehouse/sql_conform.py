"""Type a table DuckDB has read, in SQL, when it certainly breaks no rule of its contract.

``conform`` (contracts.py) is the one statement of the cell rules and writes every message,
but it converts cell by cell in Python: most of the time of reading a Nivel or stagebureau
file. Nearly every file that is loaded was accepted before, so the readers first ask DuckDB
whether every cell is already in a form ``conform`` accepts without a word: no blank
required cell, numbers that parse, values in their lists and patterns and bounds, unique
keys, nothing to strip. Then this returns the frame ``conform`` would return. Otherwise, or
when in doubt, it returns ``None`` and the reader runs ``conform`` for the problems: the
tests in tests/unit/test_sql_conform.py hold both to the same result.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from orchestration.warehouse.contracts import DUTCH_THOUSANDS, TableContract

# The characters Python's str.strip() removes (str.isspace), as an RE2 class.
_SPACES = [c for c in range(0x110000) if chr(c).isspace()]
WHITESPACE = "[" + "".join(f"\\x{{{c:x}}}" for c in _SPACES) + "]"
_EDGE = f"^{WHITESPACE}|{WHITESPACE}$"
# A field with spaces (or any whitespace) at either end, in a line split on ';'.
EDGE_IN_LINE = f"(^|;){WHITESPACE}|{WHITESPACE}(;|$)"
# Stricter than Python's float(), on purpose: anything else goes the exact way.
_INTEGER = r"-?[0-9]{1,15}"
_DECIMAL = r"-?[0-9]{1,15}(\.[0-9]{1,15})?"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _column_sql(column, decimal_comma: bool, edges: bool) -> tuple[str, str] | None:
    """(value expression, ok expression) for one column, or None if only conform can tell."""
    c = f'"{column.name}"'
    blank = f"({c} IS NULL OR {c} = '')"
    ok = [f"({c} IS NULL OR NOT regexp_matches({c}, {_text(_EDGE)}))"] if edges else []
    if column.required:
        ok.append(f"NOT {blank}")
    if column.kind == "text":
        if column.allowed is not None:
            ok.append(f"({blank} OR {c} IN ({', '.join(_text(v) for v in column.allowed)}))")
        if column.pattern is not None:
            ok.append(f"({blank} OR regexp_full_match({c}, {_text(column.pattern)}))")
        return f"CASE WHEN {blank} THEN NULL ELSE {c} END", " AND ".join(ok)
    if column.kind == "date" or column.allowed is not None or column.pattern is not None:
        return None
    number = c
    if decimal_comma:  # "1.002,5" -> "1002.5", as conform's _as_number does
        number = (
            f"replace(CASE WHEN regexp_full_match({c}, {_text(DUTCH_THOUSANDS.pattern)}) "
            f"THEN replace({c}, '.', '') ELSE {c} END, ',', '.')"
        )
    shape = _INTEGER if column.kind == "integer" else _DECIMAL
    ok.append(f"({blank} OR regexp_full_match({number}, {_text(shape)}))")
    value = f"TRY_CAST({number} AS DOUBLE)"
    if column.minimum is not None:
        ok.append(f"({blank} OR {value} >= {float(column.minimum)!r})")
    if column.maximum is not None:
        ok.append(f"({blank} OR {value} <= {float(column.maximum)!r})")
    return f"CASE WHEN {blank} THEN NULL ELSE {value} END", " AND ".join(ok)


def typed_if_clean(
    conn: duckdb.DuckDBPyConnection,
    relation: str,
    contract: TableContract,
    *,
    decimal_comma: bool = False,
    doubt: str = "false",
    parameters: dict | None = None,
    edges_checked: bool = False,
) -> pd.DataFrame | None:
    """``relation`` (SQL) has a VARCHAR column per contract column and ``_pos``, the row's
    index in the frame ``conform`` would get; ``doubt`` flags rows only conform can judge
    (``edges_checked``: it covers every cell with spaces around it, a cheaper test per line).
    Returns ``conform``'s typed rows if it would find no problem, else ``None``."""
    parts = [_column_sql(c, decimal_comma, not edges_checked) for c in contract.columns]
    if any(part is None for part in parts):
        return None
    values = ", ".join(
        f'{value} AS "{c.name}"' for (value, _), c in zip(parts, contract.columns, strict=True)
    )
    ok = " AND ".join(f"({check})" for _, check in parts)
    query = (
        f"SELECT _pos, coalesce(({ok}) AND NOT ({doubt}), false) AS _ok, {values} "
        "FROM cells ORDER BY _pos"
    )
    try:
        # Materialised first: the relation's expressions are not worked out once per check.
        conn.execute(f"CREATE OR REPLACE TEMP TABLE cells AS {relation}", parameters or {})
        found = conn.execute(query).fetchnumpy()
    except duckdb.Error:  # a pattern RE2 cannot take: let conform judge
        return None
    if not np.asarray(found["_ok"], dtype=bool).all():
        return None
    index = pd.Index(np.asarray(found["_pos"], dtype="int64"))
    if len(index) and (index == pd.RangeIndex(len(index))).all():
        index = pd.RangeIndex(len(index))
    typed = pd.DataFrame(index=index)
    for column in contract.columns:
        raw = found[column.name]
        if column.kind == "text":
            cells = np.ma.filled(raw.astype(object), None) if np.ma.isMaskedArray(raw) else raw
            typed[column.name] = pd.Series(list(cells), index=index, dtype=object)
        else:
            cells = np.ma.filled(np.ma.asarray(raw, dtype="float64"), np.nan)
            series = pd.Series(cells, index=index, dtype="float64")
            typed[column.name] = series.astype("Int64") if column.kind == "integer" else series
    if contract.key and typed.duplicated(subset=list(contract.key)).any():
        return None
    return typed
