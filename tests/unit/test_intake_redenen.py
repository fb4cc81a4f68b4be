"""Why a file was rejected, in the ledger: reasons, upgrades of old ledgers, rebuild from the
quarantine, and the flawed sample submissions `capmon generate` drops in the inbox."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from orchestration.bronnen.zorggroep.bron import check_zorggroep
from orchestration.bronnen.zorggroep.standard import RULES
from orchestration.inname import ledger
from orchestration.inname.process import process_inbox
from orchestration.inname.report import RULE_WORDS, reasons
from orchestration.paths import DataPaths
from orchestration.warehouse.errors import Problem
from tests.unit.test_zorggroep_workbook import write_workbook

OLD_LEDGER = """
CREATE SCHEMA meta;
CREATE SEQUENCE meta.aanleveringen_id;
CREATE TABLE meta.aanleveringen (
    id INTEGER PRIMARY KEY DEFAULT nextval('meta.aanleveringen_id'),
    bron VARCHAR NOT NULL, bestandsnaam VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    grootte BIGINT NOT NULL, ontvangen_op TIMESTAMP NOT NULL, periode VARCHAR,
    organisatie VARCHAR, status VARCHAR NOT NULL, aantal_fouten INTEGER NOT NULL,
    aantal_waarschuwingen INTEGER NOT NULL, rapport_pad VARCHAR, opgeslagen_pad VARCHAR,
    vervangt INTEGER, vervangen_door INTEGER
);
INSERT INTO meta.aanleveringen VALUES (nextval('meta.aanleveringen_id'), 'nivel', 'a.csv',
    'abc', 1, TIMESTAMP '2025-01-01', '2025', 'Nivel', 'geaccepteerd', 0, 0, NULL, NULL, NULL,
    NULL);
