"""DuckDB's way and the exact way (``conform``, line by line) agree on every file.

The DuckDB way may only return rows for a file on which ``conform`` finds nothing, and then
exactly the rows ``conform`` returns; for every other file the exact way names the problems.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from orchestration.bronnen.nivel import read as nivel
from orchestration.bronnen.stagebureau import read as stagebureau
from orchestration.warehouse.errors import SourceFileError
from tests.unit.test_stagebureau_jsonl import RECORD

HEADER = "peiljaar;gemeentecode;beroep;positie;geslacht;leeftijdsklasse;aantal_personen;fte"
ROW = "2025;GM0014;huisarts;praktijkhouder;vrouw;45-54;12;9,6"
OTHER = "2025;GM0014;huisarts;hidha;man;65+;3;1.002,5"

# (body, does DuckDB's way take it)
NIVEL = {
    "geldig": (f"{ROW}\n{OTHER}", True),
    "crlf en lege regels": (f"{ROW}\r\n\r\n;;;;;;;\r\n{OTHER}\r\n", True),
    "spatie voor een waarde": (ROW.replace(";GM0014", "; GM0014"), False),
    "harde spatie achter een waarde": (ROW.replace("vrouw", "vrouw\u00a0"), False),
    "lege regel met harde spatie": (f"{ROW}\n\u00a0;;\n{OTHER}", False),
    "aanhalingstekens": (ROW.replace("GM0014", '"GM0014"'), False),
    "negatieve fte": (ROW.replace("9,6", "-1"), False),
    "fte boven het maximum": (ROW.replace("9,6", "99999"), False),
    "fte 1e3": (ROW.replace("9,6", "1e3"), False),
    "geheel getal met komma": (ROW.replace(";12;", ";12,0;"), False),
    "onbekend beroep": (ROW.replace("huisarts", "tandarts"), False),
    "gemeentecode": (ROW.replace("GM0014", "GM14"), False),
    "dubbele rij": (f"{ROW}\n{ROW}", False),
    "lege cel": (ROW.replace("vrouw", ""), False),
    "te weinig velden": (ROW.rsplit(";", 1)[0], False),
    "twee peiljaren": (f"{ROW}\n{OTHER.replace('2025', '2024', 1)}", False),
}


def _exact_nivel(path):
    try:
        return nivel._read_exact(path, "pandas")
    except SourceFileError as error:
        return error


@pytest.mark.parametrize("case", NIVEL, ids=list(NIVEL))
def test_nivel_duckdb_way_is_the_exact_way(tmp_path, case):
    body, fast = NIVEL[case]
    path = tmp_path / "nivel_2025.csv"
    path.write_bytes(f"\ufeff{HEADER}\n{body}\n".encode())
    clean = nivel._clean_in_duckdb({0: path.read_bytes().decode("utf-8-sig")})
    exact = _exact_nivel(path)
    assert (0 in clean) == fast
    if fast:
        pd.testing.assert_frame_equal(clean[0], exact)
    (read,) = nivel.read_nivel_many([path])
    assert type(read) is type(exact)


def test_many_nivel_files_in_one_go_each_keep_their_own_lines(tmp_path):
    good = tmp_path / "a.csv"
    good.write_text(f"{HEADER}\n\n{ROW}\n", encoding="utf-8")
    bad = tmp_path / "b.csv"
    bad.write_text(f"{HEADER}\n{ROW}\n\n{ROW.replace('GM0014', 'GM14')}\n", encoding="utf-8")
    first, second = nivel.read_nivel_many([good, bad])
    assert (first.index + 2).tolist() == [3]
    assert [(p.row, p.column) for p in second.problems] == [(4, "gemeentecode")]


def test_a_line_with_a_field_too_many_names_its_line(tmp_path):
    path = tmp_path / "nivel_2025.csv"
    path.write_text(f"{HEADER}\n{ROW}\n\n{ROW.replace('9,6', '9;6')}\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as caught:
        nivel.read_nivel_csv(path)
    (problem,) = caught.value.problems
    assert (problem.rule, problem.row) == ("csv_formaat", 4)
    assert problem.message.startswith("regel 4 heeft 9 velden en de kopregel 8")


def _jsonl(tmp_path, lines, name="SB01_2024-2025.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# (lines, does DuckDB's way take it)
STAGES = {
    "geldig": ([json.dumps(RECORD), "", json.dumps({**RECORD, "periode": 2})], True),
    "getal als tekst": ([json.dumps({**RECORD, "aangevraagd": "12"})], True),
    "getal als 12.0": ([json.dumps({**RECORD, "aangevraagd": 12.0})], False),
    "waar als getal": ([json.dumps({**RECORD, "wachtlijst": True})], False),
    "boven het maximum": (
        [json.dumps({**RECORD, "aangevraagd": 10**7, "aangeboden": 10**7})],
        False,
    ),
    "extra veld": ([json.dumps({**RECORD, "opmerking": "x"})], False),
    "ontbrekend veld": ([json.dumps({k: v for k, v in RECORD.items() if k != "periode"})], False),
    "spatie in tekst": ([json.dumps({**RECORD, "bureau_naam": " Noord"})], False),
    "getal als naam": ([json.dumps({**RECORD, "bureau_code": 12})], False),
    "meer geplaatst": ([json.dumps({**RECORD, "geplaatst": 13})], False),
    "meer geplaatst dan aangeboden": ([json.dumps({**RECORD, "geplaatst": 11})], False),
    "schooljaar 2024-2026": ([json.dumps({**RECORD, "schooljaar": "2024-2026"})], False),
    "kapotte regel": ([json.dumps(RECORD), '{"bureau_code": "SB01",'], False),
    "geen object": ([json.dumps(RECORD), "[1, 2]"], False),
    "leeg": ([""], False),
}


def _exact_stages(path):
    try:
        return stagebureau._read_exact(path, "pandas")
    except SourceFileError as error:
        return error


@pytest.mark.parametrize("case", STAGES, ids=list(STAGES))
def test_stagebureau_duckdb_way_is_the_exact_way(tmp_path, case):
    lines, fast = STAGES[case]
    path = _jsonl(tmp_path, lines)
    clean = stagebureau._clean_in_duckdb({0: path.read_text(encoding="utf-8")})
    exact = _exact_stages(path)
    assert (0 in clean) == fast
    if fast:
        pd.testing.assert_frame_equal(clean[0], exact)
    (read,) = stagebureau.read_stagebureau_many([path])
    assert type(read) is type(exact)


@pytest.mark.parametrize(
    ("line", "uitleg"),
    [
        ('{"bureau_code": "SB01",', "hier wordt een veldnaam tussen dubbele aanhalingstekens"),
        ('{"bureau_code" "SB01"}', "hier wordt een ':' verwacht"),
        ('{"bureau_code": "SB01"} x', "na het einde van het object staat nog tekst"),
        ('{"bureau_code": "SB01}', "een tekst zonder afsluitend aanhalingsteken"),
        ("{'bureau_code': 'SB01'}", "hier wordt een veldnaam tussen dubbele aanhalingstekens"),
    ],
)
def test_json_errors_are_in_dutch_with_their_line(tmp_path, line, uitleg):
    path = _jsonl(tmp_path, [json.dumps(RECORD), "", line])
    with pytest.raises(SourceFileError) as caught:
        stagebureau.read_stagebureau_jsonl(path)
    (problem,) = caught.value.problems
    assert (problem.rule, problem.row) == ("json", 3)
    assert problem.message.startswith(f"regel 3: geen geldige JSON ({uitleg}")
    assert "Expecting" not in problem.message and "delimiter" not in problem.message


def test_unusual_spaces_are_every_non_ascii_character_python_strips():
    from orchestration.warehouse.sql_conform import UNUSUAL_SPACES

    found = "".join(chr(c) for c in range(128, 0x110000) if chr(c).isspace())
    assert found == UNUSUAL_SPACES


def test_a_text_longer_than_its_maximum_is_left_to_conform():
    from orchestration.warehouse.contracts import Column, TableContract
    from orchestration.warehouse.duckdb_reading import connection
    from orchestration.warehouse.sql_conform import clean_files

    contract = TableContract("t", (Column("naam", max_length=3),))
    conn = connection()
    try:
        clean = clean_files(
            conn,
            "SELECT * FROM (VALUES (0, 0, 'abc'), (1, 0, 'abcd')) AS v(_bestand, _pos, naam)",
            contract,
        )
    finally:
        conn.close()
    assert list(clean) == [0] and clean[0]["naam"].tolist() == ["abc"]
