"""National and municipal facts the synthetic world is calibrated to, read from data/reference.

Nothing here is invented: every number comes from a vendored reference file. Where a file
has no value for a peiljaar (the Capaciteitsorgaan ramingen are three years apart, the Nivel
series stop in 2023 or 2024), the value is interpolated or extrapolated linearly and that
is the only modelling step in this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.paths import REFERENCE_DIR
from orchestration.referentie.read import (
    BEVOLKING_2024_FILE,
    read_capaciteitsorgaan_parameters,
    read_gemeenten,
    read_wijken_buurten_2023,
)

PEILJAREN = (2020, 2021, 2022, 2023, 2024, 2025)
NIVEL_FILE = "huisartsen_beroepsgroep_nivel_sph.json"


def read_capaciteitsorgaan(folder: Path = REFERENCE_DIR) -> dict[str, dict[int, float]]:
    """Parameter name -> {raming year -> value}, as the reference asset lands the file.

    The CSV repeats a few names per category; the first row whose values are all numbers is
    the base value (rows of text, such as the profession, are skipped).
    """
    rows = read_capaciteitsorgaan_parameters(folder)
    text_rows = rows.loc[rows["waarde_tekst"].notna() & rows["waarde"].isna(), "_bronrij"]
    numeric = rows[~rows["_bronrij"].isin(text_rows) & rows["waarde"].notna()]
    first_row = numeric.groupby("variabele")["_bronrij"].transform("min")
    base = numeric[numeric["_bronrij"] == first_row]
    return {
        name: dict(zip(g["raming"].astype(int), g["waarde"].astype(float), strict=True))
        for name, g in base.groupby("variabele", sort=False)
    }


def read_nivel_reference(folder: Path = REFERENCE_DIR) -> dict:
    return json.loads((folder / NIVEL_FILE).read_text(encoding="utf-8"))


def nivel_series(reference: dict, group: str) -> dict[str, dict[int, float]]:
    """{series name -> {year -> value}} of one Nivel/SPH series group, skipping gaps."""
    block = reference["reeksen"][group]
    return {
        series["naam"]: {
            year: value
            for year, value in zip(block["jaren"], series["waarden"], strict=True)
            if value is not None
        }
        for series in block["reeksen"]
    }


def _interpolate(points: dict[int, float], years) -> np.ndarray:
    """Linear through the known points; outside them, the trend of the last two points."""
    known = sorted(points)
    result = []
    for year in years:
        if year in points:
            result.append(points[year])
            continue
        if year > known[-1] or year < known[0]:
            a, b = (known[-2], known[-1]) if year > known[-1] else (known[0], known[1])
            slope = (points[b] - points[a]) / (b - a)
            result.append(points[b] + slope * (year - b))
        else:
            result.append(float(np.interp(year, known, [points[k] for k in known])))
    return np.array(result, dtype=float)


def _trend(points: dict[int, float], years) -> np.ndarray:
    """Known values where present, else a least-squares line through all known points."""
    known = sorted(points)
    slope, intercept = np.polyfit(known, [points[k] for k in known], 1)
    return np.array([points.get(y, slope * y + intercept) for y in years], dtype=float)


@dataclass(frozen=True)
class NationalTargets:
    """Per peiljaar (index = PEILJAREN) at scale 1."""

    huisartsen: np.ndarray  # GP persons
    aandeel_vrouw: np.ndarray
    fte_vrouw: np.ndarray
    fte_man: np.ndarray
    aandeel_positie: np.ndarray  # shape (years, 3): praktijkhouder, hidha, waarnemer
    praktijken: np.ndarray
    aandeel_vaste_waarnemer_in_hidha: float
    instroom_huisartsopleiding: np.ndarray
    aandeel_vrouw_opleiding: float
    aandeel_huisartsen_solo: float
    aandeel_huisartsen_groep: float

    def row(self, year: int) -> dict[str, float]:
        i = PEILJAREN.index(year)
        return {
            "huisartsen": float(self.huisartsen[i]),
            "aandeel_vrouw": float(self.aandeel_vrouw[i]),
            "fte_vrouw": float(self.fte_vrouw[i]),
            "fte_man": float(self.fte_man[i]),
            "praktijken": float(self.praktijken[i]),
        }


def national_targets(folder: Path = REFERENCE_DIR) -> NationalTargets:
    ramingen = read_capaciteitsorgaan(folder)
    nivel = read_nivel_reference(folder)
    years = PEILJAREN

    # Nivel counts working GPs for 2020-2023; the Capaciteitsorgaan raming 2025 gives 2025.
    totaal = nivel_series(nivel, "totaal")
    persons = dict(totaal["Werkzame huisartsen"])
    latest_raming = max(ramingen["aanbod_personen"])
    persons[latest_raming] = ramingen["aanbod_personen"][latest_raming]
    huisartsen = _interpolate(persons, years)

    functies = nivel_series(nivel, "functies")
    names = ("Praktijkhouders", "In dienst en vaste waarnemers", "Wisselende waarnemers")
    # The series breaks between 2019 and 2020 (see the file); only 2020 onwards is comparable.
    shares = []
    for name in names:
        share = {
            y: functies[name][y] / sum(functies[n][y] for n in names)
            for y in functies[name]
            if y >= 2020
        }
        shares.append(_trend(share, years))
    aandeel_positie = np.column_stack(shares)
    aandeel_positie /= aandeel_positie.sum(axis=1, keepdims=True)

    split = {row[0]: row for row in nivel["tabellen"]["hidha_split"]["rijen"]}
    in_dienst = split["Huisarts in dienst bij een huisarts"][2]
    vast = split["Vaste waarnemer"][2]

    praktijken = _trend(totaal["Huisartsenpraktijken"], years)
    params = nivel["parameters"]
    return NationalTargets(
        huisartsen=huisartsen,
        aandeel_vrouw=_interpolate(ramingen["per_vrouw_basis"], years),
        fte_vrouw=_interpolate(ramingen["fte_vrouw_basis"], years),
        fte_man=_interpolate(ramingen["fte_man_basis"], years),
        aandeel_positie=aandeel_positie,
        praktijken=praktijken,
        aandeel_vaste_waarnemer_in_hidha=vast / (vast + in_dienst),
        instroom_huisartsopleiding=_interpolate(ramingen["n_inopleiding_perjaar"], years),
        aandeel_vrouw_opleiding=ramingen["per_vrouw_opleiding"][latest_raming],
        aandeel_huisartsen_solo=params["solo_2024"]["waarde"],
        aandeel_huisartsen_groep=params["groeps_2024"]["waarde"],
    )


def gemeenten(folder: Path = REFERENCE_DIR) -> pd.DataFrame:
    """The 342 gemeenten with region, population per peiljaar and share 65+ (sorted by code).

    Population per peiljaar extends the 2023 -> 2024 change of each gemeente linearly
    (bounded, because a merger or a correction can make one year's change meaningless).
    """
    mapping = read_gemeenten(folder).astype(str)
    bevolking = pd.read_csv(folder / BEVOLKING_2024_FILE, dtype={"gemeentecode": str})
    props = read_wijken_buurten_2023(folder).set_index("gemeentecode")

    frame = mapping[
        [
            "gemeentecode",
            "gemeentenaam",
            "provincie_code",
            "provincie_naam",
            "regioplus_arbeidsmarktregio_code",
            "regioplus_arbeidsmarktregio_naam",
        ]
    ].rename(
        columns={
            "regioplus_arbeidsmarktregio_code": "regio_code",
            "regioplus_arbeidsmarktregio_naam": "regio_naam",
        }
    )
    frame = frame.merge(
        bevolking[["gemeentecode", "AantalInwoners_5"]].rename(
            columns={"AantalInwoners_5": "inwoners_2024"}
        ),
        on="gemeentecode",
    )
    frame["inwoners_2023"] = props["aantalInwoners"].reindex(frame["gemeentecode"]).to_numpy()
    frame["aandeel_65plus"] = (
        props["percentagePersonen65JaarEnOuder"].reindex(frame["gemeentecode"]).to_numpy() / 100
    )
    frame["inwoners_2023"] = frame["inwoners_2023"].fillna(frame["inwoners_2024"])
    frame["aandeel_65plus"] = frame["aandeel_65plus"].fillna(frame["aandeel_65plus"].median())
    growth = (frame["inwoners_2024"] / frame["inwoners_2023"] - 1).clip(-0.02, 0.03)
    for year in PEILJAREN:
        frame[f"inwoners_{year}"] = (frame["inwoners_2024"] * (1 + growth) ** (year - 2024)).round()
    return frame.sort_values("gemeentecode").reset_index(drop=True)
