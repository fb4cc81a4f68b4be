"""A Dagster logger that prints a run as a short, readable list of steps.

Dagster's console logger is written for debugging the orchestrator; a person running
``capmon run`` wants to see which step is busy, what was built and which checks passed.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections import Counter

from dagster import DagsterEventType, InitLoggerContext, logger

_STEP_EVENTS = {
    DagsterEventType.STEP_START: "▶",
    DagsterEventType.STEP_SUCCESS: "✔",
    DagsterEventType.STEP_FAILURE: "✘",
    DagsterEventType.STEP_SKIPPED: "⏭",
}


# dbt's per-node lines ("12 of 335 PASS ...") that say nothing is wrong; their step ends
# with a summary line ("Done. PASS=335 ...") and failures are printed as they come.
_DBT_ROUTINE_LINE = re.compile(r"^\s*\d+ of \d+ (START|PASS|OK|NO-OP)\b")


class ProgressHandler(logging.Handler):
    def __init__(self, stream=None) -> None:
        super().__init__(level=logging.DEBUG)
        # The terminal itself: `capmon run` sends the run's own stdout (dbt's full output)
        # to a log file, and this list must still reach the person watching.
        self.stream = stream or sys.__stdout__
        self.started: dict[str, float] = {}
        self.checks_passed: Counter[str] = Counter()

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is None:
            message = str(meta.get("orig_message", record.getMessage()))
            if record.levelno >= logging.INFO and step and not _DBT_ROUTINE_LINE.match(message):
                self._print(f"    {message}")
            return
        kind = event.event_type
        if kind in _STEP_EVENTS:
            label = step.replace("__", "/")
            if kind == DagsterEventType.STEP_START:
                self.started[step] = time.monotonic()
                self._print(f"{_STEP_EVENTS[kind]} {label}")
            else:
                took = time.monotonic() - self.started.get(step, time.monotonic())
                suffix = {
                    DagsterEventType.STEP_SUCCESS: "klaar",
                    DagsterEventType.STEP_FAILURE: "MISLUKT",
                    DagsterEventType.STEP_SKIPPED: "overgeslagen",
                }[kind]
                if self.checks_passed[step]:
                    self._print(f"    {self.checks_passed.pop(step)} controles geslaagd")
                self._print(f"{_STEP_EVENTS[kind]} {label}: {suffix} ({took:.1f} s)")
                if kind == DagsterEventType.STEP_FAILURE and event.step_failure_data:
                    error = event.step_failure_data.error
                    user = event.step_failure_data.user_failure_data
                    text = (
                        user.description
                        if user and user.description
                        else error.message
                        if error
                        else ""
                    )
                    for line in (text or "").strip().splitlines()[:40]:
                        self._print(f"    {line}")
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            key = event.asset_key.to_user_string() if event.asset_key else "?"
            self._print(f"    gebouwd: {key}")
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            data = event.event_specific_data
            if data.passed:
                self.checks_passed[step] += 1
            else:
                self._print(f"    controle {data.asset_check_key.to_user_string()}: NIET GESLAAGD")


@logger(description="Korte, leesbare voortgang per stap (capmon run).")
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("capmon.progress")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    if not log.handlers:
        log.addHandler(ProgressHandler())
    return log
