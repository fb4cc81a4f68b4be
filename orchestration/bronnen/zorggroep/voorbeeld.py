"""Write zorggroep workbooks (exchange template v1.0) from the synthetic world.

Each zorggroep covers whole gemeenten inside one AZW region (larger regions have several
zorggroepen) and submits one workbook per peiljaar, periode ``YYYY-Q1``: the situation on
1 January, the Nivel peildatum, delivered in the spring. Roles: a Nivel praktijkhouder is
rol ``praktijkhouder``; a Nivel hidha is rol ``hidha`` (in dienst) or ``vaste_waarnemer``;
wisselende waarnemers are not reported by practices.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from orchestration.bronnen.zorggroep import xlsx_write
from orchestration.bronnen.zorggroep.contract import SHEETS
from orchestration.synthetic.world import GESLACHTEN, HIDHA, PRAKTIJKHOUDER, World, Year

TEMPLATE_VERSIE = "1.0"
PEOPLE_PER_ZORGGROEP = 240_000
FIXED_TIMESTAMP = datetime(2025, 1, 1)
MODIFIED_ELEMENT = re.compile(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
FIXED_MODIFIED_TEXT = "2025-01-01T00:00:00Z"
FIXED_MODIFIED = rf"\g<1>{FIXED_MODIFIED_TEXT}\g<2>"
CREATOR = "capmon synthetische bronnen"
SURNAMES = (
    "De Jong", "Jansen", "De Vries", "Van den Berg", "Bakker", "Visser", "Smit", "Meijer",
    "De Boer", "Mulder", "De Groot", "Bos", "Vos", "Peters", "Hendriks", "Van Leeuwen",
    "Dekker", "Brouwer", "De Wit", "Dijkstra", "Smits", "De Graaf", "Van der Meer", "Kok",
    "Jacobs", "De Haan", "Vermeulen", "Van Dijk", "Schouten", "Willems", "Hoekstra", "Koster",
)  # fmt: skip
# First two postcode digits per provincie: a plausible range, not the real postcode map.
POSTCODE_RANGES = {
    "PV20": (93, 99), "PV21": (84, 92), "PV22": (77, 79), "PV23": (74, 81), "PV24": (82, 83),
    "PV25": (65, 73), "PV26": (34, 39), "PV27": (10, 21), "PV28": (22, 33), "PV29": (43, 45),
    "PV30": (46, 57), "PV31": (58, 64),
}  # fmt: skip
VACANCY_FUNCTIONS = (
    ("huisarts", 0.3), ("doktersassistent", 0.4), ("poh_somatiek", 0.12), ("poh_ggz", 0.12),
    ("verpleegkundig_specialist", 0.03), ("physician_assistant", 0.03),
)  # fmt: skip

SORT_KEYS = {
    "praktijken": ["praktijk_agb"],
    "huisartsen": ["praktijk_agb", "persoon_id"],
    "personeel": ["praktijk_agb", "functie"],
    "vacatures": ["praktijk_agb", "functie", "open_sinds"],
}


@dataclass(frozen=True)
class Zorggroep:
    code: str
    naam: str
    gemeenten: np.ndarray  # gemeente indices


def zorggroepen(gemeenten: pd.DataFrame) -> list[Zorggroep]:
    """Split every AZW region into zorggroepen of similar population, whole gemeenten each."""
    groups = []
    for region, members in gemeenten.groupby("regio_code", sort=True):
        population = members["inwoners_2024"].to_numpy()
        k = min(len(members), max(1, int(round(population.sum() / PEOPLE_PER_ZORGGROEP))))
        order = np.argsort(-population, kind="stable")
        totals = np.zeros(k)
        assigned: list[list[int]] = [[] for _ in range(k)]
        for index in order:
            target = int(np.argmin(totals))
            assigned[target].append(members.index[index])
            totals[target] += population[index]
        for members_of_group in assigned:
            groups.append((region, np.array(sorted(members_of_group))))
    result = []
    for number, (_, members) in enumerate(groups, start=1):
        largest = members[np.argmax(gemeenten.loc[members, "inwoners_2024"].to_numpy())]
        naam = f"Zorggroep {gemeenten.at[largest, 'gemeentenaam']} e.o."
        result.append(Zorggroep(f"ZG{number:03d}", naam, members))
    return result


def practice_details(world: World) -> pd.DataFrame:
    """Stable name and postcode per practice."""
    rng = np.random.default_rng([world.seed, 1])
    practices = world.practices
    n = practices.gemeente.size
    provincie = world.gemeenten["provincie_code"].to_numpy()[practices.gemeente]
    low = np.array([POSTCODE_RANGES[p][0] for p in provincie])
    high = np.array([POSTCODE_RANGES[p][1] for p in provincie])
    # A gemeente keeps one postcode area so that its practices look like neighbours.
    area = np.random.default_rng([world.seed, 2]).random(len(world.gemeenten))
    first = (low + np.floor(area[practices.gemeente] * (high - low + 1))).astype(int)
    digits = first * 100 + rng.integers(0, 100, n)
    letters = rng.integers(0, 26, (n, 2))
    postcode = [
        f"{d:04d} {chr(65 + a)}{chr(65 + b)}" for d, (a, b) in zip(digits, letters, strict=True)
    ]
    gemeentenaam = world.gemeenten["gemeentenaam"].to_numpy()[practices.gemeente]
    surname = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
    naam = np.where(
        practices.gezondheidscentrum,
        np.char.add("Gezondheidscentrum ", gemeentenaam.astype(str)),
        np.char.add("Huisartsenpraktijk ", surname.astype(str)),
    )
    return pd.DataFrame({"praktijknaam": naam, "postcode": postcode})


def _opvolging_and_stop(world, year: Year, stressed, rng) -> tuple[list, list]:
    age = year.year - world.birth_year[year.persons]
    holder = year.position == PRAKTIJKHOUDER
    u = rng.random(age.size)
    opvolging = np.where(
        holder & (age >= 60),
        np.where(
            stressed,
            np.where(u < 0.5, "gezocht", "onbekend"),
            np.select([u < 0.5, u < 0.8], ["geregeld", "gezocht"], "onbekend"),
        ),
        np.where(holder & (age >= 55), np.where(u < 0.3, "geregeld", "nvt"), "nvt"),
    )
    planned = np.maximum(year.year, world.birth_year[year.persons] + 67)
    planned = np.where(age >= 60, year.year + rng.integers(0, 4, age.size), planned)
    planned = np.where(
        stressed & holder & (age >= 60), year.year + rng.integers(0, 2, age.size), planned
    )
    known = (age >= 55) & (rng.random(age.size) < 0.75) | (rng.random(age.size) < 0.15)
    stop = [int(p) if k else None for p, k in zip(np.minimum(planned, 2080), known, strict=True)]
    return list(opvolging), stop


def submission_tables(world: World, year: Year, details: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """All practices of one peiljaar with their sheets' rows (split per zorggroep later)."""
    rng = np.random.default_rng([world.seed, 3, year.year])
    practices = world.practices
    stressed_gemeenten = set(world.stressed.tolist())
    gemeente = practices.gemeente[year.practices]
    stressed = np.isin(gemeente, world.stressed)
    agb = np.array(practices.agb)

    bound = year.position != 2
    practice_of = year.practice[bound]
    gp_fte = np.bincount(
        np.searchsorted(year.practices, practice_of), year.fte[bound], year.practices.size
    )
    gp_count = np.bincount(np.searchsorted(year.practices, practice_of), None, year.practices.size)
    load = year.patients / np.maximum(gp_fte, 0.1)
    u = rng.random(year.practices.size)
    stop = np.select(
        [stressed & (load > 2700) & (u < 0.35), stressed & (load > 2500) & (u < 0.85),
         (load > 2600) & (u < 0.4), u < 0.015],
        ["volledig", "gedeeltelijk", "gedeeltelijk", "gedeeltelijk"],
        "geen",
    )  # fmt: skip
    vorm = np.where(
        practices.gezondheidscentrum[year.practices] & (gp_count >= 3),
        "gezondheidscentrum",
        np.select([gp_count <= 1, gp_count == 2], ["solo", "duo"], "groep"),
    )
    praktijken = pd.DataFrame(
        {
            "praktijk_agb": agb[year.practices],
            "praktijknaam": details["praktijknaam"].to_numpy()[year.practices],
            "postcode": details["postcode"].to_numpy()[year.practices],
            "gemeentecode": world.gemeenten["gemeentecode"].to_numpy()[gemeente],
            "ingeschreven_patienten": year.patients,
            "patienten_65plus": year.patients_65plus,
            "patienten_75plus": year.patients_75plus,
            "patientenstop": stop,
            "praktijkvorm": vorm,
            "_gemeente": gemeente,
        }
    )

    persons = year.persons[bound]
    person_stressed = np.isin(practices.gemeente[practice_of], list(stressed_gemeenten))
    sub = Year(
        year=year.year,
        persons=persons,
        position=year.position[bound],
        practice=practice_of,
        fte=year.fte[bound],
        practices=year.practices,
        patients=year.patients,
        patients_65plus=year.patients_65plus,
        patients_75plus=year.patients_75plus,
        staff=year.staff,
    )
    opvolging, stopjaar = _opvolging_and_stop(world, sub, person_stressed, rng)
    rol = np.where(
        sub.position == PRAKTIJKHOUDER,
        "praktijkhouder",
        np.where(world.vaste_waarnemer[persons], "vaste_waarnemer", "hidha"),
    )
    assert (sub.position <= HIDHA).all()
    huisartsen = pd.DataFrame(
        {
            "persoon_id": np.array(world.persoon_id)[persons],
            "praktijk_agb": agb[practice_of],
            "rol": rol,
            "geslacht": np.array(GESLACHTEN)[world.sex[persons]],
            "geboortejaar": world.birth_year[persons],
            "fte": sub.fte,
            "verwacht_stopjaar": stopjaar,
            "opvolging": opvolging,
            "_gemeente": practices.gemeente[practice_of],
        }
    )

    staff = year.staff
    personeel = (
        staff.groupby(["practice", "functie"], sort=True)
        .agg(aantal_personen=("fte", "size"), fte=("fte", "sum"))
        .reset_index()
    )
    personeel["fte"] = personeel["fte"].round(2)
    personeel.insert(0, "praktijk_agb", agb[personeel["practice"].to_numpy()])
    personeel["_gemeente"] = practices.gemeente[personeel["practice"].to_numpy()]

    return {
        "praktijken": praktijken,
        "huisartsen": huisartsen,
        "personeel": personeel.drop(columns="practice"),
        "vacatures": _vacancies(world, year, stressed, gemeente, agb, rng),
    }


