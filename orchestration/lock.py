"""One lock per data folder: only one refresh writes the build DB at a time.

`capmon run`, `capmon ingest` and the runs the Dagster daemon or UI launches all take it
(the latter in the job's executor, see ``orchestration/defs/executor.py``). It is an
``flock`` on ``<data>/.capmon.lock``: the kernel drops it when the holder dies, so a
``kill -9`` never leaves a stale lock behind. The file itself only says who holds it, for
the message a second run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

LOCK_FILE = ".capmon.lock"

# Held locks of this process, by lock file: a run that `capmon run` starts in process must
# not wait for the lock its own process holds (flock conflicts between two open files,
# also within one process).
_held: dict[Path, int] = {}


class DataFolderBusy(RuntimeError):
    """Another process holds the data folder's lock."""

    def __init__(self, holder: dict) -> None:
        self.holder = holder
        pid = holder.get("pid", "onbekend")
        started = holder.get("gestart", "onbekend tijdstip")
        what = holder.get("opdracht")
        by = f", {what}" if what else ""
        super().__init__(
            f"Er loopt al een verversing (pid {pid}{by}, gestart {started}); "
            "wacht tot die klaar is."
        )


def lock_path(root: Path) -> Path:
    return root / LOCK_FILE


def holder(root: Path) -> dict:
    """Who last took the lock (only meaningful while the lock is held)."""
    try:
        return json.loads(lock_path(root).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def is_locked(root: Path) -> bool:
    path = lock_path(root)
    if path.resolve() in _held:
        return True
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@contextmanager
def data_folder_lock(
    root: Path,
    what: str,
    *,
    wait_seconds: float = 0.0,
    on_wait: Callable[[DataFolderBusy], None] | None = None,
) -> Iterator[None]:
    """Hold the data folder's lock; raise :class:`DataFolderBusy` if it stays taken.

    ``wait_seconds`` 0 fails at once (a person at a terminal wants to know now); the
    daemon's runs wait, so a scheduled refresh is not lost to a hand-started one.
    """
    path = lock_path(root).resolve()
    if path in _held:
        yield
        return
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait_seconds
    told = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                busy = DataFolderBusy(holder(root))
                if time.monotonic() >= deadline:
                    raise busy from None
                if on_wait and not told:
                    on_wait(busy)
                    told = True
                time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))
        record = {
            "pid": os.getpid(),
            "gestart": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "opdracht": what,
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        _held[path] = fd
        try:
            yield
        finally:
            del _held[path]
    finally:
        # Closing the file releases the lock.
        os.close(fd)
