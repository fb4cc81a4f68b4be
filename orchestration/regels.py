"""Every data rule of the dbt project, read from dbt's manifest, as normalised tuples.

A rule is ``(model, column or '*', kind, arguments)``: the same rule gives the same tuple
whether it is written as its own dbt test (``not_null``, ``between``, ...), as one entry of a
model's ``kolomregels`` test (dbt_project/tests/generic/test_kolomregels.sql), or as a
constraint of an enforced contract (``not_null`` on a table; ``data_type`` for every column
of a contracted model). So two manifests can be compared: a rewrite of the tests loses no
rule when every tuple of the old inventory is in the new one
(tests/unit/test_regels.py, against dbt_project/tests/regels_inventaris.txt).

The name of a test and its description are labels, not rules, and are left out; a test's
``where`` and a severity other than ``error`` are part of the rule.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

# Rules the kolomregels test holds, by its argument name; each is a per-column rule.
KOLOMREGELS_SOORTEN = ("not_null", "non_negative", "between", "accepted_values", "in_codelijst")
# Materializations on which DuckDB enforces a contract's constraints (a view only checks types).
AFGEDWONGEN = {"table", "incremental"}


class Regel(NamedTuple):
    model: str
    kolom: str
    soort: str
    argumenten: str

    def __str__(self) -> str:
        return "\t".join(self)


def _args(**kwargs: Any) -> str:
    """Arguments in one canonical spelling: sorted keys, lists of values sorted where order
    means nothing, whitespace in SQL expressions collapsed."""
    return json.dumps(kwargs, sort_keys=True, ensure_ascii=False, default=str)


def _expressie(sql: str) -> str:
    return " ".join(str(sql).split())


def _extra(config: dict[str, Any]) -> dict[str, Any]:
    extra = {}
    if config.get("where"):
        extra["where"] = _expressie(config["where"])
    if config.get("severity", "error").lower() != "error":
        extra["severity"] = config["severity"].lower()
    return extra


def _kolomregel(model: str, kolom: str, soort: str, waarde: Any, extra: dict) -> Regel:
    if soort == "not_null" or soort == "non_negative":
        return Regel(model, kolom, soort, _args(**extra))
    if soort == "between":
        return Regel(
            model,
            kolom,
            soort,
            _args(min_value=waarde.get("min_value"), max_value=waarde.get("max_value"), **extra),
        )
    if soort == "accepted_values":
        if isinstance(waarde, dict):
            waarde = waarde["values"]
        return Regel(model, kolom, soort, _args(values=sorted(map(str, waarde)), **extra))
    if soort == "in_codelijst":
        if isinstance(waarde, str):
            waarde = {"lijst": waarde}
        extra_codes = sorted(map(str, waarde.get("extra") or []))
        return Regel(model, kolom, soort, _args(lijst=waarde["lijst"], extra=extra_codes, **extra))
    raise ValueError(f"unknown column rule {soort!r}")


def _test_regels(node: dict[str, Any], modellen: dict[str, str]) -> Iterator[Regel]:
    meta = node.get("test_metadata") or {}
    extra = _extra(node.get("config") or {})
    attached = node.get("attached_node") or ""
    model = modellen.get(attached, attached)
    if not meta:
        # A singular test: its SQL is the rule, its name says which.
        yield Regel(model or "*", "*", "singular", _args(name=node["name"], **extra))
        return
    soort = meta["name"]
    kwargs = {k: v for k, v in (meta.get("kwargs") or {}).items() if k != "model"}
    kolom = kwargs.pop("column_name", None) or node.get("column_name") or "*"
    if soort == "kolomregels":
        for regelsoort in KOLOMREGELS_SOORTEN:
            waarden = kwargs.get(regelsoort) or {}
            if isinstance(waarden, list):
                waarden = dict.fromkeys(waarden)
            for naam, waarde in waarden.items():
                yield _kolomregel(model, naam, regelsoort, waarde, extra)
        for expressie in (kwargs.get("expression_is_true") or {}).values():
            if isinstance(expressie, dict):
                expressie = expressie["expression"]
            yield Regel(
                model, "*", "expression_is_true", _args(expression=_expressie(expressie), **extra)
            )
    elif soort in KOLOMREGELS_SOORTEN:
        yield _kolomregel(model, kolom, soort, kwargs.get("values", kwargs), extra)
    elif soort == "expression_is_true":
        yield Regel(
            model,
            "*",
            soort,
            _args(expression=_expressie(kwargs["expression"]), **extra),
        )
    elif soort == "unique_combination_of_columns":
        yield Regel(
            model,
            "*",
            soort,
            _args(combination_of_columns=list(kwargs["combination_of_columns"]), **extra),
        )
    else:
        # unique, relationships, sluit_aan and any other test: kept as written.
        yield Regel(model, kolom, soort, _args(**kwargs, **extra))


def _contract_regels(node: dict[str, Any]) -> Iterator[Regel]:
    config = node.get("config") or {}
    if not (config.get("contract") or {}).get("enforced"):
        return
    model = node["name"]
    for kolom in node.get("columns", {}).values():
        if kolom.get("data_type"):
            yield Regel(model, kolom["name"], "data_type", _args(type=kolom["data_type"].lower()))
        if config.get("materialized") in AFGEDWONGEN:
            for constraint in kolom.get("constraints", []):
                if constraint["type"] == "not_null":
                    yield Regel(model, kolom["name"], "not_null", _args())


def inventaris(manifest: dict[str, Any]) -> list[Regel]:
    """Every distinct rule of the manifest, sorted."""
    nodes = manifest["nodes"]
    modellen = {uid: n["name"] for uid, n in nodes.items() if n["resource_type"] == "model"}
    modellen.update({uid: s["name"] for uid, s in manifest.get("sources", {}).items()})
    regels: set[Regel] = set()
    for node in nodes.values():
        if node["resource_type"] == "test":
            regels.update(_test_regels(node, modellen))
        elif node["resource_type"] == "model":
            regels.update(_contract_regels(node))
    return sorted(regels)


def aantal_nodes(manifest: dict[str, Any]) -> dict[str, int]:
    """dbt's nodes by resource type, as `dbt build` runs them (unit tests included)."""
    counts: dict[str, int] = {}
    for node in manifest["nodes"].values():
        counts[node["resource_type"]] = counts.get(node["resource_type"], 0) + 1
    counts["unit_test"] = len(manifest.get("unit_tests", {}))
    return counts


