"""The Nivel registry extract: one CSV per peiljaar.

See docs/architectuur.md, "Sources, contracts and code lists".
"""

import functools

from orchestration.bronnen.schaal import scaled_words
from orchestration.bronnen.zorggroep.standard import dutch_number
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


@functools.cache
def nivel_registratie(schaal: float = 1.0) -> TableContract:
    """The contract; for a synthetic world at ``schaal`` (N x the GPs in the same gemeenten,
    orchestration/bronnen/schaal.py) with N x the maximums per row, so that they keep the
    same headroom over the world's largest row as the real ones over the real country's."""
    personen, fte = MAX_PERSONEN, MAX_FTE
    personen_why, fte_why = MAX_PERSONEN_WHY, MAX_FTE_WHY
    if schaal != 1:
        personen, fte = round(MAX_PERSONEN * schaal), MAX_FTE * schaal
        words = scaled_words(schaal)
        personen_why = (
            f"meer dan {dutch_number(personen)} personen in één gemeente, beroep, "
            "positie, geslacht en leeftijdsklasse is meer dan alle huisartsen van de grootste "
            f"gemeente samen, {words}; een tikfout of een totaal?"
        )
        fte_why = (
            f"meer dan {dutch_number(personen)} personen van elk hooguit 1,5 fte, "
            f"{words}; fte ingevuld als uren?"
        )
    return TableContract(
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
                maximum=personen,
                maximum_why=personen_why,
            ),
            Column("fte", "decimal", minimum=0, maximum=fte, maximum_why=fte_why),
        ),
        key=("peiljaar", "gemeentecode", "beroep", "positie", "geslacht", "leeftijdsklasse"),
    )


NIVEL_REGISTRATIE = nivel_registratie()
