"""A file is parsed once; the parsed copies are a cache (real Dagster, DuckDB, sample data).

On a copy of the published sample warehouse: loading again reads no file (every copy is
there), and after deleting every copy the raw tables and meta.bestanden come out the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from dagster import DagsterInstance, materialize

from orchestration import bronnen
from orchestration.defs.bronnen.assets import loaded_files_asset, raw_assets
from orchestration.inname.parsed import BATCHES, store_dir
from orchestration.paths import DataPaths
from orchestration.resources import Warehouse


def _load(root: Path) -> None:
    raw = [raw_assets(bron) for bron in bronnen.all_sources()]
    result = materialize(
        [*raw, loaded_files_asset([key for assets in raw for key in assets.keys])],
        resources={"warehouse": Warehouse(data_dir=str(root))},
        instance=DagsterInstance.ephemeral(),
    )
    assert result.success


def _warehouse(root: Path) -> dict[str, list[tuple]]:
    """Every raw table and meta.bestanden, sorted; the load time is left out (it is when a
    file was parsed) and so is meta.bestanden's fallback to it."""
    conn = duckdb.connect(str(DataPaths(root).build_db), read_only=True)
    try:
        tables = [t.name for bron in bronnen.all_sources() for t in bron.tables]
        found = {
            name: conn.execute(
                f"SELECT * EXCLUDE (_geladen_op) FROM raw.{name} ORDER BY ALL"
            ).fetchall()
            for name in tables
        }
        found["bestanden"] = conn.execute(
            "SELECT * EXCLUDE (ontvangen_op), CASE WHEN bron = 'zorggroep' THEN ontvangen_op END "
            "FROM meta.bestanden ORDER BY ALL"
        ).fetchall()
        return found
    finally:
        conn.close()


def _batches(paths: DataPaths) -> set[Path]:
    return {
        folder
        for bron in bronnen.all_sources()
        for folder in (store_dir(paths, bron) / BATCHES).glob("*")
    }


def test_parsed_copies_are_a_cache(published_warehouse, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(
        published_warehouse.data_dir, root, ignore=shutil.ignore_patterns("dagster_home")
    )
    paths = DataPaths(root)
    made = _batches(paths)
    assert made, "the pipeline run kept parsed copies of what it loaded"
    before = _warehouse(root)
    assert before["bestanden"] and all(before.values())

    _load(root)
    assert _batches(paths) == made, "a file with a current copy was parsed again"
    assert _warehouse(root) == before

    for bron in bronnen.all_sources():
        shutil.rmtree(store_dir(paths, bron))
    _load(root)
    assert _batches(paths), "the copies were made again"
    assert _warehouse(root) == before
