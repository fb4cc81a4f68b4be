"""Land the vendored reference data: gemeenten, regions, population, boundaries, projection
parameters."""

from __future__ import annotations

from dagster import AssetSpec, MaterializeResult, multi_asset

from orchestration.referentie.geschaald import reference_dir
from orchestration.referentie.read import (
    BEVOLKING_2024_FILE,
    BEVOLKING_NEDERLAND_FILE,
    CAPACITEITSORGAAN_FILE,
    GEMEENTEN_FILE,
    PROVINCIES_FILE,
    WIJKEN_BUURTEN_2023_FILE,
    read_bevolking,
    read_bevolking_leeftijd,
    read_bevolking_nederland,
    read_capaciteitsorgaan_parameters,
    read_gemeentegrenzen,
    read_gemeenten,
    read_provincies,
    synthetic_scale,
)
from orchestration.referentie.wat_als import read_wat_als, wat_als_path
from orchestration.resources import Warehouse
from orchestration.warehouse.landing import replace_raw_table, with_lineage
from orchestration.warehouse.lineage import file_lineage

REFERENCE_TABLES = {
    "ref_gemeenten": (
        read_gemeenten,
        GEMEENTEN_FILE,
        "342 gemeenten met provincie, "
        "GGD-regio, UWV-arbeidsmarktregio en AZW-regio (CBS/PDOK 2025).",
    ),
    "ref_bevolking": (
        read_bevolking,
        BEVOLKING_2024_FILE,
        f"Inwoners en inwoners 65+ per gemeente, 2023 ({WIJKEN_BUURTEN_2023_FILE}) en 2024.",
    ),
    "ref_bevolking_nederland": (
        read_bevolking_nederland,
        BEVOLKING_NEDERLAND_FILE,
        "Inwoners van Nederland op 1 januari per jaar, 2020-2025 (CBS 03759ned).",
    ),
    "ref_provincies": (read_provincies, PROVINCIES_FILE, "Provincies met ISO 3166-2-code."),
    "ref_bevolking_leeftijd": (
        read_bevolking_leeftijd,
        WIJKEN_BUURTEN_2023_FILE,
        "Inwoners en leeftijdsopbouw (afgeronde percentages 0-14, 15-24, 25-44, 45-64, 65+) "
        "per gemeente op 1 januari 2023 (CBS Wijken en Buurten 2023).",
    ),
    "ref_gemeentegrenzen": (
        read_gemeentegrenzen,
        WIJKEN_BUURTEN_2023_FILE,
        "Grens van elke gemeente als GeoJSON-geometrie (WGS84, coördinaten op 4 decimalen) "
        "voor de gemeentekaart (CBS Wijken en Buurten 2023).",
    ),
    "ref_capaciteitsorgaan_parameters": (
        read_capaciteitsorgaan_parameters,
        CAPACITEITSORGAAN_FILE,
        "Parameterwaarden van de ramingen 2010-2025 van het Capaciteitsorgaan "
        "(huisartsgeneeskunde), een rij per variabele per raming.",
    ),
    # Not vendored: the analyst's what-if scenarios (prognose_wat_als.yaml, validated).
    "ref_prognose_wat_als": (
        lambda _folder: read_wat_als(),
        wat_als_path,
        "Wat-als-scenario's van de prognose (prognose_wat_als.yaml), een rij per scenario, "
        "gevalideerd per sleutel.",
    ),
}

# Column types that the name alone does not give (default VARCHAR).
INTEGER_COLUMNS = {
    "jaar",
    "inwoners",
    "inwoners_65plus",
    "raming",
    "volgorde",
    "opleidingsinstroom_vanaf",
    "uittreden_later_jaren",
}
DOUBLE_COLUMNS = {"waarde", "opleidingsinstroom", "fte_factor_wijziging", "onvervulde_vraag"}


def _column_type(column: str) -> str:
    if column in INTEGER_COLUMNS:
        return "INTEGER"
    if column in DOUBLE_COLUMNS or column.endswith("_overlap") or column.startswith("pct_"):
        return "DOUBLE"
    return "VARCHAR"


@multi_asset(
    specs=[
        AssetSpec(
            ["raw", table],
            group_name="referentie",
            kinds={"csv", "duckdb"},
            description=description,
        )
        for table, (_, _, description) in REFERENCE_TABLES.items()
    ],
)
def referentie(context, warehouse: Warehouse):
    # data/reference, or the scaled population a benchmark world brought with it.
    folder = reference_dir(warehouse.paths)
    scaled = synthetic_scale(folder)
    if scaled:
        context.log.warning(f"{scaled['label']} ({folder})")
    with warehouse.connect() as conn:
        for table, (reader, main_file, _) in REFERENCE_TABLES.items():
            rows = reader(folder)
            # A reader that knows the line (or feature) each row came from says so.
            row_numbers = (
                rows.pop("_bronrij").tolist()
                if "_bronrij" in rows.columns
                else range(2, 2 + len(rows))
            )
            source = main_file() if callable(main_file) else folder / main_file
            stamped = with_lineage(rows, file_lineage(source), row_numbers)
            columns = {c: _column_type(c) for c in rows.columns}
            count = replace_raw_table(conn, table, columns, stamped)
            metadata = {"rijen": count}
            if scaled:
                metadata["synthetisch"] = scaled["label"]
            yield MaterializeResult(asset_key=["raw", table], metadata=metadata)
