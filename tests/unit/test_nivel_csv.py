"""Reading Nivel extracts written with Dutch Excel conventions."""

from __future__ import annotations

import pytest

from orchestration.bronnen.nivel.read import read_nivel_csv
from orchestration.warehouse.errors import SourceFileError

HEADER = "peiljaar;gemeentecode;beroep;positie;geslacht;leeftijdsklasse;aantal_personen;fte"


def write(tmp_path, lines, *, bom=True, name="nivel_registratie_2025.csv"):
    path = tmp_path / name
    text = "\n".join(lines) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def test_reads_bom_semicolons_and_decimal_commas(tmp_path):
    path = write(
        tmp_path,
        [
            HEADER,
            "2025;GM0014;huisarts;praktijkhouder;vrouw;45-54;12;9,75",
            "2025;GM0014;doktersassistent;nvt;vrouw;<35;1.204;1.002,5",
        ],
    )
    rows = read_nivel_csv(path)
    assert list(rows.columns)[0] == "peiljaar"  # the BOM is not part of the first column name
    assert rows["fte"].tolist() == [9.75, 1002.5]
    assert rows["aantal_personen"].tolist() == [12, 1204]
    assert rows["leeftijdsklasse"].tolist() == ["45-54", "<35"]


def test_reads_file_without_bom(tmp_path):
    path = write(tmp_path, [HEADER, "2025;GM0014;huisarts;hidha;man;65+;3;2,4"], bom=False)
    assert read_nivel_csv(path)["fte"].iloc[0] == pytest.approx(2.4)


def test_comma_separated_file_is_rejected_with_the_rule(tmp_path):
    path = write(tmp_path, [HEADER.replace(";", ","), "2025,GM0014,huisarts,hidha,man,65+,3,2.4"])
    with pytest.raises(SourceFileError) as caught:
        read_nivel_csv(path)
    assert caught.value.problems[0].rule == "scheidingsteken"


def test_every_bad_cell_is_named_by_row_column_and_rule(tmp_path):
    path = write(
        tmp_path,
        [
            HEADER,
            "2025;GM14;huisarts;praktijkhouder;vrouw;45-54;12;9,75",
            "2025;GM0014;tandarts;nvt;vrouw;45-54;twee;-1",
        ],
    )
    with pytest.raises(SourceFileError) as caught:
        read_nivel_csv(path)
    found = {(p.row, p.column, p.rule) for p in caught.value.problems}
    assert found == {
        (2, "gemeentecode", "formaat"),
        (3, "beroep", "toegestane_waarden"),
        (3, "aantal_personen", "type"),
        (3, "fte", "minimum"),
    }
    message = str(caught.value)
    assert "nivel_registratie_2025.csv" in message and "rij 3, kolom H (fte)" in message


def test_missing_column_and_duplicate_key_are_reported(tmp_path):
    path = write(tmp_path, [HEADER.rsplit(";", 1)[0], "2025;GM0014;huisarts;hidha;man;65+;3"])
    with pytest.raises(SourceFileError) as caught:
        read_nivel_csv(path)
    assert [(p.rule, p.column) for p in caught.value.problems] == [("kolom_ontbreekt", "fte")]

    row = "2025;GM0014;huisarts;hidha;man;65+;3;2,4"
    with pytest.raises(SourceFileError) as caught:
        read_nivel_csv(write(tmp_path, [HEADER, row, row], name="dubbel.csv"))
    assert [(p.rule, p.row) for p in caught.value.problems] == [("dubbele_sleutel", 3)]


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    with pytest.raises(SourceFileError) as caught:
        read_nivel_csv(path)
    assert caught.value.problems[0].rule == "leeg_bestand"


def test_a_problem_after_blank_lines_names_the_line_an_editor_shows(tmp_path):
    path = write(
        tmp_path,
        [
            HEADER,
            "2025;GM0014;huisarts;praktijkhouder;vrouw;45-54;12;9,75",
            "",
            ";;;;;;;",
            "2025;GM14;huisarts;hidha;vrouw;45-54;3;2,1",
        ],
    )
    with pytest.raises(SourceFileError) as caught:
        read_nivel_csv(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "gemeentecode")]


def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers(tmp_path):
    path = write(
        tmp_path,
        [
            HEADER,
            "",
            "2025;GM0014;huisarts;hidha;man;65+;3;2,4",
            "2025;GM0014;huisarts;hidha;vrouw;65+;1;0,8",
        ],
    )
    rows = read_nivel_csv(path)
    assert (rows.index + 2).tolist() == [3, 4]
