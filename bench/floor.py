"""The floor of a full refresh: the same work, done once, in one process and one DuckDB session.

    .venv/bin/python bench/floor.py --scale 1                   # generates the sample first
    .venv/bin/python bench/floor.py --data-dir /tmp/x --vergelijk /tmp/x/warehouse/build.duckdb

What a full refresh does, without the per-node and per-file overhead (issue 12):

1. read inputs: every zorggroep workbook with the project's calamine reader
   (``orchestration/bronnen/zorggroep/xlsx.py``), the Nivel CSVs and stagebureau exports
   with DuckDB's own ``read_csv`` / ``read_json``, all files of a source in one query, and
   the reference tables with the pipeline's own readers, into the ``raw`` and ``meta``
   tables the dbt sources point at (typed by a cast to each raw table's columns, lineage
   columns included; no per-cell rules: those are the readers' overhead this measures);
2. build models: the compiled SQL of every dbt model, in dependency order, as a view or
   a table (with its contract's columns and constraints) as the model's config says;
3. run tests: every data test's compiled SQL, one query each, counting failing rows as
   dbt does (``fail_calc``, ``error_if``); dbt's unit tests (fixtures, not the warehouse)
   and the Great Expectations suites are not part of the floor;
4. publish: the marts copied into a new DuckDB file, as ``orchestration/warehouse/publish.py``.

The SQL is compiled beforehand, untimed, by ``dbt compile`` with the project's profile
against a schema-only copy of the warehouse (the ``sluit_aan`` tests look up columns while
compiling). The models and tests are read generically from the manifest, so the floor
follows the dbt project as it changes.

With ``--vergelijk BUILD_DB`` (the build DB of ``capmon run`` on the same data folder) it
shows that the floor reproduces the pipeline: per mart the row counts of both and the
rows that differ (``differing_rows_sql``: doubles equal within 1e-9, TIMESTAMP columns left
out).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

PHASES = ("read inputs", "build models", "run tests", "publish")


# --- the manifest: pure functions ------------------------------------------------------


def build_order(nodes: Mapping[str, Mapping]) -> list[str]:
    """The models of a dbt manifest's ``nodes`` in an order in which each comes after every
    model it depends on; ties by unique id, so the order is the same on every run.

    Dependencies on anything that is not a model (sources, macros) are ignored.
    """
    models = {uid: node for uid, node in nodes.items() if node["resource_type"] == "model"}
    waiting = {
        uid: {dep for dep in node["depends_on"]["nodes"] if dep in models and dep != uid}
        for uid, node in models.items()
    }
    order: list[str] = []
    ready = sorted(uid for uid, deps in waiting.items() if not deps)
    while ready:
        uid = ready.pop(0)
        order.append(uid)
        del waiting[uid]
        freed = [other for other, deps in waiting.items() if uid in deps]
        for other in freed:
            waiting[other].discard(uid)
        ready = sorted({*ready, *(other for other in freed if not waiting[other])})
    if waiting:
        raise ValueError(f"dependency cycle between models: {', '.join(sorted(waiting))}")
    return order


def test_query(node: Mapping) -> str:
    """The query dbt runs for a data test: its failures by ``fail_calc`` and whether they
    exceed ``error_if`` (dbt's ``get_test_sql``)."""
    config = node["config"]
    fail_calc = config.get("fail_calc") or "count(*)"
    error_if = config.get("error_if") or "!= 0"
    limit = f"\nlimit {config['limit']}" if config.get("limit") is not None else ""
    return (
        f"select {fail_calc} as failures, {fail_calc} {error_if} as should_error\n"
        f"from (\n{node['compiled_code']}{limit}\n) dbt_internal_test"
    )


def _constraint(constraint: Mapping, column: str | None = None) -> str | None:
    """One dbt constraint as DuckDB DDL; None for kinds DuckDB does not enforce."""
    kind = constraint["type"]
    columns = ", ".join(f'"{c}"' for c in constraint.get("columns") or [])
    if kind == "not_null" and column:
        return "not null"
    if kind == "check" and constraint.get("expression"):
        return f"check ({constraint['expression']})"
    if kind in ("unique", "primary_key"):
        words = "primary key" if kind == "primary_key" else "unique"
        return words if column else f"{words} ({columns})"
    return None


def model_statements(node: Mapping) -> list[str]:
    """The statements that materialise one compiled model as dbt-duckdb does: a view, a
    table, or under an enforced contract an empty table with the declared columns and
    constraints filled by an insert. Ephemeral models are inlined by dbt: nothing to run."""
    config = node["config"]
    kind = config["materialized"]
    relation = node["relation_name"]
    schema = f'"{node["database"]}"."{node["schema"]}"'
    sql = node["compiled_code"]
    if kind == "ephemeral":
        return []
    statements = [f"create schema if not exists {schema}"]
    if kind == "view":
        return [*statements, f"create or replace view {relation} as (\n{sql}\n)"]
    contract = (config.get("contract") or {}).get("enforced") and node.get("columns")
    if not contract:
        return [*statements, f"create or replace table {relation} as (\n{sql}\n)"]
    columns = list(node["columns"].values())
    definitions = []
    for column in columns:
        parts = [f'"{column["name"]}" {column["data_type"]}']
        parts += filter(
            None, (_constraint(c, column["name"]) for c in column.get("constraints") or [])
        )
        definitions.append(" ".join(parts))
    definitions += filter(None, (_constraint(c) for c in node.get("constraints") or []))
    names = ", ".join(f'"{column["name"]}"' for column in columns)
    return [
        *statements,
        f"drop table if exists {relation}",
        f"create table {relation} ({', '.join(definitions)})",
        f"insert into {relation} ({names}) select {names} from (\n{sql}\n) as model_subq",
    ]


def data_tests(nodes: Mapping[str, Mapping]) -> list[str]:
    return sorted(uid for uid, node in nodes.items() if node["resource_type"] == "test")


# --- compiling the SQL (untimed) -------------------------------------------------------


def _dbt(args: list[str], build_db: Path, target: Path) -> None:
    from orchestration.paths import DBT_PROJECT_DIR

    env = {
        **os.environ,
        "CAPMON_BUILD_DB": str(build_db),
        "CAPMON_DBT_THREADS": str(os.cpu_count() or 1),
    }
    dbt = Path(sys.executable).parent / "dbt"
    command = [
        str(dbt),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
        "--quiet",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _newest_project_file() -> float:
    from orchestration.paths import DBT_PROJECT_DIR

    return max(
        path.stat().st_mtime
        for path in DBT_PROJECT_DIR.rglob("*")
        if path.suffix in {".sql", ".yml", ".yaml", ".md"}
        and {"target", "logs", "dbt_packages"}.isdisjoint(path.relative_to(DBT_PROJECT_DIR).parts)
    )


def compiled(work: Path) -> dict:
    """``compile_manifest`` in ``work``, or what an earlier call left there if the dbt
    project has not changed since."""
    manifest = work / "target" / "manifest.json"
    if (
        manifest.exists()
        and (work / "target" / "klaar").exists()
        and manifest.stat().st_mtime > _newest_project_file()
    ):
        return json.loads(manifest.read_text())
    shutil.rmtree(work / "skelet", ignore_errors=True)
    (work / "target" / "klaar").unlink(missing_ok=True)
    result = compile_manifest(work)
    (work / "target" / "klaar").touch()
    return result


def compile_manifest(work: Path) -> dict:
    """The manifest with the compiled SQL of every model and test.

    Compiled against an empty copy of the warehouse's schema (``<work>/skelet``): the
    models first, then the sources as empty tables and the models as views over them,
    then everything, so the tests that ask the database for a query's columns can.
    """
    from orchestration.paths import DBT_PROJECT_DIR

    target = work / "target"
    target.mkdir(parents=True, exist_ok=True)
    parsed = DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"
    if parsed.exists():  # dbt checks that it still fits the project; saves the full parse
        shutil.copy(parsed, target / "partial_parse.msgpack")
    skeleton = work / "skelet" / "build.duckdb"  # the stem is the database name in the SQL
    skeleton.parent.mkdir(parents=True, exist_ok=True)
    _dbt(
        ["compile", "--select", "resource_type:model", "--indirect-selection", "empty"],
        skeleton,
        target,
    )
    manifest = json.loads((target / "manifest.json").read_text())
    import duckdb

    with duckdb.connect(str(skeleton)) as conn:
        for source in manifest["sources"].values():
            columns = (
                ", ".join(
                    f'"{c["name"]}" {c.get("data_type") or "varchar"}'
                    for c in source["columns"].values()
                )
                or '"_leeg" varchar'
            )
            conn.execute(f'create schema if not exists "{source["schema"]}"')
            conn.execute(f"create table if not exists {source['relation_name']} ({columns})")
        for uid in build_order(manifest["nodes"]):
            node = manifest["nodes"][uid]
            if node["config"]["materialized"] != "ephemeral":
                conn.execute(f'create schema if not exists "{node["schema"]}"')
                conn.execute(f"create view {node['relation_name']} as ({node['compiled_code']})")
    _dbt(["compile"], skeleton, target)
    return json.loads((target / "manifest.json").read_text())


# --- the floor (timed) -----------------------------------------------------------------


@dataclass
class Floor:
    seconds: dict[str, float] = field(default_factory=dict)
    compile_s: float = 0.0
    files: dict[str, int] = field(default_factory=dict)
    raw_rows: int = 0
    models: dict[str, int] = field(default_factory=dict)  # materialisation: count
    tests: int = 0
    unit_tests: int = 0
    failing: dict[str, int] = field(default_factory=dict)  # test: failures
    marts: dict[str, int] = field(default_factory=dict)  # published table: rows
    comparison: list[tuple[str, int | None, int | None, int | None]] = field(
        default_factory=list
    )  # (mart, floor rows, pipeline rows, differing rows)

    @property
    def total_s(self) -> float:
        return sum(self.seconds[phase] for phase in PHASES)

    def as_dict(self) -> dict:
        return {
            "seconds": {**self.seconds, "total": self.total_s},
            "compile_s": self.compile_s,
            "files": self.files,
            "raw_rows": self.raw_rows,
            "models": self.models,
            "tests": self.tests,
            "unit_tests_not_run": self.unit_tests,
            "failing_tests": self.failing,
            "mart_rows": self.marts,
            "comparison": [
                {"mart": m, "floor": f, "pipeline": p, "differing_rows": d}
                for m, f, p, d in self.comparison
            ],
        }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _land(conn, table: str, columns: Mapping[str, str], rows: list[tuple]) -> int:
    """``raw.<table>`` from Python rows (the source's columns, then the lineage), cast to
    the raw table's types in one statement."""
    import pandas as pd

    from orchestration.warehouse.landing import LINEAGE_TYPES

    schema = {**columns, **LINEAGE_TYPES}
    frame = pd.DataFrame(rows, columns=list(schema), dtype=object)
    # A text column may hold numbers as Excel typed them; DuckDB would take them as numbers.
    for name, kind in schema.items():
        if kind == "VARCHAR":
            frame[name] = [None if v is None else str(v) for v in frame[name]]
    casts = ", ".join(f'CAST("{n}" AS {kind}) AS "{n}"' for n, kind in schema.items())
    conn.register("incoming_rows", frame)
    try:
        conn.execute(f"CREATE OR REPLACE TABLE raw.{table} AS SELECT {casts} FROM incoming_rows")
    finally:
        conn.unregister("incoming_rows")
    return len(frame)


def _nonblank(rows: Iterable[list]) -> list[tuple[int, list]]:
    return [
        (number, row)
        for number, row in enumerate(rows, start=1)
        if any(c is not None and (not isinstance(c, str) or c.strip()) for c in row)
    ]


def read_workbooks(conn, bron, paths: list[Path], key: bytes, loaded_at: datetime) -> int:
    """Every sheet of every workbook, calamine's cells under their header, into the raw
    tables; persons pseudonymised as the load does."""
    from orchestration.bronnen.zorggroep.bron import SUBMISSION_KEYS
    from orchestration.bronnen.zorggroep.pseudonym import pseudonymise
    from orchestration.bronnen.zorggroep.tabbladen import match_sheets
    from orchestration.bronnen.zorggroep.xlsx import open_workbook

    tables = {table.name.removeprefix("zorggroep_"): table for table in bron.tables}
    rows: dict[str, list[tuple]] = {sheet: [] for sheet in tables}
    for path in paths:
        lineage = (path.name, _sha256(path), loaded_at)
        book = open_workbook(path)
        try:
            tabs, missing = match_sheets(path.name, book.sheetnames, tables)
            if missing:
                raise RuntimeError(f"{path.name}: {missing[0].message}")
            sheets = {sheet: _nonblank(book[tabs[sheet]].rows) for sheet in tables}
        finally:
            book.close()
        meta = {str(r[0]).strip(): r[1] for _, r in sheets.pop("meta")[1:]}
        keys = {k: meta[k] for k in SUBMISSION_KEYS}
        rows["meta"].append(
            (*(meta.get(c) for c in tables["meta"].columns), lineage[0], lineage[1], 2, loaded_at)
        )
        for sheet, numbered in sheets.items():
            if not numbered:
                continue
            header = [str(c).strip() if c is not None else "" for c in numbered[0][1]]
            at = {name: i for i, name in enumerate(header)}
            columns = list(tables[sheet].columns)
            persoon = columns.index("persoon_id") if "persoon_id" in columns else None
            for number, cells in numbered[1:]:
                cells = cells + [None] * (len(header) - len(cells))
                values = [keys[c] if c in keys else cells[at[c]] for c in columns]
                if persoon is not None:
                    values[persoon] = pseudonymise(
                        key, keys["zorggroep_code"], str(values[persoon])
                    )
                rows[sheet].append((*values, lineage[0], lineage[1], number, loaded_at))
    return sum(_land(conn, tables[s].name, tables[s].columns, rows[s]) for s in tables)


# DuckDB's readers of a delimited or JSON-lines export, all files of a source in one query.
DUCKDB_READERS = {
    ".csv": "read_csv($paths, delim=';', decimal_separator=',', header=true, filename=true, "
    "columns={columns})",
    ".jsonl": "read_json($paths, format='newline_delimited', filename=true, columns={columns})",
}


def read_exports(conn, bron, paths: list[Path], loaded_at: datetime) -> int:
    (table,) = bron.tables
    columns = dict(table.columns)
    struct = "{" + ", ".join(f"'{n}': '{kind}'" for n, kind in columns.items()) + "}"
    reader = DUCKDB_READERS[bron.suffix].format(columns=struct)
    names = ", ".join(f'"{n}"' for n in columns)
    conn.execute("CREATE OR REPLACE TEMP TABLE sha (filename VARCHAR, sha256 VARCHAR)")
    conn.executemany("INSERT INTO sha VALUES (?, ?)", [(str(p), _sha256(p)) for p in paths])
    conn.execute(
        f"CREATE OR REPLACE TABLE raw.{table.name} AS SELECT {names}, "
        "parse_filename(r.filename) AS _bronbestand, sha.sha256 AS _sha256, "
        # The line in the file, header = 1 (JSON lines have none): as the load numbers it.
        f"CAST(row_number() OVER (PARTITION BY r.filename) + {int(bron.suffix == '.csv')} "
        "AS INTEGER) AS _bronrij, $loaded::TIMESTAMP AS _geladen_op "
        f"FROM {reader} r JOIN sha USING (filename)",
        {"paths": [str(p) for p in paths], "loaded": loaded_at},
    )
    return conn.execute(f"SELECT count(*) FROM raw.{table.name}").fetchone()[0]


def read_reference(conn) -> tuple[int, int]:
    """The reference tables exactly as the pipeline lands them: (tables, rows)."""
    from orchestration.defs.referentie.assets import REFERENCE_TABLES, _column_type
    from orchestration.paths import REFERENCE_DIR
    from orchestration.warehouse.landing import replace_raw_table, with_lineage
    from orchestration.warehouse.lineage import file_lineage

    total = 0
    for table, (reader, main_file, _) in REFERENCE_TABLES.items():
        rows = reader(REFERENCE_DIR)
        numbers = (
            rows.pop("_bronrij").tolist() if "_bronrij" in rows.columns else range(2, 2 + len(rows))
        )
        source = main_file() if callable(main_file) else REFERENCE_DIR / main_file
        stamped = with_lineage(rows, file_lineage(source), numbers)
        columns = {c: _column_type(c) for c in rows.columns}
        total += replace_raw_table(conn, table, columns, stamped)
    return len(REFERENCE_TABLES), total


def read_inputs(conn, sources: Path, key: bytes, floor: Floor) -> None:
    from orchestration import bronnen
    from orchestration.inname.ledger import ensure_ledger

    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
    ensure_ledger(conn)  # no inbox here: an empty ledger and the registry, as a run writes
    for bron in bronnen.all_sources():
        paths = sorted((sources / bron.name).glob(bron.pattern))
        if not paths:
            raise RuntimeError(f"no {bron.pattern} files in {sources / bron.name}")
        floor.files[bron.name] = len(paths)
        if bron.suffix == ".xlsx":
            floor.raw_rows += read_workbooks(conn, bron, paths, key, loaded_at)
        elif bron.suffix in DUCKDB_READERS:
            floor.raw_rows += read_exports(conn, bron, paths, loaded_at)
        else:
            raise NotImplementedError(f"the floor has no reader for {bron.suffix} ({bron.name})")
    tables, rows = read_reference(conn)
    floor.files["reference"] = tables
    floor.raw_rows += rows
    _loaded_files(conn, sources.parent)


def _loaded_files(conn, root: Path) -> None:
    """meta.bestanden, as the run writes it after loading: from the pipeline's parsed copies
    when this data folder has them (who sent each file, from when), else empty."""
    from orchestration.inname.bestanden import COLUMNS, write_loaded_files
    from orchestration.paths import DataPaths

    try:
        write_loaded_files(conn, DataPaths(root))
    except OSError:  # no parsed copies here: the table, without rows
        columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
        conn.execute(f"CREATE OR REPLACE TABLE meta.bestanden ({columns})")


def build_models(conn, manifest: dict, floor: Floor) -> None:
    for uid in build_order(manifest["nodes"]):
        node = manifest["nodes"][uid]
        kind = node["config"]["materialized"]
        floor.models[kind] = floor.models.get(kind, 0) + 1
        for statement in model_statements(node):
            try:
                conn.execute(statement)
            except Exception as error:
                raise RuntimeError(f"model {node['name']}: {error}") from error


def run_tests(conn, manifest: dict, floor: Floor) -> None:
    for uid in data_tests(manifest["nodes"]):
        node = manifest["nodes"][uid]
        failures, should_error = conn.execute(test_query(node)).fetchone()
        floor.tests += 1
        if should_error:
            floor.failing[node["name"]] = failures


def publish(conn, database: str, serving: Path, floor: Floor) -> None:
    """Copy the marts into a new file, as ``publish_marts`` does from the build DB."""
    serving.unlink(missing_ok=True)
    conn.execute(f"ATTACH '{serving}' AS serving")
    conn.execute("CREATE SCHEMA serving.marts")
    names = [
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
            "AND table_schema = 'marts' AND table_type = 'BASE TABLE' ORDER BY table_name",
            [database],
        ).fetchall()
    ]
    for name in names:
        conn.execute(
            f'CREATE TABLE serving.marts.{name} AS SELECT * FROM "{database}".marts.{name}'
        )
        floor.marts[name] = conn.execute(f"SELECT count(*) FROM serving.marts.{name}").fetchone()[0]
    conn.execute("CREATE SCHEMA serving.meta")
    conn.execute(
        "CREATE TABLE serving.meta.publicatie AS "
        "SELECT ?::TIMESTAMP AS gepubliceerd_op, 'floor' AS run_id, ? AS tabellen",
        [datetime.now(UTC).replace(tzinfo=None), ",".join(names)],
    )
    conn.execute("DETACH serving")


NUMBERS = ("DOUBLE", "FLOAT", "REAL")


def differing_rows_sql(ours: str, theirs: str, columns: list[tuple[str, str]]) -> str:
    """A query counting the rows of ``ours`` and ``theirs`` that have no equal in the other.

    Rows are paired on every column that is not a number with a fraction (the n-th row with
    the same such values on each side); paired doubles are equal within 1e-9 of their size,
    as summation order differs between runs in the last digits. TIMESTAMP columns (load and
    publication times) are left out.
    """
    keys = [f'"{c}"' for c, kind in columns if kind not in NUMBERS and "TIMESTAMP" not in kind]
    values = [f'"{c}"' for c, kind in columns if kind in NUMBERS]
    order = f"ORDER BY {', '.join(values)}" if values else ""
    partition = f"PARTITION BY {', '.join(keys)}" if keys else ""
    numbered = "SELECT *, row_number() OVER ({} {}) AS _n FROM {}".format
    paired = " AND ".join([*(f"a.{k} IS NOT DISTINCT FROM b.{k}" for k in keys), "a._n = b._n"])
    differs = " OR ".join(
        [
            "a._n IS NULL",
            "b._n IS NULL",
            *(
                f"(a.{v} IS DISTINCT FROM b.{v} AND coalesce(abs(a.{v} - b.{v}) > "
                f"1e-9 * greatest(1, abs(a.{v}), abs(b.{v})), true))"
                for v in values
            ),
        ]
    )
    return (
        f"WITH a AS ({numbered(partition, order, ours)}), "
        f"b AS ({numbered(partition, order, theirs)}) "
        f"SELECT count(*) FROM a FULL OUTER JOIN b ON {paired} WHERE {differs}"
    )


def compare(conn, database: str, reference: Path, floor: Floor) -> None:
    """Per mart: rows here, rows in ``reference``, rows in one and not the other."""
    conn.execute(f"ATTACH '{reference}' AS vergelijk (READ_ONLY)")
    try:
        theirs = {
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
                "'vergelijk' AND table_schema = 'marts' AND table_type = 'BASE TABLE'"
            ).fetchall()
        }
        for name in sorted(set(floor.marts) | theirs):
            if name not in floor.marts or name not in theirs:
                ours = floor.marts.get(name)
                other = (
                    conn.execute(f"SELECT count(*) FROM vergelijk.marts.{name}").fetchone()[0]
                    if name in theirs
                    else None
                )
                floor.comparison.append((name, ours, other, None))
                continue
            columns = conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_catalog = ? AND table_schema = 'marts' AND table_name = ? "
                "ORDER BY ordinal_position",
                [database, name],
            ).fetchall()
            differing = conn.execute(
                differing_rows_sql(f'"{database}".marts.{name}', f"vergelijk.marts.{name}", columns)
            ).fetchone()[0]
            count = conn.execute(f"SELECT count(*) FROM vergelijk.marts.{name}").fetchone()[0]
            floor.comparison.append((name, floor.marts[name], count, differing))
    finally:
        conn.execute("DETACH vergelijk")


