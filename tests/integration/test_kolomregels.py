"""The rules still fail: violations planted in a copy of the built warehouse, then real dbt.

Each column rule kind of the kolomregels test (dbt_project/tests/generic/test_kolomregels.sql)
is broken once, and the test must name the column and the rule; a NULL in a mart column
with a not_null constraint must fail the mart's build (dbt-duckdb creates the contracted
table with NOT NULL, then inserts into it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import regels
from orchestration.paths import DBT_PROJECT_DIR

pytestmark = pytest.mark.integration

DBT = Path(sys.executable).parent / "dbt"

PLANTED = [
    # Staging view over raw.nivel_registratie: a model without a contract.
    "UPDATE raw.nivel_registratie SET gemeentecode = NULL WHERE rowid = 2",
    "UPDATE raw.nivel_registratie SET fte = -0.5 WHERE rowid = 3",
    "UPDATE raw.nivel_registratie SET peiljaar = 1999 WHERE rowid = 4",
    "UPDATE raw.nivel_registratie SET beroep = 'tandarts' WHERE rowid = 5",
    # A mart (a table): its rows can be changed in place.
    "UPDATE marts.fct_capaciteit_regio SET regio_type = 'wijk', "
    "aandeel_fte_60plus = 1.5, aantal_gemeenten_met_aanlevering = aantal_gemeenten + 1 "
    "WHERE regio_code = (SELECT min(regio_code) FROM marts.fct_capaciteit_regio "
    "WHERE regio_type = 'provincie')",
    # Feeds dim_gemeente.gemeentenaam, a not_null constraint of the mart's contract.
    "UPDATE raw.ref_gemeenten SET gemeentenaam = NULL "
    "WHERE gemeentecode = (SELECT min(gemeentecode) FROM raw.ref_gemeenten)",
]
KOLOMREGELS = ("kolomregels_stg_nivel__registratie", "kolomregels_fct_capaciteit_regio")


@pytest.fixture(scope="module")
def broken_build(published_warehouse, tmp_path_factory):
    """`dbt build` of two kolomregels tests and dim_gemeente on a warehouse with violations."""
    work = tmp_path_factory.mktemp("kolomregels")
    db = work / "warehouse" / "build.duckdb"
    db.parent.mkdir()
    shutil.copyfile(published_warehouse.build_db, db)
    with duckdb.connect(str(db)) as conn:
        for sql in PLANTED:
            conn.execute(sql)
    env = {**os.environ, "CAPMON_BUILD_DB": str(db), "CAPMON_DBT_THREADS": "1"}
    target = work / "target"
    common = [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
    ]
    # Two runs: in one `dbt build`, the failing dim_gemeente would skip every test downstream.
    results = []
    for command in (
        ["test", "--store-failures", "--select", *KOLOMREGELS],
        ["run", "--select", "dim_gemeente"],
    ):
        subprocess.run([DBT, *command, *common], env=env, capture_output=True, check=False)
        results += json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    status = {r["unique_id"].split(".")[2]: r for r in results}
    with duckdb.connect(str(db), read_only=True) as conn:
        failures = {
            name: conn.execute(
                "SELECT kolom, regel, omschrijving, aantal_rijen, voorbeeld_waarde, voorbeeld_rij "
                f"FROM dbt_test__audit.{name} ORDER BY kolom, regel"
            ).fetchall()
            for name in KOLOMREGELS
        }
    return status, failures, db


def test_each_column_rule_kind_fails_and_names_column_and_rule(broken_build):
    status, failures, _ = broken_build
    staging = {
        (kolom, regel): rest
        for kolom, regel, *rest in failures["kolomregels_stg_nivel__registratie"]
    }
    mart = {
        (kolom, regel): rest for kolom, regel, *rest in failures["kolomregels_fct_capaciteit_regio"]
    }
    assert status["kolomregels_stg_nivel__registratie"]["status"] == "fail"
    assert status["kolomregels_fct_capaciteit_regio"]["status"] == "fail"
    # One row per failing rule, each planted violation on its own row.
    assert set(staging) == {
        ("gemeentecode", "not_null"),
        ("fte", "non_negative"),
        ("peiljaar", "between"),
        ("beroep", "in_codelijst"),
    }
    assert {
        ("regio_type", "accepted_values"),
        ("aandeel_fte_60plus", "between"),
        ("gemeenten_met_aanlevering_binnen_totaal", "expression_is_true"),
    } <= set(mart)
    omschrijving, aantal, waarde, rij = staging[("beroep", "in_codelijst")]
    assert (aantal, waarde) == (1, "tandarts")
    assert "beroepen" in omschrijving
    assert "gemeentecode=" in rij and "beroep=tandarts" in rij
    omschrijving, aantal, waarde, _ = staging[("fte", "non_negative")]
    assert (aantal, float(waarde)) == (1, -0.5)
    omschrijving, aantal, waarde, rij = mart[("regio_type", "accepted_values")]
    assert waarde == "wijk" and "regio_type=wijk" in rij
    assert status["kolomregels_fct_capaciteit_regio"]["failures"] == len(mart)


def test_a_null_in_a_contracted_not_null_column_fails_the_mart(broken_build):
    status, _, db = broken_build
    dim = status["dim_gemeente"]
    assert dim["status"] == "error"
    assert "NOT NULL constraint failed" in dim["message"]
    assert "gemeentenaam" in dim["message"]
    # The failed build leaves the mart as it was: every gemeente still has its name.
    with duckdb.connect(str(db), read_only=True) as conn:
        assert (
            conn.execute("SELECT count(*), count(gemeentenaam) FROM marts.dim_gemeente").fetchone()
            == conn.execute("SELECT count(*), count(*) FROM raw.ref_gemeenten").fetchone()
        )


def test_a_failed_kolomregels_test_explains_itself(broken_build):
    status, _, db = broken_build
    with duckdb.connect(str(db), read_only=True) as conn:
        text = regels.toelichting(conn, status["kolomregels_fct_capaciteit_regio"]["compiled_code"])
    lines = text.splitlines()
    assert len(lines) == 3
    assert lines[2].startswith(
        "regio_type (accepted_values): moet een van azw, provincie, ggd zijn;"
    )
    assert "bv. waarde 'wijk' in rij regio_type=wijk, regio_code=" in lines[2]


def test_dagster_shows_the_failing_rules_in_the_check(broken_build):
    """The same test as a Dagster asset check: failed, blocking, and it names the rules."""
    from dagster import AssetKey, DagsterInstance

    from orchestration.definitions import build_defs

    _, _, db = broken_build
    job = build_defs(db.parent.parent).resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(
        asset_selection=[AssetKey(["staging", "stg_nivel__registratie"])],
        instance=DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    checks = {e.asset_check_key.name: e for e in result.get_asset_check_evaluations()}
    check = checks["kolomregels_stg_nivel__registratie"]
    assert not check.passed
    assert check.severity.value == "ERROR"
    assert (
        "beroep (in_codelijst): moet een code uit de codelijst beroepen zijn" in check.description
    )
    assert "gemeentecode (not_null)" in check.description
    assert not result.success
