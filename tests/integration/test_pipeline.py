"""A real, in-process materialization of every asset on generated sample data."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.integration


def test_every_asset_is_materialized_and_every_check_passes(published_warehouse):
    from orchestration.definitions import build_defs

    result = published_warehouse.result
    job = build_defs(published_warehouse.data_dir).resolve_job_def("volledige_verversing")
    expected = {key.to_user_string() for key in job.asset_layer.executable_asset_keys}
    built = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert expected - built == set()
    checks = result.get_asset_check_evaluations()
    names = {c.asset_check_key.name for c in checks}
    assert "gx_fct_capaciteit_gemeente" in names
    # Reconciliations across models are checks of the mart they guard, not loose observations.
    assert {
        "assert_fct_capaciteit_nationaal_is_som_van_gemeenten",
        "assert_fct_capaciteit_gemeente_sluit_aan_op_nivel",
    } <= names
    assert len(checks) > 10  # dbt tests surface as asset checks too
    assert [c.asset_check_key.to_user_string() for c in checks if not c.passed] == []


def test_raw_rows_carry_their_lineage(published_warehouse):
    with duckdb.connect(str(published_warehouse.build_db), read_only=True) as conn:
        for table in ("nivel_registratie", "zorggroep_huisartsen", "stagebureau_stages"):
            missing = conn.execute(
                f"SELECT count(*) FROM raw.{table} WHERE _bronbestand IS NULL "
                "OR length(_sha256) <> 64 OR _bronrij < 1 OR _geladen_op IS NULL"
            ).fetchone()[0]
            assert missing == 0, table
        files = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT _bronbestand FROM raw.nivel_registratie"
            ).fetchall()
        }
    assert files == {p.name for p in (published_warehouse.sources / "nivel").glob("*.csv")}


def test_serving_db_holds_the_marts_and_their_numbers_trace_back_to_the_sources(
    published_warehouse,
):
    import pandas as pd

    nivel = pd.concat(
        pd.read_csv(p, sep=";", decimal=",", encoding="utf-8-sig")
        for p in (published_warehouse.sources / "nivel").glob("*.csv")
    )
    expected = nivel[nivel["beroep"] == "huisarts"].groupby("peiljaar")["fte"].sum()
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
            ).fetchall()
        }
        assert {"dim_gemeente", "fct_capaciteit_gemeente", "fct_capaciteit_nationaal"} <= tables
        rows = conn.execute(
            "SELECT peiljaar, count(*), sum(huisartsen_fte) FROM marts.fct_capaciteit_gemeente "
            "GROUP BY peiljaar ORDER BY peiljaar"
        ).fetchall()
    assert [r[0] for r in rows] == sorted(expected.index)
    assert all(r[1] == 342 for r in rows)
    for peiljaar, _, fte in rows:
        assert fte == pytest.approx(expected[peiljaar], abs=0.01)


def test_a_new_data_folder_starts_from_the_projects_parse(published_warehouse):
    """The fixture's run was this data folder's first: dbt took the project's partial parse
    instead of parsing the whole project again (orchestration/bin/dbt runs dbt beside its
    build DB, so the profile is the one the project was parsed with)."""
    log = published_warehouse.data_dir / "warehouse" / "dbt" / "dbt.log"
    text = log.read_text(encoding="utf-8")
    assert "Running with dbt=" in text
    assert "Unable to do partial parsing" not in text, [
        line[:300] for line in text.splitlines() if "partial pars" in line
    ]
