"""The synthetic source generator: deterministic, readable by the real readers, calibrated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.bronnen.nivel.read import read_nivel_csv
from orchestration.bronnen.stagebureau.read import read_stagebureau_jsonl
from orchestration.bronnen.voorbeeld import generate
from orchestration.bronnen.zorggroep.read import read_zorggroep_workbook
from orchestration.paths import REFERENCE_DIR
from orchestration.synthetic.calibration import PEILJAREN, read_capaciteitsorgaan

SMALL = 0.05


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic-small")
    generate(out, scale=SMALL, seed=11, progress=False)
    return out


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("synthetic-full")
    return out, generate(out, scale=1.0, seed=2025, progress=False)


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(small, tmp_path):
    generate(tmp_path / "again", scale=SMALL, seed=11, progress=False)
    generate(tmp_path / "other", scale=SMALL, seed=12, progress=False)
    first, again, other = _files(small), _files(tmp_path / "again"), _files(tmp_path / "other")
    assert first and first == again
    shared = set(first) & set(other)
    assert any(first[name] != other[name] for name in shared) or set(first) != set(other)
    nivel = "nivel/nivel_beroepen_2025.csv"
    assert first[nivel] != other[nivel]


def test_every_file_is_accepted_by_the_real_readers(small):
    nivel = sorted((small / "nivel").glob("*.csv"))
    assert [p.name for p in nivel] == [f"nivel_beroepen_{y}.csv" for y in PEILJAREN]
    for path in nivel:
        read_nivel_csv(path)
    workbooks = sorted((small / "zorggroep").glob("*.xlsx"))
    periods = set()
    for path in workbooks:
        submission = read_zorggroep_workbook(path)
        periods.add(submission.meta["periode"][:4])
    assert periods == {str(y) for y in PEILJAREN}
    exports = sorted((small / "stagebureau").glob("*.jsonl"))
    schooljaren = {read_stagebureau_jsonl(p)["schooljaar"].iloc[0] for p in exports}
    assert schooljaren == {f"{y - 1}-{y}" for y in PEILJAREN}


def test_small_scale_keeps_patients_next_to_practice_bound_fte(small):
    """No gemeente has registered patients but no praktijkhouder or hidha FTE in Nivel."""
    nivel = read_nivel_csv(small / "nivel" / "nivel_beroepen_2025.csv")
    bound = nivel[(nivel["beroep"] == "huisarts") & (nivel["positie"] != "waarnemer")]
    fte = bound.groupby("gemeentecode")["fte"].sum()
    for path in sorted((small / "zorggroep").glob("*_2025-*.xlsx")):
        praktijken = read_zorggroep_workbook(path).tables["praktijken"]
        for gemeente in praktijken["gemeentecode"].unique():
            assert fte.get(gemeente, 0) > 0, gemeente


def test_national_2025_matches_the_reference_files(full):
    _, summary = full
    raming = {k: v[2025] for k, v in read_capaciteitsorgaan(REFERENCE_DIR).items() if 2025 in v}
    year = summary.nationaal[2025]
    assert year.huisartsen_personen == pytest.approx(raming["aanbod_personen"], rel=0.01)
    assert year.aandeel_vrouw == pytest.approx(raming["per_vrouw_basis"], abs=0.01)
    assert year.fte_per_persoon_vrouw == pytest.approx(raming["fte_vrouw_basis"], abs=0.01)
    assert year.fte_per_persoon_man == pytest.approx(raming["fte_man_basis"], abs=0.01)
    assert 1900 <= year.patienten_per_fte <= 2300
    assert 0.12 <= year.aandeel_fte_60plus <= 0.18


def test_practices_2024_match_nivel(full):
    _, summary = full
    reference = json.loads(
        (REFERENCE_DIR / "huisartsen_beroepsgroep_nivel_sph.json").read_text(encoding="utf-8")
    )
    expected = reference["parameters"]["praktijken_2024"]["waarde"]
    assert summary.nationaal[2024].praktijken == pytest.approx(expected, rel=0.03)


def test_sources_add_up_to_the_summary(full):
    out, summary = full
    nivel = read_nivel_csv(out / "nivel" / "nivel_beroepen_2025.csv")
    gps = nivel[nivel["beroep"] == "huisarts"]
    assert gps["aantal_personen"].sum() == summary.nationaal[2025].huisartsen_personen
    patients = sum(
        read_zorggroep_workbook(p).tables["praktijken"]["ingeschreven_patienten"].sum()
        for p in sorted((out / "zorggroep").glob("*_2025-*.xlsx"))
    )
    assert patients == summary.nationaal[2025].ingeschreven_patienten
    assert 8 <= len(summary.gestresste_gemeenten) <= 15
    assert "Gemeenten met opzettelijke krapte" in str(summary)


def test_nivel_csv_uses_dutch_excel_conventions(full):
    out, _ = full
    data = (out / "nivel" / "nivel_beroepen_2025.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, first = data.decode("utf-8-sig").splitlines()[:2]
    assert header.split(";")[0] == "peiljaar" and ";" in first
    assert "," in first.split(";")[-1]


def test_scale_multiplies_volume(small, tmp_path):
    base = generate(tmp_path / "x1", scale=0.25, seed=3, progress=False)
    double = generate(tmp_path / "x2", scale=0.5, seed=3, progress=False)
    for year in (2020, 2025):
        ratio = (
            double.nationaal[year].huisartsen_personen / base.nationaal[year].huisartsen_personen
        )
        assert ratio == pytest.approx(2.0, rel=0.02)
        practices = double.nationaal[year].praktijken / base.nationaal[year].praktijken
        assert practices == pytest.approx(2.0, rel=0.05)
