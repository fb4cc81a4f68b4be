"""No data rule is lost: the inventory of dbt's manifest (orchestration/regels.py) holds every
rule of the committed inventory, taken before issue 12 moved the column tests into the marts'
contracts and one kolomregels test per model."""

from __future__ import annotations

import pytest

from orchestration import regels
from orchestration.paths import DBT_PROJECT_DIR

INVENTARIS = DBT_PROJECT_DIR / "tests" / "regels_inventaris.txt"


@pytest.fixture(scope="module")
def manifest() -> dict:
    # Importing the dbt assets parses the project when its manifest is missing or stale.
    from orchestration.defs.dbt.assets import DBT_PROJECT

    return regels.lees(DBT_PROJECT.manifest_path)


def test_every_rule_of_the_inventory_is_still_in_the_project(manifest):
    before = regels.parse(INVENTARIS.read_text(encoding="utf-8"))
    now = set(regels.inventaris(manifest))
    assert len(before) > 2000
    assert [str(regel) for regel in before if regel not in now] == []


def test_column_rules_run_as_one_test_per_model(manifest):
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    per_model: dict[str, int] = {}
    for test in tests:
        if (test.get("test_metadata") or {}).get("name") == "kolomregels":
            per_model[test["attached_node"]] = per_model.get(test["attached_node"], 0) + 1
    assert per_model and set(per_model.values()) == {1}
    # A mart's not-null rules are its contract's constraints, not tests.
    marts_not_null = [
        t["name"]
        for t in tests
        if (t.get("test_metadata") or {}).get("name") == "not_null"
        and t["attached_node"].startswith("model.capmon.")
        and manifest["nodes"][t["attached_node"]]["config"]["contract"]["enforced"]
        and not t["config"].get("where")
    ]
    assert marts_not_null == []


def _model(name: str, columns: dict, enforced: bool) -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "config": {"materialized": "table", "contract": {"enforced": enforced}},
        "columns": columns,
    }


def _test(kind: str, kwargs: dict, column: str | None = None, **config) -> dict:
    return {
        "resource_type": "test",
        "name": f"{kind}_{column}",
        "attached_node": "model.capmon.m",
        "column_name": column,
        "config": {"severity": "ERROR", **config},
        "test_metadata": {"name": kind, "kwargs": {"model": "{{ ref('m') }}", **kwargs}},
    }


def test_single_tests_and_kolomregels_and_constraints_give_the_same_rules():
    single = {
        "nodes": {
            "model.capmon.m": _model("m", {"a": {"name": "a", "data_type": "integer"}}, True),
            "t1": _test("not_null", {"column_name": "a"}, "a"),
            "t2": _test("non_negative", {"column_name": "a"}, "a"),
            "t3": _test("between", {"column_name": "b", "min_value": 0, "max_value": 1}, "b"),
            "t4": _test("accepted_values", {"column_name": "c", "values": ["y", "x"]}, "c"),
            "t5": _test("in_codelijst", {"column_name": "d", "lijst": "beroepen"}, "d"),
            "t6": _test("expression_is_true", {"expression": "a <=  b\n"}),
            "t7": _test("not_null", {"column_name": "e"}, "e", where="a > 0"),
        }
    }
    combined = {
        "nodes": {
            "model.capmon.m": _model(
                "m",
                {"a": {"name": "a", "data_type": "INTEGER", "constraints": [{"type": "not_null"}]}},
                True,
            ),
            "k": _test(
                "kolomregels",
                {
                    "non_negative": ["a"],
                    "between": {"b": {"min_value": 0, "max_value": 1}},
                    "accepted_values": {"c": {"values": ["x", "y"], "quote": True}},
                    "in_codelijst": {"d": {"lijst": "beroepen"}},
                    "expression_is_true": {
                        "a_onder_b": {"expression": "a <= b", "description": "."}
                    },
                    "sleutel": ["a"],
                },
            ),
            "t7": _test("not_null", {"column_name": "e"}, "e", where="a > 0"),
        }
    }
    assert regels.inventaris(single) == regels.inventaris(combined)
    assert len(regels.inventaris(single)) == 8


def test_a_rule_that_changes_is_a_different_rule():
    def one(kwargs: dict, **config) -> set:
        return set(regels.inventaris({"nodes": {"k": _test("kolomregels", kwargs, **config)}}))

    assert one({"between": {"b": {"min_value": 0, "max_value": 1}}}) != one(
        {"between": {"b": {"min_value": 0, "max_value": 2}}}
    )
    assert one({"non_negative": ["a"]}) != one({"non_negative": ["a"]}, severity="warn")
    # A constraint on a view is not enforced, so it is not a rule.
    view = _model("v", {"a": {"name": "a", "constraints": [{"type": "not_null"}]}}, True)
    view["config"]["materialized"] = "view"
    assert regels.inventaris({"nodes": {"model.capmon.v": view}}) == []


def test_the_inventory_reads_back_as_written():
    rules = regels.parse(INVENTARIS.read_text(encoding="utf-8"))
    assert regels.parse(regels.schrijf(rules)) == rules
