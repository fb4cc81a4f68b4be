"""The source registry: every source the platform takes in, one line each.

The intake, restore-from-archive, the Dagster raw assets and inbox sensors, `capmon` and the
sample generator all loop over ``BRONNEN``; nothing else lists the sources. Adding a source
is a folder next to ``nivel/`` and a line here (docs/architectuur.md, "Adding a source").
"""

from __future__ import annotations

from pathlib import Path

from orchestration.bronnen.bron import Bron
from orchestration.bronnen.nivel.bron import NIVEL
from orchestration.bronnen.stagebureau.bron import STAGEBUREAU
from orchestration.bronnen.zorggroep.bron import ZORGGROEP

# Intake order: the zorggroep's checks compare with its previous period, so it goes first,
# as it always has.
BRONNEN: tuple[Bron, ...] = (ZORGGROEP, NIVEL, STAGEBUREAU)


def all_sources() -> tuple[Bron, ...]:
    """Every registered source (read at call time, so a test can register one more)."""
    return BRONNEN


def names() -> tuple[str, ...]:
    return tuple(bron.name for bron in all_sources())


def by_name(name: str) -> Bron:
    for candidate in all_sources():
        if candidate.name == name:
            return candidate
    raise KeyError(f"onbekende bron: {name}")


def recognise(path: Path) -> Bron | None:
    """The source a file belongs to when no folder says so: by extension, and where two
    sources share one, by content. ``None`` if no single source claims it."""
    same_suffix = [b for b in all_sources() if b.suffix == path.suffix.lower()]
    if len(same_suffix) == 1:
        return same_suffix[0]
    claimed = [b for b in same_suffix if path.is_file() and b.looks_like(path)]
    return claimed[0] if len(claimed) == 1 else None
