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


def _gewichten() -> dict[str, float]:
    from orchestration.catalogue import spanningsindex_gewichten

    return spanningsindex_gewichten()


def test_the_index_has_no_method_break(published_warehouse):
    """Between the last two peiljaren the national index changes only through the data: in
    both years it is the weighted mean of the same components, so its change is exactly the
    weighted change of those components; the projection (only in the latest peiljaar) plays
    no part, and no gemeente lacks a component whose inputs it has."""
    gewichten = _gewichten()
    componenten = list(gewichten)
    assert "prognose" not in componenten
    scores = ", ".join(f"score_{c}" for c in componenten)
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        rows = conn.execute(
            f"select peiljaar, spanningsindex, score_prognose, {scores} "
            "from marts.fct_capaciteit_nationaal order by peiljaar"
        ).fetchall()
        ontbrekend = conn.execute(
            """
            select peiljaar, count(*)
            from marts.fct_capaciteit_gemeente
            where (patienten_per_fte_huisarts is not null and score_balans is null)
               or (vacatures_lang_open_per_praktijk is not null and score_vacatures is null)
               or (aandeel_stoppers_zonder_opvolging is not null
                   and aandeel_praktijken_patientenstop is not null
                   and score_continuiteit is null)
            group by peiljaar
            """
        ).fetchall()
        met_prognose = conn.execute(
            "select distinct peiljaar from marts.fct_capaciteit_gemeente "
            "where score_prognose is not null"
        ).fetchall()
    assert ontbrekend == []
    assert len(rows) >= 2
    (vorig_jaar, vorige, vorige_prognose, *vorige_scores) = rows[-2]
    (jaar, huidige, prognose, *huidige_scores) = rows[-1]
    # The projection exists only in the latest peiljaar, beside the index.
    assert vorige_prognose is None and met_prognose == [(jaar,)]
    assert None not in vorige_scores + huidige_scores
    totaal = sum(gewichten.values())
    for index, component_scores in ((vorige, vorige_scores), (huidige, huidige_scores)):
        verwacht = (
            sum(w * s for w, s in zip(gewichten.values(), component_scores, strict=True)) / totaal
        )
        assert index == pytest.approx(verwacht, abs=1e-9)
    verandering = (
        sum(
            w * (nu - toen)
            for w, nu, toen in zip(gewichten.values(), huidige_scores, vorige_scores, strict=True)
        )
        / totaal
    )
    assert huidige - vorige == pytest.approx(verandering, abs=1e-9), (vorig_jaar, jaar)


def test_population_is_that_of_each_peiljaars_1_january(published_warehouse):
    from orchestration.paths import REFERENCE_DIR

    landelijk = {}
    for regel in (
        (REFERENCE_DIR / "cbs_bevolking_nederland_1januari.csv").read_text().splitlines()[1:]
    ):
        jaar, _, inwoners = regel.split(";")
        landelijk[int(jaar)] = int(inwoners)
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        per_jaar = conn.execute(
            """
            select peiljaar, sum(inwoners), bool_or(vlag_inwoners_geschat),
                   bool_and(vlag_inwoners_geschat), count(distinct inwoners_bronjaar)
            from marts.fct_capaciteit_gemeente group by peiljaar order by peiljaar
            """
        ).fetchall()
        nationaal = dict(
            conn.execute("select peiljaar, inwoners from marts.fct_capaciteit_nationaal").fetchall()
        )
    assert per_jaar
    for peiljaar, som, enig_geschat, alle_geschat, bronjaren in per_jaar:
        assert bronjaren == 1  # one whole distribution per peiljaar
        if peiljaar in landelijk:
            assert som == landelijk[peiljaar] == nationaal[peiljaar], peiljaar
        # CBS gemeente files exist for 2023 and 2024 only: every other year is estimated
        assert enig_geschat == alle_geschat == (peiljaar not in (2023, 2024)), peiljaar


def test_patients_per_fte_counts_the_fte_of_the_same_practices(published_warehouse):
    """Numerator and denominator come from the same submitted practices: the zorggroep FTE of
    their holders, employed GPs and vaste waarnemers (Nivel's practice-bound GPs), not
    Nivel's FTE of every practice in the gemeente."""
    with duckdb.connect(str(published_warehouse.build_db), read_only=True) as conn:
        afwijkend = conn.execute(
            """
            with zorggroep as (
                select p.gemeentecode, p.peiljaar, sum(h.fte) as fte
                from staging.stg_zorggroep__huisartsen h
                join intermediate.int_praktijken_deduplicated p
                  on h._bronbestand = p._bronbestand and h._sha256 = p._sha256
                 and h.praktijk_agb = p.praktijk_agb
                where h.rol in ('praktijkhouder', 'hidha', 'vaste_waarnemer')
                group by all
            )
            select g.gemeentecode, g.peiljaar
            from marts.fct_capaciteit_gemeente g
            left join zorggroep z using (gemeentecode, peiljaar)
            where g.praktijken_aangeleverd > 0
              and (abs(g.huisartsen_fte_praktijkgebonden_met_aanlevering - coalesce(z.fte, 0))
                       > 1e-6
                   or abs(g.patienten_per_fte_huisarts
                          - g.ingeschreven_patienten / z.fte) > 1e-6)
            """
        ).fetchall()
        gedekt = conn.execute(
            "select count(*) from marts.fct_capaciteit_gemeente "
            "where praktijken_aangeleverd > 0 and patienten_per_fte_huisarts is not null"
        ).fetchone()[0]
    assert gedekt > 0
    assert afwijkend == []


def test_gross_shortage_sits_next_to_the_net_one(published_warehouse):
    with duckdb.connect(str(published_warehouse.serving_db), read_only=True) as conn:
        rows = conn.execute(
            """
            with som as (
                select peiljaar,
                       sum(case when tekort_fte_nza_norm > 0 then tekort_fte_nza_norm end) as nza,
                       sum(case when tekort_fte_lhv_norm > 0 then tekort_fte_lhv_norm end) as lhv
                from marts.fct_capaciteit_gemeente group by peiljaar
            )
            select n.peiljaar, n.tekort_fte_nza_norm, n.tekort_fte_nza_norm_bruto, som.nza,
                   n.tekort_fte_lhv_norm, n.tekort_fte_lhv_norm_bruto, som.lhv
            from marts.fct_capaciteit_nationaal n join som using (peiljaar)
            where n.tekort_fte_nza_norm is not null
            """
        ).fetchall()
    assert rows
    # Suppressed gemeenten count together (docs/onthullingsbeheersing.md, gross shortages),
    # so the gross lies between the net and the plain sum of every positive shortage.
    for _, netto_nza, bruto_nza, som_nza, netto_lhv, bruto_lhv, som_lhv in rows:
        assert max(netto_nza, 0.0) - 1e-9 <= bruto_nza <= (som_nza or 0.0) + 1e-9
        assert max(netto_lhv, 0.0) - 1e-9 <= bruto_lhv <= (som_lhv or 0.0) + 1e-9
