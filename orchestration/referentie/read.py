"""Read the vendored CBS reference files (data/reference, provenance in SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

GEMEENTEN_FILE = "gemeente_regio_mapping_2025.csv"
BEVOLKING_2024_FILE = "gemeenten_2024_bevolking_cbs85984NED.csv"
WIJKEN_BUURTEN_2023_FILE = "gemeenten_2023_cbs_wijkenbuurten.geojson"
PROVINCIES_FILE = "provincies_iso3166.csv"
BEVOLKING_NEDERLAND_FILE = "cbs_bevolking_nederland_1januari.csv"
CBS_PLACEHOLDER_GEMEENTE = "GM0998"  # "Buitenland": a polygon without statistics
# In a synthetic folder with scaled population (geschaald.py): what it is, and its scale.
SCHAAL_FILE = "schaal.json"


def synthetic_scale(folder: Path) -> dict | None:
    """The ``schaal.json`` of a scaled benchmark folder, or None for real data (data/reference)."""
    path = folder / SCHAAL_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def read_gemeenten(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / GEMEENTEN_FILE, dtype={"gemeentecode": str})


def read_provincies(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / PROVINCIES_FILE, dtype=str)


def read_wijken_buurten_2023(folder: Path, geometrie: bool = False) -> pd.DataFrame:
    """The properties of the 342 gemeente features of CBS Wijken en Buurten 2023.

    ``_bronrij`` is the feature's number in the GeoJSON, so rows can name where they came
    from; the CBS placeholder "Buitenland" is left out. With ``geometrie=True`` a column
    ``geometrie`` holds each boundary as a GeoJSON geometry object (text, WGS84 lon/lat),
    coordinates rounded to ``GRENS_DECIMALEN`` decimals.
    """
    features = json.loads((folder / WIJKEN_BUURTEN_2023_FILE).read_text(encoding="utf-8"))
    props = pd.DataFrame([f["properties"] for f in features["features"]])
    props["_bronrij"] = range(1, 1 + len(props))
    if geometrie:
        props["geometrie"] = [
            json.dumps(_rounded_geometry(f["geometry"]), separators=(",", ":"))
            for f in features["features"]
        ]
    return props[props["gemeentecode"] != CBS_PLACEHOLDER_GEMEENTE].reset_index(drop=True)


# 4 decimals of a degree is about 11 m (7 m east-west at 52°N): plenty for a national map of
# gemeenten, and it keeps a boundary a few kilobytes.
GRENS_DECIMALEN = 4


def _rounded_ring(ring: list) -> list:
    """A ring with rounded coordinates, repeated points dropped; still closed."""
    points: list[list[float]] = []
    for lon, lat, *_ in ring:
        point = [round(lon, GRENS_DECIMALEN), round(lat, GRENS_DECIMALEN)]
        if not points or point != points[-1]:
            points.append(point)
    if points[0] != points[-1]:
        points.append(points[0])
    return points


def _rounded_geometry(geometry: dict) -> dict:
    """A (Multi)Polygon with rounded coordinates; rings that collapse to nothing are dropped
    (a polygon whose outer ring collapses, holes and all)."""

    def polygon(rings: list) -> list:
        rounded = [_rounded_ring(ring) for ring in rings]
        if len(rounded[0]) < 4:
            return []
        return [ring for ring in rounded if len(ring) >= 4]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        parts = [polygon(part) for part in geometry["coordinates"]]
        return {"type": "MultiPolygon", "coordinates": [part for part in parts if part]}
    raise ValueError(f"onverwacht geometrietype {geometry['type']!r} in {WIJKEN_BUURTEN_2023_FILE}")


def read_gemeentegrenzen(folder: Path) -> pd.DataFrame:
    """The boundary of each of the 342 gemeenten (CBS Wijken en Buurten 2023) as GeoJSON."""
    rows = read_wijken_buurten_2023(folder, geometrie=True)
    return rows[["_bronrij", "gemeentecode", "gemeentenaam", "geometrie"]]


def read_bevolking(folder: Path) -> pd.DataFrame:
    """Inhabitants and inhabitants 65+ per gemeente for 2023 and 2024.

    CBS publishes 2024 totals (85984NED) but the only age split we hold is the 2023
    whole-number percentage 65+ (Wijken en Buurten 2023); 2024's 65+ applies that share
    to the 2024 total, and says so in ``bron``. In a synthetic benchmark folder ``bron``
    starts with its label, so the scaled figures are never taken for CBS's own.
    """
    props = read_wijken_buurten_2023(folder)
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
    rows = pd.concat([y2023, y2024], ignore_index=True)
    if scaled := synthetic_scale(folder):
        rows["bron"] = scaled["label"] + "; afgeleid van " + rows["bron"]
    return rows


def read_bevolking_nederland(folder: Path) -> pd.DataFrame:
    """National population on 1 January per year (CBS 03759ned), as typed in the file."""
    rows = pd.read_csv(folder / BEVOLKING_NEDERLAND_FILE, sep=";", dtype={"peildatum": str})
    return rows.rename(columns={"bevolking": "inwoners"})[["jaar", "peildatum", "inwoners"]]


CAPACITEITSORGAAN_FILE = "capaciteitsorgaan_parameterwaarden.csv"
RAMING_PREFIX = "raming_"
# CBS Wijken en Buurten 2023: age bands as whole-number percentages of the inhabitants.
LEEFTIJDSBANDEN_2023 = {
    "percentagePersonen0Tot15Jaar": "pct_0_14",
    "percentagePersonen15Tot25Jaar": "pct_15_24",
    "percentagePersonen25Tot45Jaar": "pct_25_44",
    "percentagePersonen45Tot65Jaar": "pct_45_64",
    "percentagePersonen65JaarEnOuder": "pct_65plus",
}


def _dutch_number(text: object) -> float | None:
    """'0,419' -> 0.419; '-0,003' -> -0.003; empty or text (e.g. a profession) -> None."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    cleaned = str(text).strip().replace(".", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def read_capaciteitsorgaan_parameters(folder: Path) -> pd.DataFrame:
    """The Capaciteitsorgaan's raming parameters, one row per variable per raming.

    The file follows Dutch Excel conventions (``;``, decimal comma, UTF-8 with BOM) and holds
    one column per raming (``raming_2010`` … ``raming_2025``; ``raming_2019_demo`` is the
    2019 raming). Values are kept as text (``waarde_tekst``) and as a number (``waarde``,
    empty where the text is not a number). ``_bronrij`` is the line in the file.
    """
    wide = pd.read_csv(
        folder / CAPACITEITSORGAAN_FILE,
        sep=";",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    )
    wide["_bronrij"] = range(2, 2 + len(wide))
    raming_columns = [c for c in wide.columns if c.startswith(RAMING_PREFIX)]
    long = wide.melt(
        id_vars=[
            "_bronrij",
            "Categorie1",
            "Categorie2",
            "Data_type",
            "Aantal_decimalen",
            "Variabele",
            "actual-projection",
        ],
        value_vars=raming_columns,
        var_name="raming_kolom",
        value_name="waarde_tekst",
    )
    long["raming"] = long["raming_kolom"].str.slice(len(RAMING_PREFIX), len(RAMING_PREFIX) + 4)
    long["waarde"] = long["waarde_tekst"].map(_dutch_number)
    long = long.replace({"": None})
    long = long.rename(
        columns={
            "Categorie1": "categorie1",
            "Categorie2": "categorie2",
            "Data_type": "data_type",
            "Aantal_decimalen": "aantal_decimalen",
            "Variabele": "variabele",
            "actual-projection": "soort",
        }
    )
    columns = [
        "_bronrij",
        "categorie1",
        "categorie2",
        "data_type",
        "aantal_decimalen",
        "variabele",
        "soort",
        "raming_kolom",
        "raming",
        "waarde_tekst",
        "waarde",
    ]
    return long[columns].sort_values(["_bronrij", "raming_kolom"]).reset_index(drop=True)


def read_bevolking_leeftijd(folder: Path) -> pd.DataFrame:
    """Inhabitants and age-band percentages per gemeente on 1 January 2023 (CBS KWB 2023).

    The percentages are whole numbers rounded by CBS (a gemeente's bands sum to 98–102);
    they are landed as published, normalising is left to the model that uses them.
    """
    props = read_wijken_buurten_2023(folder)
    rows = props[["_bronrij", "gemeentecode", "aantalInwoners", *LEEFTIJDSBANDEN_2023]].rename(
        columns={"aantalInwoners": "inwoners", **LEEFTIJDSBANDEN_2023}
    )
    rows.insert(2, "jaar", 2023)
    return rows.reset_index(drop=True)
