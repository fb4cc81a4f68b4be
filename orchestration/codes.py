"""Code lists shared by every source (docs/architectuur.md, "Sources, contracts and code lists").

The lists themselves are written once, in the var ``capmon_codes`` of
``dbt_project/dbt_project.yml``, where the dbt macros and tests read them too.
"""

import yaml

from orchestration.paths import DBT_PROJECT_DIR

_CODES = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["capmon_codes"]

GEMEENTECODE_PATTERN = r"GM\d{4}"
GEMEENTECODE_WORDS = "GM gevolgd door 4 cijfers, bijvoorbeeld GM0363"
BEROEPEN: tuple[str, ...] = tuple(_CODES["beroepen"])
ONDERSTEUNENDE_FUNCTIES = BEROEPEN[1:]
HUISARTS_POSITIES: tuple[str, ...] = tuple(_CODES["huisarts_posities"])
GESLACHTEN: tuple[str, ...] = tuple(_CODES["geslachten"])
LEEFTIJDSKLASSEN: tuple[str, ...] = tuple(k["label"] for k in _CODES["leeftijdsklassen"])
