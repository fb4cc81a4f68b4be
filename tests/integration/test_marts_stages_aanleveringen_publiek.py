"""The Stages, Datakwaliteit and public marts on published sample data, and a full refresh
with rejected files waiting in the inbox (as after `capmon generate`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.integration


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_stages_long_form_adds_up_to_the_capacity_mart(published_warehouse):
    ((combinations, different),) = _query(
        published_warehouse.serving_db,
        """
        select count(*),
               sum(case when s.aangevraagd_som <> c.stages_aangevraagd
                         or s.wachtlijst_som <> c.stages_wachtlijst then 1 else 0 end)
        from (
            select gemeentecode, peiljaar, sum(aangevraagd) as aangevraagd_som,
                   sum(wachtlijst) as wachtlijst_som
            from marts.fct_stages_gemeente group by all
        ) s
        join marts.fct_capaciteit_gemeente c using (gemeentecode, peiljaar)
        """,
    )
    ((opleidingen,),) = _query(
        published_warehouse.serving_db,
        "select count(distinct opleiding_naam) from marts.fct_stages_gemeente",
    )
    assert combinations > 0 and opleidingen == 6 and different == 0


def test_public_mart_suppresses_small_cells_and_has_every_boundary(published_warehouse):
    ((rows, shown_small, boundaries, suppressed),) = _query(
        published_warehouse.serving_db,
        """
        select count(*),
               count(*) filter (where huisartsen_personen < 5),
               count(grens_geojson),
               count(*) filter (where is_onderdrukt_personen and huisartsen_fte is null)
        from marts.fct_capaciteit_gemeente_publiek
        """,
    )
    (expected,) = _query(
        published_warehouse.serving_db, "select count(*) from marts.fct_capaciteit_gemeente"
    )[0]
    (small,) = _query(
        published_warehouse.serving_db,
        "select count(*) from marts.fct_capaciteit_gemeente where huisartsen_personen < 5",
    )[0]
    assert rows == expected == boundaries
    # Complementary suppression adds partners: at least every small cell is empty.
    assert shown_small == 0 and suppressed >= small > 0


def test_every_loaded_file_has_a_row(published_warehouse):
    by_source = dict(
        _query(
            published_warehouse.serving_db,
            "select bron, count(*) from marts.fct_aanleveringen "
            "where is_geladen and status = 'geaccepteerd' group by bron",
        )
    )
    sources = published_warehouse.sources
    assert by_source == {
        "nivel": len(list((sources / "nivel").glob("*.csv"))),
        "zorggroep": len(list((sources / "zorggroep").glob("*.xlsx"))),
        "stagebureau": len(list((sources / "stagebureau").glob("*.jsonl"))),
    }


def test_a_full_refresh_with_only_rejected_files_in_the_inbox_still_builds(
    published_warehouse, tmp_path
):
    """`capmon generate` puts flawed submissions in the inbox; the first `capmon run` must
    reject them and still build and publish, with the rejections in fct_aanleveringen."""
    from orchestration.bronnen.zorggroep.afgekeurd import write_flawed_zorggroep
    from orchestration.pipeline import run_full_refresh

    root = tmp_path / "data"
    shutil.copytree(published_warehouse.sources, root / "sources")
    shutil.copytree(published_warehouse.data_dir / "warehouse", root / "warehouse")
    flawed = write_flawed_zorggroep(root / "sources", root / "inbox")
    assert len(flawed) == 3
    rejected_sql = (
        "select organisatie_code, periode, aantal_fouten, hoofdreden, redenen, azw_regio_code "
        "from marts.fct_aanleveringen where status = 'afgekeurd' order by aanlevering_id"
    )
    # The shared warehouse was built the way `capmon generate` + `capmon run` build it, so it
    # already holds the rejections of its own first run.
    before = _query(root / "warehouse" / "serving.duckdb", rejected_sql)

    result = run_full_refresh(root, show_progress=False)

    assert result.success
    assert not any((root / "inbox" / "zorggroep").iterdir())
    rejected = _query(root / "warehouse" / "serving.duckdb", rejected_sql)
    assert rejected[: len(before)] == before
    assert len(rejected) == len(before) + 3
    for code, periode, errors, main, listed, region in rejected[len(before) :]:
        assert code and periode.endswith("-Q1") and errors > 0
        assert main and listed and region
