"""The generator's workbook writer reads back, with python-calamine (the readers) and with
openpyxl, exactly as the same rows written by openpyxl do."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from orchestration.bronnen.zorggroep import voorbeeld, xlsx_write
from orchestration.bronnen.zorggroep.contract import SHEETS
from orchestration.bronnen.zorggroep.read import read_zorggroep_workbook
from orchestration.bronnen.zorggroep.xlsx import open_workbook
from orchestration.synthetic.calibration import gemeenten, national_targets
from orchestration.synthetic.world import build_world


def _plain(value):
    """A cell value as openpyxl's append takes it (what the generator used to hand it)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.str_):
        return str(value)
    return value


def _by_openpyxl(sheets) -> bytes:
    workbook = Workbook(write_only=True)
    for name, header, columns in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append(list(header))
        for row in zip(*columns, strict=True):
            sheet.append([_plain(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed(values) -> list[tuple[str, object]]:
    """2 == 2.0 in Python; a reader that gives a float where it gave an int must not pass."""
    return [(type(v).__name__, v) for v in values]


def _calamine(path: Path) -> dict[str, list[tuple[int, list]]]:
    book = open_workbook(path)
    try:
        return {
            name: [(number, _typed(row)) for number, row in book[name].numbered_rows()]
            for name in book.sheetnames
        }
    finally:
        book.close()


def _openpyxl(path: Path) -> dict[str, list[tuple[int, list]]]:
    book = load_workbook(path)
    return {
        sheet.title: [(row[0].row, _typed(c.value for c in row)) for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def _both(tmp_path: Path, sheets) -> tuple[dict, dict]:
    """{reader: contents} of the same sheets written by this writer and by openpyxl."""
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "openpyxl.xlsx"
    ours.write_bytes(xlsx_write.workbook_bytes(sheets))
    theirs.write_bytes(_by_openpyxl(sheets))
    return (
        {"calamine": _calamine(ours), "openpyxl": _openpyxl(ours)},
        {"calamine": _calamine(theirs), "openpyxl": _openpyxl(theirs)},
    )


MIXED = [
    (
        "eerste",
        ["tekst", "geheel", "decimaal", "datum", "gemengd"],
        [
            pd.Series(
                ["a & b", " spatie ", "<x>", "Zoë", None, "", "  ", "01234567"], dtype="string"
            ),
            pd.Series([1, -2, 0, 2**40, 7, 8, 9, 10], dtype="int64"),
            pd.Series([0.5, 2.0, np.nan, -1.25, 1e-5, 1234567.89, 0.0, 3.0]),
            [
                date(2024, 3, 31),
                None,
                date(1900, 3, 1),
                date(2099, 12, 31),
                None,
                None,
                None,
                date(2025, 1, 1),
            ],  # fmt: skip
            ["tekst", 4, 2.5, None, np.int32(3), np.float64(1.5), date(2024, 1, 2), np.str_("n")],
        ],
    ),
    ("tweede blad", ["alleen kop"], [[]]),
    ("leeg & vol", ["x", "y"], [[None, None, "z"], [None, None, 1.0]]),
]


def test_both_readers_read_what_openpyxl_wrote(tmp_path):
    ours, theirs = _both(tmp_path, MIXED)
    assert ours == theirs
    # And what they read is what was written, row numbers as Excel shows them.
    rows = {number: [v for _, v in row] for number, row in ours["calamine"]["eerste"]}
    assert rows[1] == ["tekst", "geheel", "decimaal", "datum", "gemengd"]
    assert rows[2] == ["a & b", 1, 0.5, date(2024, 3, 31), "tekst"]
    assert rows[3][:3] == [" spatie ", -2, 2]
    assert [type(v) for v in rows[3][:3]] == [str, int, int]
    assert rows[4][2] is None and rows[4][3] == date(1900, 3, 1)
    assert rows[7][:2] == [None, 8] and rows[8][0] is None  # "" and "  ": empty, as openpyxl
    assert rows[9][0] == "01234567"  # a code stays text
    assert list(ours["calamine"]) == ["eerste", "tweede blad", "leeg & vol"]
    assert ours["calamine"]["leeg & vol"][-1] == (4, [("str", "z"), ("int", 1)])


def test_generated_workbook_reads_as_the_openpyxl_one(tmp_path):
    """A real submission of the generator: the same sheets, types and row numbers, and the
    project's reader gives the same tables as from the workbook openpyxl wrote."""
    world = build_world(gemeenten(), national_targets(), 0.05, 5)
    tables = voorbeeld.submission_tables(
        world, world.years[2025], voorbeeld.practice_details(world)
    )
    meta = {
        "zorggroep_code": "ZG001",
        "zorggroep_naam": "Zorggroep Test",
        "periode": "2025-Q1",
        "template_versie": voorbeeld.TEMPLATE_VERSIE,
        "aangeleverd_op": date(2025, 4, 2),
    }
    mine = {name: frame.sort_values(voorbeeld.SORT_KEYS[name]) for name, frame in tables.items()}
    assert all(len(frame) for frame in mine.values())
    sheets = [("meta", ["veld", "waarde"], [list(meta), list(meta.values())])] + [
        (name, c.column_names, [mine[name][col] for col in c.column_names])
        for name, c in SHEETS.items()
    ]
    ours_path = tmp_path / "ZG001_2025-Q1.xlsx"
    ours_path.write_bytes(voorbeeld.workbook_bytes(meta, mine))
    theirs_path = tmp_path / "openpyxl" / "ZG001_2025-Q1.xlsx"
    theirs_path.parent.mkdir()
    theirs_path.write_bytes(_by_openpyxl(sheets))
    for read in (_calamine, _openpyxl):
        assert read(ours_path) == read(theirs_path)
    ours, theirs = read_zorggroep_workbook(ours_path), read_zorggroep_workbook(theirs_path)
    assert ours.meta == theirs.meta
    for name in SHEETS:
        pd.testing.assert_frame_equal(ours.tables[name], theirs.tables[name])
    assert len(ours.tables["huisartsen"]) == len(mine["huisartsen"])


def test_decimals_read_back_exactly(tmp_path):
    values = [0.1 + 0.2, 1 / 3, 2.675, 1e-300]
    path = tmp_path / "d.xlsx"
    path.write_bytes(xlsx_write.workbook_bytes([("d", ["x"], [pd.Series(values)])]))
    assert [row[0] for _, row in _calamine(path)["d"][1:]] == [("float", v) for v in values]
    assert [row[0] for _, row in _openpyxl(path)["d"][1:]] == [("float", v) for v in values]


@pytest.mark.parametrize(
    "value",
    [
        "=SUM(A1:A2)",
        "#N/A",
        "bel\x07",
        datetime(2024, 1, 1, 12),
        True,
        float("inf"),
        date(1900, 1, 1),
        object(),
    ],  # fmt: skip
)
def test_what_would_read_back_otherwise_is_refused(value):
    with pytest.raises(xlsx_write.UnsupportedCell):
        xlsx_write.workbook_bytes([("x", ["kolom"], [[value]])])


def test_same_input_same_bytes_and_unequal_columns_refused():
    assert xlsx_write.workbook_bytes(MIXED) == xlsx_write.workbook_bytes(MIXED)
    with pytest.raises(ValueError, match="ongelijke lengte"):
        xlsx_write.workbook_bytes([("x", ["a", "b"], [[1, 2], [1]])])


def test_column_letters():
    from orchestration.warehouse.errors import column_letter

    # The writer's cell references and the problems' column letters come from the same function.
    assert [column_letter(i) for i in (1, 26, 27, 52, 53, 702, 703)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"
    ]  # fmt: skip
