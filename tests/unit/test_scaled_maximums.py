"""The per-row maximums of Nivel and the stagebureaus grow with a synthetic world's scale
(``<data>/referentie/schaal.json``) and stay exactly as they are for real data; the intake,
the loading of ``raw`` and the parsed copies all follow the data folder's scale. And a large
source is read a batch at a time, all or nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.bronnen.nivel.bron import NIVEL
from orchestration.bronnen.nivel.contract import NIVEL_REGISTRATIE, nivel_registratie
from orchestration.bronnen.schaal import schaal
from orchestration.bronnen.stagebureau.bron import STAGEBUREAU
from orchestration.bronnen.stagebureau.contract import STAGEBUREAU_STAGES, stagebureau_stages
from orchestration.bronnen.zorggroep.bron import ZORGGROEP
from orchestration.inname import parsed
from orchestration.inname.process import process_inbox
from orchestration.paths import DataPaths
from orchestration.referentie.geschaald import write_for_scale
from orchestration.warehouse import source_files
from orchestration.warehouse.source_files import SourceNotLoaded

SCALE = 3
NIVEL_HEADER = "peiljaar;gemeentecode;beroep;positie;geslacht;leeftijdsklasse;aantal_personen;fte"


def _nivel(folder: Path, personen: int, name: str = "nivel_2025.csv", fte_each=0.8) -> Path:
    """An extract with one row of ``personen`` GPs."""
    folder.mkdir(parents=True, exist_ok=True)
    fte = f"{personen * fte_each:.1f}".replace(".", ",")
    row = f"2025;GM0363;huisarts;praktijkhouder;vrouw;45-54;{personen};{fte}"
    path = folder / name
    path.write_bytes(f"\ufeff{NIVEL_HEADER}\n{row}\n".encode())
    return path


def _stagebureau(folder: Path, aangevraagd: int, name: str = "SB01_2024-2025.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "bureau_code": "SB01",
        "bureau_naam": "Stagebureau Noord",
        "schooljaar": "2024-2025",
        "periode": 1,
        "opleiding": "huisarts",
        "onderwijsinstelling": "UMCG",
        "gemeentecode": "GM0014",
        "aangevraagd": aangevraagd,
        "aangeboden": aangevraagd,
        "geplaatst": 10,
        "wachtlijst": 0,
    }
    path = folder / name
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scaled_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The population ``capmon generate --scale 3`` writes, made once."""
    folder = tmp_path_factory.mktemp("geschaald") / "referentie"
    write_for_scale(folder, SCALE)
    return folder


@pytest.fixture
def real(tmp_path) -> DataPaths:
    return DataPaths(tmp_path / "echt")


@pytest.fixture
def synthetic(tmp_path, scaled_reference) -> DataPaths:
    paths = DataPaths(tmp_path / "synthetisch")
    paths.root.mkdir()
    (paths.referentie).symlink_to(scaled_reference, target_is_directory=True)
    return paths


def test_real_data_keeps_todays_limits_and_words():
    assert nivel_registratie() is NIVEL_REGISTRATIE
    assert stagebureau_stages() is STAGEBUREAU_STAGES
    nivel = {c.name: c for c in NIVEL_REGISTRATIE.columns}
    assert (nivel["aantal_personen"].maximum, nivel["fte"].maximum) == (5_000, 7_500)
    assert nivel["aantal_personen"].maximum_why.startswith("meer dan 5.000 personen")
    assert "synthetisch" not in nivel["aantal_personen"].maximum_why + nivel["fte"].maximum_why
    counts = [c for c in STAGEBUREAU_STAGES.columns if c.maximum is not None and c.maximum > 4]
    assert [c.name for c in counts] == ["aangevraagd", "aangeboden", "geplaatst", "wachtlijst"]
    assert {c.maximum for c in counts} == {2_000}
    assert all(c.maximum_why.startswith("meer dan 2.000 studenten") for c in counts)


def test_the_scale_comes_from_the_data_folder(real, synthetic):
    assert schaal(real) == 1
    assert schaal(synthetic) == SCALE
    assert NIVEL.at_scale(1) is NIVEL
    assert NIVEL.in_folder(real) is NIVEL
    assert NIVEL.in_folder(synthetic).read.keywords == {"schaal": SCALE}
    assert ZORGGROEP.at_scale(SCALE) is ZORGGROEP  # practices and persons: no larger rows
    # The maximums scale, the reason says for what kind of world.
    scaled = {c.name: c for c in nivel_registratie(SCALE).columns}
    assert scaled["aantal_personen"].maximum == 15_000
    assert "meer dan 15.000 personen" in scaled["aantal_personen"].maximum_why
    assert "synthetische wereld op schaal 3" in scaled["aantal_personen"].maximum_why


