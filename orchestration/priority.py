"""Background work yields the CPU to readers (docs/operations.md, "Serving under load").

Pipeline runs the Dagster daemon launches and the result-cache warm-up share the machine
with Superset's workers. On two cores a re-audit and the warm-up's headless Chromium took
the CPU from viewers for the length of a publication (figures in the docs). Linux
gives a task at nice 10 about a tenth of the CPU of one at 0 when both want it, and all of
it when nobody else does: a run on an idle machine is as fast as before.

On Linux the nice value belongs to a thread and is inherited by the threads and processes
it starts, so a thread that yields takes only its own work down: `capmon up` runs the
pipeline and then serves from one process, and its Superset must not inherit the
background priority, so `capmon run` by hand keeps the normal one.
"""

from __future__ import annotations

import os

NICE_ENV = "CAPMON_ACHTERGROND_NICE"
DEFAULT_NICE = 10


def background_nice() -> int:
    """The nice value of background work: ``CAPMON_ACHTERGROND_NICE``, else 10; 0 is off."""
    raw = os.environ.get(NICE_ENV, "").strip()
    if not raw:
        return DEFAULT_NICE
    if not (raw.isdecimal() and int(raw) <= 19):
        raise ValueError(f"{NICE_ENV}={raw!r}: verwacht een geheel getal van 0 tot 19")
    return int(raw)


def current_nice() -> int:
    """The calling thread's nice value (per thread on Linux)."""
    return os.getpriority(os.PRIO_PROCESS, 0)


def yield_to_readers() -> int:
    """Lower the calling thread, and what it starts from now on, to the background priority;
    return the nice value now in effect. Never raises a thread's priority."""
    wanted = background_nice()
    if wanted > current_nice():
        os.setpriority(os.PRIO_PROCESS, 0, wanted)
    return current_nice()
