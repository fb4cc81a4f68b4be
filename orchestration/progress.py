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
from dagster._utils.error import SerializableErrorInfo

_STEP_EVENTS = {
    DagsterEventType.STEP_START: "▶",
    DagsterEventType.STEP_SUCCESS: "✔",
    DagsterEventType.STEP_FAILURE: "✘",
    DagsterEventType.STEP_SKIPPED: "⏭",
}


MAX_CAUSE_LINES = 40

_RUN_LEVEL_FAILURES = {
    DagsterEventType.RUN_FAILURE,
    DagsterEventType.RESOURCE_INIT_FAILURE,
    DagsterEventType.ENGINE_EVENT,
}


def root_cause(error: SerializableErrorInfo | None) -> str:
    """The innermost error of a chain: Dagster wraps the asset's own exception (the dbt or
    DuckDB error a person can act on) in "Error occurred while executing ..."."""
    if error is None:
        return ""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def _error_of(event) -> SerializableErrorInfo | None:
    data = event.event_specific_data
    return getattr(data, "error", None) if data is not None else None


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
        self.causes_shown: set[str] = set()

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def _print_lines(self, text: str, prefix: str = "") -> None:
        for index, line in enumerate((text or "").strip().splitlines()[:MAX_CAUSE_LINES]):
            self._print(f"{prefix if index == 0 else ' ' * len(prefix)}    {line}")

    def _print_cause(self, error: SerializableErrorInfo | None, prefix: str = "") -> None:
        text = root_cause(error)
        if text and text not in self.causes_shown:
            self.causes_shown.add(text)
            self._print_lines(f"Oorzaak: {text}", prefix)

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
                    user = event.step_failure_data.user_failure_data
                    if user and user.description:
                        self._print_lines(user.description)
                    else:
                        self._print_cause(event.step_failure_data.error)
        elif kind in _RUN_LEVEL_FAILURES:
            # A failure outside any step (resource set-up, the executor, the run itself,
            # e.g. a lock it could not get): without this the screen shows no cause at all.
            self._print_cause(_error_of(event), prefix="✘ ")
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            key = event.asset_key.to_user_string() if event.asset_key else "?"
            self._print(f"    gebouwd: {key}")
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            data = event.event_specific_data
            if data.passed:
                self.checks_passed[step] += 1
            else:
                self._print(f"    controle {data.asset_check_key.to_user_string()}: NIET GESLAAGD")
                # A kolomregels check says which columns broke which rule.
                if data.description:
                    self._print_lines(data.description, "    ")


@logger(description="Korte, leesbare voortgang per stap (capmon run).")
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("capmon.progress")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    if not log.handlers:
        log.addHandler(ProgressHandler())
    return log