def _key(data_dir: Path) -> bytes:
    """The data folder's pseudonym key, as the load takes it, so the marts can be compared;
    a key of its own where the folder has none (the floor writes nothing there)."""
    from orchestration.bronnen.zorggroep.pseudonym import ENV_KEY
    from orchestration.paths import DataPaths

    if os.environ.get(ENV_KEY):
        return os.environ[ENV_KEY].encode()
    key_file = DataPaths(data_dir).pseudonym_key
    return key_file.read_text().strip().encode() if key_file.exists() else secrets.token_bytes(32)


def sources_of(data_dir: Path) -> Path:
    """``<data>/sources`` of a data folder, or the folder itself if it holds the sources."""
    return data_dir / "sources" if (data_dir / "sources").is_dir() else data_dir


def measure(
    data_dir: Path,
    vergelijk: Path | None = None,
    in_memory: bool = False,
    compiled_in: Path | None = None,
) -> Floor:
    """The floor on the sources of ``data_dir``; the compiled SQL is kept in (and reused
    from) ``compiled_in`` if given."""
    import duckdb

    # Imported before the clock starts: the floor is the work, not Python's imports.
    import orchestration.defs.referentie.assets  # noqa: F401
    import orchestration.inname.ledger  # noqa: F401

    floor = Floor()
    scratch = Path(tempfile.mkdtemp(prefix="capmon-bench-floor-"))
    try:
        started = time.perf_counter()
        manifest = compiled(compiled_in or scratch)
        floor.compile_s = time.perf_counter() - started
        floor.unit_tests = len(manifest.get("unit_tests", {}))
        database = next(
            n["database"] for n in manifest["nodes"].values() if n["resource_type"] == "model"
        )
        key = _key(data_dir)
        if in_memory:
            conn = duckdb.connect()
            conn.execute(f"ATTACH ':memory:' AS \"{database}\"")
            conn.execute(f'USE "{database}"')
        else:
            (scratch / "floor").mkdir()
            conn = duckdb.connect(str(scratch / "floor" / f"{database}.duckdb"))
        try:
            steps = (
                lambda: read_inputs(conn, sources_of(data_dir), key, floor),
                lambda: build_models(conn, manifest, floor),
                lambda: run_tests(conn, manifest, floor),
                lambda: publish(conn, database, scratch / "serving.duckdb", floor),
            )
            for phase, step in zip(PHASES, steps, strict=True):
                started = time.perf_counter()
                step()
                floor.seconds[phase] = time.perf_counter() - started
            if vergelijk:
                compare(conn, database, vergelijk, floor)
        finally:
            conn.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return floor


