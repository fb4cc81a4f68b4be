"""Projection marts in the serving DB: complete, additive, ordered; the advice closes the gap."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.integration

SCENARIOS = {"laag", "midden", "hoog"}
EVENWICHTSJAAR = 2043  # evenwichtsjaar2 of the Capaciteitsorgaan's raming 2025


def _query(published_warehouse, sql: str):
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_every_gemeente_every_year_from_the_latest_peiljaar_to_2043_per_scenario(
    published_warehouse,
):
    laatste_peiljaar = _query(
        published_warehouse, "SELECT max(peiljaar) FROM marts.fct_capaciteit_gemeente"
    )[0][0]
    rows = _query(
        published_warehouse,
        "SELECT scenario, min(jaar), max(jaar), count(DISTINCT jaar), "
        "count(DISTINCT gemeentecode), count(*) FROM marts.fct_prognose_gemeente GROUP BY scenario",
    )
    assert {r[0] for r in rows} == SCENARIOS
    jaren = EVENWICHTSJAAR - laatste_peiljaar + 1
    for _, eerste, laatste, aantal_jaren, gemeenten, total in rows:
        assert (eerste, laatste, aantal_jaren) == (laatste_peiljaar, EVENWICHTSJAAR, jaren)
        assert gemeenten == 342
        assert total == 342 * jaren


def test_national_projection_is_the_sum_of_the_municipalities(published_warehouse):
    rows = _query(
        published_warehouse,
        "SELECT n.jaar, n.scenario, n.aanbod_fte, g.aanbod_fte, n.vraag_fte, g.vraag_fte, "
        "n.aanbod_personen_vrouw, g.vrouw, n.tekort_pct, g.tekort / g.vraag_fte "
        "FROM marts.fct_prognose_nationaal n JOIN ("
        "  SELECT jaar, scenario, sum(aanbod_fte) aanbod_fte, sum(vraag_fte) vraag_fte, "
        "  sum(aanbod_personen_vrouw) vrouw, sum(tekort_fte) tekort "
        "  FROM marts.fct_prognose_gemeente GROUP BY ALL) g USING (jaar, scenario)",
    )
    assert len(rows) == 3 * len({r[0] for r in rows})
    for _, _, *pairs in rows:
        for national, summed in zip(pairs[::2], pairs[1::2], strict=True):
            assert national == pytest.approx(summed, rel=1e-9)


def test_scenarios_order_demand_as_the_parameters_imply(published_warehouse):
    # In the raming 2025 the three scenarios have the same unmet demand (0.063), demography and
    # non-demographic growth (0.026 a year), so demand is equal; supply is scenario-free anyway.
    rows = _query(
        published_warehouse,
        "SELECT jaar, max(vraag_fte) FILTER (WHERE scenario = 'laag'), "
        "max(vraag_fte) FILTER (WHERE scenario = 'midden'), "
        "max(vraag_fte) FILTER (WHERE scenario = 'hoog'), "
        "max(aanbod_fte) - min(aanbod_fte) "
        "FROM marts.fct_prognose_nationaal GROUP BY jaar ORDER BY jaar",
    )
    for _, laag, midden, hoog, aanbod_spreiding in rows:
        assert laag <= midden + 1e-9 <= hoog + 2e-9
        assert laag == pytest.approx(hoog)
        assert aanbod_spreiding == pytest.approx(0, abs=1e-9)
    # demand grows: demography and trends up to 2035, demography after
    vraag = [r[2] for r in rows]
    assert vraag == sorted(vraag)


def test_the_inflow_advice_closes_the_gap_in_2043(published_warehouse):
    rows = _query(
        published_warehouse,
        "SELECT scenario, tekort_fte, tekort_fte_bij_advies, instroomadvies, "
        "opleidingsinstroom_status_quo, vraag_fte FROM marts.fct_prognose_nationaal "
        f"WHERE jaar = {EVENWICHTSJAAR}",
    )
    assert {r[0] for r in rows} == SCENARIOS
    for _, tekort, tekort_bij_advies, advies, status_quo, vraag in rows:
        assert tekort_bij_advies == pytest.approx(0, abs=1e-6 * vraag)
        # a shortage needs more trainees than today, a surplus fewer
        assert (advies > status_quo) == (tekort > 0)
    regio = _query(
        published_warehouse,
        "SELECT scenario, sum(instroomadvies), count(*), max(abs(tekort_fte_bij_advies)) "
        "FROM marts.fct_instroomadvies_regio GROUP BY scenario",
    )
    advies = {r[0]: r[3] for r in rows}
    for scenario, som, regios, rest in regio:
        assert regios == 28
        assert som == pytest.approx(advies[scenario], rel=1e-9)
        assert rest == pytest.approx(0, abs=1e-6)


def test_an_older_gp_population_loses_more(published_warehouse):
    # Across gemeenten, the share of the base-year GPs still working in 2035 falls with the
    # share of GPs aged 60+ in the base year (the projection's own base stock, build DB).
    with duckdb.connect(str(published_warehouse.build_db), read_only=True) as conn:
        aandeel_60plus = dict(
            conn.execute(
                "SELECT gebiedcode, coalesce(sum(personen) FILTER (WHERE leeftijdsklasse IN "
                "('60-64', '65+')), 0) / sum(personen) "
                "FROM intermediate.int_prognose_basisbestand_aggregated "
                "WHERE gebiedsniveau = 'gemeente' GROUP BY gebiedcode HAVING sum(personen) >= 10"
            ).fetchall()
        )
    over = dict(
        _query(
            published_warehouse,
            "SELECT p.gemeentecode, p.zittend_personen / b.aanbod_personen "
            "FROM marts.fct_prognose_gemeente p "
            "JOIN marts.fct_prognose_gemeente b ON b.gemeentecode = p.gemeentecode "
            "  AND b.scenario = p.scenario AND b.is_basisjaar "
            "WHERE p.scenario = 'midden' AND p.jaar = 2035 AND b.aanbod_personen > 0",
        )
    )
    op_leeftijd = sorted(aandeel_60plus, key=aandeel_60plus.get)
    kwart = len(op_leeftijd) // 4
    assert kwart >= 10
    jongste = [over[g] for g in op_leeftijd[:kwart]]
    oudste = [over[g] for g in op_leeftijd[-kwart:]]
    assert sum(oudste) / kwart < sum(jongste) / kwart - 0.02
