"""A world generated at scale N brings N x the real population, so per-inhabitant figures and
the checks on them hold at any scale; scale 1 keeps the real CBS data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orchestration.bronnen.voorbeeld import generate
from orchestration.paths import PROJECT_ROOT, REFERENCE_DIR, DataPaths
from orchestration.referentie.geschaald import (
    VerouderdeReferentie,
    reference_dir,
    write_for_scale,
    write_scaled_reference,
)
from orchestration.referentie.read import (
    read_bevolking,
    read_bevolking_leeftijd,
    read_bevolking_nederland,
    read_capaciteitsorgaan_parameters,
    read_gemeentegrenzen,
    read_gemeenten,
)
from orchestration.synthetic.calibration import gemeenten, national_targets
from orchestration.synthetic.world import WAARNEMER, build_world, gp_persons

SUITE = PROJECT_ROOT / "expectations" / "suites" / "fct_capaciteit_gemeente.json"


@pytest.fixture(scope="module")
def doubled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scaled_reference(tmp_path_factory.mktemp("data") / "referentie", 2)


def test_every_count_of_inhabitants_doubles_and_nothing_else_changes(doubled):
    real, scaled = read_bevolking(REFERENCE_DIR), read_bevolking(doubled)
    assert (scaled["inwoners"] == 2 * real["inwoners"]).all()
    assert (scaled["gemeentecode"] == real["gemeentecode"]).all()
    # 65+ comes from an unchanged share of twice the inhabitants
    assert np.abs(scaled["inwoners_65plus"] - 2 * real["inwoners_65plus"]).max() <= 1
    landelijk = read_bevolking_nederland(doubled)
    assert (landelijk["inwoners"] == 2 * read_bevolking_nederland(REFERENCE_DIR)["inwoners"]).all()
    leeftijd, echt = read_bevolking_leeftijd(doubled), read_bevolking_leeftijd(REFERENCE_DIR)
    assert (leeftijd["inwoners"] == 2 * echt["inwoners"]).all()
    shares = [c for c in echt.columns if c.startswith("pct_")]
    pd.testing.assert_frame_equal(leeftijd[shares], echt[shares])
    pd.testing.assert_frame_equal(read_gemeenten(doubled), read_gemeenten(REFERENCE_DIR))
    pd.testing.assert_frame_equal(
        read_gemeentegrenzen(doubled), read_gemeentegrenzen(REFERENCE_DIR)
    )
    pd.testing.assert_frame_equal(
        read_capaciteitsorgaan_parameters(doubled),
        read_capaciteitsorgaan_parameters(REFERENCE_DIR),
    )


def test_the_scaled_population_says_it_is_synthetic(doubled):
    meta = json.loads((doubled / "schaal.json").read_text())
    assert meta["synthetisch"] is True and meta["schaal"] == 2
    bron = read_bevolking(doubled)["bron"]
    assert bron.str.startswith("Synthetische benchmarkdata: CBS-bevolking x 2").all()
    assert not read_bevolking(REFERENCE_DIR)["bron"].str.contains("ynthetisch").any()


@pytest.mark.parametrize("schaal", [0.25, 0.37, 3])
def test_gemeenten_still_add_up_to_the_national_total(tmp_path, schaal):
    """As in CBS's files (dbt test assert_inwoners_tellen_op_tot_nederland), also when the
    scale makes fractions of people."""
    folder = write_scaled_reference(tmp_path / "referentie", schaal)
    per_jaar = read_bevolking(folder).groupby("jaar")["inwoners"].sum()
    landelijk = read_bevolking_nederland(folder).set_index("jaar")["inwoners"]
    for jaar in (2023, 2024):
        assert per_jaar[jaar] == landelijk[jaar]
        assert landelijk[jaar] == round(
            read_bevolking_nederland(REFERENCE_DIR).set_index("jaar")["inwoners"][jaar] * schaal
        )
    leeftijd = read_bevolking_leeftijd(folder)
    assert leeftijd["inwoners"].sum() == per_jaar[2023]


def test_a_scaled_folder_made_from_other_reference_files_is_refused(tmp_path):
    vendored = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, vendored)
    paths = DataPaths(tmp_path / "data")
    write_scaled_reference(paths.referentie, 2, source=vendored)
    assert reference_dir(paths, source=vendored) == paths.referentie
    with (vendored / "provincies_iso3166.csv").open("a") as handle:
        handle.write("PV99,Nergensland,NL-XX\n")
    with pytest.raises(VerouderdeReferentie, match="provincies_iso3166.csv"):
        reference_dir(paths, source=vendored)


def test_generate_writes_the_population_above_scale_one_only(tmp_path):
    paths = DataPaths(tmp_path)
    assert write_for_scale(paths.referentie, 2, seed=11) == paths.referentie
    assert reference_dir(paths) == paths.referentie
    # a small world keeps the real population, and removes an earlier scale's folder
    summary = generate(
        paths.sources, scale=0.05, seed=11, progress=False, referentie_dir=paths.referentie
    )
    assert summary.referentie is None and "Synthetische benchmarkdata" not in str(summary)
    assert not paths.referentie.exists() and reference_dir(paths) == REFERENCE_DIR


def _suite_maximum(column: str) -> tuple[float, float]:
    for expectation in json.loads(SUITE.read_text())["expectations"]:
        kwargs = expectation["kwargs"]
        if (
            kwargs.get("column") == column
            and "row_condition" not in kwargs
            and "max_value" in kwargs
            and expectation["type"].endswith("values_to_be_between")
        ):
            return kwargs["max_value"], kwargs.get("mostly", 1.0)
    raise AssertionError(f"no maximum for {column} in {SUITE.name}")


def test_at_scale_two_the_per_inhabitant_checks_hold_with_the_scaled_population(doubled):
    """The GX maximums on fct_capaciteit_gemeente that a scale-2 world broke against the real
    population (registered patients per inhabitant) hold against its own, and GP fte per
    10,000 inhabitants is that of a scale-1 world (figures of peiljaar 2024, as the mart
    computes them: every GP Nivel registers in the gemeente, every practice's list)."""
    targets, frame = national_targets(), gemeenten()
    codes = frame["gemeentecode"].to_numpy()

    def per_gemeente(scale: float) -> tuple[pd.Series, pd.Series]:
        world = build_world(frame, targets, scale, seed=2025)
        year = world.years[2024]
        fte = gp_persons(world, year).groupby("gemeentecode")["fte"].sum()
        patients = pd.Series(
            np.bincount(world.practices.gemeente[year.practices], year.patients, len(codes)),
            index=codes,
        )
        assert (year.position == WAARNEMER).any()
        return fte.reindex(codes, fill_value=0), patients

    def inhabitants(folder: Path) -> pd.Series:
        rows = read_bevolking(folder)
        return rows[rows["jaar"] == 2024].set_index("gemeentecode")["inwoners"].reindex(codes)

    ratio_max, ratio_mostly = _suite_maximum("verhouding_patienten_inwoners")
    fte_max, fte_mostly = _suite_maximum("fte_huisartsen_per_10000_inwoners")
    fte_1, _ = per_gemeente(1.0)
    fte_2, patients_2 = per_gemeente(2.0)

    before = patients_2 / inhabitants(REFERENCE_DIR)
    assert (before <= ratio_max).mean() < ratio_mostly  # the check failed before

    ratio = patients_2 / inhabitants(doubled)
    assert (ratio <= ratio_max).mean() >= ratio_mostly
    assert ratio.median() == pytest.approx(0.995, abs=0.01)
    per_10000 = fte_2 * 10000 / inhabitants(doubled)
    assert (per_10000 <= fte_max).mean() >= fte_mostly
    national_1 = fte_1.sum() * 10000 / inhabitants(REFERENCE_DIR).sum()
    assert fte_2.sum() * 10000 / inhabitants(doubled).sum() == pytest.approx(national_1, rel=0.02)