@pytest.mark.parametrize("engine", ["pandas", "gx"])
def test_check_nivel_at_each_scale(real, synthetic, engine):
    """Just over today's limit: wrong in real data, plausible in a world of 3x the GPs;
    over 3x the limit: wrong in both."""
    over_real = _nivel(real.root, 6_000)
    over_scaled = _nivel(real.root, 15_001, "groot.csv", fte_each=1.5)  # 22,501.5 fte

    def rules(paths: DataPaths, path: Path) -> set[tuple[str, str]]:
        checked = NIVEL.at_scale(schaal(paths)).check(path, engine=engine)
        return {(p.rule, p.column) for p in checked.errors}

    assert ("maximum", "aantal_personen") in rules(real, over_real)
    assert rules(synthetic, over_real) == set()
    assert ("maximum", "aantal_personen") in rules(synthetic, over_scaled)
    assert ("maximum", "fte") in rules(synthetic, over_scaled)


def test_loading_raw_follows_the_scale_and_redoes_a_copy_when_it_changes(synthetic):
    extract = _nivel(synthetic.sources / "nivel", 6_000)
    (copy,) = parsed.ensure(NIVEL, synthetic, [extract])
    rows = duckdb.sql(f"SELECT aantal_personen FROM '{copy.table('nivel_registratie')}'")
    assert rows.fetchall() == [(6_000,)]
    # The same folder back on real data: the copy read under 3x the limits is not reused.
    synthetic.referentie.unlink()
    assert schaal(synthetic) == 1
    with pytest.raises(SourceNotLoaded, match="meer dan 5.000 personen"):
        parsed.ensure(NIVEL, synthetic, [extract])


def test_stagebureau_at_each_scale(real, synthetic):
    plausible = _stagebureau(real.root / "a", 2_500)
    too_many = _stagebureau(real.root / "b", 6_001)
    with pytest.raises(SourceNotLoaded, match="meer dan 2.000 studenten"):
        parsed.ensure(STAGEBUREAU, real, [plausible])
    (copy,) = parsed.ensure(STAGEBUREAU, synthetic, [plausible])
    assert copy.info["rijen"] == {"stagebureau_stages": 1}
    with pytest.raises(SourceNotLoaded, match="meer dan 6.000 studenten .* op schaal 3"):
        parsed.ensure(STAGEBUREAU, synthetic, [too_many])


def test_the_intake_follows_the_scale(real, synthetic):
    for paths in (real, synthetic):
        _nivel(paths.inbox / "nivel", 6_000)
        _stagebureau(paths.inbox / "stagebureau", 2_500)
        conn = duckdb.connect(str(paths.root / "build.duckdb"))
        try:
            outcomes = process_inbox(conn, paths, today=date(2026, 6, 1))
        finally:
            conn.close()
        expected = "afgekeurd" if paths is real else "geaccepteerd"
        assert {o.bron: o.status for o in outcomes} == {
            "nivel": expected,
            "stagebureau": expected,
        }


def test_a_large_source_is_read_in_batches_all_or_nothing(real, monkeypatch):
    """Files are read and kept a batch at a time (each its own partij), so that a scale-100
    world's workbooks need not fit in memory at once; one broken file still keeps every
    file's copy out and is named with every other broken one."""
    monkeypatch.setattr(source_files, "BATCH_BYTES", 1)  # one file per batch
    folder = real.sources / "nivel"
    good = [_nivel(folder, 10 + i, f"nivel_{2020 + i}.csv") for i in range(3)]
    copies = parsed.ensure(NIVEL, real, good)
    assert len({copy.info["partij"] for copy in copies}) == 3
    assert [copy.info["rijen"] for copy in copies] == [{"nivel_registratie": 1}] * 3

    broken = [_nivel(folder, 20 + i, f"nieuw_{i}.csv") for i in range(4)]
    broken[1].write_bytes(broken[1].read_bytes().replace(b";21;", b";-1;"))
    broken[3].write_bytes(broken[3].read_bytes().replace(b";23;", b";veel;"))
    with pytest.raises(SourceNotLoaded) as caught:
        parsed.ensure(NIVEL, real, broken)
    assert caught.value.metadata["afgekeurde_bestanden"] == ["nieuw_1.csv", "nieuw_3.csv"]
    assert "2 van 4 Nivel-bestanden afgekeurd" in caught.value.description
    store = parsed.store_dir(real, NIVEL)
    # Only the first three files' copies and partijen: nieuw_0's was made and dropped again.
    assert len(list(store.glob("*.json"))) == 3
    assert len(list((store / parsed.BATCHES).iterdir())) == 3


def test_capmon_check_applies_the_maximums_of_its_data_folder(real, synthetic, monkeypatch):
    from orchestration import cli

    extract = _nivel(real.root / "los", 6_000)
    verdicts = {}
    for paths in (real, synthetic):
        monkeypatch.setenv("CAPMON_DATA_DIR", str(paths.root))
        verdicts[paths.root.name] = cli.main(["check", str(extract), "--bron", "nivel"])
    # Rejected against the real country's limits, plausible in a world of 3x the GPs.
    assert verdicts == {"echt": 1, "synthetisch": 0}
