"""Projection marts in the serving DB: the Capaciteitsorgaan's advice, the scenario steps and
what-ifs, complete and additive municipal projections, and a monotone outflow."""

from __future__ import annotations

import math

import duckdb
import pytest

from orchestration.paths import REFERENCE_DIR
from orchestration.referentie.read import read_capaciteitsorgaan_parameters
from orchestration.referentie.wat_als import read_wat_als

pytestmark = pytest.mark.integration

STAPPEN = {
    "stap1_demografie",
    "stap2_werkproces_tijdelijk",
    "stap3_werkproces_doorgaand",
    "stap4_arbeidstijd",
    "stap6_verticale_substitutie",
}
VOORKEUR = "stap6_verticale_substitutie"
EVENWICHTSJAAR = 2043  # evenwichtsjaar2 of the Capaciteitsorgaan's raming 2025
PUBLISHED_ADVICE = 1026  # Capaciteitsplan 2025, voorkeursscenario, evenwicht 2043


def _query(published_warehouse, sql: str):
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _scenarios() -> set[str]:
    wat_als = {f"wat_als_{naam}" for naam in read_wat_als()["naam"]}
    return STAPPEN | wat_als


# --- an independent reading of the hoofdmodel, straight from the parameter file -------------


def _raming_2025() -> dict[str, float]:
    rows = read_capaciteitsorgaan_parameters(REFERENCE_DIR)
    rows = rows[rows["raming"] == "2025"]
    # the training duration of the Opleiding rows (3.2), not the Jaar row (3)
    rows = rows[~((rows["variabele"] == "opleidingsduur") & (rows["categorie1"] == "Jaar"))]
    return dict(zip(rows["variabele"], rows["waarde"], strict=True))


def _yields(p: dict, sex: str) -> list[float]:
    points = {0: 0.0, **{j: p[f"extern_rendement_{sex}_{j}jaar"] for j in (1, 5, 10, 15)}}
    known = sorted(points)
    values = []
    for j in range(25):
        if j >= 15:
            values.append(points[15] - (points[10] - points[15]) / 5 * (j - 15))
            continue
        hi = next(k for k in known if k >= j)
        lo = max(k for k in known if k <= j)
        values.append(
            points[lo]
            if hi == lo
            else points[lo] + (points[hi] - points[lo]) * (j - lo) / (hi - lo)
        )
    return values


def _mean(values: list[float], lo: int, hi: int) -> float:
    return sum(values[lo : hi + 1]) / (hi - lo + 1)


