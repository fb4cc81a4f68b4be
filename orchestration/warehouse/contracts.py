"""Column contracts for incoming tables, and the code that holds a table to one.

A contract says which columns a table has, their kind, and the values they allow. Every
source reader uses the same conformance step, so a file breaks a rule in the same words
whichever source it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import pandas as pd

from orchestration.warehouse.errors import ColumnLetters, Problem, column_letter

Kind = Literal["text", "integer", "decimal", "date"]

KIND_WORDS = {
    "text": "tekst",
    "integer": "geheel getal",
    "decimal": "getal",
    "date": "geldige datum (JJJJ-MM-DD)",
}
# "1.204" or "1.002,5": dots that group thousands, as Dutch Excel writes them.
DUTCH_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
# "0,8": a number with a decimal comma, typed or pasted as text.
DECIMAL_COMMA = re.compile(r"-?\d+,\d+")
DUCKDB_TYPES = {"text": "VARCHAR", "integer": "INTEGER", "decimal": "DOUBLE", "date": "DATE"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = "text"
    required: bool = True
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    pattern_words: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    # Why the maximum is where it is, in Dutch: the sender reads it with the "maximum"
    # message, the data dictionary prints it (a plausibility bound, docs/inname.md).
    maximum_why: str = ""
    # Longest text a cell may hold (text columns); the template's length validation uses it.
    max_length: int | None = None
    # For people, not for the checks: the data dictionary and the template's toelichting.
    description: str = ""
    unit: str | None = None


@dataclass(frozen=True)
class TableContract:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def duckdb_schema(self) -> dict[str, str]:
        return {column.name: DUCKDB_TYPES[column.kind] for column in self.columns}


def dutch_bound(value: float) -> str:
    """1.5 -> '1,5', 30000.0 -> '30000' (no thousands dots: bounds are often years)."""
    return f"{value:g}".replace(".", ",")


def minimum_message(column: Column) -> str:
    """The words of the "minimum" rule, shared by both engines (``gx_sheets.py``)."""
    return f"de waarde mag niet kleiner zijn dan {dutch_bound(column.minimum)}"


def maximum_message(column: Column) -> str:
    """The words of the "maximum" rule, shared by both engines (``gx_sheets.py``)."""
    message = f"de waarde mag niet groter zijn dan {dutch_bound(column.maximum)}"
    return f"{message}: {column.maximum_why}" if column.maximum_why else message


def length_message(column: Column) -> str:
    return f"de tekst is langer dan {column.max_length} tekens"


def _is_blank_header(cell: object) -> bool:
    # pandas may hand an empty header cell over as None or as NaN ("nan" in a message).
    return cell is None or (isinstance(cell, float) and pd.isna(cell)) or not str(cell).strip()


@dataclass(frozen=True)
class Location:
    """Where a table sits, so that problems can name it."""

    file: str
    sheet: str | None = None
    first_row: int = 2  # the row number of index 0 (the table's index counts from here)


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | series.map(lambda v: isinstance(v, str) and not v.strip())


def _as_text(series: pd.Series) -> pd.Series:
    def convert(value: object) -> object:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        return text or None

    return series.map(convert).astype("object")


def _as_number(series: pd.Series, decimal_comma: bool) -> pd.Series:
    def convert(value: object) -> object:
        if isinstance(value, bool):
            return float("nan")
        if isinstance(value, int | float):
            return float(value)
        text = str(value).strip()
        if decimal_comma:
            if DUTCH_THOUSANDS.fullmatch(text):
                text = text.replace(".", "")
            text = text.replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return float("nan")

    return series.map(convert).astype("float64")


def _as_date(series: pd.Series) -> pd.Series:
    def convert(value: object) -> object:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            return None

    return series.map(convert).astype("object")


def conform(
    raw: pd.DataFrame,
    contract: TableContract,
    where: Location,
    *,
    decimal_comma: bool = False,
    value_rules: bool = True,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ``raw`` (cells as read) against ``contract``; return typed rows and problems.

    With ``value_rules=False`` only the shape and the types are checked (required cells,
    allowed values, formats, ranges and keys are left to the intake's Great Expectations
    suites, built from the same contract: ``gx_sheets.py``).
    """

    problems: list[Problem] = []

    def add(
        rule: str,
        message: str,
        rows: Iterable[int] = (None,),
        column=None,
        values=None,
        letter=None,
    ):
        values = list(values) if values is not None else None
        if letter is None and column is not None:
            letter = ", ".join(letters[c] for c in column.split(", ") if c in letters) or None
        for index, row in enumerate(rows):
            problems.append(
                Problem(
                    file=where.file,
                    sheet=where.sheet,
                    row=None if row is None else int(row) + where.first_row,
                    column=column,
                    rule=rule,
                    message=message,
                    value=None if values is None else plain_value(values[index]),
                    letter=letter,
                )
            )

    # Harmless differences are normalised rather than rejected: spaces around a header and
    # the byte-order mark some tools put before the first one.
    header = [
        "" if _is_blank_header(c) else str(c).replace("\ufeff", "").strip() for c in raw.columns
    ]
    # The letter Excel shows above each column, so a problem can say "kolom E (fte)".
    letters = {name: column_letter(i + 1) for i, name in enumerate(header) if name}
    # The index is kept: it is each row's offset from ``where.first_row``, and readers keep it
    # across the blank rows they drop, so a problem names the row the sender sees.
    raw = raw.set_axis(header, axis=1)
    missing = [name for name in contract.column_names if name not in header]
    for name in missing:
        add("kolom_ontbreekt", f"de verplichte kolom '{name}' ontbreekt", column=name)
    for position, name in enumerate(header):
        if name in contract.column_names:
            continue
        letter = column_letter(position + 1)
        add(
            "onbekende_kolom",
            (f"kolom '{name}'" if name else f"de kolom zonder naam in kolom {letter}")
            + f" hoort niet in tabel '{contract.name}'; "
            f"toegestaan zijn: {', '.join(contract.column_names)}",
            column=name or None,
            letter=letter,
        )
    if len(set(header)) != len(header):
        add("dubbele_kolom", "een kolomnaam komt meer dan één keer voor")
    if problems:
        return pd.DataFrame(columns=contract.column_names), problems

    typed = pd.DataFrame(index=raw.index)
    for column in contract.columns:
        cells = raw[column.name]
        blank = _blank(cells)
        if value_rules and column.required and blank.any():
            rows = blank[blank].index
            add("verplicht", "deze cel is leeg maar is verplicht", rows, column.name)
        if column.kind == "text":
            values = _as_text(cells)
        elif column.kind == "date":
            values = _as_date(cells)
        else:
            values = _as_number(cells, decimal_comma)
        if column.kind != "text":
            unreadable = ~blank & pd.isna(values)
            if column.kind == "integer":
                unreadable |= ~blank & values.notna() & (values % 1 != 0)
            if unreadable.any() and column.kind != "date":
                # The most common cause by far (issue 13): Dutch Excel wrote text "0,8".
                comma = unreadable & cells.map(
                    lambda v: isinstance(v, str) and bool(DECIMAL_COMMA.fullmatch(v.strip()))
                )
                if comma.any():
                    add(
                        "type",
                        f"dit is geen {KIND_WORDS[column.kind]} maar tekst met een decimale "
                        "komma; maak er een getalcel van of schrijf een punt (0.8)",
                        comma[comma].index,
                        column.name,
                        cells[comma],
                    )
                unreadable_rest = unreadable & ~comma
            else:
                unreadable_rest = unreadable
            if unreadable_rest.any():
                rows = unreadable_rest[unreadable_rest].index
                add(
                    "type",
                    f"dit is geen {KIND_WORDS[column.kind]}",
                    rows,
                    column.name,
                    cells[unreadable_rest],
                )
            values = values.where(~unreadable, None if column.kind == "date" else float("nan"))
        present = values.notna() & value_rules
        if column.allowed is not None:
            wrong = present & ~values.isin(column.allowed)
            if wrong.any():
                add(
                    "toegestane_waarden",
                    f"deze waarde is niet toegestaan; kies uit: {', '.join(column.allowed)}",
                    wrong[wrong].index,
                    column.name,
                    values[wrong],
                )
        if column.pattern is not None:
            matches = values.astype(str).str.fullmatch(column.pattern).fillna(False)
            wrong = present & ~matches.astype(bool)
            if wrong.any():
                add(
                    "formaat",
                    f"verkeerd formaat; verwacht {column.pattern_words or column.pattern}",
                    wrong[wrong].index,
                    column.name,
                    values[wrong],
                )
        if column.minimum is not None:
            wrong = present & (values < column.minimum)
            if wrong.any():
                add(
                    "minimum",
                    minimum_message(column),
                    wrong[wrong].index,
                    column.name,
                    values[wrong],
                )
        if column.maximum is not None:
            wrong = present & (values > column.maximum)
            if wrong.any():
                add(
                    "maximum",
                    maximum_message(column),
                    wrong[wrong].index,
                    column.name,
                    values[wrong],
                )
        if column.max_length is not None:
            wrong = present & (values.astype(str).str.len() > column.max_length)
            # A cell already reported for its format is not reported again for its length.
            if column.pattern is not None:
                wrong &= values.astype(str).str.fullmatch(column.pattern).fillna(False).astype(bool)
            if wrong.any():
                add(
                    "lengte", length_message(column), wrong[wrong].index, column.name, values[wrong]
                )
        if column.kind == "integer":
            values = values.astype("Int64")
        typed[column.name] = values

    if value_rules and contract.key:
        duplicated = typed.duplicated(subset=list(contract.key), keep="first")
        if duplicated.any():
            add(
                "dubbele_sleutel",
                "deze combinatie van "
                + ", ".join(contract.key)
                + " komt al eerder in het bestand voor",
                duplicated[duplicated].index,
                ", ".join(contract.key),
                typed.loc[duplicated, list(contract.key)].astype(str).agg(" / ".join, axis=1),
            )
    # Cross-sheet rules (zorggroep ``rules.py``) and the GX suites name columns by letter too.
    typed.attrs["letters"] = ColumnLetters(letters)
    return typed, problems


def plain_value(value: object) -> object:
    """A cell value as the sender typed it: 1890, not 1890.0 or numpy.int64(1890)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if pd.isna(value):
            return None
        if value.is_integer():
            return int(value)
    return value
