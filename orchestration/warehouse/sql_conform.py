"""Type tables DuckDB has read, in SQL, when they certainly break no rule of their contract.

``conform`` (contracts.py) is the one statement of the cell rules and writes every message,
but it converts cell by cell in Python: most of the time of reading a Nivel or stagebureau
file. Nearly every file that is loaded was accepted before, so the readers first ask DuckDB
whether every cell is already in a form ``conform`` accepts without a word: no blank
required cell, numbers that parse, values in their lists and patterns and bounds, unique
keys, nothing to strip. For those files this returns the frame ``conform`` would return;
any other file (or one in doubt) the reader gives to ``conform`` for its problems. The tests
in tests/unit/test_sql_conform.py hold both to the same result.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

import duckdb
import numpy as np
import pandas as pd

from orchestration.warehouse.contracts import DUTCH_THOUSANDS, TableContract
from orchestration.warehouse.errors import ColumnLetters, column_letter

# The characters Python's str.strip() removes (str.isspace) beyond ASCII. A text holding any
# of them goes the exact way; the SQL below then only needs to know about ASCII, where every
# whitespace character is at most ' ' (a control character there just means doubt).
# (Written out: finding them takes 60 ms at import; tests/unit/test_sql_conform.py does.)
UNUSUAL_SPACES = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# A field with whitespace (or a control character) at either end, in a line split on ';'.
EDGE_IN_LINE = "(^|;)[\\x00- ]|[\\x00- ](;|$)"


def has_unusual_spaces(text: str) -> bool:
    return any(space in text for space in UNUSUAL_SPACES)


# Stricter than Python's float(), on purpose: anything else goes the exact way.
_INTEGER = r"-?[0-9]{1,15}"
_DECIMAL = r"-?[0-9]{1,15}(\.[0-9]{1,15})?"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# The Column fields this knows; a rule added to Column later leaves every file to conform
# until it is written here too.
KNOWN_FIELDS = {
    "name", "kind", "required", "allowed", "pattern", "pattern_words", "minimum", "maximum",
    "maximum_why", "max_length", "description", "unit",
}  # fmt: skip


def _column_sql(column, decimal_comma: bool, edges: bool) -> tuple[str, str] | None:
    """(value expression, ok expression) for one column, or None if only conform can tell."""
    if {f.name for f in dataclass_fields(column)} - KNOWN_FIELDS:
        return None
    c = f'"{column.name}"'
    blank = f"({c} IS NULL OR {c} = '')"
    edge = f"({c} IS NULL OR {c} = '' OR (ord({c}[1]) > 32 AND ord({c}[-1]) > 32))"
    ok = [edge] if edges else []
    if column.required:
        ok.append(f"NOT {blank}")
    if column.kind == "text":
        if column.max_length is not None:  # length() counts code points, as len() does
            ok.append(f"({blank} OR length({c}) <= {int(column.max_length)})")
        if column.allowed is not None:
            ok.append(f"({blank} OR {c} IN ({', '.join(_text(v) for v in column.allowed)}))")
        if column.pattern is not None:
            ok.append(f"({blank} OR regexp_full_match({c}, {_text(column.pattern)}))")
        return f"CASE WHEN {blank} THEN NULL ELSE {c} END", " AND ".join(ok or ["true"])
    if column.kind == "date" or column.allowed or column.pattern or column.max_length:
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


def clean_files(
    conn: duckdb.DuckDBPyConnection,
    relation: str,
    contract: TableContract,
    *,
    decimal_comma: bool = False,
    doubt: str = "false",
    edges_checked: bool = False,
    keep: tuple[str, ...] = (),
) -> dict[int, pd.DataFrame]:
    """{file: the rows ``conform`` would return} for every file in ``relation`` on which
    ``conform`` would find no problem; the other files are left out.

    ``relation`` (SQL) has ``_bestand`` (the file), ``_pos`` (the row's index in the frame
    ``conform`` would get), a VARCHAR column per contract column, and the columns in
    ``keep``, which are put in front. ``doubt`` flags rows only conform can judge
    (``edges_checked``: it covers every cell with whitespace around it). The texts must be
    free of ``UNUSUAL_SPACES``.
    """
    parts = [_column_sql(c, decimal_comma, not edges_checked) for c in contract.columns]
    if any(part is None for part in parts):
        return {}
    values = ", ".join(
        f'{value} AS "{c.name}"' for (value, _), c in zip(parts, contract.columns, strict=True)
    )
    ok = " AND ".join(f"({check})" for _, check in parts)
    kept = "".join(f', "{k}"' for k in keep)
    query = (
        f"SELECT _bestand, _pos, coalesce(({ok}) AND NOT ({doubt}), false) AS _ok{kept}, "
        f"{values} FROM ({relation}) ORDER BY _bestand, _pos"
    )
    try:
        found = conn.execute(query).fetchnumpy()
    except duckdb.Error:  # a pattern RE2 cannot take: let conform judge
        return {}
    files = np.asarray(found["_bestand"], dtype="int64")
    if not len(files):
        return {}
    positions = np.asarray(found["_pos"], dtype="int64")
    typed = pd.DataFrame({k: np.asarray(found[k]) for k in keep})
    for column in contract.columns:
        raw = found[column.name]
        if column.kind == "text":
            cells = np.ma.filled(raw.astype(object), None) if np.ma.isMaskedArray(raw) else raw
            typed[column.name] = pd.Series(list(cells), dtype=object)
        else:
            numbers = pd.Series(np.ma.filled(np.ma.asarray(raw, dtype="float64"), np.nan))
            typed[column.name] = numbers.astype("Int64") if column.kind == "integer" else numbers
    # What conform leaves on its table for the column letters in messages (contract order).
    letters = ColumnLetters({c: column_letter(i + 1) for i, c in enumerate(contract.column_names)})
    bad = set(files[~np.asarray(found["_ok"], dtype=bool)].tolist())
    if contract.key:
        twice = typed.assign(_bestand=files).duplicated(subset=["_bestand", *contract.key])
        bad |= set(files[twice.to_numpy()].tolist())
    starts = np.flatnonzero(np.r_[True, files[1:] != files[:-1]])
    ends = [*starts[1:], len(files)]
    clean = {}
    for start, end in zip(starts, ends, strict=True):
        if files[start] in bad:
            continue
        rows = typed.iloc[start:end].copy()
        index = positions[start:end]
        same = np.array_equal(index, np.arange(end - start))
        rows.index = pd.RangeIndex(end - start) if same else pd.Index(index)
        rows.attrs["letters"] = letters
        clean[int(files[start])] = rows
    return clean
