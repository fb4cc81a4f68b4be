"""Adding a source is a folder and a registry line: a throw-away CSV source, registered for
one test, is recognised next to Nivel and taken in and landed through the real intake and
raw assets (real DuckDB, real Dagster; only the source itself is made up here)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance, materialize

from orchestration import bronnen
from orchestration.bronnen.bron import Bron, RawTable, check_with_reader
from orchestration.bronnen.nivel.bron import NIVEL
from orchestration.codes import GEMEENTECODE_PATTERN
from orchestration.defs.bronnen.assets import loaded_files_asset, raw_assets
from orchestration.defs.inname.assets import aanleveringen
from orchestration.inname import ledger
from orchestration.paths import PROJECT_ROOT, DataPaths
from orchestration.resources import Warehouse
from orchestration.warehouse.contracts import Column, Location, TableContract
from orchestration.warehouse.errors import SourceFileError
from orchestration.warehouse.gx_sheets import conform_with
from orchestration.warehouse.landing import with_lineage
from orchestration.warehouse.lineage import file_lineage

CONTRACT = TableContract(
    name="proef_declaraties",
    columns=(
        Column("jaar", "integer", minimum=2000, maximum=2100),
        Column("gemeentecode", pattern=GEMEENTECODE_PATTERN),
        Column("aantal", "integer", minimum=0),
    ),
    key=("jaar", "gemeentecode"),
)


def read_proef(path: Path, engine: str = "pandas") -> pd.DataFrame:
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rows, problems = conform_with(engine, raw, CONTRACT, Location(path.name))
    if problems:
        raise SourceFileError(path.name, problems)
    return rows


def identify(rows: pd.DataFrame) -> tuple[str, str]:
    return "Proef", str(int(rows["jaar"].iloc[0]))


PROEF = Bron(
    name="proef",
    label="Proef",
    suffix=".csv",
    check=lambda path, **_: check_with_reader(
        path, ".csv", lambda p: read_proef(p, engine="gx"), identify
    ),
    read=read_proef,
    identify=identify,
    tables=(RawTable("proef_declaraties", CONTRACT.duckdb_schema(), "Proefbron."),),
    to_raw=lambda files, paths: {
        "proef_declaraties": pd.concat(
            [with_lineage(f.content, f.lineage, range(2, 2 + len(f.content))) for f in files]
        )
    },
    write_sample=lambda sample, out_dir: [],
    kinds=frozenset({"csv", "duckdb"}),
    looks_like=lambda path: path.read_text(encoding="utf-8-sig").startswith("jaar;"),
)

NIVEL_CSV = (
    "\ufeffpeiljaar;gemeentecode;beroep;positie;geslacht;leeftijdsklasse;aantal_personen;fte\n"
    "2025;GM0014;huisarts;praktijkhouder;vrouw;45-54;12;9,6\n"
)


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(bronnen, "BRONNEN", (*bronnen.BRONNEN, PROEF))


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_second_csv_source_is_not_taken_for_nivel(registered, tmp_path):
    proef = _write(tmp_path, "declaraties.csv", "jaar;gemeentecode;aantal\n2025;GM0014;3\n")
    nivel = _write(tmp_path, "nivel_2025.csv", NIVEL_CSV)
    assert bronnen.recognise(proef) is PROEF
    assert bronnen.recognise(nivel) is NIVEL
    assert "proef" in bronnen.names()


def test_without_it_the_registry_is_as_before(tmp_path):
    assert bronnen.names() == ("zorggroep", "nivel", "stagebureau")
    assert bronnen.recognise(_write(tmp_path, "x.csv", "jaar;aantal\n")) is NIVEL


def test_a_registered_source_is_taken_in_and_landed(registered, tmp_path):
    paths = DataPaths(tmp_path)
    inbox = paths.inbox / "proef"
    _write(inbox, "proef_2024.csv", "jaar;gemeentecode;aantal\n2024;GM0014;3\n2024;GM0363;5\n")
    _write(inbox, "proef_kapot.csv", "jaar;gemeentecode;aantal\n2024;GM0014;-1\n")

    raw = raw_assets(PROEF)
    result = materialize(
        [aanleveringen, raw, loaded_files_asset(list(raw.keys))],
        resources={"warehouse": Warehouse(data_dir=str(tmp_path))},
        instance=DagsterInstance.ephemeral(),
    )

    assert result.success
    conn = duckdb.connect(str(paths.build_db), read_only=True)
    try:
        ledger = conn.execute(
            "SELECT bestandsnaam, bron, status, organisatie, periode FROM meta.aanleveringen "
            "ORDER BY bestandsnaam"
        ).fetchall()
        landed = conn.execute(
            "SELECT jaar, gemeentecode, aantal, _bronbestand, _bronrij "
            "FROM raw.proef_declaraties ORDER BY _bronrij"
        ).fetchall()
        files = conn.execute(
            "SELECT bron, organisatie_code, periode, peiljaar, bestandsnaam FROM meta.bestanden"
        ).fetchall()
    finally:
        conn.close()
    assert ledger == [
        ("proef_2024.csv", "proef", "geaccepteerd", "Proef", "2024"),
        ("proef_kapot.csv", "proef", "afgekeurd", None, None),
    ]
    archived = next((paths.archive / "proef").glob("*_proef_2024.csv"))
    assert landed == [
        (2024, "GM0014", 3, archived.name, 2),
        (2024, "GM0363", 5, archived.name, 3),
    ]
    # Parsed once, at intake: its copy is what was loaded.
    copies = sorted(p.stem for p in (paths.archive / "proef" / "geparseerd").glob("*.json"))
    assert copies == [file_lineage(archived).sha256]
    # The Datakwaliteit mart's list of loaded files knows it without any dbt of its own.
    assert files == [("proef", "Proef", "2024", 2024, archived.name)]
    assert any((paths.quarantine / "proef").glob("*_proef_kapot.csv"))
    assert not any(inbox.iterdir())


def test_dbt_needs_only_a_staging_folder_per_source():
    """Loaded files reach the Datakwaliteit mart through meta.bestanden, whatever their
    source: dbt keeps no list of sources, so a source needs only its staging folder."""
    dbt_project = PROJECT_ROOT / "dbt_project"
    assert "capmon_bronnen" not in (dbt_project / "dbt_project.yml").read_text()
    assert not list((dbt_project / "models").rglob("*_bestanden_listed*"))
    for name in bronnen.names():
        assert (dbt_project / "models" / "staging" / name).is_dir(), f"staging for {name}"


def test_the_ledger_keeps_each_sources_peiljaar(registered, tmp_path):
    conn = duckdb.connect(str(tmp_path / "ledger.duckdb"))
    ledger.ensure_ledger(conn)
    base = dict(bestandsnaam="x", sha256="s", grootte=1, ontvangen_op=datetime(2025, 1, 1))
    for entry_id, (bron, periode) in enumerate(
        [
            ("zorggroep", "2024-Q3"),
            ("nivel", "2023"),
            ("stagebureau", "2023-2024"),
            ("stagebureau", "2022-2023+2023-2024"),
            ("zorggroep", None),
        ],
        start=1,
    ):
        entry = ledger.Entry(
            bron=bron,
            periode=periode,
            organisatie="o",
            status=ledger.ACCEPTED,
            aantal_fouten=0,
            aantal_waarschuwingen=0,
            **base,
        )
        ledger.record(conn, entry_id, entry)
    assert [
        r[0] for r in conn.execute("SELECT peiljaar FROM meta.aanleveringen ORDER BY id").fetchall()
    ] == [2024, 2023, 2024, None, None]
    assert conn.execute("SELECT list(bron ORDER BY bron) FROM meta.bronnen").fetchone()[0] == [
        "nivel",
        "proef",
        "stagebureau",
        "zorggroep",
    ]