def lees(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def schrijf(regels: Iterable[Regel]) -> str:
    return "".join(f"{regel}\n" for regel in regels)


def parse(text: str) -> list[Regel]:
    return [
        Regel(*line.split("\t"))
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def toelichting(conn: Any, compiled_sql: str, max_regels: int = 20) -> str:
    """What a failed kolomregels test found, in words: one line per failing (column, rule).

    dbt reports only how many rows a test returned; this runs the test's compiled query
    (run_results.json) on the build DB once more, after dbt is done with it.
    """
    rows = conn.execute(
        f"SELECT kolom, regel, omschrijving, aantal_rijen, voorbeeld_waarde, voorbeeld_rij "
        f"FROM ({compiled_sql}) AS mislukt ORDER BY kolom, regel"
    ).fetchall()
    lines = []
    for kolom, regel, omschrijving, aantal, waarde, rij in rows[:max_regels]:
        voorbeeld = [f"waarde {waarde!r}"] if waarde is not None else []
        voorbeeld += [f"rij {rij}"] if rij else []
        lines.append(
            f"{kolom} ({regel}): {omschrijving}; {aantal} rij(en) niet"
            + (f", bv. {' in '.join(voorbeeld)}" if voorbeeld else "")
        )
    if len(rows) > max_regels:
        lines.append(f"... en nog {len(rows) - max_regels} regel(s)")
    return "\n".join(lines)


if __name__ == "__main__":
    # python -m orchestration.regels [manifest.json]: the inventory on stdout.
    from orchestration.paths import DBT_PROJECT_DIR

    pad = Path(sys.argv[1]) if len(sys.argv) > 1 else DBT_PROJECT_DIR / "target/manifest.json"
    sys.stdout.write(schrijf(inventaris(lees(pad))))
