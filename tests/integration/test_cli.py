"""The capmon command line, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def capmon(*args, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *args],
        env={**os.environ, "CAPMON_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_generate_refuses_to_overwrite_with_if_empty_and_run_fails_readably_without_sources(
    tmp_path,
):
    done = capmon("run", data_dir=tmp_path)
    assert done.returncode == 1
    assert "Geen Nivel-bestanden gevonden" in done.stdout
    assert "vorige publicatie" in done.stdout
    assert not (tmp_path / "warehouse" / "serving.duckdb").exists()

    first = capmon("generate", "--scale", "0.05", "--seed", "3", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    nivel = sorted((tmp_path / "sources" / "nivel").glob("*.csv"))
    assert len(nivel) == 6
    again = capmon("generate", "--if-empty", data_dir=tmp_path)
    assert again.returncode == 0 and "niets gegenereerd" in again.stdout
