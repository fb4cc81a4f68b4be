"""Read the cells of an .xlsx workbook with python-calamine (Rust), as Excel shows them.

openpyxl parsed every cell in Python (~10 workbooks/s); calamine reads a whole sheet in one
call. What the readers rely on, and calamine alone does not give:

- absolute positions: ``to_python(skip_empty_area=False)`` starts at A1, so list index + 1
  is the row number Excel shows, also after leading or interior blank rows;
- the cell types openpyxl gave: Excel stores every number as a double, and a whole number
  comes back as an ``int`` (Excel shows 2400, not 2400.0); an empty cell is ``None``;
- error cells (#DEELNUL!, #N/B): calamine returns them as empty, which would turn a broken
  formula into "deze cel is leeg" or, in an optional column, into nothing at all. Their
  text is put back from the sheet's XML, as openpyxl read them (docs/inname.md).

Writing: the template with openpyxl, the sample generator's workbooks with ``xlsx_write.py``.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

# Any error from the Rust reader (zip, XML, password) means the file is not a usable workbook.
UNREADABLE = (CalamineError, zipfile.BadZipFile, OSError, ValueError)
# Whole numbers above this are left as floats: a double no longer holds every integer there.
EXACT_INTEGERS = 2**53
_ERROR_CELL = re.compile(rb"<c\b([^>]*\bt=\"e\"[^>]*)>(.*?)</c>", re.DOTALL)
_REF = re.compile(rb"\br=\"([A-Z]+)(\d+)\"")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_SHEET = re.compile(rb"<sheet\b([^>]*)>")
_RELATION = re.compile(rb"<Relationship\b([^>]*)>")


def _attribute(tag: bytes, name: bytes) -> str:
    found = re.search(rb"(?:^|\s)" + re.escape(name) + rb'="([^"]*)"', tag)
    return html.unescape(found.group(1).decode()) if found else ""


def _cell(value: object) -> object:
    if value == "" or value is None:
        return None
    if type(value) is float and value.is_integer() and abs(value) < EXACT_INTEGERS:
        return int(value)
    return value


class Sheet:
    """One worksheet: ``title`` and its rows from A1, as lists of cell values."""

    def __init__(self, title: str, rows: list[list[object]]):
        self.title = title
        self.rows = rows

    def numbered_rows(self) -> Iterator[tuple[int, list[object]]]:
        """(Excel row number, cells) for every row, blank ones included."""
        return enumerate(self.rows, start=1)


class Workbook:
    """The sheets of one workbook, read on demand; ``sheetnames`` and ``wb[name]`` as in
    openpyxl, so the reader's sheet lookup reads the same."""

    def __init__(self, path: Path):
        self._path = path
        self._book = CalamineWorkbook.from_path(str(path))
        self.sheetnames: list[str] = list(self._book.sheet_names)
        self._errors: dict[str, dict[tuple[int, int], str]] | None = None

    def __getitem__(self, name: str) -> Sheet:
        rows = [
            [_cell(value) for value in row]
            for row in self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
        for (row, column), text in self._error_cells().get(name, {}).items():
            if row < len(rows) and column < len(rows[row]):
                rows[row][column] = text
        return Sheet(name, rows)

    def close(self) -> None:
        self._book.close()

    def _error_cells(self) -> dict[str, dict[tuple[int, int], str]]:
        """{sheet: {(row, column) from 0: error text}}; nearly always empty and then cheap."""
        if self._errors is None:
            self._errors = error_cells(self._path)
        return self._errors


def open_workbook(path: Path) -> Workbook:
    return Workbook(path)


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def error_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        found: dict[str, dict[tuple[int, int], str]] = {}
        xml_by_part = {}
        for part in parts:
            xml = archive.read(part)
            if b't="e"' in xml:
                xml_by_part[part] = xml
        if not xml_by_part:
            return found
        targets = {
            _attribute(tag, b"Id"): _attribute(tag, b"Target")
            for tag in _RELATION.findall(archive.read("xl/_rels/workbook.xml.rels"))
        }
        for tag in _SHEET.findall(archive.read("xl/workbook.xml")):
            name = _attribute(tag, b"name")
            target = targets.get(_attribute(tag, b"r:id"), "").lstrip("/")
            part = target if target.startswith("xl/") else f"xl/{target}"
            if part not in xml_by_part:
                continue
            cells = found.setdefault(name, {})
            for attributes, body in _ERROR_CELL.findall(xml_by_part[part]):
                ref, value = _REF.search(attributes), _VALUE.search(body)
                if ref and value:
                    position = (int(ref.group(2)) - 1, _column_index(ref.group(1)))
                    cells[position] = value.group(1).decode()
        return found
