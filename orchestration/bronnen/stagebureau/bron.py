"""The internship bureaus' exports as a source: JSON lines per bureau per school year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orchestration.bronnen.bron import Bron, Checked, RawTable, check_with_reader
from orchestration.bronnen.stagebureau.contract import STAGEBUREAU_STAGES
from orchestration.bronnen.stagebureau.read import read_stagebureau_jsonl
from orchestration.bronnen.stagebureau.voorbeeld import write_stagebureau
from orchestration.warehouse.landing import with_lineage_many


def identify(rows: pd.DataFrame) -> tuple[str, str]:
    return "+".join(sorted(rows["bureau_code"].unique())), "+".join(
        sorted(rows["schooljaar"].unique())
    )


def describe(rows: pd.DataFrame) -> dict:
    """Several bureaus in one export are named as the ledger names them, joined by '+'."""
    bureaus = rows[["bureau_code", "bureau_naam"]].drop_duplicates().sort_values("bureau_code")
    return {"organisatie_naam": " + ".join(bureaus["bureau_naam"].astype(str))}


def peiljaar(periode: str | None) -> int | None:
    """A school year '2023-2024' counts for its second year, as in stg_stagebureau__stages;
    an export of several school years ('+') names no single peiljaar."""
    if periode and len(periode) == 9 and periode[5:].isdigit():
        return int(periode[5:])
    return None


def check_stagebureau(path: Path, engine: str = "gx", schaal: float = 1.0, **_) -> Checked:
    return check_with_reader(
        path, ".jsonl", lambda p: read_stagebureau_jsonl(p, engine=engine, schaal=schaal), identify
    )


def to_raw(files, paths) -> dict[str, pd.DataFrame]:
    # The lineage row is the line in the file, which the reader kept in ``_regel``.
    rows = with_lineage_many(
        [(f.content.drop(columns="_regel"), f.lineage, f.content["_regel"]) for f in files]
    )
    return {"stagebureau_stages": rows}


STAGEBUREAU = Bron(
    name="stagebureau",
    label="Stagebureau",
    suffix=".jsonl",
    check=check_stagebureau,
    read=read_stagebureau_jsonl,
    identify=identify,
    describe=describe,
    peiljaar=peiljaar,
    tables=(
        RawTable(
            "stagebureau_stages",
            STAGEBUREAU_STAGES.duckdb_schema(),
            "Stageplaatsen per stagebureau, schooljaar, periode, opleiding, "
            "onderwijsinstelling en gemeente: aangevraagd, aangeboden, geplaatst, wachtlijst.",
        ),
    ),
    to_raw=to_raw,
    write_sample=lambda sample, out_dir: write_stagebureau(sample.world, sample.targets, out_dir),
    scaled_maximums=True,
    kinds=frozenset({"json", "duckdb"}),
)
