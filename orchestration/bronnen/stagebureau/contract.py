"""The internship-bureau export: JSON lines per bureau per school year.

See docs/architectuur.md, "Sources, contracts and code lists".
"""

import functools

from orchestration.bronnen.schaal import scaled_words
from orchestration.bronnen.zorggroep.standard import dutch_number
from orchestration.codes import BEROEPEN, GEMEENTECODE_PATTERN, GEMEENTECODE_WORDS
from orchestration.warehouse.contracts import Column, TableContract

# Plausibility maximum for every count of one row (one bureau, schooljaar, periode,
# opleiding, onderwijsinstelling and gemeente; docs/inname.md, "Grenzen van
# aannemelijkheid"). The whole national intake of GP trainees is some 850 a year; the sample
# world's largest count in a row is 126.
MAX_STUDENTEN = 2_000
MAX_STUDENTEN_WHY = (
    "meer dan 2.000 studenten in één periode, opleiding, instelling en gemeente is meer dan "
    "een hele landelijke jaargang; een tikfout of een totaal?"
)


@functools.cache
def stagebureau_stages(schaal: float = 1.0) -> TableContract:
    """The contract; for a synthetic world at ``schaal`` (N x the internships in the same
    gemeenten, orchestration/bronnen/schaal.py) with N x the maximum per row."""
    maximum, why = MAX_STUDENTEN, MAX_STUDENTEN_WHY
    if schaal != 1:
        maximum = round(MAX_STUDENTEN * schaal)
        why = (
            f"meer dan {dutch_number(maximum)} studenten in één periode, opleiding, "
            "instelling en gemeente is meer dan een hele landelijke jaargang, "
            f"{scaled_words(schaal)}; een tikfout of een totaal?"
        )

    def count(name: str) -> Column:
        return Column(name, "integer", minimum=0, maximum=maximum, maximum_why=why)

    return TableContract(
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
            count("aangevraagd"),
            count("aangeboden"),
            count("geplaatst"),
            count("wachtlijst"),
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


STAGEBUREAU_STAGES = stagebureau_stages()
