"""The Dagster code location: one Definitions object for the whole platform.

The wiring (assets, checks, sensors, jobs, schedule) is loaded from ``orchestration/defs/``
as Dagster's own projects load theirs (``[tool.dg]`` in pyproject.toml); only what depends
on the data folder, the resources, is added here (docs/architectuur.md).
"""

from __future__ import annotations

from pathlib import Path

from dagster import Definitions, load_from_defs_folder
from dagster._loggers import colored_console_logger

from orchestration import dagster_sqlite
from orchestration.defs.dbt.assets import DBT_LAUNCHER, DBT_PROJECT
from orchestration.paths import PROJECT_ROOT, data_paths
from orchestration.progress import progress_logger
from orchestration.resources import DbtCli, Warehouse

# The daemon's run workers load this module and write their events from it.
dagster_sqlite.install()


def build_defs(data_dir: Path | None = None) -> Definitions:
    """The platform for one data folder (default: ``CAPMON_DATA_DIR`` or ``data/``)."""
    root = data_dir or data_paths().root
    return Definitions.merge(
        load_from_defs_folder(path_within_project=PROJECT_ROOT),
        Definitions(
            resources={
                "warehouse": Warehouse(data_dir=str(root)),
                "dbt": DbtCli(project_dir=DBT_PROJECT, dbt_executable=str(DBT_LAUNCHER)),
            },
            loggers={"console": colored_console_logger, "voortgang": progress_logger},
        ),
    )


defs = build_defs()
