"""A submission rebuilds only what it can change, and publishes the same as a full refresh
(real Dagster, dbt, DuckDB on a copy of the published sample warehouse; docs/inname.md,
"Alleen wat verandert").

Order matters and is kept in one module: the incremental run first, then a full refresh on
the same inputs (the marts must be identical), then a run on top of a build DB that a
failed run left behind (nothing may be published).
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance, build_sensor_context
from openpyxl import load_workbook

from orchestration.defs.inname.assets import LEDGER, PARTIAL_TAG, REGISTRY
from orchestration.defs.inname.sensors import inbox_sensor
from orchestration.pipeline import SILENT
from orchestration.resources import Warehouse


@pytest.fixture(scope="module")
def world(published_warehouse, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deelverversing") / "data"
    shutil.copytree(
        published_warehouse.data_dir, root, ignore=shutil.ignore_patterns("dagster_home")
    )
    return root


@pytest.fixture(scope="module")
def defs(world):
    from orchestration.definitions import build_defs

    return build_defs(world)


@pytest.fixture(scope="module")
def instance(defs) -> DagsterInstance:
    """An instance whose latest refresh succeeded, as after `capmon run`: a run of the
    refresh job that only writes the intake's tables (the copied warehouse is clean)."""
    instance = DagsterInstance.ephemeral()
    result = defs.resolve_job_def("volledige_verversing").execute_in_process(
        run_config=SILENT, instance=instance, asset_selection=[LEDGER, REGISTRY]
    )
    assert result.success
    return instance


def _resubmit(world: Path, tmp_path: Path, extra_patients: int) -> Path:
    sample = sorted((world / "sources" / "zorggroep").glob("*_2025-Q1.xlsx"))[0]
    workbook = load_workbook(sample)
    workbook["praktijken"]["E2"] = workbook["praktijken"]["E2"].value + extra_patients
    for row in workbook["meta"].iter_rows(min_row=2):
        if row[0].value == "aangeleverd_op":
            row[1].value = date(2025, 6, 1)
    inbox = world / "inbox" / "zorggroep"
    inbox.mkdir(parents=True, exist_ok=True)
    path = tmp_path / sample.name
    workbook.save(path)
    dropped = Path(shutil.move(path, inbox / sample.name))
    settled = time.time() - 10  # copied in a moment ago: the sensor takes it now
    os.utime(dropped, (settled, settled))
    return dropped


def _request(world: Path, defs, instance):
    context = build_sensor_context(
        instance=instance,
        resources={"warehouse": Warehouse(data_dir=str(world))},
        definitions=defs,
    )
    return inbox_sensor("zorggroep")(context)


def _execute(defs, instance, request):
    return defs.resolve_job_def("volledige_verversing").execute_in_process(
        run_config=SILENT,
        instance=instance,
        tags=request.tags,
        asset_selection=request.asset_selection,
        raise_on_error=False,
    )


def _marts(serving_db: Path) -> dict[str, list[tuple]]:
    conn = duckdb.connect(str(serving_db), read_only=True)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
            ).fetchall()
        ]
        return {
            name: sorted(conn.execute(f"SELECT * FROM marts.{name}").fetchall(), key=_order)
            for name in sorted(names)
        }
    finally:
        conn.close()


def _order(row: tuple) -> tuple:
    return tuple(repr(round(v, 3) if isinstance(v, float) else v) for v in row)


def _same(left: dict[str, list[tuple]], right: dict[str, list[tuple]]) -> list[str]:
    """The marts that differ, floats compared to 1e-9: DuckDB's parallel sums of doubles
    differ in the last bits from one build to the next."""

    def equal(a, b) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        return a == b

    return [
        name
        for name in sorted(left.keys() | right.keys())
        if len(left.get(name, [])) != len(right.get(name, []))
        or not all(
            len(x) == len(y) and all(map(equal, x, y))
            for x, y in zip(left[name], right[name], strict=True)
        )
    ]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_submission_rebuilds_only_its_branch(world, defs, instance, tmp_path):
    waiting_nivel = world / "inbox" / "nivel" / "wacht.csv"
    waiting_nivel.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(sorted((world / "sources" / "nivel").glob("*.csv"))[0], waiting_nivel)
    _resubmit(world, tmp_path, extra_patients=700)
    before = _marts(world / "warehouse" / "serving.duckdb")

    request = _request(world, defs, instance)
    selected = set(request.asset_selection)
    assert request.tags[PARTIAL_TAG] == "zorggroep"
    assert {AssetKey(["raw", "zorggroep_praktijken"]), AssetKey(["serving", "marts"])} <= selected
    assert AssetKey(["marts", "fct_capaciteit_gemeente"]) in selected
    # Other sources' branches are not rebuilt: the projection comes from Nivel alone.
    assert AssetKey(["raw", "nivel_registratie"]) not in selected
    assert AssetKey(["marts", "fct_prognose_gemeente"]) not in selected
    assert AssetKey(["marts", "fct_stages_gemeente"]) not in selected

    result = _execute(defs, instance, request)

    assert result.success
    after = _marts(world / "warehouse" / "serving.duckdb")
    assert "fct_capaciteit_gemeente" in _same(before, after)
    # What the submission cannot change is exactly the published table, not rebuilt.
    assert after["fct_prognose_gemeente"] == before["fct_prognose_gemeente"]
    # The Nivel file waits for a run of its own (its sensor's), not taken half-way.
    assert waiting_nivel.is_file()
    waiting_nivel.unlink()


def test_it_publishes_what_a_full_refresh_publishes(world, defs):
    incremental = _marts(world / "warehouse" / "serving.duckdb")

    full = defs.resolve_job_def("volledige_verversing").execute_in_process(
        run_config=SILENT, instance=DagsterInstance.ephemeral(), raise_on_error=False
    )

    assert full.success
    assert _same(_marts(world / "warehouse" / "serving.duckdb"), incremental) == []


def test_it_publishes_nothing_over_marts_a_failed_run_left(world, defs, instance, tmp_path):
    # As a run that failed after rebuilding a Nivel mart would leave it: not published.
    conn = duckdb.connect(str(world / "warehouse" / "build.duckdb"))
    conn.execute("UPDATE marts.fct_prognose_nationaal SET aanbod_fte = aanbod_fte + 1")
    conn.close()
    served = _digest(world / "warehouse" / "serving.duckdb")
    _resubmit(world, tmp_path, extra_patients=50)

    request = _request(world, defs, instance)
    assert request.tags[PARTIAL_TAG] == "zorggroep"
    result = _execute(defs, instance, request)

    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    message = failure.step_failure_data.user_failure_data.description
    assert "fct_prognose_nationaal" in message and "volledige verversing" in message
    assert _digest(world / "warehouse" / "serving.duckdb") == served


def test_after_a_failed_run_the_sensor_asks_for_everything(world, defs, instance, tmp_path):
    # The latest refresh (the previous test's) failed: no incremental run on top of it.
    _resubmit(world, tmp_path, extra_patients=60)
    request = _request(world, defs, instance)
    assert PARTIAL_TAG not in request.tags
    assert request.asset_selection is None
