"""The Nivel registry extract: one CSV per peiljaar.

See docs/architectuur.md, "Sources, contracts and code lists".
"""

from orchestration.codes import (
    BEROEPEN,
    GEMEENTECODE_PATTERN,
    GEMEENTECODE_WORDS,
    GESLACHTEN,
    HUISARTS_POSITIES,
    LEEFTIJDSKLASSEN,
)
from orchestration.warehouse.contracts import Column, TableContract

# Plausibility maximums per row (one gemeente, beroep, positie, geslacht and leeftijdsklasse;
# docs/inname.md, "Grenzen van aannemelijkheid"). Amsterdam, the largest gemeente, counts
# roughly a thousand GPs in all; the sample world's largest row holds 352 people.
MAX_PERSONEN = 5_000
MAX_PERSONEN_WHY = (
    "meer dan 5.000 personen in één gemeente, beroep, positie, geslacht en leeftijdsklasse "
    "is meer dan alle huisartsen van de grootste gemeente samen; een tikfout of een totaal?"
)
MAX_FTE = MAX_PERSONEN * 1.5
MAX_FTE_WHY = "meer dan 5.000 personen van elk hooguit 1,5 fte; fte ingevuld als uren?"

NIVEL_REGISTRATIE = TableContract(
    name="nivel_registratie",
    columns=(
        Column("peiljaar", "integer", minimum=2000, maximum=2100),
        Column("gemeentecode", pattern=GEMEENTECODE_PATTERN, pattern_words=GEMEENTECODE_WORDS),
        Column("beroep", allowed=BEROEPEN),
        Column("positie", allowed=(*HUISARTS_POSITIES, "nvt")),
        Column("geslacht", allowed=GESLACHTEN),
        Column("leeftijdsklasse", allowed=LEEFTIJDSKLASSEN),
        Column(
            "aantal_personen",
            "integer",
            minimum=0,
            maximum=MAX_PERSONEN,
            maximum_why=MAX_PERSONEN_WHY,
        ),
        Column("fte", "decimal", minimum=0, maximum=MAX_FTE, maximum_why=MAX_FTE_WHY),
    ),
    key=("peiljaar", "gemeentecode", "beroep", "positie", "geslacht", "leeftijdsklasse"),
)
