"""A synthetic reference folder whose population is N x the real one, for benchmark worlds.

A sample world generated at scale N (``capmon generate --scale N``) has N x the practices,
GPs and patients of the Netherlands. Measured against the real population it would have N x
the GPs per inhabitant, so every per-inhabitant figure and check would be off. Such a world
therefore brings its own reference folder, ``<data>/referentie/`` (``DataPaths.referentie``):
a copy of ``data/reference`` in which every count of inhabitants is multiplied by N (per
gemeente, per year, nationally on 1 January; shares such as the age bands stay as they are),
plus ``schaal.json`` saying so. The reference assets land that folder instead of the vendored
one when it is there (``reference_dir``); at scale 1 none is written, so the default is the
real CBS data, unchanged.

What stays real at every scale: the gemeenten and their regions, boundaries, and the
Capaciteitsorgaan's parameters. The national projection is a reproduction of the published
method on the published parameters, not a view of the synthetic world (docs/architectuur.md,
"Sources, contracts and code lists").
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.paths import REFERENCE_DIR, DataPaths
from orchestration.referentie.read import (
    BEVOLKING_2024_FILE,
    BEVOLKING_NEDERLAND_FILE,
    CBS_PLACEHOLDER_GEMEENTE,
    SCHAAL_FILE,
    WIJKEN_BUURTEN_2023_FILE,
    synthetic_scale,
)

LABEL = "Synthetische benchmarkdata: CBS-bevolking x {schaal:g}, geen echte cijfers"
LABEL_EN = "Synthetic benchmark data: CBS population x {schaal:g}, not real figures"

# Counts of people (and of what comes with them) that grow with the population; percentages
# (age bands, sexes, households) are shares and stay as CBS published them.
WIJKEN_BUURTEN_COUNTS = (
    "aantalInwoners",
    "mannen",
    "vrouwen",
    "aantalHuishoudens",
    "bevolkingsdichtheidInwonersPerKm2",
)
BEVOLKING_2024_COUNTS = (
    "AantalInwoners_5",
    "Mannen_6",
    "Vrouwen_7",
    "Bevolkingsdichtheid_34",
    "Woningvoorraad_35",
)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Inhabitants are INTEGER (32 bits) from landing to the marts: about 119 x the Netherlands.
MAX_INWONERS = 2**31 - 1


class VerouderdeReferentie(RuntimeError):
    """The scaled folder was made from another version of data/reference."""


def _scaled_total(values: np.ndarray, schaal: float) -> np.ndarray:
    """``values * schaal`` in whole numbers that add up to ``round(sum * schaal)``.

    Largest remainder, so that the gemeenten of a year still add up exactly to the scaled
    national total, as the real ones add up to the real total
    (dbt test assert_inwoners_tellen_op_tot_nederland). Exact for a whole-number scale.
    """
    exact = values.astype(float) * schaal
    floor = np.floor(exact)
    left = int(round(float(values.sum()) * schaal) - floor.sum())
    order = np.argsort(-(exact - floor), kind="stable")
    floor[order[:left]] += 1
    return floor.astype(np.int64)


def _scaled(values: np.ndarray, schaal: float) -> np.ndarray:
    return np.round(values.astype(float) * schaal).astype(np.int64)


def _with_split(
    inwoners: np.ndarray, mannen: np.ndarray, schaal: float
) -> tuple[np.ndarray, np.ndarray]:
    """Scaled men and women that add up to the scaled inhabitants, as they do in CBS's files."""
    men = np.minimum(_scaled(mannen, schaal), inwoners)
    return men, inwoners - men


def _scale_wijken_buurten(text: str, schaal: float) -> str:
    features = json.loads(text)
    real = [
        f["properties"]
        for f in features["features"]
        if f["properties"]["gemeentecode"] != CBS_PLACEHOLDER_GEMEENTE
    ]
    inwoners = _scaled_total(np.array([p["aantalInwoners"] for p in real]), schaal)
    mannen, vrouwen = _with_split(inwoners, np.array([p["mannen"] for p in real]), schaal)
    for props, total, men, women in zip(real, inwoners, mannen, vrouwen, strict=True):
        props["aantalInwoners"] = int(total)
        props["mannen"], props["vrouwen"] = int(men), int(women)
        for key in WIJKEN_BUURTEN_COUNTS[3:]:
            props[key] = int(round(props[key] * schaal))
    return json.dumps(features, ensure_ascii=False, separators=(",", ":"))


