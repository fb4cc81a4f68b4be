"""The intake step: every run first takes what waits in the inboxes.

See docs/architectuur.md, "The flow", and docs/inname.md.
"""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from orchestration.inname.ledger import ACCEPTED
from orchestration.inname.process import process_inbox
from orchestration.resources import Warehouse

# Runs requested for arriving files carry this tag (sensors, `capmon ingest`).
INTAKE_TAG = "capmon/inname"
# A run that rebuilds only what one source's submission changes carries this tag, naming
# that source: it takes only that source's inbox (the sensor of another source starts its
# own run) and publishes only if every mart it did not rebuild is the published one.
PARTIAL_TAG = "capmon/deelverversing"


LEDGER = AssetKey(["meta", "aanleveringen"])
# The registry as a table, written with the ledger: dbt tests every `bron` against it.
REGISTRY = AssetKey(["meta", "bronnen"])


# The specs are made inside the decorator: the defs loader would take a module-level spec
# for an asset of its own.
@multi_asset(
    specs=[
        AssetSpec(
            LEDGER,
            group_name="inname",
            kinds={"duckdb"},
            skippable=True,
            description="Het register van alle aangeleverde bestanden: gecontroleerd, "
            "gearchiveerd of met rapport in quarantaine gezet. Daarna worden de bronnen "
            "opnieuw geladen.",
        ),
        AssetSpec(
            REGISTRY,
            group_name="inname",
            kinds={"duckdb"},
            skippable=True,
            description="De geregistreerde bronnen (orchestration/bronnen), zoals de inname "
            "ze kent.",
        ),
    ]
)
def aanleveringen(context: AssetExecutionContext, warehouse: Warehouse):
    with warehouse.connect() as conn:
        only = context.run.tags.get(PARTIAL_TAG)
        outcomes = process_inbox(conn, warehouse.paths, alleen=[only] if only else None)
    for outcome in outcomes:
        log = context.log.info if outcome.status == ACCEPTED else context.log.warning
        log(f"[{outcome.bron} #{outcome.id} {outcome.status}] {outcome.message}")
    accepted = [o for o in outcomes if o.status == ACCEPTED]
    triggered_by_files = INTAKE_TAG in context.run.tags
    # Nothing new to load, and this run exists only because files arrived: stop here, so
    # that every later step is skipped and the serving DB stays exactly as it was. A full
    # refresh (`capmon run`, the schedule) always goes on, also when every file waiting in
    # the inbox was rejected: the ledger is then a source of the data-quality mart.
    if not accepted and triggered_by_files:
        context.log.info("Geen nieuwe goedgekeurde bestanden; er wordt niets opnieuw gebouwd.")
        return
    yield MaterializeResult(asset_key=REGISTRY)
    yield MaterializeResult(
        asset_key=LEDGER,
        metadata={
            "bestanden": len(outcomes),
            "geaccepteerd": len(accepted),
            "uitkomsten": MetadataValue.json(
                [{"id": o.id, "bestand": o.bestandsnaam, "status": o.status} for o in outcomes]
            ),
        },
    )
