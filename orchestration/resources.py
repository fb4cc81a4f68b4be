"""Resources configured once for the whole code location."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import duckdb
from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.paths import DataPaths


class Warehouse(ConfigurableResource):
    """The data folder of one installation: sources in, build and serving DuckDB out.

    Only the pipeline opens the build DB, and always read-write; DuckDB allows a single
    writer, so every asset that touches it runs in the same process (see the job's
    in-process executor).
    """

    data_dir: str

    @property
    def paths(self) -> DataPaths:
        return DataPaths(Path(self.data_dir))

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.paths.warehouse.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(self.paths.build_db))
        try:
            yield conn
        finally:
            conn.close()


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt CLI resource without the two things it does before every command
    that this project never uses, about 9 s of each run on a 2-core machine
    (docs/operations.md, "Where a run's time goes"):

    - it starts ``dbt --version`` to learn which dbt it runs: here always this
      environment's dbt-core (the launcher execs it), so its installed version is the answer;
    - it loads dbt's adapter and macros in this process, which only serves row counts and
      column metadata fetched after each model; the pipeline asks for neither.

    Both are private methods of dagster-dbt 0.29 (pinned); ``tests/unit/test_dbt_cli.py``
    fails when an upgrade renames them.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None
