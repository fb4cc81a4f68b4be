"""Write the Nivel registry extract of the synthetic world: one CSV per peiljaar.

Nivel registers practice-bound GPs and practice staff in the gemeente of their practice and
wisselende waarnemers in their home gemeente. The file follows Dutch Excel conventions, as
the real extract does: ``;`` separator, decimal comma, UTF-8 with a byte-order mark.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orchestration.bronnen.nivel.contract import NIVEL_REGISTRATIE
from orchestration.synthetic.world import World, Year, gp_persons

KEY = ["peiljaar", "gemeentecode", "beroep", "positie", "geslacht", "leeftijdsklasse"]


def registry_rows(world: World, year: Year) -> pd.DataFrame:
    gps = gp_persons(world, year).assign(beroep="huisarts")
    staff = year.staff.assign(
        gemeentecode=world.gemeenten["gemeentecode"].to_numpy()[
            world.practices.gemeente[year.staff["practice"].to_numpy()]
        ],
        beroep=year.staff["functie"],
        positie="nvt",
    )
    columns = ["gemeentecode", "beroep", "positie", "geslacht", "leeftijdsklasse", "fte"]
    rows = pd.concat([gps[columns], staff[columns]], ignore_index=True)
    rows = (
        rows.groupby(columns[:-1], sort=True)
        .agg(aantal_personen=("fte", "size"), fte=("fte", "sum"))
        .reset_index()
    )
    rows.insert(0, "peiljaar", year.year)
    return rows[NIVEL_REGISTRATIE.column_names]


def to_dutch_csv(rows: pd.DataFrame) -> bytes:
    lines = [";".join(NIVEL_REGISTRATIE.column_names)]
    fte = [f"{value:.2f}".replace(".", ",") for value in rows["fte"].to_numpy()]
    for record, value in zip(
        rows[NIVEL_REGISTRATIE.column_names[:-1]].itertuples(index=False), fte, strict=True
    ):
        lines.append(";".join(str(cell) for cell in record) + ";" + value)
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def write_nivel(world: World, out_dir: Path) -> list[Path]:
    folder = out_dir / "nivel"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year in sorted(world.years):
        path = folder / f"nivel_beroepen_{year}.csv"
        path.write_bytes(to_dutch_csv(registry_rows(world, world.years[year])))
        written.append(path)
    return written
