"""The reference readers for the projection: Capaciteitsorgaan parameters and CBS age bands."""

from __future__ import annotations

import pytest

from orchestration.paths import REFERENCE_DIR
from orchestration.referentie.read import (
    read_bevolking_leeftijd,
    read_capaciteitsorgaan_parameters,
)


@pytest.fixture(scope="module")
def parameters():
    return read_capaciteitsorgaan_parameters(REFERENCE_DIR)


def _waarde(parameters, variabele: str, raming: str = "2025", categorie1: str | None = None):
    rows = parameters[(parameters["variabele"] == variabele) & (parameters["raming"] == raming)]
    if categorie1 is not None:
        rows = rows[rows["categorie1"] == categorie1]
    assert len(rows) == 1, (variabele, raming, categorie1)
    return rows["waarde"].iloc[0]


def test_dutch_decimal_commas_and_negative_values_are_parsed(parameters):
    assert _waarde(parameters, "intern_rendement") == pytest.approx(0.94)
    assert _waarde(parameters, "uitstroom_man_basis_twintig") == pytest.approx(0.632)
    assert _waarde(parameters, "vak_laag") == pytest.approx(-0.003)
    assert _waarde(parameters, "aanbod_personen") == 14347
    assert _waarde(parameters, "evenwichtsjaar2") == 2043


def test_one_row_per_variable_per_raming_with_its_file_line(parameters):
    # 179 data lines × 6 ramingen; the BOM is not part of the first column name
    assert len(parameters) == 179 * 6
    assert set(parameters["raming"]) == {"2010", "2013", "2016", "2019", "2022", "2025"}
    assert parameters["_bronrij"].min() == 2
    assert parameters["_bronrij"].max() == 180
    # opleidingsduur occurs twice: whole years under Jaar, the measured mean under Opleiding
    assert _waarde(parameters, "opleidingsduur", categorie1="Jaar") == 3
    assert _waarde(parameters, "opleidingsduur", categorie1="Opleiding") == pytest.approx(3.2)
    # text stays text: the profession has no number
    beroep = parameters[parameters["variabele"] == "beroepsgroep"]
    assert beroep["waarde"].isna().all()
    assert set(beroep["waarde_tekst"]) == {"huisartsgeneeskunde"}


def test_age_bands_of_all_342_gemeenten():
    rows = read_bevolking_leeftijd(REFERENCE_DIR)
    assert len(rows) == 342
    assert "GM0998" not in set(rows["gemeentecode"])
    totals = rows[["pct_0_14", "pct_15_24", "pct_25_44", "pct_45_64", "pct_65plus"]].sum(axis=1)
    assert totals.between(95, 105).all()
    assert rows["inwoners"].sum() == 17_811_291
