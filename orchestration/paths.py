"""Where the project keeps its files.

Runtime data lives under ``CAPMON_DATA_DIR`` (default ``<repo>/data``) so that tests and
benchmarks can run a whole pipeline in a scratch folder without touching the user's
warehouse. Vendored reference data comes from the repository itself, except that a benchmark
world generated at a scale above 1 brings its own scaled population
(``DataPaths.referentie``).
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SUPERSET_DIR = PROJECT_ROOT / "superset"
# Superset has its own environment: it needs SQLAlchemy < 2 and pandas 2.1
# (docs/architectuur.md, "Two Python environments").
SUPERSET_VENV = PROJECT_ROOT / ".venv-superset"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def inbox(self) -> Path:
        """Where submissions arrive, one folder per source (watched by the sensors)."""
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        """Accepted submissions, as received: with data/sources the input of every load."""
        return self.root / "archive"

    @property
    def quarantine(self) -> Path:
        """Rejected submissions, each with its report (HTML and JSON)."""
        return self.root / "quarantine"

    @property
    def referentie(self) -> Path:
        """Synthetic reference data with N x the real population, written by ``capmon generate
        --scale N`` (N > 1) and landed instead of data/reference when present
        (orchestration/referentie/geschaald.py)."""
        return self.root / "referentie"

    @property
    def pseudonym_key(self) -> Path:
        return self.root / ".pseudoniem_sleutel"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def build_db(self) -> Path:
        return self.warehouse / "build.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.warehouse / "serving.duckdb"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this data folder's build DB, kept between runs: its
        artifacts (run results, compiled SQL) belong to this folder's last run, and dbt's
        partial parse here follows this folder's own parse."""
        return self.warehouse / "dbt"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def superset_home(self) -> Path:
        return self.root / "superset"

    @property
    def dashboard_cache(self) -> Path:
        """Superset's chart-result cache (DATA_CACHE_CONFIG in superset/superset_config.py),
        emptied whenever new marts are published."""
        return self.superset_home / "cache" / "resultaten"

    @property
    def answer_cache(self) -> Path:
        """Superset's answers given again (superset/capmon_antwoorden.py, the folder in
        ADDITIONAL_MIDDLEWARE): one folder per publication and metadata version."""
        return self.superset_home / "cache" / "antwoorden"

    def source_dir(self, source: str) -> Path:
        return self.sources / source


def data_paths() -> DataPaths:
    return DataPaths(Path(os.environ.get("CAPMON_DATA_DIR", PROJECT_ROOT / "data")).resolve())


def make_private(root: Path) -> None:
    """Take group and other permissions off the data folder and everything in it.

    New files are private through capmon's umask; this brings a folder made before that
    (0755/0644) in line. Done once: a private root means the walk has completed.
    """
    try:
        if not root.is_dir() or stat.S_IMODE(root.stat().st_mode) & 0o077 == 0:
            return
        for dirpath, dirnames, filenames in os.walk(root):
            for name in (*dirnames, *filenames):
                path = Path(dirpath) / name
                with contextlib.suppress(OSError):
                    if not path.is_symlink():
                        os.chmod(path, stat.S_IMODE(path.lstat().st_mode) & ~0o077)
        os.chmod(root, stat.S_IMODE(root.stat().st_mode) & ~0o077)
    except OSError:
        pass  # not ours to change (another owner): the folder's own permissions stand
