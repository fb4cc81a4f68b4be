"""What each run skips or overlaps to stay near the floor (docs/operations.md, "Where a run's
time goes"): no `dbt --version` process, no dbt adapter in the run's process, Great
Expectations imported while dbt builds, Dagster's SQLite without an fsync per event."""

from __future__ import annotations

import sqlite3
import sys
from importlib.metadata import version

from dagster_dbt import DbtCliResource
from dagster_dbt.core import resource as dbt_resource
from packaging.version import parse
from sqlalchemy import create_engine, text

from orchestration import dagster_sqlite
from orchestration.paths import DBT_PROJECT_DIR, PROJECT_ROOT
from orchestration.resources import DbtCli

DBT_LAUNCHER = PROJECT_ROOT / "orchestration" / "bin" / "dbt"


def test_dagster_dbt_still_has_the_methods_we_replace():
    # An upgrade that renames them would silently bring the 9 s back.
    assert "_cli_version" in vars(DbtCliResource)
    assert callable(vars(DbtCliResource).get("_initialize_dbt_core_adapter"))


def test_dbt_version_comes_from_the_environment_not_a_process(monkeypatch):
    def no_process(*args, **kwargs):
        raise AssertionError(f"started a process: {args}")

    monkeypatch.setattr(dbt_resource, "check_output", no_process)
    dbt = DbtCli(project_dir=str(DBT_PROJECT_DIR), dbt_executable=str(DBT_LAUNCHER))
    assert dbt._cli_version == parse(version("dbt-core"))
    assert dbt._cli_version.major == 1  # dbt Core: dagster-dbt parses its log lines
    assert dbt._initialize_dbt_core_adapter(["build"]) is None


def test_great_expectations_is_imported_in_the_background():
    from expectations import runner

    thread = runner.warm_up()
    assert thread.daemon
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert "great_expectations" in sys.modules


def test_dagster_sqlite_commits_without_fsync_per_event(tmp_path):
    dagster_sqlite.install()
    dagster_sqlite.install()  # twice is once
    engine = create_engine(f"sqlite:///{tmp_path / 'runs.db'}")
    with engine.connect() as conn:
        conn.execute(text("PRAGMA journal_mode=WAL"))
        # 1 = NORMAL; SQLite's default is 2 = FULL
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1
    raw = sqlite3.connect(tmp_path / "plain.db")  # not through SQLAlchemy: untouched
    assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2
    raw.close()


def test_the_daemon_looks_at_its_queue_every_second(tmp_path, monkeypatch):
    # A submission's run waits in the queue until the daemon looks (docs/inname.md, "Hoe
    # lang duurt het"); Dagster's default is every 5 s. Still one run at a time.
    from orchestration.pipeline import persistent_instance

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))  # it sets the variable
    instance = persistent_instance(tmp_path / "dagster_home")
    assert instance.run_coordinator.dequeue_interval_seconds == 1
    assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
