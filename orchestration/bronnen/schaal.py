"""The scale of a data folder's synthetic world, for the per-row maximums that grow with it.

A world generated at scale N (``capmon generate --scale N``) has N x the GPs and
internships of the Netherlands in the same 342 gemeenten, so a Nivel or stagebureau row (one
gemeente, one kind of person) holds N x as many people. The plausibility maximums of those
rows (docs/inname.md, "Grenzen van aannemelijkheid") are about the real country; from about
scale 15 the sample world's largest rows pass them and the run stops. So for such a world
the contracts' per-row maximums are N x as high, as the population bounds of its dbt tests
are (orchestration/referentie/geschaald.py).

The scale is the one in ``<data>/referentie/schaal.json``, which only ``capmon generate``
writes and only above scale 1. Real data has no such file and keeps exactly today's limits.
Zorggroep rows are per practice and per person: a larger world has more of them, not larger
ones, and their maximums stay.
"""

from __future__ import annotations

from orchestration.paths import DataPaths
from orchestration.referentie.read import synthetic_scale


def schaal(paths: DataPaths) -> float:
    """N for a data folder with a synthetic world at scale N > 1; 1 for real data."""
    scaled = synthetic_scale(paths.referentie)
    return max(1.0, float(scaled["schaal"])) if scaled else 1.0


def scaled_words(schaal: float) -> str:
    """Said after a scaled maximum's reason, so that nobody takes it for a real limit."""
    return f"in deze synthetische wereld op schaal {schaal:g}".replace(".", ",")
