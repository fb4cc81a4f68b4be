"""dbt's unit tests (models/**/unit_tests/) on the models' logic, with real dbt and DuckDB.

The pipeline leaves them out of every refresh (they test code, not data); they run here,
against a copy of the shared build warehouse, whose relations dbt needs to know the inputs'
column types.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.paths import DBT_PROJECT_DIR


def test_every_dbt_unit_test_passes(published_warehouse, tmp_path):
    build_db = tmp_path / "build.duckdb"
    shutil.copy2(published_warehouse.build_db, build_db)
    dbt = Path(sys.executable).parent / "dbt"
    run = subprocess.run(
        [
            str(dbt),
            "test",
            "--select",
            "test_type:unit",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
        ],
        env={**os.environ, "CAPMON_BUILD_DB": str(build_db)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "PASS=" in run.stdout and " PASS=0 " not in run.stdout, run.stdout[-2000:]
