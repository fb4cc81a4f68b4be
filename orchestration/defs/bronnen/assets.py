"""One raw asset group per registered source: land its current files in ``raw.*``.

Which files, how to read them and which tables they fill is the source's own business
(``orchestration/bronnen/<bron>/bron.py``); this module only wires that into Dagster.
"""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Definitions,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
    definitions,
    multi_asset,
)

from orchestration import bronnen
from orchestration.bronnen.bron import Bron
from orchestration.inname import parsed
from orchestration.inname.bestanden import write_loaded_files
from orchestration.inname.ledger import accepted_files
from orchestration.resources import Warehouse
from orchestration.warehouse.landing import sync_raw_table
from orchestration.warehouse.source_files import SourceNotLoaded


def _failure(error: SourceNotLoaded) -> Failure:
    return Failure(
        description=error.description,
        metadata={
            key: MetadataValue.json(value) if isinstance(value, list) else value
            for key, value in error.metadata.items()
        },
    )


def raw_assets(bron: Bron) -> AssetsDefinition:
    """The raw tables of ``bron`` as one step: a source is loaded whole or not at all."""

    @multi_asset(
        name=f"{bron.name}_laden",
        specs=[
            AssetSpec(
                ["raw", table.name],
                group_name=bron.name,
                kinds=set(bron.kinds),
                description=table.description,
                deps=[AssetKey(["meta", "aanleveringen"])],
            )
            for table in bron.tables
        ],
    )
    def load(context: AssetExecutionContext, warehouse: Warehouse):
        with warehouse.connect() as conn:
            archived = accepted_files(conn, bron.name)
        try:
            files = parsed.current(bron, warehouse.paths, archived)
        except SourceNotLoaded as error:
            raise _failure(error) from None
        names = MetadataValue.json([path.name for path, _ in files])
        with warehouse.connect() as conn:
            # All of a source's tables change together or not at all (docs/architectuur.md,
            # "Write–audit–publish").
            conn.begin()
            synced = {
                table.name: sync_raw_table(
                    conn,
                    table.name,
                    dict(table.columns),
                    [
                        (copy.sha256, path.name, copy.info["partij"], copy.table(table.name))
                        for path, copy in files
                    ],
                )
                for table in bron.tables
            }
            conn.commit()
        for name, (count, _, _) in synced.items():
            yield MaterializeResult(
                asset_key=["raw", name],
                metadata={"bestanden": names, "rijen": count, "aanleveringen": len(files)},
            )
        total = sum(count for count, _, _ in synced.values())
        _, added, removed = next(iter(synced.values()))
        context.log.info(
            f"{bron.label}: {total} rijen uit {len(files)} bestanden; "
            f"{added} bestanden bijgeladen, {removed} vervallen"
        )

    return load


def loaded_files_asset(raw_keys: list[AssetKey]) -> AssetsDefinition:
    @asset(
        key=["meta", "bestanden"],
        group_name="inname",
        kinds={"duckdb"},
        deps=raw_keys,
        description="Eén rij per bestand dat de raw-tabellen nu bevatten, van elke bron: "
        "organisatie, periode en aanleverdatum uit de geparseerde kopie.",
    )
    def bestanden(warehouse: Warehouse) -> MaterializeResult:
        with warehouse.connect() as conn:
            return MaterializeResult(
                metadata={"bestanden": write_loaded_files(conn, warehouse.paths)}
            )

    return bestanden


@definitions
def raw_per_bron() -> Definitions:
    """One raw-asset group per registered source, read from the registry at load time, and
    the list of the files they hold."""
    raw = [raw_assets(bron) for bron in bronnen.all_sources()]
    return Definitions(assets=[*raw, loaded_files_asset([k for a in raw for k in a.keys])])
