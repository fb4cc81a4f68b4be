"""What every run worker of `capmon serve` has imported before its run starts.

The code server's forkserver imports this module once and forks each run worker from it
(orchestration/code_server.py), so a run starts without importing Dagster, dagster-dbt,
Great Expectations and the definitions again.
"""

import duckdb

import orchestration.definitions  # noqa: F401  (loading the definitions is the point)
from expectations import runner

# Every run that audits a mart imports Great Expectations (about 4 s), in a thread beside
# dbt (runner.warm_up) that took that CPU from dbt on a 2-core machine: once, here, instead.
runner.load()

# `import duckdb` opens a default in-memory connection with a thread per core, and DuckDB's
# state is not fork-safe: a fork copies the connection but none of its threads. Closing it
# joins them; a `duckdb.sql()` in a run would open a new default connection in its own
# process, and `duckdb.connect()`, which the pipeline uses, is not affected.
duckdb.default_connection().close()
