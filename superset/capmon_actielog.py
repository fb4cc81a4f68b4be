"""Superset's action log, written in batches beside the requests instead of inside them.

Superset's ``DBEventLogger`` inserts each logged request's rows and commits the request's
own database session before the response goes out: a chart-data request logs three times.
On the 2-core machine this project is measured on, that was about 6 ms of a 33 ms cached
chart-data request (docs/operations.md, "Serving under load"). This logger builds the same
rows in the request (user, action, dashboard, chart, duration, referrer and the payload,
every secret blanked first) and one writer thread per server process inserts whatever has
gathered, in one transaction, once a second and when the process exits. What is lost: on a
crash of the process (not of a request), at most the last second of rows.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
from datetime import datetime
from typing import Any

from capmon_security import scrub
from superset.utils import json
from superset.utils.log import AbstractEventLogger

WRITE_INTERVAL_S = 1.0

logger = logging.getLogger(__name__)


class GebundeldActielog(AbstractEventLogger):
    """Superset's action log (table ``logs``), rows as ``DBEventLogger`` writes them."""

    def __init__(self) -> None:
        self._rows: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._engine: Any = None
        self._started = threading.Lock()
        self._writing = threading.Lock()

    def log(
        self,
        user_id: int | None,
        action: str,
        dashboard_id: int | None,
        duration_ms: int | None,
        slice_id: int | None,
        referrer: str | None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        records = kwargs.get("records") or []
        if not records and kwargs.get("curated_payload"):
            records = [kwargs["curated_payload"]]
        now = datetime.utcnow()
        for record in records:
            record = scrub(record)
            try:
                text: str | None = json.dumps(record)
            except Exception:  # as DBEventLogger: log the row without its payload
                text = None
            self._rows.put(
                {
                    "action": action,
                    "json": text,
                    "dashboard_id": dashboard_id or record.get("dashboard_id"),
                    "slice_id": slice_id or record.get("slice_id"),
                    "duration_ms": duration_ms,
                    "referrer": referrer,
                    "user_id": user_id,
                    "dttm": now,
                }
            )
        if self._engine is None:
            self._start()

    def _start(self) -> None:
        from superset import db  # the app's engine; only reachable inside the app

        with self._started:
            if self._engine is not None:
                return
            self._engine = db.engine
            threading.Thread(target=self._write_every_interval, daemon=True).start()
            atexit.register(self.flush)

    def _write_every_interval(self) -> None:
        while True:
            time.sleep(WRITE_INTERVAL_S)
            self.flush()

    def flush(self) -> None:
        """Insert every row gathered so far, in one transaction."""
        from superset.models.core import Log

        with self._writing:
            rows = []
            while True:
                try:
                    rows.append(self._rows.get_nowait())
                except queue.Empty:
                    break
            if not rows or self._engine is None:
                return
            try:
                with self._engine.begin() as connection:
                    connection.execute(Log.__table__.insert(), rows)
            except Exception:  # as DBEventLogger: a failed log write never breaks serving
                logger.exception("Actielog: %d regels niet weggeschreven", len(rows))
