"""Nivel's registry extract as a source: one ``;``-separated CSV per peiljaar."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orchestration.bronnen.bron import Bron, Checked, RawTable, check_with_reader
from orchestration.bronnen.nivel.contract import NIVEL_REGISTRATIE
from orchestration.bronnen.nivel.read import read_nivel_csv
from orchestration.bronnen.nivel.voorbeeld import write_nivel
from orchestration.warehouse.landing import with_lineage_many


def identify(rows: pd.DataFrame) -> tuple[str, str]:
    return "Nivel", str(int(rows["peiljaar"].iloc[0]))


def check_nivel(path: Path, engine: str = "gx", schaal: float = 1.0, **_) -> Checked:
    return check_with_reader(
        path, ".csv", lambda p: read_nivel_csv(p, engine=engine, schaal=schaal), identify
    )


def looks_like_nivel(path: Path) -> bool:
    """A CSV whose header starts with Nivel's first column (another CSV source's does not)."""
    with path.open("rb") as file:
        first = file.readline(4096)
    return first.decode("utf-8-sig", errors="replace").strip().startswith("peiljaar")


def to_raw(files, paths) -> dict[str, pd.DataFrame]:
    # The lineage row is the line in the file (its header is line 1).
    rows = with_lineage_many([(f.content, f.lineage, f.content.index + 2) for f in files])
    return {"nivel_registratie": rows}


NIVEL = Bron(
    name="nivel",
    label="Nivel",
    suffix=".csv",
    check=check_nivel,
    read=read_nivel_csv,
    identify=identify,
    describe=lambda rows: {"organisatie_naam": "Nivel"},
    tables=(
        RawTable(
            "nivel_registratie",
            NIVEL_REGISTRATIE.duckdb_schema(),
            "Nivel-beroepenregistratie: personen en fte per gemeente, beroep, positie, "
            "geslacht en leeftijdsklasse, één CSV per peiljaar.",
        ),
    ),
    to_raw=to_raw,
    write_sample=lambda sample, out_dir: write_nivel(sample.world, out_dir),
    scaled_maximums=True,
    kinds=frozenset({"csv", "duckdb"}),
    looks_like=looks_like_nivel,
)
