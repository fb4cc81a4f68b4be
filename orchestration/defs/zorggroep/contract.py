"""The national exchange template for zorggroep submissions, version 1.0 (DESIGN §3)."""

from orchestration.defs.codes import (
    BEROEPEN,
    GEMEENTECODE_PATTERN,
    GEMEENTECODE_WORDS,
    GESLACHTEN,
    ONDERSTEUNENDE_FUNCTIES,
)
from orchestration.warehouse.contracts import Column, TableContract

TEMPLATE_VERSIONS = ("1.0",)

AGB = Column(
    "praktijk_agb",
    pattern=r"\d{8}",
    pattern_words="een AGB-code van precies 8 cijfers",
)

META = TableContract(
    name="meta",
    columns=(
        Column("zorggroep_code"),
        Column("zorggroep_naam"),
        Column("periode", pattern=r"\d{4}-Q[1-4]", pattern_words="jaar en kwartaal, bijv. 2025-Q4"),
        Column("template_versie", allowed=TEMPLATE_VERSIONS),
        Column("aangeleverd_op", "date"),
    ),
)

SHEETS: dict[str, TableContract] = {
    "praktijken": TableContract(
        name="praktijken",
        columns=(
            AGB,
            Column("praktijknaam"),
            Column(
                "postcode", pattern=r"\d{4} ?[A-Z]{2}", pattern_words="een postcode als 1234 AB"
            ),
            Column("gemeentecode", pattern=GEMEENTECODE_PATTERN, pattern_words=GEMEENTECODE_WORDS),
            Column("ingeschreven_patienten", "integer", minimum=0),
            Column("patienten_65plus", "integer", minimum=0),
            Column("patienten_75plus", "integer", minimum=0),
            Column("patientenstop", allowed=("geen", "gedeeltelijk", "volledig")),
            Column("praktijkvorm", allowed=("solo", "duo", "groep", "gezondheidscentrum")),
        ),
        key=("praktijk_agb",),
    ),
    "huisartsen": TableContract(
        name="huisartsen",
        columns=(
            Column("persoon_id"),
            AGB,
            Column("rol", allowed=("praktijkhouder", "hidha", "vaste_waarnemer")),
            Column("geslacht", allowed=GESLACHTEN),
            Column("geboortejaar", "integer", minimum=1930, maximum=2005),
            Column("fte", "decimal", minimum=0, maximum=1.5),
            Column("verwacht_stopjaar", "integer", required=False, minimum=2000, maximum=2080),
            Column("opvolging", allowed=("geregeld", "gezocht", "onbekend", "nvt")),
        ),
        key=("persoon_id", "praktijk_agb"),
    ),
    "personeel": TableContract(
        name="personeel",
        columns=(
            AGB,
            Column("functie", allowed=ONDERSTEUNENDE_FUNCTIES),
            Column("aantal_personen", "integer", minimum=0),
            Column("fte", "decimal", minimum=0),
        ),
        key=("praktijk_agb", "functie"),
    ),
    "vacatures": TableContract(
        name="vacatures",
        columns=(
            AGB,
            Column("functie", allowed=BEROEPEN),
            Column("fte", "decimal", minimum=0, maximum=1.5),
            Column("open_sinds", "date"),
            Column("status", allowed=("open", "vervuld", "ingetrokken")),
        ),
    ),
}
