"""The national exchange standard for zorggroep submissions: template v1.0, defined once.

Everything about the template is derived from this module: the contract the intake holds
a workbook to (``contract.py``), the empty workbook of ``capmon template``
(``template.py``) and the data dictionary ``docs/uitwisselstandaard.md``
(``dictionary.py``). A rule that is not here does not exist; the
cross-sheet rules are listed here by code and implemented once, in
``rules.py``, which refuses to start if the two lists disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from orchestration.codes import (
    BEROEPEN,
    GEMEENTECODE_PATTERN,
    GEMEENTECODE_WORDS,
    GESLACHTEN,
    ONDERSTEUNENDE_FUNCTIES,
)
from orchestration.warehouse.contracts import Column, TableContract

VERSION = "1.0"
# A workbook in a version listed here is read; a retired version is refused with a message
# that names the accepted ones, so that a region knows to download the new template.
ACCEPTED_VERSIONS = ("1.0",)
RETIRED_VERSIONS = {"0.9": "proefversie 2024, vervangen door 1.0 (andere kolommen in 'huisartsen')"}
MAX_FILE_BYTES = 50 * 1024 * 1024
# The periods the template offers in its drop-down on 'meta' (the intake reads any period
# of the form JJJJ-Qn; one outside these years means a new template version).
PERIOD_YEARS = range(2020, 2036)
PERIODS = tuple(f"{year}-Q{quarter}" for year in PERIOD_YEARS for quarter in range(1, 5))

# Plausibility maximums (docs/inname.md, "Grenzen van aannemelijkheid"). A value above one is
# nearly always a typing error, a total of the whole zorggroep in one row, or a sheet filled
# in the wrong unit; each bound is set well above what a real practice reaches, so a correct
# submission never meets it. The reason is part of the message the sender reads.
MAX_PATIENTS = 30_000
MAX_PATIENTS_WHY = (
    "de grootste gezondheidscentra hebben zo'n 15.000 patiënten; meer dan 30.000 is "
    "vrijwel zeker een tikfout of het totaal van de zorggroep"
)
MAX_FTE_PER_PERSON = 1.5
MAX_FTE_WHY = (
    "1,0 fte is een volledige werkweek; meer dan anderhalve werkweek in één praktijk is "
    "niet aannemelijk (fte ingevuld als uren?)"
)
MAX_VACANCY_FTE_WHY = (
    "één vacature is hooguit anderhalve werkweek; zet meer vacatures in meer rijen"
)
MAX_STAFF_PER_FUNCTION = 50
MAX_STAFF_WHY = (
    "ook een groot gezondheidscentrum heeft hooguit enkele tientallen medewerkers in één "
    "functie; meer dan 50 is vrijwel zeker een totaal van meer praktijken"
)
MAX_STAFF_FTE = MAX_STAFF_PER_FUNCTION * MAX_FTE_PER_PERSON
MAX_STAFF_FTE_WHY = (
    f"{MAX_STAFF_PER_FUNCTION} personen van elk hooguit 1,5 fte; meer is vrijwel zeker "
    "een aantal uren in plaats van fte"
)
# The normpraktijk is 2,095 registered patients per GP fte (docs/inname.md). Practices
# run largely by non-fixed locums (not on 'huisartsen') legitimately reach several times
# that: the sample world's highest is 6,875. Above 10,000 (nearly 5 x the norm, or no GP
# at all) GPs are missing from 'huisartsen' or the patient count is wrong.
MAX_PATIENTS_PER_GP_FTE = 10_000

Severity = Literal["fout", "waarschuwing"]


def dutch_number(number: int) -> str:
    """5000 -> '5.000', as a Dutch reader writes it."""
    return f"{number:,}".replace(",", ".")


@dataclass(frozen=True)
class Sheet:
    """One tab of the workbook. ``layout='veld_waarde'`` is the two-column meta tab."""

    contract: TableContract
    description: str
    layout: Literal["rijen", "veld_waarde"] = "rijen"

    @property
    def name(self) -> str:
        return self.contract.name


@dataclass(frozen=True)
class Rule:
    """A rule that looks at more than one cell; ``code`` is what a report names."""

    code: str
    severity: Severity
    sheet: str
    description: str


AGB = Column(
    "praktijk_agb",
    pattern=r"\d{8}",
    max_length=8,
    pattern_words="een AGB-code van precies 8 cijfers",
    description="AGB-code van de praktijk (8 cijfers, als tekst zodat voorloopnullen blijven)",
)

META = Sheet(
    TableContract(
        name="meta",
        columns=(
            Column(
                "zorggroep_code",
                max_length=40,
                description="code van de zorggroep of RHO, bijv. ZG001",
            ),
            Column("zorggroep_naam", max_length=200, description="naam van de zorggroep"),
            Column(
                "periode",
                pattern=r"\d{4}-Q[1-4]",
                max_length=7,
                pattern_words="jaar en kwartaal, bijv. 2025-Q4",
                description="de periode waarover geleverd wordt; de stand op de eerste dag",
            ),
            Column(
                "template_versie",
                allowed=ACCEPTED_VERSIONS,
                description="versie van deze standaard waarin de werkmap is ingevuld",
            ),
            Column(
                "aangeleverd_op",
                "date",
                description="datum waarop de zorggroep de werkmap heeft vastgesteld",
            ),
        ),
    ),
    "Wie levert, over welke periode, in welke versie van de standaard. Twee kolommen: "
    "'veld' en 'waarde', één rij per veld.",
    layout="veld_waarde",
)

SHEETS: tuple[Sheet, ...] = (
    META,
    Sheet(
        TableContract(
            name="praktijken",
            columns=(
                AGB,
                Column("praktijknaam", max_length=200, description="naam van de praktijk"),
                Column(
                    "postcode",
                    pattern=r"\d{4} ?[A-Z]{2}",
                    max_length=7,
                    pattern_words="een postcode als 1234 AB",
                    description="postcode van de hoofdvestiging",
                ),
                Column(
                    "gemeentecode",
                    pattern=GEMEENTECODE_PATTERN,
                    pattern_words=GEMEENTECODE_WORDS,
                    max_length=6,
                    description="CBS-gemeentecode van de hoofdvestiging (indeling 2025)",
                ),
                Column(
                    "ingeschreven_patienten",
                    "integer",
                    minimum=0,
                    maximum=MAX_PATIENTS,
                    maximum_why=MAX_PATIENTS_WHY,
                    unit="patiënten",
                    description="op de eerste dag van de periode ingeschreven patiënten",
                ),
                Column(
                    "patienten_65plus",
                    "integer",
                    minimum=0,
                    maximum=MAX_PATIENTS,
                    maximum_why=MAX_PATIENTS_WHY,
                    unit="patiënten",
                    description="waarvan 65 jaar of ouder",
                ),
                Column(
                    "patienten_75plus",
                    "integer",
                    minimum=0,
                    maximum=MAX_PATIENTS,
                    maximum_why=MAX_PATIENTS_WHY,
                    unit="patiënten",
                    description="waarvan 75 jaar of ouder",
                ),
                Column(
                    "patientenstop",
                    allowed=("geen", "gedeeltelijk", "volledig"),
                    description="neemt de praktijk nieuwe patiënten aan?",
                ),
                Column(
                    "praktijkvorm",
                    allowed=("solo", "duo", "groep", "gezondheidscentrum"),
                    description="organisatievorm van de praktijk",
                ),
            ),
            key=("praktijk_agb",),
        ),
        "Eén rij per huisartsenpraktijk van de zorggroep.",
    ),
    Sheet(
        TableContract(
            name="huisartsen",
            columns=(
                Column(
                    "persoon_id",
                    max_length=64,
                    description="pseudoniem van de huisarts, vast binnen de zorggroep; "
                    "geen naam of BIG-nummer. Wordt bij ontvangst opnieuw versleuteld.",
                ),
                AGB,
                Column(
                    "rol",
                    allowed=("praktijkhouder", "hidha", "vaste_waarnemer"),
                    description="praktijkhouder, huisarts in dienst (hidha) of vaste waarnemer",
                ),
                Column("geslacht", allowed=GESLACHTEN, description="geslacht"),
                Column(
                    "geboortejaar",
                    "integer",
                    minimum=1930,
                    maximum=2005,
                    maximum_why="wie later geboren is, kan na zes jaar geneeskunde en "
                    "drie jaar huisartsopleiding nog geen huisarts zijn",
                    unit="jaar",
                    description="geboortejaar (alleen het jaar)",
                ),
                Column(
                    "fte",
                    "decimal",
                    minimum=0,
                    maximum=MAX_FTE_PER_PERSON,
                    maximum_why=MAX_FTE_WHY,
                    unit="fte",
                    description="omvang in deze praktijk; 1,0 = een volledige werkweek",
                ),
                Column(
                    "verwacht_stopjaar",
                    "integer",
                    required=False,
                    minimum=2000,
                    maximum=2080,
                    unit="jaar",
                    description="jaar waarin de huisarts verwacht te stoppen; leeg als onbekend",
                ),
                Column(
                    "opvolging",
                    allowed=("geregeld", "gezocht", "onbekend", "nvt"),
                    description="is er een opvolger? nvt als er geen stop gepland is",
                ),
            ),
            key=("persoon_id", "praktijk_agb"),
        ),
        "Eén rij per huisarts per praktijk (wie in twee praktijken werkt, staat er twee keer).",
    ),
    Sheet(
        TableContract(
            name="personeel",
            columns=(
                AGB,
                Column(
                    "functie",
                    allowed=ONDERSTEUNENDE_FUNCTIES,
                    description="functie van het praktijkpersoneel",
                ),
                Column(
                    "aantal_personen",
                    "integer",
                    minimum=0,
                    maximum=MAX_STAFF_PER_FUNCTION,
                    maximum_why=MAX_STAFF_WHY,
                    unit="personen",
                    description="aantal personen in deze functie",
                ),
                Column(
                    "fte",
                    "decimal",
                    minimum=0,
                    maximum=MAX_STAFF_FTE,
                    maximum_why=MAX_STAFF_FTE_WHY,
                    unit="fte",
                    description="samen, in fte",
                ),
            ),
            key=("praktijk_agb", "functie"),
        ),
        "Eén rij per praktijk per functie van het ondersteunend personeel.",
    ),
    Sheet(
        TableContract(
            name="vacatures",
            columns=(
                AGB,
                Column("functie", allowed=BEROEPEN, description="functie van de vacature"),
                Column(
                    "fte",
                    "decimal",
                    minimum=0,
                    maximum=MAX_FTE_PER_PERSON,
                    maximum_why=MAX_VACANCY_FTE_WHY,
                    unit="fte",
                    description="omvang van de vacature",
                ),
                Column(
                    "open_sinds",
                    "date",
                    description="datum waarop de vacature is opengesteld",
                ),
                Column(
                    "status",
                    allowed=("open", "vervuld", "ingetrokken"),
                    description="stand op de eerste dag van de periode",
                ),
            ),
        ),
        "Eén rij per vacature (ook vervulde en ingetrokken vacatures van de periode).",
    ),
)

RULES: tuple[Rule, ...] = (
    Rule(
        "template_versie",
        "fout",
        "meta",
        "De templateversie is een geaccepteerde versie ("
        + ", ".join(ACCEPTED_VERSIONS)
        + "); ingetrokken versies worden geweigerd.",
    ),
    Rule(
        "aangeleverd_op_toekomst",
        "fout",
        "meta",
        "'aangeleverd_op' ligt niet in de toekomst en niet vóór het begin van de periode.",
    ),
    Rule(
        "periode_bestandsnaam",
        "fout",
        "meta",
        "Staat er een periode (JJJJ-Qn) in de bestandsnaam, dan is dat de periode uit 'meta'.",
    ),
    Rule(
        "gemeente_bekend",
        "fout",
        "praktijken",
        "De gemeentecode staat in de CBS-gemeentelijst 2025 (342 gemeenten).",
    ),
    Rule(
        "patienten_65plus_max",
        "fout",
        "praktijken",
        "'patienten_65plus' is niet groter dan 'ingeschreven_patienten'.",
    ),
    Rule(
        "patienten_75plus_max",
        "fout",
        "praktijken",
        "'patienten_75plus' is niet groter dan 'patienten_65plus'.",
    ),
    Rule(
        "praktijk_bestaat",
        "fout",
        "huisartsen, personeel, vacatures",
        "Elke praktijk_agb staat ook op het tabblad 'praktijken' van dezelfde werkmap.",
    ),
    Rule(
        "fte_per_persoon",
        "fout",
        "huisartsen",
        "Eén huisarts werkt samen, over alle praktijken, niet meer dan 1,5 fte.",
    ),
    Rule(
        "patienten_per_fte",
        "fout",
        "praktijken",
        f"Een praktijk heeft niet meer dan {dutch_number(MAX_PATIENTS_PER_GP_FTE)} "
        "ingeschreven patiënten per fte huisarts op het tabblad 'huisartsen' (bijna vijf keer "
        "de normpraktijk van 2.095; daarboven ontbreken huisartsen, ook vaste waarnemers "
        "horen erop, of klopt het aantal patiënten niet).",
    ),
    Rule(
        "geboortejaar_leeftijd",
        "fout",
        "huisartsen",
        "De huisarts is in het jaar van de periode tussen 25 en 80 jaar oud.",
    ),
    Rule(
        "stopjaar_verleden",
        "fout",
        "huisartsen",
        "'verwacht_stopjaar' ligt niet vóór het jaar van de periode.",
    ),
    Rule(
        "open_sinds_toekomst",
        "fout",
        "vacatures",
        "'open_sinds' ligt niet na 'aangeleverd_op' (en niet in de toekomst).",
    ),
    Rule(
        "fte_per_persoon_personeel",
        "fout",
        "personeel",
        "De fte van een functie is niet meer dan 1,5 fte per persoon.",
    ),
    Rule(
        "patienten_sprong",
        "waarschuwing",
        "praktijken",
        "Het aantal ingeschreven patiënten van een praktijk verschilt niet meer dan 30 % van "
        "de vorige aanlevering van dezelfde zorggroep (waarschuwing: wordt wel geladen).",
    ),
)


def sheet(name: str) -> Sheet:
    return next(s for s in SHEETS if s.name == name)
