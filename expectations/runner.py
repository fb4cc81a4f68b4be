"""Run a stored expectation suite on a DataFrame and summarise the outcome in Dutch."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SUITES_DIR = Path(__file__).parent / "suites"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    explanation: str
    observed: dict

    def describe(self) -> str:
        state = "OK" if self.success else "MISLUKT"
        where = f" [{self.column}]" if self.column else ""
        detail = ""
        if not self.success:
            shown = {
                k: self.observed[k]
                for k in (
                    "observed_value",
                    "unexpected_count",
                    "unexpected_percent",
                    "partial_unexpected_list",
                )
                if k in self.observed
            }
            detail = f" — {shown}"
        return f"{state}: {self.explanation}{where} ({self.expectation}){detail}"


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    table: str
    blocking: bool
    outcomes: list[ExpectationOutcome]

    @property
    def success(self) -> bool:
        return all(outcome.success for outcome in self.outcomes)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]


def load_suite(name: str) -> dict:
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def suite_names() -> list[str]:
    return sorted(path.stem for path in SUITES_DIR.glob("*.json"))


def load() -> None:
    """Import Great Expectations and make one context: the first ``validate`` in a process
    would spend about 6 s on that (on a 2-core machine)."""
    import great_expectations as gx

    gx.get_context(mode="ephemeral")


def warm_up() -> threading.Thread:
    """``load`` in a background thread.

    The marts the audits check are still being built by dbt in a process of its own; started
    when dbt starts, the import overlaps that build instead of following it. (The run workers
    of `capmon serve` have it loaded before they start, orchestration/warm_run_worker.py.)
    """
    thread = threading.Thread(target=load, name="gx-opwarmen", daemon=True)
    thread.start()
    return thread


def validate(frame: pd.DataFrame, suite_name: str) -> SuiteOutcome:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    definition = load_suite(suite_name)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas("capmon")
        .add_dataframe_asset(suite_name)
        .add_batch_definition_whole_dataframe("geheel")
    )
    suite = gx.ExpectationSuite(name=suite_name)
    for item in definition["expectations"]:
        suite.add_expectation_configuration(
            ExpectationConfiguration(
                type=item["type"], kwargs=item["kwargs"], meta=item.get("meta", {})
            )
        )
    suite = context.suites.add(suite)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(data=batch, suite=suite, name=f"{suite_name}_validatie")
    )
    result = validation.run(batch_parameters={"dataframe": frame})
    outcomes = [
        ExpectationOutcome(
            expectation=r.expectation_config.type,
            column=r.expectation_config.kwargs.get("column"),
            success=bool(r.success),
            explanation=r.expectation_config.meta.get("uitleg", r.expectation_config.type),
            observed=dict(r.result or {}),
        )
        for r in result.results
    ]
    meta = definition.get("meta", {})
    return SuiteOutcome(
        suite=suite_name,
        table=meta["table"],
        blocking=bool(meta.get("blocking", True)),
        outcomes=outcomes,
    )