def _scale_bevolking_2024(path: Path, schaal: float) -> pd.DataFrame:
    rows = pd.read_csv(path, dtype={"gemeentecode": str})
    inwoners = _scaled_total(rows["AantalInwoners_5"].to_numpy(), schaal)
    mannen, vrouwen = _with_split(inwoners, rows["Mannen_6"].to_numpy(), schaal)
    rows["AantalInwoners_5"], rows["Mannen_6"], rows["Vrouwen_7"] = inwoners, mannen, vrouwen
    for column in BEVOLKING_2024_COUNTS[3:]:
        rows[column] = _scaled(rows[column].to_numpy(), schaal)
    return rows


def _scale_bevolking_nederland(path: Path, schaal: float) -> pd.DataFrame:
    rows = pd.read_csv(path, sep=";", dtype={"peildatum": str})
    rows["bevolking"] = _scaled(rows["bevolking"].to_numpy(), schaal)
    if rows["bevolking"].max() > MAX_INWONERS:
        raise ValueError(
            f"schaal {schaal:g} is te groot: {rows['bevolking'].max():,} inwoners past niet in "
            "de INTEGER-kolommen van het warehouse (tot schaal 119 wel)"
        )
    return rows


def write_scaled_reference(
    out: Path, schaal: float, source: Path = REFERENCE_DIR, seed: int | None = None
) -> Path:
    """Write ``source`` to ``out`` with every population count times ``schaal``.

    ``out`` is replaced as a whole. The other data files are copied unchanged, so that the
    folder is a complete reference folder for the readers in ``read.py``.
    """
    if schaal <= 0:
        raise ValueError("schaal moet groter zijn dan 0")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    scaled = (WIJKEN_BUURTEN_2023_FILE, BEVOLKING_2024_FILE, BEVOLKING_NEDERLAND_FILE)
    data_files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix != ".md")
    for path in data_files:
        if path.name not in scaled:
            shutil.copyfile(path, out / path.name)
    (out / WIJKEN_BUURTEN_2023_FILE).write_text(
        _scale_wijken_buurten(
            (source / WIJKEN_BUURTEN_2023_FILE).read_text(encoding="utf-8"), schaal
        ),
        encoding="utf-8",
    )
    _scale_bevolking_2024(source / BEVOLKING_2024_FILE, schaal).to_csv(
        out / BEVOLKING_2024_FILE, index=False
    )
    _scale_bevolking_nederland(source / BEVOLKING_NEDERLAND_FILE, schaal).to_csv(
        out / BEVOLKING_NEDERLAND_FILE, sep=";", index=False
    )
    meta = {
        "synthetisch": True,
        "schaal": schaal,
        "seed": seed,
        "label": LABEL.format(schaal=schaal),
        "label_en": LABEL_EN.format(schaal=schaal),
        "geschaald": list(scaled),
        # What it was made from: a later change to data/reference makes it stale.
        "afgeleid_van": {p.name: sha256_of(p) for p in data_files},
    }
    (out / SCHAAL_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(
        f"# {meta['label']}\n\n{meta['label_en']}. Written by `capmon generate --scale "
        f"{schaal:g}`; see `orchestration/referentie/geschaald.py`. The real reference data, "
        "with its provenance, is `data/reference/` in the repository.\n",
        encoding="utf-8",
    )
    return out


def write_for_scale(out: Path, schaal: float, seed: int | None = None) -> Path | None:
    """What a generated world of scale ``schaal`` needs in ``out``: N x the population when
    ``schaal`` is above 1, and otherwise nothing, so that an earlier scale's folder goes and
    the run lands the real data/reference again.

    Below 1 the real population stays: a small world has fewer GPs and patients per
    inhabitant, which every per-inhabitant check allows (they bound from above), while the
    dbt range test of 15-25 million inhabitants nationally would reject a scaled-down
    country; the small worlds of the tests and `capmon generate --scale 0.25` publish."""
    shutil.rmtree(out, ignore_errors=True)
    return write_scaled_reference(out, schaal, seed=seed) if schaal > 1 else None


def reference_dir(paths: DataPaths, source: Path = REFERENCE_DIR) -> Path:
    """The reference folder a run in ``paths`` lands: the scaled one if generated, else
    ``source``. A scaled folder made from other vendored files than today's is refused."""
    meta = synthetic_scale(paths.referentie)
    if meta is None:
        return source
    stale = sorted(
        name
        for name, digest in meta["afgeleid_van"].items()
        if not (source / name).is_file() or sha256_of(source / name) != digest
    )
    if stale:
        raise VerouderdeReferentie(
            f"De geschaalde referentiedata in {paths.referentie} is gemaakt van een andere "
            f"versie van {', '.join(stale)}; genereer opnieuw met capmon generate --scale "
            f"{meta['schaal']:g} (of verwijder die map voor de echte CBS-cijfers)."
        )
    return paths.referentie