def _supply(p: dict, k: int) -> tuple[float, float]:
    """FTE in year basisjaar + k and the FTE per trainee a year from the bijsturingsjaar."""
    b = int(p["bijsturingsjaar"] - p["basisjaar"])
    fte = respons = 0.0
    for sex, share_base in (("vrouw", p["per_vrouw_basis"]), ("man", 1 - p["per_vrouw_basis"])):
        e = _yields(p, sex)
        u = [0.0] + [
            p[f"uitstroom_{sex}_basis_{n}"] for n in ("vijf", "tien", "vijftien", "twintig")
        ]
        i = min(k // 5, 3)
        outflow = u[i] + (u[i + 1] - u[i]) * (k - 5 * i) / 5
        persons = p["aanbod_personen"] * share_base * (1 - outflow)
        for n, duration, share, yield_in, group in (
            ("", p["opleidingsduur"], p["per_vrouw_opleiding"], p["intern_rendement"], 1),
            ("2", p["opleidingsduur2"], p["per_vrouw_opleiding2"], p["intern_rendement2"], 2),
            ("3", p["opleidingsduur3"], p["per_vrouw_opleiding3"], p["intern_rendement3"], 3),
        ):
            c = math.ceil(duration)
            share = share if sex == "vrouw" else 1 - share
            intake = p[f"n_inopleiding_perjaar{n}"]
            if group == 1:
                cohorts = min(k, duration)
                mean = 0.0 if k == 0 else _mean(e, max(1, k - c + 1), k)
            elif group == 2:
                cohorts = min(max(k - duration, 0), b)
                j = k - c
                mean = 1.0 if k <= c else _mean(e, max(1, j - b + 1), j)
            else:
                cohorts = max(k - duration - b, 0)
                mean = 1.0 if k <= c + b else _mean(e, 1, k - c - b)
                respons += share * yield_in * cohorts * mean * p[f"fte_{sex}_basis"]
            persons += intake * share * yield_in * cohorts * mean
        abroad_share = (
            p["per_vrouw_buitenland"] if sex == "vrouw" else 1 - p["per_vrouw_buitenland"]
        )
        persons += p["n_buitenland"] * abroad_share * k * p["rendement_buitenland"]
        fte += persons * p[f"fte_{sex}_basis"]
    return fte, respons


def _advice(p: dict, step: int, k: int) -> float:
    base, _ = _supply(p, 0)
    fte, respons = _supply(p, k)
    demo_points = [0.0] + [p[f"demo_{n}_midden"] for n in (5, 10, 15, 20)]
    i = min(k // 5, 3)
    demo = demo_points[i] + (demo_points[i + 1] - demo_points[i]) * (k - 5 * i) / 5
    werkproces = sum(p[f"{c}_midden"] for c in ("epi", "soc", "vak", "eff", "hor"))
    t = min(k, p["trendjaar"] - p["basisjaar"])
    atv, vert = p["tijd_midden"], p["ver_midden"]
    factor = {
        1: 1,
        2: 1 + werkproces * t,
        3: 1 + werkproces * k,
        4: 1 / (1 - atv * t) + werkproces * t,
        6: 1 + (1 / (1 - atv) - 1 + werkproces + vert) * t,
    }[step]
    demand = base * factor * (1 + demo) * (1 + p["onv_vraag_midden"])
    status_quo = p["n_inopleiding_perjaar3"]
    return (demand - fte + status_quo * respons) / respons


# --- tests ----------------------------------------------------------------------------------


def test_the_voorkeursscenario_reproduces_the_published_advice(published_warehouse):
    ((advies, kort),) = _query(
        published_warehouse,
        "SELECT max(instroomadvies), max(instroomadvies_evenwichtsjaar_kort) "
        f"FROM marts.fct_prognose_nationaal WHERE scenario = '{VOORKEUR}' AND is_voorkeursscenario",
    )
    assert advies == pytest.approx(PUBLISHED_ADVICE, abs=1)
    assert kort > advies  # closing the gap five years sooner needs more trainees


def test_every_scenario_step_matches_an_independent_reading_of_the_method(published_warehouse):
    p = _raming_2025()
    rows = _query(
        published_warehouse,
        "SELECT scenario, instroomadvies, instroomadvies_evenwichtsjaar_kort "
        "FROM marts.dim_prognose_scenario WHERE scenario_soort = 'stap'",
    )
    assert {r[0] for r in rows} == STAPPEN
    for scenario, advies, kort in rows:
        step = int(scenario[4])
        assert advies == pytest.approx(_advice(p, step, 18), rel=1e-9), scenario
        assert kort == pytest.approx(_advice(p, step, 12), rel=1e-9), scenario
    spread = sorted(r[1] for r in rows)
    assert spread[0] > 550 and spread[-1] < 1750 and spread[-1] - spread[0] > 800


def test_what_ifs_from_the_yaml_file_are_scenarios_in_every_mart(published_warehouse):
    verwacht = _scenarios()
    for mart in ("fct_prognose_gemeente", "fct_prognose_nationaal", "fct_instroomadvies_regio"):
        rows = _query(published_warehouse, f"SELECT DISTINCT scenario FROM marts.{mart}")
        assert {r[0] for r in rows} == verwacht, mart
    rows = _query(
        published_warehouse,
        "SELECT scenario, scenario_omschrijving, is_voorkeursscenario "
        "FROM marts.dim_prognose_scenario",
    )
    assert {r[0] for r in rows} == verwacht
    assert all(r[1] for r in rows)
    assert [r[0] for r in rows if r[2]] == [VOORKEUR]


def test_what_ifs_move_the_gap_the_way_they_should(published_warehouse):
    gap = dict(
        _query(
            published_warehouse,
            "SELECT scenario, tekort_fte_evenwichtsjaar FROM marts.dim_prognose_scenario",
        )
    )
    changes = read_wat_als().set_index("naam")
    for naam, change in changes.iterrows():
        delta = gap[f"wat_als_{naam}"] - gap[VOORKEUR]
        if change["opleidingsinstroom"] == change["opleidingsinstroom"]:  # not NaN
            assert (delta < 0) == (change["opleidingsinstroom"] > 718), naam
        if change["fte_factor_wijziging"] == change["fte_factor_wijziging"]:
            assert (delta > 0) == (change["fte_factor_wijziging"] < 0), naam
        if change["uittreden_later_jaren"] == change["uittreden_later_jaren"]:
            assert delta < 0, naam
        if change["onvervulde_vraag"] == change["onvervulde_vraag"]:
            assert (delta < 0) == (change["onvervulde_vraag"] < 0.063), naam


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
    assert {r[0] for r in rows} == _scenarios()
    jaren = EVENWICHTSJAAR - laatste_peiljaar + 1
    for _, eerste, laatste, aantal_jaren, gemeenten, total in rows:
        assert (eerste, laatste, aantal_jaren) == (laatste_peiljaar, EVENWICHTSJAAR, jaren)
        assert gemeenten == 342
        assert total == 342 * jaren


def test_national_mart_carries_the_municipal_sums_net_and_gross(published_warehouse):
    rows = _query(
        published_warehouse,
        "SELECT n.aanbod_fte_gemeenten, g.aanbod_fte, n.vraag_fte_gemeenten, g.vraag_fte, "
        "n.tekort_fte_gemeenten, g.tekort, n.tekort_fte_bruto_gemeenten, g.bruto "
        "FROM marts.fct_prognose_nationaal n JOIN ("
        "  SELECT jaar, scenario, sum(aanbod_fte) aanbod_fte, sum(vraag_fte) vraag_fte, "
        "  sum(tekort_fte) tekort, sum(greatest(tekort_fte, 0)) bruto "
        "  FROM marts.fct_prognose_gemeente GROUP BY ALL) g USING (jaar, scenario)",
    )
    assert rows
    for row in rows:
        for national, summed in zip(row[::2], row[1::2], strict=True):
            assert national == pytest.approx(summed, rel=1e-9)
        assert row[6] >= row[4] - 1e-9  # gross never below net


def test_the_advice_closes_the_gap_nationally_and_per_region(published_warehouse):
    rows = _query(
        published_warehouse,
        "SELECT scenario, tekort_fte_bij_advies, instroomadvies, vraag_fte "
        f"FROM marts.fct_prognose_nationaal WHERE jaar = {EVENWICHTSJAAR}",
    )
    assert {r[0] for r in rows} == _scenarios()
    for _, tekort_bij_advies, _, vraag in rows:
        assert tekort_bij_advies == pytest.approx(0, abs=1e-6 * vraag)
    advies = {r[0]: r[2] for r in rows}
    regio = _query(
        published_warehouse,
        "SELECT scenario, sum(instroomadvies), count(*), max(abs(tekort_fte_bij_advies)) "
        f"FROM marts.fct_instroomadvies_regio WHERE evenwichtsjaar = {EVENWICHTSJAAR} "
        "GROUP BY scenario",
    )
    for scenario, som, regios, rest in regio:
        assert regios == 28
        assert som == pytest.approx(advies[scenario], rel=1e-9)
        assert rest == pytest.approx(0, abs=1e-6)


def test_base_year_gps_never_come_back(published_warehouse):
    with duckdb.connect(str(published_warehouse.build_db), read_only=True) as conn:
        ((stijgingen,),) = conn.execute(
            "SELECT count(*) FROM (SELECT zittend_personen_vrouw - lag(zittend_personen_vrouw) "
            "OVER w AS dv, zittend_personen_man - lag(zittend_personen_man) OVER w AS dm "
            "FROM intermediate.int_prognose_aanbod_projected "
            "WINDOW w AS (PARTITION BY gebiedsniveau, gebiedcode, scenario ORDER BY jaar)) "
            "WHERE dv > 1e-9 OR dm > 1e-9"
        ).fetchall()
    assert stijgingen == 0


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
            f"WHERE p.scenario = '{VOORKEUR}' AND p.jaar = 2035 AND b.aanbod_personen > 0",
        )
    )
    op_leeftijd = sorted(aandeel_60plus, key=aandeel_60plus.get)
    kwart = len(op_leeftijd) // 4
    assert kwart >= 10
    jongste = [over[g] for g in op_leeftijd[:kwart]]
    oudste = [over[g] for g in op_leeftijd[-kwart:]]
    assert sum(oudste) / kwart < sum(jongste) / kwart - 0.02
