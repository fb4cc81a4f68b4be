"""Intake end to end on a copy of the published sample warehouse (real Dagster, dbt, DuckDB).

Order matters and is kept in one test module: a rejected file first (nothing may change),
then a superseding submission (the mart must change), then the same bytes again (skipped).
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, SkipReason, build_sensor_context
from openpyxl import load_workbook

from orchestration.defs.inname.assets import INTAKE_TAG
from orchestration.defs.inname.sensors import inbox_sensor
from orchestration.pipeline import SILENT
from orchestration.resources import Warehouse


@pytest.fixture(scope="module")
def world(published_warehouse, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("intake-data")
    shutil.copytree(published_warehouse.sources, root / "sources")
    shutil.copytree(published_warehouse.data_dir / "warehouse", root / "warehouse")
    return root


def _run(root: Path):
    from orchestration.definitions import build_defs

    job = build_defs(root).resolve_job_def("volledige_verversing")
    return job.execute_in_process(
        run_config=SILENT,
        instance=DagsterInstance.ephemeral(),
        tags={INTAKE_TAG: "test"},
        raise_on_error=False,
    )


def _drop(root: Path, path: Path, name: str | None = None) -> Path:
    inbox = root / "inbox" / "zorggroep"
    inbox.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(path, inbox / (name or path.name)))


def _ledger(root: Path) -> list[dict]:
    conn = duckdb.connect(str(root / "warehouse" / "build.duckdb"), read_only=True)
    try:
        cursor = conn.execute("SELECT * FROM meta.aanleveringen ORDER BY id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _patients(root: Path, gemeentecode: str) -> int:
    conn = duckdb.connect(str(root / "warehouse" / "serving.duckdb"), read_only=True)
    try:
        return conn.execute(
            "SELECT ingeschreven_patienten FROM marts.fct_capaciteit_gemeente "
            "WHERE gemeentecode = ? AND peiljaar = 2025",
            [gemeentecode],
        ).fetchone()[0]
    finally:
        conn.close()


def _sample(root: Path) -> Path:
    return sorted((root / "sources" / "zorggroep").glob("*_2025-Q1.xlsx"))[0]


def test_sensor_requests_a_run_only_when_files_wait(world, tmp_path):
    instance = DagsterInstance.ephemeral()
    resources = {"warehouse": Warehouse(data_dir=str(world))}
    empty = inbox_sensor("zorggroep")(build_sensor_context(instance=instance, resources=resources))
    assert isinstance(empty, SkipReason)
    waiting = world / "inbox" / "zorggroep" / "x.xlsx"
    waiting.parent.mkdir(parents=True, exist_ok=True)
    waiting.write_bytes(b"x")
    import os

    os.utime(waiting, (0, 0))
    try:
        request = inbox_sensor("zorggroep")(
            build_sensor_context(instance=instance, resources=resources)
        )
        assert request.tags[INTAKE_TAG] == "zorggroep" and request.run_key
    finally:
        waiting.unlink()


def test_rejected_file_is_kept_reported_and_changes_nothing(world, tmp_path):
    serving = world / "warehouse" / "serving.duckdb"
    before = _digest(serving)
    broken = tmp_path / _sample(world).name
    shutil.copy2(_sample(world), broken)
    workbook = load_workbook(broken)
    workbook["praktijken"]["D2"] = "GM9999"
    workbook.save(broken)
    _drop(world, broken)

    result = _run(world)

    assert result.success
    assert _digest(serving) == before, "the serving DB changed after a rejected file"
    entry = _ledger(world)[-1]
    assert entry["status"] == "afgekeurd" and entry["aantal_fouten"] >= 1
    assert Path(entry["opgeslagen_pad"]).is_file()
    assert Path(entry["opgeslagen_pad"]).parent == world / "quarantine" / "zorggroep"
    report = Path(entry["rapport_pad"])
    assert report.is_file() and "gemeente_bekend" in report.read_text(encoding="utf-8")
    assert report.with_suffix(".json").is_file()
    assert not any((world / "inbox" / "zorggroep").iterdir())


def test_capmon_ingest_by_hand_rejects_and_reports(world, tmp_path, monkeypatch, capsys):
    from orchestration.cli import main

    monkeypatch.setenv("CAPMON_DATA_DIR", str(world))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    serving = world / "warehouse" / "serving.duckdb"
    before = _digest(serving)
    broken = tmp_path / "ZG999_2025-Q1.xlsx"
    broken.write_text("geen;excel\n", encoding="utf-8")

    assert main(["ingest", str(broken)]) == 1

    out = capsys.readouterr().out
    assert "afgekeurd" in out and "rapport:" in out and "Niet opnieuw gepubliceerd" in out
    assert _ledger(world)[-1]["bestandsnaam"] == broken.name
    assert broken.exists(), "ingest copies unless --verplaats is given"
    assert _digest(serving) == before


def test_resubmission_supersedes_and_a_duplicate_is_skipped(world, tmp_path):
    sample = _sample(world)
    workbook = load_workbook(sample)
    practices = workbook["praktijken"]
    gemeente = practices["D2"].value
    old = _patients(world, gemeente)
    practices["E2"] = practices["E2"].value + 500
    for row in workbook["meta"].iter_rows(min_row=2):
        if row[0].value == "aangeleverd_op":
            row[1].value = date(2025, 5, 1)
    resubmitted = tmp_path / sample.name
    workbook.save(resubmitted)
    _drop(world, resubmitted)

    result = _run(world)

    assert result.success
    entry = _ledger(world)[-1]
    assert entry["status"] == "geaccepteerd", entry
    assert entry["organisatie"] and entry["periode"] == sample.stem.split("_")[1]
    assert Path(entry["opgeslagen_pad"]).parent == world / "archive" / "zorggroep"
    assert _patients(world, gemeente) == old + 500

    # The same bytes once more: recorded, kept, not loaded, nothing republished.
    before = _digest(world / "warehouse" / "serving.duckdb")
    _drop(world, resubmitted, "nogmaals_" + sample.name)
    assert _run(world).success
    duplicate = _ledger(world)[-1]
    assert duplicate["status"] == "dubbel"
    assert Path(duplicate["opgeslagen_pad"]).is_file()
    assert _digest(world / "warehouse" / "serving.duckdb") == before

    # A second resubmission supersedes the first; the history stays queryable.
    workbook = load_workbook(resubmitted)
    workbook["praktijken"]["E2"] = workbook["praktijken"]["E2"].value - 200
    workbook.save(resubmitted)
    _drop(world, resubmitted)
    assert _run(world).success
    ledger = {row["id"]: row for row in _ledger(world)}
    newest = max(ledger)
    assert ledger[newest]["status"] == "geaccepteerd"
    assert ledger[entry["id"]]["status"] == "vervangen"
    assert ledger[entry["id"]]["vervangen_door"] == newest
    assert ledger[newest]["vervangt"] == entry["id"]
    assert _patients(world, gemeente) == old + 300


def test_original_person_ids_never_reach_the_warehouse(world):
    sample = _sample(world)
    workbook = load_workbook(sample, read_only=True)
    originals = {row[0] for row in workbook["huisartsen"].iter_rows(min_row=2, values_only=True)}
    workbook.close()
    conn = duckdb.connect(str(world / "warehouse" / "build.duckdb"), read_only=True)
    try:
        stored = {
            r[0] for r in conn.execute("SELECT persoon_id FROM raw.zorggroep_huisartsen").fetchall()
        }
    finally:
        conn.close()
    assert originals and not originals & stored
