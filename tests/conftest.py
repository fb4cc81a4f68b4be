"""Shared fixtures: one real pipeline run at small scale, reused by the integration tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

# The browser fixtures (dashboard_loads, ...) for every module under tests/superset; a plugin
# because only a top-level conftest may load one, and tests/superset/conftest.py stays small.
pytest_plugins = ["tests.superset.conftest_browser"]

PIPELINE_SCALE = float(os.environ.get("CAPMON_TEST_SCALE", "0.25"))
PIPELINE_SEED = 7


@dataclass(frozen=True)
class PublishedWarehouse:
    data_dir: Path
    result: object

    @property
    def sources(self) -> Path:
        return self.data_dir / "sources"

    @property
    def build_db(self) -> Path:
        return self.data_dir / "warehouse" / "build.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.data_dir / "warehouse" / "serving.duckdb"


@pytest.fixture(scope="session")
def published_warehouse(tmp_path_factory: pytest.TempPathFactory) -> PublishedWarehouse:
    """Generate sample sources, run every asset in process, publish the serving DB.

    Like `capmon generate`, a few flawed submissions wait in the inbox, so the run also
    quarantines files and the ledger has rejections with reasons.
    """
    from orchestration.bronnen.voorbeeld import generate
    from orchestration.pipeline import run_full_refresh

    data_dir = tmp_path_factory.mktemp("capmon-data")
    generate(
        data_dir / "sources",
        scale=PIPELINE_SCALE,
        seed=PIPELINE_SEED,
        progress=False,
        inbox_dir=data_dir / "inbox",
    )
    result = run_full_refresh(data_dir, show_progress=False)
    assert result.success, "the pipeline run on generated sample data failed"
    return PublishedWarehouse(data_dir=data_dir, result=result)
