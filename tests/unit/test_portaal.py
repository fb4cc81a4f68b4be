"""The Aanleverportaal's own logic: names by hash, guards, accounts, matching, previous period.

The HTTP and browser behaviour is tested against a real server in tests/portaal/.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from orchestration.bronnen.zorggroep.bron import check_zorggroep
from orchestration.inname.previous import previous_from_archive
from orchestration.paths import DataPaths
from orchestration.portaal import accounts, guards, opslag
from orchestration.portaal.organisaties import CONFIG_FILE, Organisatie, matches
from tests.unit.test_zorggroep_workbook import META, ROWS, write_workbook

ZG001 = Organisatie("zorggroep", "ZG001", "Zorggroep Test")


def _workbook(path: Path, periode: str = "2025-Q4", patients: int = 2400, code="ZG001"):
    rows = {**ROWS, "praktijken": [list(ROWS["praktijken"][0])]}
    rows["praktijken"][0][4] = patients
    return write_workbook(
        path, meta={**META, "periode": periode, "zorggroep_code": code}, rows=rows
    )


# --- names and storage ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\ZG001_2025-Q4.xlsx", "ZG001_2025-Q4.xlsx"),
        ("/data/inbox/zorggroep/evil.xlsx", "evil.xlsx"),
        ("", "bestand"),
        ("a\x00b\nc.xlsx", "abc.xlsx"),
    ],
)
def test_display_name_keeps_no_path(sent, shown):
    assert opslag.display_name(sent) == shown


def test_stored_name_is_the_hash_and_nothing_else():
    sha = "ab" * 32
    assert opslag.stored_name(sha, ".xlsx") == f"portaal_{sha}.xlsx"
    with pytest.raises(ValueError):
        opslag.stored_name("../evil", ".xlsx")


def test_receive_hashes_while_streaming_and_leaves_nothing_when_too_large(tmp_path):
    paths = DataPaths(tmp_path)
    path, sha, size = opslag.receive(io.BytesIO(b"x" * 1000), paths, max_bytes=1000)
    assert size == 1000 and path.read_bytes() == b"x" * 1000
    assert sha == hashlib.sha256(b"x" * 1000).hexdigest()
    with pytest.raises(opslag.TooLarge):
        opslag.receive(io.BytesIO(b"x" * 1001), paths, max_bytes=1000)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_place_in_inbox_is_whole_named_by_hash_and_leaves_no_temporary_file(tmp_path):
    paths = DataPaths(tmp_path)
    source = tmp_path / "upload.bin"
    source.write_bytes(b"inhoud")
    sha = "cd" * 32
    name = opslag.place_in_inbox(source, paths, "zorggroep", sha, ".xlsx")
    assert name == f"portaal_{sha}.xlsx"
    assert [p.name for p in (paths.inbox / "zorggroep").iterdir()] == [name]
    assert (paths.inbox / "zorggroep" / name).read_bytes() == b"inhoud"


def test_records_are_per_organisation(tmp_path):
    paths = DataPaths(tmp_path)
    sha = "ef" * 32
    common = dict(sha256=sha, bron="zorggroep", bestandsnaam="x.xlsx", ontvangen_op="2026")
    opslag.save_record(paths, opslag.Record(organisatie="ZG001", uitkomst="in_inbox", **common))
    # The same bytes sent by another organisation (and refused) do not touch ZG001's record.
    opslag.save_record(paths, opslag.Record(organisatie="ZG002", uitkomst="geweigerd", **common))
    assert opslag.load_record(paths, "zorggroep", "ZG001", sha).uitkomst == "in_inbox"
    assert opslag.load_record(paths, "zorggroep", "ZG002", sha).uitkomst == "geweigerd"
    assert [r.organisatie for r in opslag.records_of(paths, "zorggroep", "ZG001")] == ["ZG001"]
    assert opslag.load_record(paths, "zorggroep", "ZG001", "../" + sha[3:]) is None


def test_organisation_must_match_exactly():
    assert matches(ZG001, "zorggroep", "ZG001")
    assert not matches(ZG001, "zorggroep", "ZG002")
    assert not matches(ZG001, "zorggroep", "zg001")
    assert not matches(ZG001, "zorggroep", None)
    assert not matches(ZG001, "stagebureau", "ZG001")


# --- guards ----------------------------------------------------------------------------


def test_a_valid_workbook_passes_the_guards(tmp_path):
    assert guards.refusal(_workbook(tmp_path / "ok.xlsx"), ".xlsx") is None


def test_renamed_executable_is_refused(tmp_path):
    path = tmp_path / "factuur.xlsx"
    path.write_bytes(b"MZ\x90\x00" + b"\x00" * 500)
    assert "programma" in guards.refusal(path, ".xlsx")
    path.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 100)
    assert "programma" in guards.refusal(path, ".csv")


def test_zip_bomb_is_refused_before_opening(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    message = guards.refusal(path, ".xlsx")
    assert message and "zip-bom" in message


def test_declared_uncompressed_size_counts(tmp_path, monkeypatch):
    monkeypatch.setattr(guards, "MAX_UNCOMPRESSED_BYTES", 1000)
    path = _workbook(tmp_path / "groot.xlsx")
    assert "GB" in guards.refusal(path, ".xlsx")


def test_zip_without_workbook_parts_and_protected_workbook_are_refused(tmp_path):
    path = tmp_path / "archief.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leesmij.txt", "hallo")
    assert "geen Excel-werkmap" in guards.refusal(path, ".xlsx")
    path.write_bytes(guards.OLE_MAGIC + b"\x00" * 600)
    assert "wachtwoord" in guards.refusal(path, ".xlsx")


def test_binary_content_in_a_text_source_is_refused(tmp_path):
    path = tmp_path / "nivel.csv"
    path.write_bytes(b"peiljaar;x\n\x00\x01\x02")
    assert "binaire" in guards.refusal(path, ".csv")
    path.write_bytes(b"peiljaar;gemeentecode\n2025;GM0014\n")
    assert guards.refusal(path, ".csv") is None


# --- accounts --------------------------------------------------------------------------


@pytest.fixture
def portaal_home(tmp_path) -> Path:
    home = tmp_path / "portaal"
    home.mkdir()
    listed = [
        {"bron": "zorggroep", "code": "ZG001", "naam": "Zorggroep Test"},
        {"bron": "zorggroep", "code": "ZG002", "naam": "Zorggroep Twee"},
    ]
    (home / CONFIG_FILE).write_text(json.dumps(listed))
    return home


def test_passwords_are_generated_private_and_stored_only_hashed_for_the_server(
    portaal_home, monkeypatch
):
    monkeypatch.delenv(accounts.password_env_var("ZG001"), raising=False)
    known = accounts.ensure_secrets(portaal_home)
    secrets_file = portaal_home / accounts.SECRETS_FILE
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert set(known["wachtwoorden"]) == {"ZG001", "ZG002"}
    users = accounts.Accounts(portaal_home)
    hashes = (portaal_home / accounts.HASHES_FILE).read_text()
    assert stat.S_IMODE((portaal_home / accounts.HASHES_FILE).stat().st_mode) == 0o600
    assert known["wachtwoorden"]["ZG001"] not in hashes
    assert json.loads(hashes)["ZG001"]["hash"].startswith("scrypt:")
    assert users.verify("zg001", known["wachtwoorden"]["ZG001"]) == Organisatie(
        "zorggroep", "ZG001", "Zorggroep Test"
    )
    assert users.verify("ZG001", known["wachtwoorden"]["ZG002"]) is None
    assert users.verify("ZG999", "wat dan ook") is None


def test_environment_overrides_a_password_and_only_that_one_is_rehashed(portaal_home, monkeypatch):
    accounts.Accounts(portaal_home)
    before = json.loads((portaal_home / accounts.HASHES_FILE).read_text())
    monkeypatch.setenv(accounts.password_env_var("ZG002"), "een-eigen-wachtwoord")
    users = accounts.Accounts(portaal_home)
    after = json.loads((portaal_home / accounts.HASHES_FILE).read_text())
    assert after["ZG001"] == before["ZG001"]
    assert after["ZG002"] != before["ZG002"]
    assert users.verify("ZG002", "een-eigen-wachtwoord")


def test_login_limiter_allows_ten_a_minute_per_address_and_user():
    limiter = accounts.LoginLimiter(limit=10, window=60)
    assert all(limiter.allow("1.2.3.4", "ZG001") for _ in range(10))
    assert not limiter.allow("1.2.3.4", "zg001")
    assert limiter.allow("1.2.3.4", "ZG002")
    assert limiter.allow("5.6.7.8", "ZG001")


# --- the previous period from the archive ----------------------------------------------


def _archive(paths: DataPaths, entry_id: int, path: Path, status="geaccepteerd") -> Path:
    folder = paths.archive / "zorggroep" if status != "afgekeurd" else paths.quarantine
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{entry_id:06d}_{path.name}"
    os.replace(path, stored)
    report = {"aanlevering_id": entry_id, "sha256": "0" * 64, "status": status}
    stored.with_name(stored.name + ".rapport.json").write_text(json.dumps(report))
    return stored


def test_previous_from_archive_takes_the_latest_accepted_earlier_period(tmp_path):
    paths = DataPaths(tmp_path / "data")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    _archive(paths, 1, _workbook(tmp / "a.xlsx", "2025-Q2", patients=1000))
    _archive(paths, 2, _workbook(tmp / "b.xlsx", "2025-Q3", patients=2000))
    _archive(paths, 3, _workbook(tmp / "c.xlsx", "2025-Q3", patients=2100))  # supersedes 2
    _archive(paths, 4, _workbook(tmp / "d.xlsx", "2025-Q4", patients=9999))  # not before Q4
    _archive(paths, 5, _workbook(tmp / "e.xlsx", "2025-Q3", patients=1), status="afgekeurd")
    _archive(paths, 6, _workbook(tmp / "f.xlsx", "2025-Q3", patients=700, code="ZG002"))
    lookup = previous_from_archive(paths)
    assert lookup("ZG001", "2025-Q4") == {"01234567": 2100}
    assert lookup("ZG001", "2025-Q3") == {"01234567": 1000}
    assert lookup("ZG001", "2025-Q2") is None
    assert lookup("ZG002", "2025-Q4") == {"01234567": 700}
    assert lookup("ZG003", "2025-Q4") is None


def test_previous_from_archive_falls_back_to_sample_files_the_archive_wins(tmp_path):
    paths = DataPaths(tmp_path / "data")
    samples = paths.sources / "zorggroep"
    samples.mkdir(parents=True)
    _workbook(samples / "ZG001_2024-Q1.xlsx", "2024-Q1", patients=500)
    _workbook(samples / "ZG001_2025-Q1.xlsx", "2025-Q1", patients=600)
    lookup = previous_from_archive(paths)
    assert lookup("ZG001", "2025-Q4") == {"01234567": 600}
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    _archive(paths, 1, _workbook(tmp / "a.xlsx", "2025-Q1", patients=650))
    assert lookup("ZG001", "2025-Q4") == {"01234567": 650}


def test_patienten_sprong_appears_in_a_check_with_the_archive(tmp_path):
    paths = DataPaths(tmp_path / "data")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    _archive(paths, 1, _workbook(tmp / "a.xlsx", "2025-Q3", patients=1000))
    new = _workbook(tmp / "ZG001_2025-Q4.xlsx", "2025-Q4", patients=2400)
    without = check_zorggroep(new)
    assert "patienten_sprong" not in {p.rule for p in without.problems}
    checked = check_zorggroep(new, previous=previous_from_archive(paths))
    assert not checked.errors
    assert "patienten_sprong" in {p.rule for p in checked.warnings}


def test_capmon_check_warns_about_the_jump_with_the_data_folders_archive(
    tmp_path, monkeypatch, capsys
):
    from orchestration.cli import main

    paths = DataPaths(tmp_path / "data")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    _archive(paths, 1, _workbook(tmp / "a.xlsx", "2025-Q3", patients=1000))
    new = _workbook(tmp / "ZG001_2025-Q4.xlsx", "2025-Q4", patients=2400)
    monkeypatch.setenv("CAPMON_DATA_DIR", str(paths.root))
    assert main(["check", str(new)]) == 0
    assert "patienten_sprong" in capsys.readouterr().out
    monkeypatch.setenv("CAPMON_DATA_DIR", str(tmp_path / "leeg"))
    assert main(["check", str(new)]) == 0
    assert "patienten_sprong" not in capsys.readouterr().out


def test_annotated_workbook_marks_the_problem_cells(tmp_path):
    from openpyxl import load_workbook

    from orchestration.portaal.gemarkeerd import REPORT_SHEET, annotate

    path = _workbook(tmp_path / "ZG001_2025-Q4.xlsx")
    problems = [
        {
            "severity": "fout",
            "sheet": "Praktijken",
            "row": 2,
            "column": "gemeentecode",
            "value": "GM9999",
            "message": "onbekende gemeente",
            "rule": "gemeente_bekend",
        },
        {
            "severity": "waarschuwing",
            "sheet": "huisartsen",
            "row": 3,
            "column": None,
            "message": "let op",
            "rule": "x",
        },
        {
            "severity": "fout",
            "sheet": None,
            "row": None,
            "column": None,
            "message": "bestand",
            "rule": "y",
        },
    ]
    marked = tmp_path / "gemarkeerd.xlsx"
    marked.write_bytes(annotate(path, problems))
    workbook = load_workbook(marked)
    assert workbook.sheetnames[0] == REPORT_SHEET
    assert workbook[REPORT_SHEET].max_row == 4
    cell = workbook["praktijken"]["D2"]
    assert cell.fill.start_color.rgb.endswith("F4B6B0")
    assert "gemeente_bekend" in cell.comment.text
    assert workbook["praktijken"]["C2"].comment is None
    assert all(c.fill.start_color.rgb.endswith("FFE0A3") for c in workbook["huisartsen"][3])
    assert workbook["huisartsen"]["A2"].fill.fill_type is None