def _vacancies(world, year: Year, stressed, gemeente, agb, rng) -> pd.DataFrame:
    period_end = date(year.year, 3, 31)
    count = rng.poisson(np.where(stressed, 1.6, 0.15))
    owner = np.repeat(np.arange(year.practices.size), count)
    names, weights = zip(*VACANCY_FUNCTIONS, strict=True)
    functie = np.array(names)[rng.choice(len(names), owner.size, p=weights)]
    owner_stressed = stressed[owner]
    status = np.where(
        owner_stressed,
        np.where(rng.random(owner.size) < 0.75, "open", "ingetrokken"),
        np.array(["open", "vervuld", "ingetrokken"])[rng.choice(3, owner.size, p=[0.4, 0.5, 0.1])],
    )
    # Stressed practices cannot fill their posts: open for 7 to 20 months at period end.
    days_open = np.where(
        owner_stressed & (status == "open"),
        rng.integers(215, 610, owner.size),
        rng.integers(0, 300, owner.size),
    )
    open_sinds = [period_end - timedelta(days=int(d)) for d in days_open]
    fte = np.round(np.where(functie == "huisarts", rng.uniform(0.5, 1.0, owner.size),
                            rng.uniform(0.3, 1.0, owner.size)), 1)  # fmt: skip
    frame = pd.DataFrame(
        {
            "praktijk_agb": agb[year.practices[owner]],
            "functie": functie,
            "fte": fte,
            "open_sinds": open_sinds,
            "status": status,
            "_gemeente": gemeente[owner],
        }
    )
    return frame.sort_values(["praktijk_agb", "functie", "open_sinds"], kind="stable")


