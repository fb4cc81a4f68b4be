"""Raw tables follow their files incrementally (real DuckDB, real Parquet copies)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse.landing import sync_raw_table

COLUMNS = {"gemeentecode": "VARCHAR", "aantal": "INTEGER"}


def _batch(folder: Path, batch: str, rows: list[tuple[str, str, int]]) -> Path:
    """A Parquet copy as parsed.store writes it: typed rows, lineage but for the file name."""
    path = folder / f"{batch}.parquet"
    values = ", ".join(
        f"('{sha}', '{code}', {n}, {i + 2})" for i, (sha, code, n) in enumerate(rows)
    )
    with duckdb.connect() as conn:
        conn.execute(
            "COPY (SELECT gemeentecode, aantal::INTEGER AS aantal, _sha256, "
            "_bronrij::INTEGER AS _bronrij, TIMESTAMP '2026-01-01' AS _geladen_op "
            f"FROM (VALUES {values}) AS t(_sha256, gemeentecode, aantal, _bronrij)) "
            f"TO '{path}' (FORMAT parquet)"
        )
    return path


def _rows(conn) -> list[tuple]:
    return conn.execute(
        "SELECT _bronbestand, _sha256, gemeentecode, aantal, _bronrij FROM raw.proef ORDER BY ALL"
    ).fetchall()


@pytest.fixture
def copies(tmp_path):
    first = _batch(tmp_path, "p1", [("a", "GM0014", 1), ("a", "GM0363", 2), ("b", "GM0014", 3)])
    second = _batch(tmp_path, "p2", [("c", "GM0599", 4)])
    again = _batch(tmp_path, "p3", [("a", "GM0014", 10), ("a", "GM0363", 20)])
    return first, second, again


def test_only_the_files_that_changed_are_touched(copies, tmp_path):
    first, second, again = copies
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    start = [("a", "a.xlsx", "p1", first), ("b", "b.xlsx", "p1", first)]
    assert sync_raw_table(conn, "proef", COLUMNS, start) == (3, 2, 0)
    assert sync_raw_table(conn, "proef", COLUMNS, start) == (3, 0, 0)

    # b goes (superseded), c arrives, a was parsed again into a new batch.
    later = [("a", "a.xlsx", "p3", again), ("c", "c.xlsx", "p2", second)]
    assert sync_raw_table(conn, "proef", COLUMNS, later) == (3, 2, 2)
    assert _rows(conn) == [
        ("a.xlsx", "a", "GM0014", 10, 2),
        ("a.xlsx", "a", "GM0363", 20, 3),
        ("c.xlsx", "c", "GM0599", 4, 2),
    ]

    # The same files from scratch give the same table.
    fresh = duckdb.connect(str(tmp_path / "vers.duckdb"))
    sync_raw_table(fresh, "proef", COLUMNS, later)
    assert _rows(fresh) == _rows(conn)


def test_a_file_loaded_under_another_name_is_landed_under_that_name(copies, tmp_path):
    first, _, _ = copies
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    sync_raw_table(conn, "proef", COLUMNS, [("b", "voorbeeld_b.xlsx", "p1", first)])
    sync_raw_table(conn, "proef", COLUMNS, [("b", "000007_b.xlsx", "p1", first)])
    assert [r[0] for r in _rows(conn)] == ["000007_b.xlsx"]


def test_a_table_of_another_shape_is_built_again(copies, tmp_path):
    first, _, _ = copies
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    sync_raw_table(conn, "proef", {"gemeentecode": "VARCHAR"}, [("b", "b", "p1", first)])
    # Only the other contract's columns differ; the bookkeeping must not say "held".
    assert sync_raw_table(conn, "proef", COLUMNS, [("b", "b", "p1", first)]) == (1, 1, 0)
    assert _rows(conn) == [("b", "b", "GM0014", 3, 4)]