def report(floor: Floor) -> str:
    files = floor.files
    counts = {
        "read inputs": f"{sum(v for k, v in files.items() if k != 'reference')} files ("
        + ", ".join(f"{n} {k}" for k, n in files.items())
        + f" tables), {floor.raw_rows:,} rows",
        "build models": f"{sum(floor.models.values())} models ("
        + ", ".join(f"{n} {k}" for k, n in sorted(floor.models.items()))
        + ")",
        "run tests": f"{floor.tests:,} data tests, {len(floor.failing)} failing"
        + (f"; {floor.unit_tests} dbt unit tests not run" if floor.unit_tests else ""),
        "publish": f"{len(floor.marts)} marts, {sum(floor.marts.values()):,} rows",
    }
    lines = [f"{'phase':<14} {'seconds':>8}  what"]
    for phase in PHASES:
        lines.append(f"{phase:<14} {floor.seconds[phase]:>8.2f}  {counts[phase]}")
    lines.append(f"{'total':<14} {floor.total_s:>8.2f}")
    lines.append(f"(dbt compile beforehand, not part of the floor: {floor.compile_s:.1f} s)")
    for name, failures in sorted(floor.failing.items()):
        lines.append(f"  failing: {name} ({failures})")
    if floor.comparison:
        same = all(f == p and d == 0 for _, f, p, d in floor.comparison)
        lines.append("")
        lines.append(f"{'mart':<36} {'floor rows':>10} {'pipeline':>10} {'differing':>10}")
        for name, ours, theirs, differing in floor.comparison:
            shown = [("-" if v is None else f"{v:,}") for v in (ours, theirs, differing)]
            lines.append(f"{name:<36} {shown[0]:>10} {shown[1]:>10} {shown[2]:>10}")
        lines.append(
            "the floor reproduces the pipeline's marts"
            if same
            else "the floor's marts DIFFER from the pipeline's"
        )
    return "\n".join(lines)


