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
    definitions,
    multi_asset,
)

from orchestration import bronnen
from orchestration.bronnen.bron import Bron
from orchestration.inname.ledger import accepted_files
from orchestration.resources import Warehouse
from orchestration.warehouse.landing import replace_raw_table
from orchestration.warehouse.source_files import SourceNotLoaded, read_current_files


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
            files = read_current_files(
                warehouse.paths.source_dir(bron.name),
                bron.pattern,
                archived,
                bron.read,
                bron.label,
                bron.identify,
            )
        except SourceNotLoaded as error:
            raise _failure(error) from None
        frames = bron.to_raw(files, warehouse.paths)
        names = MetadataValue.json([f.lineage.name for f in files])
        total = 0
        with warehouse.connect() as conn:
            for table in bron.tables:
                count = replace_raw_table(conn, table.name, table.columns, frames[table.name])
                total += count
                yield MaterializeResult(
                    asset_key=["raw", table.name],
                    metadata={"bestanden": names, "rijen": count, "aanleveringen": len(files)},
                )
        context.log.info(f"{bron.label}: {total} rijen uit {len(files)} bestanden geladen")

    return load


@definitions
def raw_per_bron() -> Definitions:
    """One raw-asset group per registered source, read from the registry at load time."""
    return Definitions(assets=[raw_assets(bron) for bron in bronnen.all_sources()])
