"""Deterministic synthetic sources for the Capaciteitsmonitor (docs/architectuur.md).

``generate(out_dir, scale, seed)`` builds one synthetic world of practices, GPs and practice
staff for the peiljaren 2020-2025 (``orchestration/synthetic/world.py``), calibrated at
scale 1 to the national facts in data/reference (``calibration.py``), and has every
registered source write its view of it in exactly the format its reader accepts
(``orchestration/bronnen/<bron>/voorbeeld.py``), e.g.:

* ``nivel/nivel_beroepen_<jaar>.csv``,
* ``zorggroep/<code>_<jaar>-Q1.xlsx``,
* ``stagebureau/<bureau>_<schooljaar>.jsonl``.

The same seed and scale give byte-identical files. ``scale`` multiplies practices, persons,
patients and internships for benchmarks; the calibration holds at scale 1. A world at a larger
scale has N x the patients of the real country, so with ``referentie_dir`` (what ``capmon
generate`` does: ``<data>/referentie``) it also writes the reference folder with N x the
real population that the run then lands instead of data/reference
(``orchestration/referentie/geschaald.py``); at scale 1 or below that folder is removed, so the
real CBS figures are used.

With ``inbox_dir`` (what ``capmon generate`` does) a few deliberately flawed zorggroep
corrections also go to ``<inbox_dir>/zorggroep/`` (``zorggroep/afgekeurd.py``), so that the
first run rejects them and the data-quality dashboard has something to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from orchestration import bronnen
from orchestration.referentie.geschaald import LABEL, write_for_scale
from orchestration.synthetic import SampleWorld
from orchestration.synthetic.calibration import PEILJAREN, gemeenten, national_targets
from orchestration.synthetic.world import WAARNEMER, World, build_world, gp_persons

__all__ = ["GenerationSummary", "NationalYear", "generate"]

INBOX_KEY = "inbox (afgekeurd)"


@dataclass(frozen=True)
class NationalYear:
    """National totals of one peiljaar, as the generated sources add up."""

    peiljaar: int
    huisartsen_personen: int
    aandeel_vrouw: float
    fte_per_persoon_vrouw: float
    fte_per_persoon_man: float
    praktijkhouders: int
    hidha: int
    waarnemers: int
    huisartsen_fte: float
    fte_praktijkgebonden: float
    aandeel_fte_60plus: float
    praktijken: int
    ingeschreven_patienten: int

    @property
    def patienten_per_fte(self) -> float:
        return self.ingeschreven_patienten / self.fte_praktijkgebonden


@dataclass(frozen=True)
class StressedGemeente:
    gemeentecode: str
    gemeentenaam: str
    patienten_per_fte: float


@dataclass
class GenerationSummary:
    scale: float
    seed: int
    nationaal: dict[int, NationalYear]
    gestresste_gemeenten: list[StressedGemeente]
    bestanden: dict[str, int] = field(default_factory=dict)
    referentie: Path | None = None  # the scaled population written for this world, if any

    def __str__(self) -> str:
        lines = [
            f"Synthetische bronnen (schaal {self.scale:g}, seed {self.seed}): "
            + ", ".join(
                f"{n} {bron}-bestanden" for bron, n in self.bestanden.items() if bron != INBOX_KEY
            ),
            "peiljaar  huisartsen  % vrouw  fte/vrouw  fte/man  praktijken  patiënten/fte",
        ]
        for year in self.nationaal.values():
            lines.append(
                f"{year.peiljaar}  {year.huisartsen_personen:>10,}  "
                f"{year.aandeel_vrouw * 100:>6.1f}  {year.fte_per_persoon_vrouw:>9.2f}  "
                f"{year.fte_per_persoon_man:>7.2f}  {year.praktijken:>10,}  "
                f"{year.patienten_per_fte:>13,.0f}".replace(",", ".")
            )
        if self.referentie:
            lines.append(
                f"Bevolking: {LABEL.format(schaal=self.scale)}, in {self.referentie} "
                "(de run gebruikt die in plaats van data/reference)."
            )
        if self.bestanden.get(INBOX_KEY):
            lines.append(
                f"{self.bestanden[INBOX_KEY]} zorggroep-aanleveringen met opzettelijke fouten "
                "in de inbox: de eerste run keurt ze af (Datakwaliteit)."
            )
        lines.append(
            "Gemeenten met opzettelijke krapte (oude praktijkhouders, lang openstaande "
            "vacatures, patiëntenstops, wachtlijst stages):"
        )
        for g in self.gestresste_gemeenten:
            lines.append(
                f"  {g.gemeentecode} {g.gemeentenaam}: "
                f"{g.patienten_per_fte:,.0f} patiënten per fte in {max(PEILJAREN)}".replace(
                    ",", "."
                )
            )
        return "\n".join(lines)


def national_year(world: World, peiljaar: int) -> NationalYear:
    year = world.years[peiljaar]
    persons = gp_persons(world, year)
    women = persons["geslacht"] == "vrouw"
    bound = year.position != WAARNEMER
    old = persons["leeftijdsklasse"].isin(["60-64", "65+"])
    return NationalYear(
        peiljaar=peiljaar,
        huisartsen_personen=len(persons),
        aandeel_vrouw=float(women.mean()),
        fte_per_persoon_vrouw=float(persons.loc[women, "fte"].mean()),
        fte_per_persoon_man=float(persons.loc[~women, "fte"].mean()),
        praktijkhouders=int((year.position == 0).sum()),
        hidha=int((year.position == 1).sum()),
        waarnemers=int((year.position == WAARNEMER).sum()),
        huisartsen_fte=float(year.fte.sum()),
        fte_praktijkgebonden=float(year.fte[bound].sum()),
        aandeel_fte_60plus=float(persons.loc[old, "fte"].sum() / persons["fte"].sum()),
        praktijken=int(year.practices.size),
        ingeschreven_patienten=int(year.patients.sum()),
    )


def _stressed(world: World) -> list[StressedGemeente]:
    last = world.years[max(PEILJAREN)]
    gemeente_of_practice = world.practices.gemeente[last.practices]
    bound = last.position != WAARNEMER
    fte_gemeente = np.bincount(
        world.practices.gemeente[last.practice[bound]],
        last.fte[bound],
        len(world.gemeenten),
    )
    patients = np.bincount(gemeente_of_practice, last.patients, len(world.gemeenten))
    return [
        StressedGemeente(
            world.gemeenten.at[g, "gemeentecode"],
            world.gemeenten.at[g, "gemeentenaam"],
            float(patients[g] / fte_gemeente[g]) if fte_gemeente[g] else float("nan"),
        )
        for g in world.stressed
    ]


def generate(
    out_dir: Path,
    scale: float = 1.0,
    seed: int = 2025,
    progress: bool = True,
    inbox_dir: Path | None = None,
    referentie_dir: Path | None = None,
) -> GenerationSummary:
    """Write every registered source's samples under ``out_dir``; return what they add up to.

    With ``inbox_dir``, also drop the flawed submissions a source offers (the zorggroep's)
    there for the intake to reject. With ``referentie_dir``, write the world's population
    there when ``scale`` is above 1, and remove what an earlier scale left there otherwise.
    """
    if scale <= 0:
        raise ValueError("scale moet groter zijn dan 0")
    out_dir = Path(out_dir)
    scaled_reference = None
    if referentie_dir is not None:
        scaled_reference = write_for_scale(Path(referentie_dir), scale, seed=seed)
    sources = bronnen.all_sources()
    # One step for the world, one per source, and one per peiljaar for the sources that
    # write a file per year and say so (the zorggroep workbooks).
    with tqdm(
        total=1 + len(sources) + len(PEILJAREN),
        desc="Voorbeeldbronnen",
        unit="stap",
        disable=not progress,
    ) as bar:
        bar.set_postfix_str("wereld")
        targets = national_targets()
        world = build_world(gemeenten(), targets, scale, seed)
        bar.update(1)
        sample = SampleWorld(world, targets, bar)
        bestanden: dict[str, int] = {}
        flawed: list[Path] = []
        for bron in sources:
            bar.set_postfix_str(bron.name)
            bestanden[bron.name] = len(bron.write_sample(sample, out_dir))
            if inbox_dir and bron.write_flawed_sample:
                flawed += bron.write_flawed_sample(out_dir, Path(inbox_dir))
            bar.update(1)
    if inbox_dir:
        bestanden[INBOX_KEY] = len(flawed)
    return GenerationSummary(
        scale=scale,
        seed=seed,
        nationaal={year: national_year(world, year) for year in PEILJAREN},
        gestresste_gemeenten=_stressed(world),
        bestanden=bestanden,
        referentie=scaled_reference,
    )
