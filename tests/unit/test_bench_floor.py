"""The benchmarks' own logic: the floor's reading of a dbt manifest, the figures table of
bench/alles.py and the process-tree memory of bench/pipeline.py (issue 12). The timings
themselves are never tested."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


floor = _load("floor")
alles = _load("alles")
pipeline = _load("pipeline")


def _model(*deps: str, materialized: str = "view", **extra) -> dict:
    return {
        "resource_type": "model",
        "depends_on": {"nodes": list(deps), "macros": ["macro.dbt.x"]},
        "config": {"materialized": materialized, **extra.pop("config", {})},
        **extra,
    }


def test_build_order_puts_every_model_after_its_parents_and_breaks_ties_by_id():
    nodes = {
        "model.p.d": _model("model.p.b", "model.p.c"),
        "model.p.c": _model("model.p.a", "source.p.raw.x"),
        "model.p.b": _model("model.p.a"),
        "model.p.a": _model("source.p.raw.x"),
        "model.p.z": _model(),
        "test.p.not_null_d": {"resource_type": "test", "depends_on": {"nodes": ["model.p.d"]}},
    }
    assert floor.build_order(nodes) == [
        "model.p.a",
        "model.p.b",
        "model.p.c",
        "model.p.d",
        "model.p.z",
    ]


def test_build_order_takes_a_model_as_soon_as_its_parents_are_built():
    nodes = {"model.p.a": _model(), "model.p.b": _model("model.p.y"), "model.p.y": _model()}
    # b (after y) comes after y, although it sorts before it.
    assert floor.build_order(nodes) == ["model.p.a", "model.p.y", "model.p.b"]


def test_build_order_refuses_a_cycle():
    nodes = {"model.p.a": _model("model.p.b"), "model.p.b": _model("model.p.a")}
    with pytest.raises(ValueError, match="cycle"):
        floor.build_order(nodes)


def test_test_query_counts_failures_as_dbt_does():
    node = {
        "compiled_code": "select * from t where x < 0",
        "config": {"fail_calc": "count(*)", "error_if": "> 1", "limit": None},
    }
    with duckdb.connect() as conn:
        conn.execute("create table t as select * from (values (-1), (-2), (3)) v(x)")
        assert conn.execute(floor.test_query(node)).fetchone() == (2, True)
        conn.execute("delete from t where x = -2")
        assert conn.execute(floor.test_query(node)).fetchone() == (1, False)


def test_model_statements_materialise_as_configured_with_the_contract():
    with duckdb.connect() as conn:
        conn.execute("attach ':memory:' as build")
        conn.execute("create schema build.raw")
        conn.execute(
            "create table build.raw.x as select * from (values (1, 'a'), (2, null)) v(n, s)"
        )
        view = _model(
            database="build",
            schema="staging",
            relation_name='"build"."staging"."v"',
            compiled_code='select n, s from "build"."raw"."x"',
        )
        contracted = _model(
            materialized="table",
            config={"contract": {"enforced": True}},
            database="build",
            schema="marts",
            relation_name='"build"."marts"."m"',
            compiled_code='select s as tekst, n from "build"."staging"."v"',
            columns={
                "n": {"name": "n", "data_type": "bigint", "constraints": [{"type": "not_null"}]},
                "tekst": {"name": "tekst", "data_type": "varchar", "constraints": []},
            },
            constraints=[{"type": "unique", "columns": ["n"]}],
        )
        for node in (view, contracted):
            for statement in floor.model_statements(node):
                conn.execute(statement)
        kinds = conn.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_catalog = 'build' and table_schema in ('staging', 'marts') order by 1"
        ).fetchall()
        assert kinds == [("m", "BASE TABLE"), ("v", "VIEW")]
        # The contract's column order, not the query's; its constraints hold.
        assert conn.execute('select * from "build"."marts"."m" order by n').fetchall() == [
            (1, "a"),
            (2, None),
        ]
        with pytest.raises(duckdb.ConstraintException):
            conn.execute('insert into "build"."marts"."m" values (null, \'x\')')
        with pytest.raises(duckdb.ConstraintException):
            conn.execute('insert into "build"."marts"."m" values (1, \'x\')')
    assert (
        floor.model_statements(
            _model(
                materialized="ephemeral",
                relation_name=None,
                database="b",
                schema="s",
                compiled_code="",
            )
        )
        == []
    )


def test_differing_rows_ignore_last_digit_noise_but_not_real_differences():
    columns = [("k", "VARCHAR"), ("x", "DOUBLE"), ("t", "TIMESTAMP")]
    with duckdb.connect() as conn:
        conn.execute(
            "create table a as select * from (values "
            "('p', 0.1::double + 0.2::double, now()::timestamp), "
            "('q', 1.0, now()::timestamp), ('q', 2.0, now()::timestamp)) v(k, x, t)"
        )
        conn.execute(
            "create table b as select * from (values ('p', 0.3::double, '2020-01-01'::timestamp), "
            "('q', 2.0, '2020-01-01'::timestamp), ('q', 1.0, '2020-01-01'::timestamp)) v(k, x, t)"
        )
        assert conn.execute(floor.differing_rows_sql("a", "b", columns)).fetchone() == (0,)
        conn.execute("update b set x = 0.30001 where k = 'p'")
        conn.execute("insert into b values ('r', null, null)")
        # p differs on both sides of the pairing; r is only in b.
        assert conn.execute(floor.differing_rows_sql("a", "b", columns)).fetchone() == (2,)


def test_a_figure_is_met_only_when_every_target_is():
    run = alles.Figure(
        "run", 40.0, 12.0, target_s=45, target_ratio=4, condition=("publishes", True)
    )
    assert run.ratio == pytest.approx(40 / 12)
    assert run.met is True
    assert run.target == "≤ 45 s and ≤ 4× floor and publishes"
    assert alles.Figure("run", 50.0, 20.0, target_s=45, target_ratio=4).met is False
    assert alles.Figure("run", 40.0, 8.0, target_s=45, target_ratio=4).met is False
    assert alles.Figure("run", 4.0, 8.0, condition=("publishes", False)).met is False
    # Nothing to judge: not measured, or no target; a ratio needs a floor.
    assert alles.Figure("up", None, target_s=180).met is None
    assert alles.Figure("part", 3.0).met is None
    assert alles.Figure("up", 100.0, target_s=180, target_ratio=4).met is False


def test_table_shows_every_figure_with_its_ratio_and_verdict():
    text = alles.table(
        [
            alles.Figure("full refresh", 90.0, 12.0, 45, 4, note="marts reproduced"),
            alles.Figure("capmon check", 0.5, 0.01, 1),
            alles.Figure("make up", None, target_s=180),
        ]
    )
    lines = text.splitlines()
    assert lines[0].split() == ["figure", "measured", "floor", "ratio", "target", "met?"]
    for shown in ("full refresh", "90.0 s", "12.0 s", "7.5×", "≤ 45 s and ≤ 4× floor"):
        assert shown in lines[2]
    assert lines[2].endswith("NO")
    assert lines[3].endswith("yes") and "50.0×" in lines[3]
    assert lines[4].endswith("-")
    assert lines[-1] == "  full refresh: marts reproduced"


def test_the_tree_sampler_sums_processes_that_run_at_the_same_time():
    """Two grandchildren of 150 MB each at once: the tree held 300 MB, which no single
    process's maximum (wait4, RUSAGE_CHILDREN) shows."""
    hold = "b = bytearray(150 * 2**20); import time; time.sleep(3)"
    parent = (
        "import subprocess, sys; "
        f"ps = [subprocess.Popen([sys.executable, '-c', {hold!r}]) for _ in range(2)]; "
        "[p.wait() for p in ps]"
    )
    process = subprocess.Popen([sys.executable, "-c", parent])
    sampler = pipeline.TreeSampler(process.pid)
    sampler.start()
    process.wait()
    sampler.stop()
    assert sampler.peak_mb() >= 300
    assert sampler.peak_mb(until=sampler.samples[0][0]) < 150  # before they allocated
    # Each grandchild's own peak, by program; the root itself is not among them.
    largest = sampler.others()
    assert [mb >= 150 for mb, _ in largest[:2]] == [True, True]
    assert all(name.startswith("python") for _, name in largest[:2])
