"""Code lists shared by every source (docs/architectuur.md, "Sources, contracts and code lists")."""

GEMEENTECODE_PATTERN = r"GM\d{4}"
GEMEENTECODE_WORDS = "GM gevolgd door 4 cijfers, bijvoorbeeld GM0363"
BEROEPEN = (
    "huisarts",
    "doktersassistent",
    "poh_somatiek",
    "poh_ggz",
    "verpleegkundig_specialist",
    "physician_assistant",
)
ONDERSTEUNENDE_FUNCTIES = BEROEPEN[1:]
HUISARTS_POSITIES = ("praktijkhouder", "hidha", "waarnemer")
GESLACHTEN = ("man", "vrouw")
LEEFTIJDSKLASSEN = ("<35", "35-44", "45-54", "55-59", "60-64", "65+")