def _deterministic_xlsx(workbook: Workbook) -> bytes:
    """openpyxl stamps the current time into the zip entries; rewrite them with a fixed one."""
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    workbook.properties.creator = CREATOR
    buffer = io.BytesIO()
    workbook.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # save() overwrites 'modified' with the current time.
                content = MODIFIED_ELEMENT.sub(FIXED_MODIFIED, content.decode()).encode()
            target.writestr(fixed, content)
    return out.getvalue()


def workbook_bytes(meta: dict, tables: dict[str, pd.DataFrame]) -> bytes:
    """One submission as the template lays it out: ``meta`` (veld, waarde), then each sheet's
    contract columns in order, written by the fast writer (``xlsx_write.py``, why there)."""
    sheets = [("meta", ["veld", "waarde"], [list(meta), list(meta.values())])]
    for name, contract in SHEETS.items():
        frame = tables[name]
        sheets.append((name, contract.column_names, [frame[c] for c in contract.column_names]))
    return xlsx_write.workbook_bytes(sheets, creator=CREATOR, modified=FIXED_MODIFIED_TEXT)


def _split(frame: pd.DataFrame, group_of: np.ndarray, name: str, groups: int) -> list:
    """Each zorggroep's rows of one sheet, in the sheet's order (``SORT_KEYS``, ties as they
    came). One sort for all groups: filtering the whole year once per group costs groups x
    rows, which at scale 100 took longer than writing the workbooks."""
    group = group_of[frame["_gemeente"].to_numpy()]
    ordered = frame.assign(_groep=group).sort_values(["_groep", *SORT_KEYS[name]], kind="stable")
    bounds = np.searchsorted(ordered["_groep"].to_numpy(), np.arange(groups + 1))
    ordered = ordered.drop(columns="_groep")
    return [ordered.iloc[bounds[i] : bounds[i + 1]] for i in range(groups)]


