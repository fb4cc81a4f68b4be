"""Resources configured once for the whole code location."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource

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
