"""Rules that look across cells, rows or sheets of a zorggroep workbook.

Each function implements exactly one rule of ``standard.RULES`` (by its code); the column
rules (types, allowed values, ranges, formats, unique keys) come from the contracts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

import pandas as pd

from orchestration.bronnen.zorggroep.standard import (
    MAX_FTE_PER_PERSON,
    MAX_PATIENTS_PER_GP_FTE,
    RULES,
    Rule,
    dutch_number,
)
from orchestration.paths import REFERENCE_DIR
from orchestration.referentie.read import read_gemeenten
from orchestration.warehouse.contracts import plain_value
from orchestration.warehouse.errors import Problem

PERIOD_IN_NAME = re.compile(r"(\d{4}-Q[1-4])")
MAX_JUMP = 0.30
# 'meta' holds its values in column B ('veld' | 'waarde').
META_LETTER = "B"


@dataclass(frozen=True)
class Workbook:
    """A workbook whose cells all passed their column rules."""

    file: str
    meta: dict
    tables: dict[str, pd.DataFrame]
    # Patients per practice in the previous period of the same zorggroep, if known.
    previous: dict[str, int] | None = None
    today: date | None = None

    @property
    def period_year(self) -> int:
        return int(str(self.meta["periode"])[:4])

    @property
    def period_start(self) -> date:
        quarter = int(str(self.meta["periode"])[-1])
        return date(self.period_year, 3 * quarter - 2, 1)


@cache
def known_gemeenten() -> frozenset[str]:
    return frozenset(read_gemeenten(REFERENCE_DIR)["gemeentecode"])


def _rows(wb: Workbook, rule: Rule, sheet: str, mask: pd.Series, column: str, message: str):
    table = wb.tables[sheet]
    return [
        Problem(
            wb.file,
            rule.code,
            message,
            sheet=sheet,
            row=int(index) + 2,
            column=column,
            value=plain_value(table.at[index, column]),
            severity=rule.severity,
            # The column's letter in the sender's sheet (``conform`` keeps them on the table).
            letter=table.attrs.get("letters", {}).get(column),
        )
        for index in mask[mask.fillna(False).astype(bool)].index
    ]


def aangeleverd_op_toekomst(wb: Workbook, rule: Rule) -> list[Problem]:
    delivered = wb.meta["aangeleverd_op"]
    today = wb.today or date.today()
    if delivered > today or delivered < wb.period_start:
        return [
            Problem(
                wb.file,
                rule.code,
                f"'aangeleverd_op' moet tussen het begin van de periode ({wb.period_start}) "
                f"en vandaag ({today}) liggen",
                sheet="meta",
                column="aangeleverd_op",
                value=str(delivered),
                letter=META_LETTER,
            )
        ]
    return []


def periode_bestandsnaam(wb: Workbook, rule: Rule) -> list[Problem]:
    found = PERIOD_IN_NAME.search(wb.file)
    if found and found.group(1) != wb.meta["periode"]:
        return [
            Problem(
                wb.file,
                rule.code,
                f"de bestandsnaam noemt periode {found.group(1)}, maar op 'meta' staat "
                f"{wb.meta['periode']}; controleer welke periode u aanlevert",
                sheet="meta",
                column="periode",
                value=wb.meta["periode"],
                letter=META_LETTER,
            )
        ]
    return []


def gemeente_bekend(wb: Workbook, rule: Rule) -> list[Problem]:
    codes = wb.tables["praktijken"]["gemeentecode"]
    return _rows(
        wb,
        rule,
        "praktijken",
        ~codes.isin(known_gemeenten()),
        "gemeentecode",
        "deze gemeentecode bestaat niet in de CBS-gemeentelijst 2025",
    )


def _not_above(column: str, limit: str) -> Callable[[Workbook, Rule], list[Problem]]:
    def check(wb: Workbook, rule: Rule) -> list[Problem]:
        table = wb.tables["praktijken"]
        return _rows(
            wb,
            rule,
            "praktijken",
            table[column] > table[limit],
            column,
            f"'{column}' is groter dan '{limit}' ({limit} kan niet kleiner zijn)",
        )

    return check


def praktijk_bestaat(wb: Workbook, rule: Rule) -> list[Problem]:
    known = set(wb.tables["praktijken"]["praktijk_agb"])
    problems = []
    for sheet in ("huisartsen", "personeel", "vacatures"):
        orphans = ~wb.tables[sheet]["praktijk_agb"].isin(known)
        problems += _rows(
            wb,
            rule,
            sheet,
            orphans,
            "praktijk_agb",
            "deze praktijk staat niet op het tabblad 'praktijken' van deze werkmap",
        )
    return problems


def fte_per_persoon(wb: Workbook, rule: Rule) -> list[Problem]:
    table = wb.tables["huisartsen"]
    total = table.groupby("persoon_id")["fte"].transform("sum")
    return _rows(
        wb,
        rule,
        "huisartsen",
        total > MAX_FTE_PER_PERSON,
        "fte",
        "deze huisarts werkt in alle praktijken samen meer dan 1,5 fte",
    )


def patienten_per_fte(wb: Workbook, rule: Rule) -> list[Problem]:
    practices = wb.tables["praktijken"]
    gps = wb.tables["huisartsen"]
    if gps.empty:  # said once, by 'leeg_tabblad', not again for every practice
        return []
    gp_fte = gps.groupby("praktijk_agb")["fte"].sum()
    fte = practices["praktijk_agb"].map(gp_fte).astype("Float64").fillna(0.0)
    patients = practices["ingeschreven_patienten"].astype("Float64")
    # No GP fte at all counts as too many patients per fte: someone treats these patients.
    too_many = patients > MAX_PATIENTS_PER_GP_FTE * fte
    # A practice with a GP whose fte failed its cell rule is not judged on a wrong total.
    unsure = set(gps.loc[~gps["fte"].between(0, MAX_FTE_PER_PERSON), "praktijk_agb"])
    too_many &= ~practices["praktijk_agb"].isin(unsure)
    return _rows(
        wb,
        rule,
        "praktijken",
        too_many.fillna(False),
        "ingeschreven_patienten",
        f"meer dan {dutch_number(MAX_PATIENTS_PER_GP_FTE)} ingeschreven patiënten per fte huisarts "
        "(samen op het tabblad 'huisartsen'); ontbreken er huisartsen of klopt het aantal "
        "patiënten niet?",
    )


def geboortejaar_leeftijd(wb: Workbook, rule: Rule) -> list[Problem]:
    age = wb.period_year - wb.tables["huisartsen"]["geboortejaar"]
    return _rows(
        wb,
        rule,
        "huisartsen",
        (age < 25) | (age > 80),
        "geboortejaar",
        f"met dit geboortejaar is de huisarts in {wb.period_year} jonger dan 25 of ouder "
        "dan 80; controleer het jaar",
    )


def stopjaar_verleden(wb: Workbook, rule: Rule) -> list[Problem]:
    stop = wb.tables["huisartsen"]["verwacht_stopjaar"]
    return _rows(
        wb,
        rule,
        "huisartsen",
        stop < wb.period_year,
        "verwacht_stopjaar",
        f"het verwachte stopjaar ligt vóór {wb.period_year}, het jaar van de periode",
    )


def open_sinds_toekomst(wb: Workbook, rule: Rule) -> list[Problem]:
    limit = min(wb.meta["aangeleverd_op"], wb.today or date.today())
    opened = wb.tables["vacatures"]["open_sinds"]
    return _rows(
        wb,
        rule,
        "vacatures",
        opened.map(lambda d: d is not None and d > limit),
        "open_sinds",
        f"een vacature kan niet na de aanleverdatum ({limit}) zijn opengesteld",
    )


def fte_per_persoon_personeel(wb: Workbook, rule: Rule) -> list[Problem]:
    table = wb.tables["personeel"]
    return _rows(
        wb,
        rule,
        "personeel",
        table["fte"] > MAX_FTE_PER_PERSON * table["aantal_personen"],
        "fte",
        "meer dan 1,5 fte per persoon in deze functie",
    )


def patienten_sprong(wb: Workbook, rule: Rule) -> list[Problem]:
    if not wb.previous:
        return []
    table = wb.tables["praktijken"]
    before = table["praktijk_agb"].map(wb.previous).astype("Float64")
    now = table["ingeschreven_patienten"].astype("Float64")
    jump = (now - before).abs() > MAX_JUMP * before
    return _rows(
        wb,
        rule,
        "praktijken",
        jump.fillna(False),
        "ingeschreven_patienten",
        "het aantal ingeschreven patiënten is meer dan 30 % veranderd sinds de vorige "
        "aanlevering; klopt dit?",
    )


CHECKS: dict[str, Callable[[Workbook, Rule], list[Problem]]] = {
    "aangeleverd_op_toekomst": aangeleverd_op_toekomst,
    "periode_bestandsnaam": periode_bestandsnaam,
    "gemeente_bekend": gemeente_bekend,
    "patienten_65plus_max": _not_above("patienten_65plus", "ingeschreven_patienten"),
    "patienten_75plus_max": _not_above("patienten_75plus", "patienten_65plus"),
    "praktijk_bestaat": praktijk_bestaat,
    "fte_per_persoon": fte_per_persoon,
    "patienten_per_fte": patienten_per_fte,
    "geboortejaar_leeftijd": geboortejaar_leeftijd,
    "stopjaar_verleden": stopjaar_verleden,
    "open_sinds_toekomst": open_sinds_toekomst,
    "fte_per_persoon_personeel": fte_per_persoon_personeel,
    "patienten_sprong": patienten_sprong,
}
# The version rule is applied while reading 'meta' (it decides whether to read on at all).
_READ_TIME = {"template_versie"}
_missing = {r.code for r in RULES} - set(CHECKS) - _READ_TIME
if _missing or set(CHECKS) - {r.code for r in RULES}:
    raise RuntimeError(f"standard.RULES and rules.CHECKS disagree: {_missing}")


def cross_sheet_problems(wb: Workbook) -> list[Problem]:
    problems: list[Problem] = []
    for rule in RULES:
        if rule.code in CHECKS:
            problems += CHECKS[rule.code](wb, rule)
    return problems
