"""The internship-bureau export: JSON lines per bureau per school year.

See docs/architectuur.md, "Sources, contracts and code lists".
"""

from orchestration.codes import BEROEPEN, GEMEENTECODE_PATTERN, GEMEENTECODE_WORDS
from orchestration.warehouse.contracts import Column, TableContract

STAGEBUREAU_STAGES = TableContract(
    name="stagebureau_stages",
    columns=(
        Column("bureau_code"),
        Column("bureau_naam"),
        Column(
            "schooljaar",
            pattern=r"(\d{4})-(\d{4})",
            pattern_words="twee opeenvolgende jaren, bijvoorbeeld 2024-2025",
        ),
        Column("periode", "integer", minimum=1, maximum=4),
        Column("opleiding", allowed=BEROEPEN),
        Column("onderwijsinstelling"),
        Column("gemeentecode", pattern=GEMEENTECODE_PATTERN, pattern_words=GEMEENTECODE_WORDS),
        Column("aangevraagd", "integer", minimum=0),
        Column("aangeboden", "integer", minimum=0),
        Column("geplaatst", "integer", minimum=0),
        Column("wachtlijst", "integer", minimum=0),
    ),
    key=(
        "bureau_code",
        "schooljaar",
        "periode",
        "opleiding",
        "onderwijsinstelling",
        "gemeentecode",
    ),
)
