"""The capacity marts on the session's published sample data (scale 0.25): the spanningsindex
finds the generator's deliberately stressed gemeenten, and the rollups add up."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import PIPELINE_SCALE, PIPELINE_SEED

pytestmark = pytest.mark.integration


def _stressed_gemeentecodes() -> set[str]:
    # The generator's own choice (GenerationSummary.gestresste_gemeenten), without writing
    # the sources a second time: the simulation picks them when it is set up.
    from orchestration.synthetic.calibration import gemeenten, national_targets
    from orchestration.synthetic.world import _Simulation

    table = gemeenten()
    chosen = _Simulation(table, national_targets(), PIPELINE_SCALE, PIPELINE_SEED).stressed
    return set(table.loc[chosen, "gemeentecode"])


def test_spanningsindex_ranks_the_stressed_gemeenten_on_top(published_warehouse):
    stressed = _stressed_gemeentecodes()
    assert len(stressed) >= 8
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        ranking = conn.execute(
            """
            select gemeentecode, spanningscategorie
            from marts.fct_capaciteit_gemeente
            where is_laatste_peiljaar
            order by spanningsindex_rang
            """
        ).fetchall()
    top = {code for code, _ in ranking[: 2 * len(stressed)]}
    found = stressed & top
    # Most of them (at least 80 %) are in the top 2n of 342, and most are 'hoog'.
    assert len(found) >= 0.8 * len(stressed), sorted(stressed - top)
    categories = dict(ranking)
    assert sum(categories[code] == "hoog" for code in stressed) >= 0.7 * len(stressed)


def test_every_region_type_adds_up_to_the_national_row(published_warehouse):
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        rows = conn.execute(
            """
            select r.regio_type, r.peiljaar,
                   sum(r.huisartsen_fte) - max(n.huisartsen_fte),
                   sum(r.ingeschreven_patienten) - max(n.ingeschreven_patienten),
                   count(*)
            from marts.fct_capaciteit_regio r
            join marts.fct_capaciteit_nationaal n using (peiljaar)
            group by r.regio_type, r.peiljaar
            """
        ).fetchall()
    assert {(t, n) for t, _, _, _, n in rows} >= {("azw", 28), ("provincie", 12), ("ggd", 25)}
    for _, _, fte_diff, patient_diff, _ in rows:
        assert abs(fte_diff) < 1e-6
        assert patient_diff == 0


def test_practice_signals_are_restricted_to_counts(published_warehouse):
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        columns = {
            r[0]
            for r in conn.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = 'fct_praktijk_signalen'"
            ).fetchall()
        }
        signals = dict(
            conn.execute(
                "select signaal, count(*) from marts.fct_praktijk_signalen group by signaal"
            ).fetchall()
        )
    assert not columns & {"persoon_id", "geboortejaar", "verwacht_stopjaar"}
    assert {"gemeentecode", "azw_regio_code"} <= columns
    assert signals.get("vacature_langer_dan_6_maanden", 0) > 0
    assert signals.get("praktijkhouder_60plus_zonder_opvolging", 0) > 0
