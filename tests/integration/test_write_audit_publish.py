"""Write–audit–publish: a mart that fails its audit never reaches the serving DB."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from orchestration.defs.jobs import AUDIT_AND_PUBLISH_JOB
from orchestration.paths import DataPaths
from orchestration.pipeline import run_job
from orchestration.warehouse.publish import publish_marts

pytestmark = pytest.mark.integration


def copy_warehouse(published_warehouse, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(published_warehouse.data_dir / "warehouse", data_dir / "warehouse")
    return data_dir


def _cached_dashboard_result(data_dir):
    """A stand-in for a chart result Superset cached from the current serving DB."""
    cache = DataPaths(data_dir).dashboard_cache
    cache.mkdir(parents=True)
    entry = cache / "2029f3a1c8e0"
    entry.write_bytes(b"cached chart result")
    return entry


def test_broken_mart_fails_the_gx_check_and_publish_is_skipped(published_warehouse, tmp_path):
    data_dir = copy_warehouse(published_warehouse, tmp_path)
    serving = data_dir / "warehouse" / "serving.duckdb"
    before = serving.read_bytes()
    cached = _cached_dashboard_result(data_dir)
    with duckdb.connect(str(data_dir / "warehouse" / "build.duckdb")) as conn:
        conn.execute(
            "UPDATE marts.fct_capaciteit_gemeente SET aandeel_fte_60plus = 1.7 "
            "WHERE gemeentecode = 'GM0014'"
        )

    result = run_job(AUDIT_AND_PUBLISH_JOB, data_dir, show_progress=False)

    evaluations = {e.asset_check_key.name: e for e in result.get_asset_check_evaluations()}
    gx = evaluations["gx_fct_capaciteit_gemeente"]
    assert not gx.passed
    assert "aandeel" in gx.description
    published = [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]
    assert "serving/marts" not in published
    assert serving.read_bytes() == before
    assert cached.exists(), "nothing new was published, so the dashboards' cache stays valid"


def test_a_clean_mart_passes_the_audit_and_is_published_again(published_warehouse, tmp_path):
    data_dir = copy_warehouse(published_warehouse, tmp_path)
    serving = data_dir / "warehouse" / "serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as conn:
        first = conn.execute("SELECT gepubliceerd_op FROM meta.publicatie").fetchone()[0]
    cached = _cached_dashboard_result(data_dir)

    result = run_job(AUDIT_AND_PUBLISH_JOB, data_dir, show_progress=False)

    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    with duckdb.connect(str(serving), read_only=True) as conn:
        assert conn.execute("SELECT gepubliceerd_op FROM meta.publicatie").fetchone()[0] > first
    assert not cached.exists(), "a publication must empty Superset's result cache"


def test_publish_that_crashes_leaves_the_serving_file_untouched(tmp_path):
    serving = tmp_path / "serving.duckdb"
    with duckdb.connect(str(serving)) as conn:
        conn.execute("CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT 1 AS x")
    before = serving.read_bytes()
    empty_build = tmp_path / "build.duckdb"
    duckdb.connect(str(empty_build)).close()

    with pytest.raises(RuntimeError, match="nothing to publish"):
        publish_marts(empty_build, serving)

    assert serving.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build.duckdb", "serving.duckdb"]
