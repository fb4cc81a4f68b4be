"""Read the vendored CBS reference files (data/reference, provenance in SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

GEMEENTEN_FILE = "gemeente_regio_mapping_2025.csv"
BEVOLKING_2024_FILE = "gemeenten_2024_bevolking_cbs85984NED.csv"
WIJKEN_BUURTEN_2023_FILE = "gemeenten_2023_cbs_wijkenbuurten.geojson"
PROVINCIES_FILE = "provincies_iso3166.csv"
CBS_PLACEHOLDER_GEMEENTE = "GM0998"  # "Buitenland": a polygon without statistics


def read_gemeenten(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / GEMEENTEN_FILE, dtype={"gemeentecode": str})


def read_provincies(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / PROVINCIES_FILE, dtype=str)


def read_bevolking(folder: Path) -> pd.DataFrame:
    """Inhabitants and inhabitants 65+ per gemeente for 2023 and 2024.

    CBS publishes 2024 totals (85984NED) but the only age split we hold is the 2023
    whole-number percentage 65+ (Wijken en Buurten 2023); 2024's 65+ applies that share
    to the 2024 total, and says so in ``bron``.
    """
    features = json.loads((folder / WIJKEN_BUURTEN_2023_FILE).read_text(encoding="utf-8"))
    props = pd.DataFrame([f["properties"] for f in features["features"]])
    props = props[props["gemeentecode"] != CBS_PLACEHOLDER_GEMEENTE]
    share_65 = props.set_index("gemeentecode")["percentagePersonen65JaarEnOuder"] / 100
    y2023 = pd.DataFrame(
        {
            "gemeentecode": props["gemeentecode"],
            "jaar": 2023,
            "inwoners": props["aantalInwoners"].astype(int),
            "inwoners_65plus": (
                props["aantalInwoners"] * share_65.loc[props["gemeentecode"]].to_numpy()
            )
            .round()
            .astype(int),
            "bron": "CBS Wijken en Buurten 2023 (65+ uit afgerond percentage)",
        }
    )
    cbs_2024 = pd.read_csv(folder / BEVOLKING_2024_FILE, dtype={"gemeentecode": str})
    y2024 = pd.DataFrame(
        {
            "gemeentecode": cbs_2024["gemeentecode"],
            "jaar": 2024,
            "inwoners": cbs_2024["AantalInwoners_5"].astype(int),
            "inwoners_65plus": (
                cbs_2024["AantalInwoners_5"] * share_65.reindex(cbs_2024["gemeentecode"]).to_numpy()
            )
            .round()
            .astype("Int64"),
            "bron": "CBS 85984NED 2024; 65+ geschat met aandeel 65+ uit 2023",
        }
    )
    return pd.concat([y2023, y2024], ignore_index=True)
