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

NIVEL_REGISTRATIE = TableContract(
    name="nivel_registratie",
    columns=(
        Column("peiljaar", "integer", minimum=2000, maximum=2100),
        Column("gemeentecode", pattern=GEMEENTECODE_PATTERN, pattern_words=GEMEENTECODE_WORDS),
        Column("beroep", allowed=BEROEPEN),
        Column("positie", allowed=(*HUISARTS_POSITIES, "nvt")),
        Column("geslacht", allowed=GESLACHTEN),
        Column("leeftijdsklasse", allowed=LEEFTIJDSKLASSEN),
        Column("aantal_personen", "integer", minimum=0),
        Column("fte", "decimal", minimum=0),
    ),
    key=("peiljaar", "gemeentecode", "beroep", "positie", "geslacht", "leeftijdsklasse"),
)
