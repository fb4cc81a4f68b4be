"""The inbox → ledger → archive/quarantine step on its own, for every source (no pipeline)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.inname.process import process_inbox
from orchestration.paths import DataPaths
from tests.unit.test_zorggroep_workbook import META, ROWS, write_workbook

NIVEL_HEADER = "peiljaar;gemeentecode;beroep;positie;geslacht;leeftijdsklasse;aantal_personen;fte"
NIVEL_ROW = "2025;GM0014;huisarts;praktijkhouder;vrouw;45-54;12;9,6"


@pytest.fixture
def paths(tmp_path) -> DataPaths:
    return DataPaths(tmp_path)


def _drop(paths: DataPaths, source: str, name: str, data: bytes) -> None:
    folder = paths.inbox / source
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def _take(paths: DataPaths):
    conn = duckdb.connect(str(paths.root / "build.duckdb"))
    try:
        outcomes = process_inbox(conn, paths, today=date(2026, 6, 1))
        ledger = conn.execute("SELECT * FROM meta.aanleveringen ORDER BY id").fetchdf()
    finally:
        conn.close()
    return outcomes, ledger


def test_every_file_gets_a_ledger_row_and_a_place(paths, tmp_path):
    good = write_workbook(tmp_path / "ZG001_2025-Q4.xlsx").read_bytes()
    _drop(paths, "zorggroep", "ZG001_2025-Q4.xlsx", good)
    _drop(paths, "nivel", "nivel_2025.csv", f"\ufeff{NIVEL_HEADER}\n{NIVEL_ROW}\n".encode())
    _drop(paths, "nivel", "leeg.csv", b"")
    _drop(paths, "stagebureau", "export.json", b"{}")
    _drop(paths, "stagebureau", "kapot.jsonl", b"{niet json\n")
    _drop(paths, "zorggroep", "~$ZG001_2025-Q4.xlsx", b"excel lock file")

    outcomes, ledger = _take(paths)

    statuses = {o.bestandsnaam: o.status for o in outcomes}
    assert statuses == {
        "ZG001_2025-Q4.xlsx": "geaccepteerd",
        "nivel_2025.csv": "geaccepteerd",
        "leeg.csv": "afgekeurd",
        "export.json": "afgekeurd",
        "kapot.jsonl": "afgekeurd",
    }
    assert len(ledger) == 5
    for outcome in outcomes:
        assert outcome.stored.is_file()
        expected = paths.archive if outcome.status == "geaccepteerd" else paths.quarantine
        assert outcome.stored.parent == expected / outcome.bron
        report = json.loads(outcome.report.with_suffix(".json").read_text(encoding="utf-8"))
        assert report["aanlevering_id"] == outcome.id
    rejected = ledger[ledger.status == "afgekeurd"]
    assert (rejected.aantal_fouten > 0).all()
    accepted = ledger.set_index("bestandsnaam").loc["ZG001_2025-Q4.xlsx"]
    assert (accepted.organisatie, accepted.periode) == ("ZG001", "2025-Q4")
    assert accepted.sha256 and accepted.grootte == len(good)
    # Excel's lock file is not a submission and stays where it is.
    assert [p.name for p in (paths.inbox / "zorggroep").iterdir()] == ["~$ZG001_2025-Q4.xlsx"]


def test_duplicate_and_superseding_submission(paths, tmp_path):
    first = write_workbook(tmp_path / "ZG001_2025-Q4.xlsx").read_bytes()
    _drop(paths, "zorggroep", "ZG001_2025-Q4.xlsx", first)
    _take(paths)
    _drop(paths, "zorggroep", "kopie.xlsx", first)
    outcomes, _ = _take(paths)
    assert outcomes[0].status == "dubbel" and outcomes[0].stored.is_file()

    rows = {**ROWS, "praktijken": [[*ROWS["praktijken"][0][:4], 2500, 500, 200, "geen", "duo"]]}
    second = write_workbook(
        tmp_path / "nieuw.xlsx", meta={**META, "aangeleverd_op": date(2026, 2, 1)}, rows=rows
    )
    _drop(paths, "zorggroep", "ZG001_2025-Q4_v2.xlsx", second.read_bytes())
    outcomes, ledger = _take(paths)
    by_id = ledger.set_index("id")
    assert outcomes[0].status == "geaccepteerd"
    assert by_id.loc[1, "status"] == "vervangen" and by_id.loc[1, "vervangen_door"] == 3
    assert by_id.loc[3, "vervangt"] == 1
    assert list(ledger.status) == ["vervangen", "dubbel", "geaccepteerd"]


def test_pseudonym_is_keyed_and_stable(monkeypatch, tmp_path):
    from orchestration.bronnen.zorggroep.pseudonym import pseudonym_key, pseudonymise

    monkeypatch.delenv("CAPMON_PSEUDONIEM_SLEUTEL", raising=False)
    key_file = tmp_path / ".pseudoniem_sleutel"
    key = pseudonym_key(key_file)
    assert key_file.stat().st_mode & 0o077 == 0
    assert pseudonym_key(key_file) == key
    assert pseudonymise(key, "ZG001", "P1") == pseudonymise(key, "ZG001", "P1")
    assert pseudonymise(key, "ZG001", "P1") != pseudonymise(key, "ZG002", "P1")
    monkeypatch.setenv("CAPMON_PSEUDONIEM_SLEUTEL", "geheim")
    assert pseudonymise(pseudonym_key(key_file), "ZG001", "P1") != pseudonymise(key, "ZG001", "P1")
    assert "P1" not in pseudonymise(key, "ZG001", "P1")


def test_a_garbage_file_never_crashes(paths):
    for name, data in {
        "binair.xlsx": bytes(range(256)) * 10,
        "PK.xlsx": b"PK\x03\x04" + b"\0" * 100,
        "latin1.csv": "peiljaar;gemeente\n2025;Súdwest\n".encode("latin-1"),
        "komma.csv": b"peiljaar,gemeentecode\n2025,GM0014\n",
    }.items():
        source = "zorggroep" if name.endswith(".xlsx") else "nivel"
        _drop(paths, source, name, data)
    outcomes, _ = _take(paths)
    assert {o.status for o in outcomes} == {"afgekeurd"}
    assert all(Path(o.report).is_file() for o in outcomes)


def test_ledger_is_rebuilt_from_the_archive_after_the_warehouse_is_removed(paths, tmp_path):
    write_workbook(tmp_path / "a.xlsx")
    _drop(paths, "zorggroep", "ZG001_2025-Q4.xlsx", (tmp_path / "a.xlsx").read_bytes())
    _take(paths)
    rows = {**ROWS, "praktijken": [[*ROWS["praktijken"][0][:4], 2500, 500, 200, "geen", "duo"]]}
    write_workbook(tmp_path / "b.xlsx", rows=rows)
    _drop(paths, "zorggroep", "ZG001_2025-Q4_v2.xlsx", (tmp_path / "b.xlsx").read_bytes())
    _take(paths)
    (paths.root / "build.duckdb").unlink()

    _, ledger = _take(paths)

    assert list(ledger.status) == ["vervangen", "geaccepteerd"]
    assert list(ledger.bestandsnaam) == ["ZG001_2025-Q4.xlsx", "ZG001_2025-Q4_v2.xlsx"]
