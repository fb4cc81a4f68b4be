"""Read an internship-bureau export (one JSON object per line).

DuckDB parses and types a file that is certainly clean; any other file is read line by line
so that every problem names its line, in Dutch (docs/inname.md).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd

from orchestration.bronnen.stagebureau.contract import STAGEBUREAU_STAGES, stagebureau_stages
from orchestration.warehouse.contracts import Location, TableContract
from orchestration.warehouse.duckdb_reading import (
    NUMBERED_LINES,
    clean_or_exact,
    connection,
    decoded,
    register_texts,
)
from orchestration.warehouse.errors import Problem, SourceFileError
from orchestration.warehouse.gx_sheets import conform_with
from orchestration.warehouse.sql_conform import clean_files, has_unusual_spaces

# Python's json messages (json.decoder, json.scanner), by their start, in the sender's words.
JSON_FOUTEN = {
    "Expecting value": "hier wordt een waarde verwacht",
    "Expecting property name enclosed in double quotes": (
        "hier wordt een veldnaam tussen dubbele aanhalingstekens verwacht"
    ),
    "Expecting ':' delimiter": "hier wordt een ':' verwacht",
    "Expecting ',' delimiter": "hier wordt een ',' verwacht",
    "Extra data": "na het einde van het object staat nog tekst",
    "Unterminated string": "een tekst zonder afsluitend aanhalingsteken",
    "Invalid control character": "een tab of ander stuurteken in een tekst",
    "Invalid \\uXXXX escape": "een ongeldige \\u-code in een tekst",
    "Invalid \\escape": "een ongeldige \\-code in een tekst",
    "Illegal trailing comma": "een komma vlak voor het einde",
}
# JSON types a value may have for each kind of column when the file goes DuckDB's way.
_JSON_TYPES = {
    "text": "('VARCHAR', 'NULL')",
    "integer": "('BIGINT', 'UBIGINT', 'VARCHAR', 'NULL')",
    "decimal": "('BIGINT', 'UBIGINT', 'DOUBLE', 'VARCHAR', 'NULL')",
}


def json_problem(name: str, number: int, error: json.JSONDecodeError) -> Problem:
    uitleg = next((u for e, u in JSON_FOUTEN.items() if error.msg.startswith(e)), "onleesbaar")
    return Problem(
        name,
        "json",
        f"regel {number}: geen geldige JSON ({uitleg}, bij teken {error.colno})",
        row=number,
    )


def _invariant_problems(name: str, rows: pd.DataFrame) -> list[Problem]:
    rules = [
        (
            "geplaatst_max_aangevraagd",
            rows["geplaatst"] > rows["aangevraagd"],
            "er zijn meer studenten geplaatst dan er een plek zochten",
        ),
        (
            "geplaatst_max_aangeboden",
            rows["geplaatst"] > rows["aangeboden"],
            "er zijn meer studenten geplaatst dan er plekken werden aangeboden",
        ),
        (
            "schooljaar_opeenvolgend",
            rows["schooljaar"].str[5:].astype(int) != rows["schooljaar"].str[:4].astype(int) + 1,
            "een schooljaar bestaat uit twee opeenvolgende jaren",
        ),
    ]
    problems = []
    for rule, broken, message in rules:
        for index in broken[broken.fillna(False)].index:
            problems.append(Problem(name, rule, message, row=int(index)))
    return problems


def _clean_in_duckdb(
    texts: dict[int, str], contract: TableContract = STAGEBUREAU_STAGES
) -> dict[int, pd.DataFrame]:
    """{file: typed records with ``_regel``} of the files that are certainly clean."""
    texts = {i: text for i, text in texts.items() if not has_unusual_spaces(text)}
    if not texts:
        return {}
    names = contract.column_names
    # Every value once: s[i] as text, t[i] its JSON type (a path per value costs a parse each).
    paths = "[" + ", ".join(f"'$.\"{n}\"'" for n in names) + "]"
    at = {n: i + 1 for i, n in enumerate(names)}
    fields = ", ".join(f's[{at[n]}] AS "{n}"' for n in names)
    kinds = " OR ".join(
        f"coalesce(t[{at[c.name]}], 'NULL') NOT IN {_JSON_TYPES[c.kind]}" for c in contract.columns
    )
    listed = "[" + ", ".join(f"'{n}'" for n in sorted(names)) + "]"
    # The rules between columns (``_invariant_problems``) as doubt: the exact way names them.
    count = "TRY_CAST(s[{}] AS DOUBLE)".format
    year = "TRY_CAST(substr(s[{}], {}) AS INTEGER)".format
    between = (
        f"coalesce({count(at['geplaatst'])} > {count(at['aangevraagd'])}"
        f" OR {count(at['geplaatst'])} > {count(at['aangeboden'])}"
        f" OR {year(at['schooljaar'], 6)} <> {year(at['schooljaar'], '1, 4')} + 1, true)"
    )
    # A line that is no JSON object puts its whole file in doubt (the exact way says why).
    lines = (
        "SELECT _bestand, regel, line, CASE WHEN json_valid(line) "
        "  THEN json_type(line) = 'OBJECT' ELSE false END AS object"
        f" FROM ({NUMBERED_LINES}) WHERE trim(line, ' \t\r') <> ''"
    )
    values = (
        "SELECT _bestand, regel, object, json_keys(j) AS k,"
        f" json_extract_string(j, {paths}) AS s,"
        f" list_transform(json_extract(j, {paths}), lambda v: json_type(v)) AS t"
        " FROM (SELECT *, CAST(CASE WHEN object THEN line END AS JSON) AS j FROM lines)"
    )
    relation = (
        "SELECT _bestand, row_number() OVER (PARTITION BY _bestand ORDER BY regel) - 1 AS _pos,"
        f" regel AS _regel, {fields},"
        f" NOT bool_and(object) OVER (PARTITION BY _bestand) OR list_sort(k) <> {listed}"
        f" OR {kinds} OR {between} AS _twijfel"
        " FROM cells_json"
    )
    conn = connection()
    try:
        register_texts(conn, texts)
        conn.execute(f"CREATE OR REPLACE TEMP VIEW lines AS {lines}")
        conn.execute(f"CREATE OR REPLACE TEMP TABLE cells_json AS {values}")
        return clean_files(conn, relation, contract, doubt="_twijfel", keep=("_regel",))
    finally:
        conn.close()


def _raw_records(name: str, text: str) -> tuple[pd.DataFrame, pd.Series]:
    """Every record and its line number, or ``SourceFileError`` naming each bad line."""
    problems: list[Problem] = []
    records: list[dict] = []
    # Lines as an editor counts them (a line break is \n); a \r before it is whitespace.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(json_problem(name, number, error))
            continue
        if not isinstance(record, dict):
            problems.append(
                Problem(name, "json", "elke regel moet één JSON-object zijn", row=number)
            )
            continue
        records.append({"_regel": number, **record})
    if not records and not problems:
        problems.append(Problem(name, "leeg_bestand", "het bestand bevat geen records"))
    if problems:
        raise SourceFileError(name, problems)
    raw = pd.DataFrame.from_records(records)
    return raw, raw.pop("_regel")


def _read_exact(
    path: Path, engine: str, contract: TableContract = STAGEBUREAU_STAGES
) -> pd.DataFrame:
    """Every problem of one export, by line; the typed records if there are none."""
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceFileError(
            name, [Problem(name, "codering", "het bestand is geen UTF-8")]
        ) from None
    raw, line_numbers = _raw_records(name, text)
    # Problems come back by position in ``raw``; the sender needs the line in the file.
    rows, problems = conform_with(engine, raw, contract, Location(name, first_row=0))
    if not problems:
        problems = _invariant_problems(name, rows)
    if problems:
        raise SourceFileError(
            name,
            [
                p if p.row is None else replace(p, row=int(line_numbers.iloc[p.row]))
                for p in problems
            ],
        )
    rows.insert(0, "_regel", line_numbers.to_numpy())
    return rows


def read_stagebureau_many(
    paths: list[Path], schaal: float = 1.0
) -> list[pd.DataFrame | SourceFileError]:
    """The typed records of each export, or the ``SourceFileError`` with its problems.

    ``schaal``: a synthetic world's, whose per-row maximum grows with it (contract.py).
    """
    contract = stagebureau_stages(schaal)
    return clean_or_exact(
        paths,
        _clean_in_duckdb(decoded(paths), contract),
        lambda path: _read_exact(path, "pandas", contract),
    )


def read_stagebureau_jsonl(path: Path, engine: str = "pandas", schaal: float = 1.0) -> pd.DataFrame:
    """Return the typed records of one export, or raise ``SourceFileError``.

    ``engine="gx"`` runs the cell rules as GX suites, on the exact way (the parity tests).
    """
    if engine != "pandas":
        return _read_exact(path, engine, stagebureau_stages(schaal))
    (result,) = read_stagebureau_many([path], schaal)
    if isinstance(result, SourceFileError):
        raise result
    return result


# The load path (source_files, a batch at a time) reads all files of a source through this.
read_stagebureau_jsonl.many = read_stagebureau_many  # type: ignore[attr-defined]