"""


def _problem(rule: str, severity: str = "fout") -> Problem:
    return Problem("f.xlsx", rule, f"iets met {rule}", severity=severity)


def test_reasons_rank_the_error_rules_and_ignore_warnings():
    problems = [
        _problem("verplicht"),
        _problem("type"),
        _problem("type"),
        _problem("patienten_sprong", "waarschuwing"),
        _problem("type"),
    ]
    assert reasons(problems) == (RULE_WORDS["type"], "type (3), verplicht (1)")
    assert reasons([_problem("patienten_sprong", "waarschuwing")]) == (None, None)
    assert reasons([]) == (None, None)
    # An unknown rule code still gets words: its own message.
    assert reasons([_problem("nieuwe_regel")])[0] == "Iets met nieuwe_regel"


def test_every_rule_of_the_standard_has_words():
    assert {rule.code for rule in RULES} <= RULE_WORDS.keys()


def test_an_old_ledger_is_upgraded_in_place(tmp_path):
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    try:
        conn.execute(OLD_LEDGER)
        ledger.ensure_ledger(conn)
        ledger.ensure_ledger(conn)  # idempotent
        columns = [r[0] for r in conn.execute("DESCRIBE meta.aanleveringen").fetchall()]
        assert columns[-3:] == ["hoofdreden", "redenen", "peiljaar"]
        # The row from before the upgrade gets its peiljaar by its source's rule.
        assert conn.execute("SELECT peiljaar FROM meta.aanleveringen").fetchall() == [(2025,)]
        entry = ledger.Entry(
            bron="zorggroep",
            bestandsnaam="x.xlsx",
            sha256="def",
            grootte=2,
            ontvangen_op=date(2025, 6, 1),
            periode="2025-Q1",
            organisatie="ZG001",
            status=ledger.REJECTED,
            aantal_fouten=1,
            aantal_waarschuwingen=0,
            hoofdreden="Een verplichte cel is leeg.",
            redenen="verplicht (1)",
        )
        ledger.record(conn, ledger.next_id(conn), entry)
        assert conn.execute(
            "SELECT organisatie, redenen, peiljaar FROM meta.aanleveringen "
            "WHERE status = 'afgekeurd'"
        ).fetchone() == ("ZG001", "verplicht (1)", 2025)
    finally:
        conn.close()


def _take(paths: DataPaths):
    conn = duckdb.connect(str(paths.root / "build.duckdb"))
    try:
        process_inbox(conn, paths, today=date(2026, 6, 1))
        return conn.execute("SELECT * FROM meta.aanleveringen ORDER BY id").fetchdf()
    finally:
        conn.close()


def test_rejected_files_keep_sender_and_reasons_also_after_a_rebuild(tmp_path):
    paths = DataPaths(tmp_path / "data")
    inbox = paths.inbox / "zorggroep"
    inbox.mkdir(parents=True)
    good = write_workbook(tmp_path / "ZG001_2025-Q4.xlsx")
    (inbox / good.name).write_bytes(good.read_bytes())
    broken = write_workbook(tmp_path / "ZG001_2025-Q4_v2.xlsx")
    workbook = load_workbook(broken)
    workbook["praktijken"]["D2"] = "GM9999"
    workbook.save(broken)
    (inbox / broken.name).write_bytes(broken.read_bytes())
    (inbox / "kapot.xlsx").write_bytes(b"geen werkmap")

    first = _take(paths).set_index("bestandsnaam")
    rejected = first.loc["ZG001_2025-Q4_v2.xlsx"]
    assert rejected.status == "afgekeurd"
    assert (rejected.organisatie, rejected.periode) == ("ZG001", "2025-Q4")
    assert rejected.redenen.startswith("gemeente_bekend (1)")
    assert rejected.hoofdreden == RULE_WORDS[rejected.redenen.split(" ")[0]]
    garbage = first.loc["kapot.xlsx"]
    assert garbage.status == "afgekeurd" and pd.isna(garbage.organisatie)
    assert garbage.redenen == "geen_excel (1)"
    assert pd.isna(first.loc["ZG001_2025-Q4.xlsx"].hoofdreden)

    (paths.root / "build.duckdb").unlink()
    rebuilt = _take(paths).set_index("bestandsnaam")

    assert sorted(rebuilt.status) == ["afgekeurd", "afgekeurd", "geaccepteerd"]
    columns = ["status", "organisatie", "periode", "aantal_fouten", "hoofdreden", "redenen"]
    assert rebuilt[columns].sort_index().equals(first[columns].sort_index())


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    from orchestration.bronnen.voorbeeld import generate

    root = tmp_path_factory.mktemp("afgekeurd")
    summary = generate(
        root / "sources", scale=0.05, seed=5, progress=False, inbox_dir=root / "inbox"
    )
    assert summary.bestanden["inbox (afgekeurd)"] == 3
    return root


def test_generate_drops_deterministic_flawed_submissions_in_the_inbox(generated, tmp_path):
    from orchestration.bronnen.zorggroep.afgekeurd import write_flawed_zorggroep

    flawed = sorted((generated / "inbox" / "zorggroep").iterdir())
    assert len(flawed) == 3
    again = write_flawed_zorggroep(generated / "sources", tmp_path)
    assert [p.read_bytes() for p in sorted(again)] == [p.read_bytes() for p in flawed]
    found = set()
    for path in flawed:
        checked = check_zorggroep(path, today=date(2026, 6, 1))
        assert checked.content is None, path.name
        assert checked.organisatie and checked.periode == "2025-Q1"
        found |= {p.rule for p in checked.errors}
    assert {"gemeente_bekend", "type", "verplicht", "template_versie", "minimum"} <= found


def test_generate_without_an_inbox_writes_none(tmp_path):
    from orchestration.bronnen.voorbeeld import generate

    summary = generate(tmp_path / "sources", scale=0.05, seed=5, progress=False)
    assert "inbox (afgekeurd)" not in summary.bestanden
    assert not (tmp_path / "inbox").exists()
