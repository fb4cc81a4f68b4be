"""The Dagster code location: one Definitions object for the whole platform."""

from __future__ import annotations

from pathlib import Path

from dagster import Definitions
from dagster._loggers import colored_console_logger
from dagster_dbt import DbtCliResource

from orchestration.defs.bronnen.assets import source_assets
from orchestration.defs.dbt.assets import DBT_LAUNCHER, DBT_PROJECT, capmon_dbt_models
from orchestration.defs.inname.assets import aanleveringen
from orchestration.defs.inname.sensors import inbox_sensors
from orchestration.defs.jobs import audit_and_publish, full_refresh, monthly_refresh
from orchestration.defs.marts.checks import MART_CHECKS
from orchestration.defs.publicatie.assets import serving_marts
from orchestration.defs.referentie.assets import referentie
from orchestration.defs.runs.sensors import dead_runs
from orchestration.paths import data_paths
from orchestration.progress import progress_logger
from orchestration.resources import Warehouse


def build_defs(data_dir: Path | None = None) -> Definitions:
    """The platform for one data folder (default: ``CAPMON_DATA_DIR`` or ``data/``)."""
    root = data_dir or data_paths().root
    return Definitions(
        assets=[
            aanleveringen,
            referentie,
            *source_assets(),
            capmon_dbt_models,
            serving_marts,
        ],
        asset_checks=MART_CHECKS,
        jobs=[full_refresh, audit_and_publish],
        schedules=[monthly_refresh],
        sensors=[*inbox_sensors(), dead_runs],
        resources={
            "warehouse": Warehouse(data_dir=str(root)),
            "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(DBT_LAUNCHER)),
        },
        loggers={"console": colored_console_logger, "voortgang": progress_logger},
    )


defs = build_defs()
