"""Write internship-bureau exports: one JSON-lines file per bureau (AZW region) per school year.

GP trainees (opleiding ``huisarts``) follow the yearly intake into the GP training of the
Capaciteitsorgaan (``n_inopleiding_perjaar``); other programmes scale with the number of
practices. Places are requested where the practices are. In the regions of the stressed
gemeenten practices offer fewer places than students ask for, so a waiting list builds up.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.codes import BEROEPEN
from orchestration.synthetic.calibration import PEILJAREN, NationalTargets
from orchestration.synthetic.world import World

# Requests per practice per school year for the other programmes (scale 1).
REQUESTS_PER_PRACTICE = {
    "doktersassistent": 0.85,
    "poh_somatiek": 0.16,
    "poh_ggz": 0.11,
    "verpleegkundig_specialist": 0.03,
    "physician_assistant": 0.025,
}
# Share of a school year's requests per periode; most students start after the summer.
PERIODE_SHARES = np.array([0.45, 0.15, 0.3, 0.1])
HUISARTSOPLEIDING = {
    "PV20": "UMCG", "PV21": "UMCG", "PV22": "UMCG", "PV23": "Radboudumc", "PV24": "UMC Utrecht",
    "PV25": "Radboudumc", "PV26": "UMC Utrecht", "PV27": "Amsterdam UMC", "PV28": "Erasmus MC",
    "PV29": "Erasmus MC", "PV30": "Radboudumc", "PV31": "Maastricht UMC+",
}  # fmt: skip
HOGESCHOOL = {
    "PV20": "Hanzehogeschool", "PV21": "NHL Stenden", "PV22": "Hanzehogeschool",
    "PV23": "Saxion", "PV24": "Windesheim", "PV25": "HAN", "PV26": "Hogeschool Utrecht",
    "PV27": "Hogeschool Inholland", "PV28": "Hogeschool Rotterdam", "PV29": "HZ University",
    "PV30": "Fontys Hogescholen", "PV31": "Zuyd Hogeschool",
}  # fmt: skip
MBO = {
    "PV20": "Noorderpoort", "PV21": "Friesland College", "PV22": "Drenthe College",
    "PV23": "ROC van Twente", "PV24": "ROC Flevoland", "PV25": "Rijn IJssel",
    "PV26": "MBO Utrecht", "PV27": "ROC van Amsterdam", "PV28": "Albeda", "PV29": "Scalda",
    "PV30": "ROC Tilburg", "PV31": "Gilde Opleidingen",
}  # fmt: skip
LEIDEN_REGIONS = {"RA0818", "RA1020"}  # the LUMC trains GPs for Rijn Gouwe and Haaglanden


def institution(opleiding: str, provincie: str, regio: str) -> str:
    if opleiding == "huisarts":
        return "LUMC" if regio in LEIDEN_REGIONS else HUISARTSOPLEIDING[provincie]
    if opleiding == "doktersassistent":
        return MBO[provincie]
    return HOGESCHOOL[provincie]


def stage_records(world: World, targets: NationalTargets, peiljaar: int) -> pd.DataFrame:
    rng = np.random.default_rng([world.seed, 5, peiljaar])
    g = world.gemeenten
    year = world.years[peiljaar]
    practices_per_gemeente = np.bincount(world.practices.gemeente[year.practices], minlength=len(g))
    share = practices_per_gemeente / max(practices_per_gemeente.sum(), 1)
    stressed_regions = set(g.loc[world.stressed, "regio_code"])
    region_stressed = g["regio_code"].isin(stressed_regions).to_numpy()
    has_practice = practices_per_gemeente > 0

    # Expected requests per school year at this scale (the practice count is already scaled).
    expected_per_year = {
        "huisarts": targets.instroom_huisartsopleiding[PEILJAREN.index(peiljaar)] * world.scale
    }
    for opleiding, per_practice in REQUESTS_PER_PRACTICE.items():
        expected_per_year[opleiding] = per_practice * practices_per_gemeente.sum()
    frames = []
    for opleiding in BEROEPEN:
        expected = expected_per_year[opleiding]
        for periode, periode_share in enumerate(PERIODE_SHARES, start=1):
            asked = rng.poisson(expected * periode_share * share)
            offer_rate = np.where(
                region_stressed, rng.uniform(0.65, 0.9, len(g)), rng.uniform(0.95, 1.25, len(g))
            )
            offered = np.floor(asked * offer_rate + rng.random(len(g))).astype(int)
            match_rate = rng.uniform(0.85, 1.0, len(g))
            placed = np.floor(np.minimum(asked, offered) * match_rate).astype(int)
            unplaced = asked - placed
            waiting = np.where(
                region_stressed, unplaced, np.floor(unplaced * rng.uniform(0, 0.5, len(g)))
            ).astype(int)
            keep = has_practice & ((asked > 0) | (offered > 0))
            frames.append(
                pd.DataFrame(
                    {
                        "gemeente": np.flatnonzero(keep),
                        "periode": periode,
                        "opleiding": opleiding,
                        "aangevraagd": asked[keep],
                        "aangeboden": offered[keep],
                        "geplaatst": placed[keep],
                        "wachtlijst": waiting[keep],
                    }
                )
            )
    records = pd.concat(frames, ignore_index=True)
    records["gemeentecode"] = g["gemeentecode"].to_numpy()[records["gemeente"]]
    records["regio_code"] = g["regio_code"].to_numpy()[records["gemeente"]]
    records["bureau_naam"] = "Stagebureau " + g["regio_naam"].to_numpy()[records["gemeente"]]
    records["onderwijsinstelling"] = [
        institution(o, p, r)
        for o, p, r in zip(
            records["opleiding"],
            g["provincie_code"].to_numpy()[records["gemeente"]],
            records["regio_code"],
            strict=True,
        )
    ]
    records["bureau_code"] = "SB-" + records["regio_code"]
    records["schooljaar"] = f"{peiljaar - 1}-{peiljaar}"
    return records


FIELDS = [
    "bureau_code", "bureau_naam", "schooljaar", "periode", "opleiding", "onderwijsinstelling",
    "gemeentecode", "aangevraagd", "aangeboden", "geplaatst", "wachtlijst",
]  # fmt: skip


def write_stagebureau(world: World, targets: NationalTargets, out_dir: Path) -> list[Path]:
    folder = out_dir / "stagebureau"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for peiljaar in sorted(world.years):
        records = stage_records(world, targets, peiljaar)
        # Several onderwijsinstellingen can share a gemeente only through different programmes,
        # so (periode, opleiding, instelling, gemeente) stays unique per bureau.
        records = records.sort_values(
            ["bureau_code", "periode", "opleiding", "onderwijsinstelling", "gemeentecode"]
        )
        for bureau, rows in records.groupby("bureau_code", sort=True):
            lines = [
                json.dumps(
                    {k: (int(v) if isinstance(v, np.integer) else v) for k, v in r.items()},
                    ensure_ascii=False,
                )
                for r in rows[FIELDS].to_dict("records")
            ]
            path = folder / f"{bureau}_{peiljaar - 1}-{peiljaar}.jsonl"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            written.append(path)
    return written
