"""The synthetic world the sample sources are views of (``world``), calibrated at scale 1 to
the national facts in data/reference (``calibration``).

Each source writes its own view of it (``orchestration/bronnen/<bron>/voorbeeld.py``);
``orchestration/bronnen/voorbeeld.py`` builds the world and loops over the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.synthetic.calibration import NationalTargets
from orchestration.synthetic.world import World


@dataclass(frozen=True)
class SampleWorld:
    """What a source's sample writer gets: the world, the national targets it was calibrated
    to, and the progress bar (``None`` when there is none) to advance per step it takes."""

    world: World
    targets: NationalTargets
    progress: object | None = None