def generated(scale: float, seed: int = 2025) -> Path:
    """A scratch data folder with sample sources at ``scale`` (the caller removes it)."""
    from orchestration.bronnen.voorbeeld import generate

    root = Path(tempfile.mkdtemp(prefix="capmon-bench-floor-data-"))
    with contextlib.redirect_stdout(io.StringIO()):
        generate(root / "sources", scale=scale, seed=seed, progress=False)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="data folder (with sources/); else generated")
    parser.add_argument("--scale", type=float, default=1.0, help="scale of the generated sample")
    parser.add_argument("--vergelijk", type=Path, help="build.duckdb of capmon run to compare")
    parser.add_argument("--in-memory", action="store_true", help="build DB in memory, not a file")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--compiled", type=Path, help="keep the compiled SQL here; reused while dbt is unchanged"
    )
    args = parser.parse_args()

    data_dir = args.data_dir or generated(args.scale)
    try:
        floor = measure(data_dir, args.vergelijk, args.in_memory, args.compiled)
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    if args.data_dir and any((args.data_dir / "archive").rglob("*.*")):
        print(
            "note: the floor reads sources/ only, not the accepted submissions in archive/ "
            "(the intake is not part of it): marts built from those differ"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    where = args.data_dir or f"generated at scale {args.scale:g}"
    print(f"floor on {where} ({os.cpu_count()} cores, load 1/5/15 min: {load})")
    print(report(floor))
    if args.json:
        args.json.write_text(json.dumps(floor.as_dict(), indent=2))


if __name__ == "__main__":
    main()