def write_zorggroep(world: World, out_dir: Path, progress=None) -> list[Path]:
    folder = out_dir / "zorggroep"
    folder.mkdir(parents=True, exist_ok=True)
    details = practice_details(world)
    groups = zorggroepen(world.gemeenten)
    group_of = np.full(len(world.gemeenten), -1)
    for number, group in enumerate(groups):
        group_of[group.gemeenten] = number
    written = []
    for peiljaar in sorted(world.years):
        tables = submission_tables(world, world.years[peiljaar], details)
        per_group = {
            name: _split(frame, group_of, name, len(groups)) for name, frame in tables.items()
        }
        delivered_rng = np.random.default_rng([world.seed, 4, peiljaar])
        for number, group in enumerate(groups):
            mine = {name: parts[number] for name, parts in per_group.items()}
            if mine["praktijken"].empty:
                continue
            meta = {
                "zorggroep_code": group.code,
                "zorggroep_naam": group.naam,
                "periode": f"{peiljaar}-Q1",
                "template_versie": TEMPLATE_VERSIE,
                "aangeleverd_op": date(peiljaar, 4, 1)
                + timedelta(days=int(delivered_rng.integers(0, 60))),
            }
            path = folder / f"{group.code}_{peiljaar}-Q1.xlsx"
            path.write_bytes(workbook_bytes(meta, mine))
            written.append(path)
        if progress is not None:
            progress.update(1)
    return written
