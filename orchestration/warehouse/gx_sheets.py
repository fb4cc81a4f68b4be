"""Build a GX suite per sheet from its contract and run it on the typed DataFrame.

Every expectation carries the rule code and Dutch message the contract conformance step
uses for the same rule, so the sender reads the same words whichever engine found it.
Failing rows come back as ``Problem``s with the sheet's own row numbers.

Not stored as JSON in ``expectations/suites/`` (every suite there is a mart check): built
from the same ``Column`` definitions the contracts hold, so a rule is written once.
``conform_with`` picks the engine a reader runs the cell rules with.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from orchestration.warehouse.contracts import (
    Column,
    Location,
    TableContract,
    conform,
    length_message,
    maximum_message,
    minimum_message,
    plain_value,
)
from orchestration.warehouse.errors import Problem

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@dataclass(frozen=True)
class Expectation:
    type: str
    kwargs: dict
    rule: str
    message: str
    column: str


def _range_rule(column: Column, value: object) -> tuple[str, str]:
    """The range expectation failed for ``value``: name the bound, as the contract does."""
    if column.minimum is not None and value is not None and float(value) < column.minimum:
        return "minimum", minimum_message(column)
    return "maximum", maximum_message(column)


def _column_expectations(column: Column) -> list[Expectation]:
    name = column.name
    found = []
    if column.required:
        found.append(
            Expectation(
                "expect_column_values_to_not_be_null",
                {"column": name},
                "verplicht",
                "deze cel is leeg maar is verplicht",
                name,
            )
        )
    if column.allowed is not None:
        found.append(
            Expectation(
                "expect_column_values_to_be_in_set",
                {"column": name, "value_set": list(column.allowed)},
                "toegestane_waarden",
                f"deze waarde is niet toegestaan; kies uit: {', '.join(column.allowed)}",
                name,
            )
        )
    if column.pattern is not None:
        found.append(
            Expectation(
                "expect_column_values_to_match_regex",
                {"column": name, "regex": f"^(?:{column.pattern})$"},
                "formaat",
                f"verkeerd formaat; verwacht {column.pattern_words or column.pattern}",
                name,
            )
        )
    # One expectation for both bounds: GX keeps one expectation per type and column.
    if column.minimum is not None or column.maximum is not None:
        found.append(
            Expectation(
                "expect_column_values_to_be_between",
                {"column": name, "min_value": column.minimum, "max_value": column.maximum},
                "bereik",
                "",
                name,
            )
        )
    if column.max_length is not None:
        found.append(
            Expectation(
                "expect_column_value_lengths_to_be_between",
                {"column": name, "max_value": column.max_length},
                "lengte",
                length_message(column),
                name,
            )
        )
    return found


def expectations_for(contract: TableContract) -> list[Expectation]:
    found = [e for column in contract.columns for e in _column_expectations(column)]
    if contract.key:
        key = list(contract.key)
        found.append(
            Expectation(
                "expect_compound_columns_to_be_unique"
                if len(key) > 1
                else "expect_column_values_to_be_unique",
                {"column_list": key} if len(key) > 1 else {"column": key[0]},
                "dubbele_sleutel",
                "deze combinatie van " + ", ".join(key) + " komt vaker in het bestand voor",
                ", ".join(key),
            )
        )
    return found


class SheetValidator:
    """One ephemeral GX context for all sheets of one file (creating it is the slow part)."""

    def __init__(self) -> None:
        # Imported here, not for a loop: importing GX takes seconds, and only the intake
        # and `capmon check` need it (loading accepted files runs the "pandas" engine).
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self._context = gx.get_context(mode="ephemeral")
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._source = self._context.data_sources.add_pandas("inname")
        self._count = 0

    def validate(
        self, frame: pd.DataFrame, contract: TableContract, where: Location
    ) -> list[Problem]:
        from great_expectations.expectations.expectation_configuration import (
            ExpectationConfiguration,
        )

        if frame.empty:
            return []
        self._count += 1
        name = f"{contract.name}_{self._count}"
        batch = self._source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("b")
        planned = expectations_for(contract)
        suite = self._gx.ExpectationSuite(name=name)
        for index, item in enumerate(planned):
            suite.add_expectation_configuration(
                ExpectationConfiguration(type=item.type, kwargs=item.kwargs, meta={"i": index})
            )
        # GX compares numbers as floats; nullable integers become floats with NaN for blanks.
        data = frame.reset_index(drop=True).copy()
        for column in data.columns:
            if str(data[column].dtype) == "Int64":
                data[column] = data[column].astype("float64")
        result = batch.get_batch(batch_parameters={"dataframe": data}).validate(
            suite, result_format={"result_format": "COMPLETE"}
        )
        # GX flags every copy of a duplicated key; the sender needs only the later copies.
        later_copies = (
            data.duplicated(subset=list(contract.key), keep="first") if contract.key else None
        )
        letters = frame.attrs.get("letters", {})
        problems = []
        for outcome in result.results:
            if outcome.success:
                continue
            item = planned[outcome.expectation_config.meta["i"]]
            rows = (outcome.result or {}).get("unexpected_index_list") or []
            for row in rows:
                index = row if isinstance(row, int) else next(iter(row.values()), None)
                if isinstance(row, dict) and "index" in row:
                    index = row["index"]
                if item.rule == "dubbele_sleutel" and not later_copies.get(index, True):
                    continue
                value = None
                if item.column in data.columns and index is not None:
                    value = data.at[index, item.column]
                    value = None if pd.isna(value) else value
                rule, message = item.rule, item.message
                if rule == "bereik":
                    column = next(c for c in contract.columns if c.name == item.column)
                    rule, message = _range_rule(column, value)
                problems.append(
                    Problem(
                        where.file,
                        rule,
                        message,
                        sheet=where.sheet,
                        row=None if index is None else int(frame.index[index]) + where.first_row,
                        column=item.column,
                        value=plain_value(value),
                        letter=", ".join(
                            letters[c] for c in item.column.split(", ") if c in letters
                        )
                        or None,
                    )
                )
        return problems


def conform_with(
    engine: str,
    raw: pd.DataFrame,
    contract: TableContract,
    where: Location,
    *,
    decimal_comma: bool = False,
    validator=None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """``conform``, with the cell rules run by ``engine``: "pandas" or "gx".

    "gx" (the intake and `capmon check`) runs them as a Great Expectations suite built from
    the same contract (``SheetValidator`` above); "pandas" runs them here, which is
    what re-reading hundreds of already accepted files at every load needs to stay fast.
    """
    if engine == "pandas":
        return conform(raw, contract, where, decimal_comma=decimal_comma)
    rows, problems = conform(raw, contract, where, decimal_comma=decimal_comma, value_rules=False)
    validator = validator or SheetValidator()
    # A cell that is not a number or date is reported as such ("type"), not again as empty.
    unreadable = {(p.row, p.column) for p in problems if p.rule == "type"}
    found = validator.validate(rows, contract, where)
    # A cell reported for its format is not reported again for its length (as in ``conform``).
    badly_formed = {(p.row, p.column) for p in found if p.rule == "formaat"}
    problems += [
        p
        for p in found
        if not (p.rule == "verplicht" and (p.row, p.column) in unreadable)
        and not (p.rule == "lengte" and (p.row, p.column) in badly_formed)
    ]
    return rows, problems
