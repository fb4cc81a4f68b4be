"""Write plain data workbooks (.xlsx) fast: a few fixed XML parts and one XML string per sheet.

The sample generator writes 450 zorggroep workbooks, at scale 100 some 120 million cells.
openpyxl makes an object of each cell and serializes it through an XML tree writer: scale
10 took about 7 minutes, scale 100 would take over an hour. This writer formats a column's
cells in one pass (each distinct text escaped once) and joins them: 15-20 times faster.

It writes only what the generator needs, in the form openpyxl's write-only mode writes it,
so that both python-calamine (the readers) and openpyxl read the same values, types and row
numbers as from a workbook openpyxl wrote: text as inline strings (``xml:space="preserve"``
for text with spaces at its ends), numbers as numbers (a whole-valued decimal without
".0"), dates as day numbers with a ``yyyy-mm-dd`` style, empty cells (None, NaN, "") left
out, every cell with its reference (``r="B7"``). Decimals are written in Python's shortest
exact form (``repr``), where openpyxl rounds to 16 digits, so they read back exactly.
Whatever openpyxl would write as something else (text that starts with "=" is a formula to
it, "#N/A" an error) or this writer has no form for (times, booleans, styles) is refused,
not written differently. The template stays with openpyxl (validations, styles); so do the
flawed sample files, which edit a generated workbook with openpyxl.

``tests/unit/test_xlsx_write.py`` holds it to openpyxl's output, read by both readers.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from orchestration.warehouse.errors import column_letter

# Zip entries carry this time, so the same content gives the same bytes.
FIXED_DATE_TIME = (2025, 1, 1, 0, 0, 0)
# Level 1 deflates about three times faster than the default and the files grow by a fifth.
COMPRESSLEVEL = 1
EXCEL_EPOCH = date(1899, 12, 30)
# Excel's day numbers count a 29 February 1900 that never was: only later dates are simple.
FIRST_DATE = date(1900, 3, 1)
DATE_STYLE = 1  # the second cell format of STYLES: yyyy-mm-dd
MAX_ROWS = 1_048_576  # Excel's limit per sheet
EXACT_INTEGERS = 2**53  # a double holds every whole number below this
# XML 1.0 has no place for these; openpyxl refuses them too.
ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

STYLES = (
    f'<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
ROOT_RELS = (
    f'<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL_NS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


class UnsupportedCell(TypeError):
    """A value this writer does not write (it would not read back as it was given)."""


def _text(value: str) -> str | None:
    """What follows ``<c r="B7" `` for a text; None for "" (openpyxl leaves it empty too)."""
    if not value:
        return None
    if ILLEGAL.search(value):
        raise UnsupportedCell(f"{value!r}: een teken dat niet in een werkblad kan")
    # openpyxl would write these as a formula or an error cell, which read back otherwise.
    if (value.startswith("=") and len(value) > 1) or value in ERROR_CODES:
        raise UnsupportedCell(f"{value!r}: een formule of foutwaarde schrijft deze schrijver niet")
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value != value.strip() and value.strip():
        return f't="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'
    return f't="inlineStr"><is><t>{escaped}</t></is></c>'


def _number(value: float) -> str:
    if math.isinf(value):
        raise UnsupportedCell(f"{value!r}: oneindig kan niet in een werkblad")
    if value.is_integer() and abs(value) < EXACT_INTEGERS:
        # As openpyxl writes it ("1990", not "1990.0"), so openpyxl reads it back as an int.
        return f't="n"><v>{int(value)}</v></c>'
    return f't="n"><v>{value!r}</v></c>'


def _day_number(value: date) -> str:
    if type(value) is not date:  # a datetime, pd.Timestamp: a time of day, not written here
        raise UnsupportedCell(f"{value!r}: alleen datums zonder tijd")
    if value < FIRST_DATE:
        raise UnsupportedCell(f"{value!r}: datums voor 1 maart 1900")
    return f's="{DATE_STYLE}" t="n"><v>{(value - EXCEL_EPOCH).days}</v></c>'


def _cell_tail(value: object, cache: dict) -> str | None:
    """What follows ``<c r="B7" `` for one value, or None for an empty cell."""
    kind = type(value)
    if kind is str or isinstance(value, str):  # numpy's str_ too
        if value not in cache:
            cache[value] = _text(str(value))
        return cache[value]
    if value is None:
        return None
    if kind is int or isinstance(value, np.integer):
        return f't="n"><v>{int(value)}</v></c>'
    if kind is float or isinstance(value, np.floating):
        return None if math.isnan(value) else _number(float(value))
    if kind is date:
        return _day_number(value)
    if kind is bool or isinstance(value, np.bool_ | datetime):
        raise UnsupportedCell(f"{value!r}: {kind.__name__} schrijft deze schrijver niet")
    if value is pd.NA or value is pd.NaT:
        return None
    raise UnsupportedCell(f"{value!r}: {kind.__name__} schrijft deze schrijver niet")


def _column_cells(letter: str, values: Sequence, first_row: int) -> list[str]:
    """The XML of one column's cells, '' where a cell is empty.

    A pandas column of one kind (whole numbers, decimals, text) is formatted in one pass
    without looking at each value's type: at scale 100 that is most of the writer's time.
    """
    rows = range(first_row, first_row + len(values))
    if isinstance(values, pd.Series):
        if pd.api.types.is_integer_dtype(values.dtype) and not values.hasnans:
            return [
                f'<c r="{letter}{row}" t="n"><v>{v}</v></c>'
                for row, v in zip(rows, values.tolist(), strict=True)
            ]
        if pd.api.types.is_float_dtype(values.dtype):
            return _decimal_cells(letter, values.to_numpy(dtype=float), rows)
        if pd.api.types.infer_dtype(values, skipna=True) == "string":
            return _text_cells(letter, values, rows)
        values = values.tolist()
    cache: dict[str, str] = {}
    cells = []
    for row, value in zip(rows, values, strict=True):
        tail = _cell_tail(value, cache)
        cells.append("" if tail is None else f'<c r="{letter}{row}" {tail}')
    return cells


def _decimal_cells(letter: str, values: np.ndarray, rows: range) -> list[str]:
    if np.isinf(values).any():
        raise UnsupportedCell("oneindig kan niet in een werkblad")
    whole = ((values == np.trunc(values)) & (np.abs(values) < EXACT_INTEGERS)).tolist()
    return [
        ""
        if v != v  # NaN: an empty cell
        else f'<c r="{letter}{row}" t="n"><v>{int(v) if w else repr(v)}</v></c>'
        for row, v, w in zip(rows, values.tolist(), whole, strict=True)
    ]


def _text_cells(letter: str, values: pd.Series, rows: range) -> list[str]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [str(u) for u in np.asarray(uniques, dtype=object).tolist()]
    # Ids and names are nearly all distinct: look at the column at once, and take each text
    # through every check only when something in the column needs it.
    joined = "\n" + "\n".join(texts)
    special = ILLEGAL.search(joined) or any(mark in joined for mark in ("&", "<", ">", "\n=", "#"))
    if special:
        tails = [None if (tail := _text(text)) is None else f'" {tail}' for text in texts]
    else:  # nothing to escape or refuse; only "" and spaces at the ends need _text
        tails = [
            f'" t="inlineStr"><is><t>{text}</t></is></c>'
            if text and text == text.strip()
            else (None if not text else f'" {_text(text)}')
            for text in texts
        ]
    tails.append(None)  # code -1, a missing value: an empty cell (tails[-1])
    return [
        "" if (tail := tails[code]) is None else f'<c r="{letter}{row}{tail}'
        for row, code in zip(rows, codes.tolist(), strict=True)
    ]


def sheet_xml(header: Sequence[str], columns: Sequence[Sequence]) -> str:
    """A worksheet: ``header`` in row 1, then ``columns`` (equal lengths) from row 2."""
    if len(columns) != len(header):
        raise ValueError(f"{len(header)} kolomkoppen maar {len(columns)} kolommen")
    lengths = {len(column) for column in columns}
    if len(lengths) > 1:
        raise ValueError(f"kolommen van ongelijke lengte: {sorted(lengths)}")
    rows = lengths.pop() if lengths else 0
    if rows + 1 > MAX_ROWS:
        raise ValueError(f"{rows + 1} rijen: meer dan Excel in één werkblad toelaat")
    letters = [column_letter(i + 1) for i in range(len(header))]
    head = [_column_cells(letters[i], [name], 1)[0] for i, name in enumerate(header)]
    parts = [f'<worksheet xmlns="{MAIN_NS}"><sheetData>']
    if header:
        parts.append(f'<row r="1">{"".join(head)}</row>')
    body = [
        _column_cells(letter, column, 2) for letter, column in zip(letters, columns, strict=True)
    ]
    for number, cells in enumerate(zip(*body, strict=True), start=2):
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def _workbook_parts(names: list[str], creator: str, modified: str) -> dict[str, str]:
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_CT}"/>'
        for i in range(1, len(names) + 1)
    )
    office = "application/vnd.openxmlformats-officedocument"
    return {
        "[Content_Types].xml": (
            f'<Types xmlns="{CT_NS}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{office}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            f'ContentType="{office}.extended-properties+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": ROOT_RELS,
        "docProps/app.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>capmon</Application></Properties>'
        ),
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_escape(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{modified}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified>'
            "</cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{sheets}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG_REL_NS}">{sheet_rels}'
            f'<Relationship Id="rId{len(names) + 1}" Type="{REL_NS}/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def workbook_bytes(
    sheets: Iterable[tuple[str, Sequence[str], Sequence[Sequence]]],
    creator: str = "capmon",
    modified: str = "2025-01-01T00:00:00Z",
) -> bytes:
    """An .xlsx of ``(sheet name, header, columns)`` in order; the same input, the same bytes."""
    sheets = list(sheets)
    names = [name for name, _, _ in sheets]
    if len(set(names)) != len(names):
        raise ValueError(f"dubbele werkbladnamen: {names}")
    parts = _workbook_parts(names, creator, modified)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as archive:

        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, (XML_DECLARATION + text).encode(), compresslevel=COMPRESSLEVEL)

        for name, text in parts.items():
            put(name, text)
        for i, (_, header, columns) in enumerate(sheets, start=1):
            put(f"xl/worksheets/sheet{i}.xml", sheet_xml(header, columns))
    return out.getvalue()
