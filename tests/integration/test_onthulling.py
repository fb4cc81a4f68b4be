"""The differencing attack on the published serving DB (docs/onthullingsbeheersing.md).

An attacker holds every published table: the gemeente rows of the public marts (with their
empty cells) and the totals per AZW region, province, GGD region and the country, also
those restricted to gemeenten with a submission. For each peiljaar and each rule the
suppressed gemeenten are unknowns; every published total gives one linear equation (the
total minus the gemeenten shown). A suppressed cell is exactly recoverable when its unit
vector lies in the row space of those equations, i.e. when every null-space vector of the
system is zero at that cell. The test solves the system for real figures and demands that
no suppressed cell comes back, and shows that without complementary suppression the same
attack does recover cells (so it can fail).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

pytestmark = pytest.mark.integration

REGIO_TYPEN = {"azw": "azw_regio_code", "provincie": "provincie_code", "ggd": "ggd_regio_code"}
# Published additive columns per rule, each with the published total it is attacked from.
PERSOONSKOLOMMEN = ["huisartsen_personen", "huisartsen_fte", "huisartsen_fte_60plus"]
PRAKTIJKKOLOMMEN = ["ingeschreven_patienten", "vacatures_open", "praktijkhouders_60plus"]


def _frame(db: Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).df()


def _groups(gemeenten, met_aanlevering=None) -> list[np.ndarray]:
    """Membership vectors of every published total over gemeenten (one per region and the
    country), optionally restricted to gemeenten with a submission."""
    mask = np.ones(len(gemeenten), dtype=bool)
    if met_aanlevering is not None:
        mask = met_aanlevering
    groups = [mask.astype(float)]
    for kolom in REGIO_TYPEN.values():
        for code in gemeenten[kolom].unique():
            groups.append(((gemeenten[kolom] == code).to_numpy() & mask).astype(float))
    return groups


def recoverable(groups: list[np.ndarray], unknown: np.ndarray) -> np.ndarray:
    """Indices (into the gemeenten) of unknown cells that the equations determine exactly."""
    cols = np.flatnonzero(unknown)
    if cols.size == 0:
        return cols
    a = np.array([g[cols] for g in groups])
    a = a[np.abs(a).sum(axis=1) > 0]
    if a.size == 0:
        return np.array([], dtype=int)
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    determined = np.all(np.abs(null) < 1e-9, axis=0) if null.size else np.ones(cols.size, bool)
    return cols[determined]


def _attack(published_warehouse, rule: str, only_primary: bool = False):
    """Run the attack for one rule over every peiljaar. Returns (found, checked): found lists
    (peiljaar, gemeentecode, column, recovered, true) for every cell that comes back; a cell
    that only the totals over gemeenten with a submission pin down is listed with column
    None."""
    db = published_warehouse.serving_db
    bron = ", ".join(f"b.{k} as bron_{k}" for k in PERSOONSKOLOMMEN + PRAKTIJKKOLOMMEN)
    data = _frame(
        db,
        f"""
        select p.*, d.ggd_regio_code, {bron},
               b.praktijken_aangeleverd as bron_praktijken_aangeleverd
        from marts.fct_capaciteit_gemeente_publiek p
        join marts.dim_gemeente d using (gemeentecode)
        join marts.fct_capaciteit_gemeente b using (gemeentecode, peiljaar)
        order by p.peiljaar, p.gemeentecode
        """,
    )
    # Practices the pattern left out of every total (docs/onthullingsbeheersing.md) are in
    # no equation: the attacker sees them as not submitted.
    buiten = _frame(
        published_warehouse.build_db,
        "select gemeentecode, peiljaar from intermediate.int_kleine_cellen_onderdrukt "
        "where is_buiten_totalen_praktijken",
    )
    buiten_keys = set(zip(buiten.gemeentecode, buiten.peiljaar, strict=True))
    regio = _frame(db, "select * from marts.fct_capaciteit_regio")
    nationaal = _frame(db, "select * from marts.fct_capaciteit_nationaal")
    kolommen = PERSOONSKOLOMMEN if rule == "personen" else PRAKTIJKKOLOMMEN
    found, checked = [], 0
    for peiljaar, gemeenten in data.groupby("peiljaar"):
        gemeenten = gemeenten.reset_index(drop=True)
        if only_primary:
            if rule == "personen":
                unknown = (gemeenten.bron_huisartsen_personen < 5).to_numpy()
            else:
                aantal = gemeenten.bron_praktijken_aangeleverd.fillna(0)
                unknown = ((aantal > 0) & (aantal < 3)).to_numpy()
        else:
            unknown = gemeenten[f"is_onderdrukt_{rule}"].to_numpy(dtype=bool).copy()
        if rule == "praktijken":
            left_out = np.array([(g, peiljaar) in buiten_keys for g in gemeenten.gemeentecode])
            unknown &= ~left_out
            for kolom in PRAKTIJKKOLOMMEN:
                gemeenten.loc[left_out, f"bron_{kolom}"] = 0
        checked += int(unknown.sum())
        met_aanlevering = gemeenten.heeft_aanlevering.to_numpy(dtype=bool)
        # Practice figures of a gemeente without a submission are known to be nothing, and
        # the practice-bound GP FTE is published as a total over gemeenten with a submission.
        restricted = _groups(gemeenten, met_aanlevering)
        direct = _groups(gemeenten) if rule == "personen" else restricted
        everything = direct + restricted if rule == "personen" else restricted
        direct_hits = set(recoverable(direct, unknown).tolist())
        for i in recoverable(everything, unknown):
            if i not in direct_hits:
                found.append((peiljaar, gemeenten.gemeentecode[i], None, None, None))
                continue
            for kolom in kolommen:
                waarde = np.where(unknown, 0.0, gemeenten[f"bron_{kolom}"].fillna(0).to_numpy())
                totals = _published_totals(regio, nationaal, peiljaar, kolom, gemeenten)
                recovered = _solve_cell(direct, totals, waarde, unknown, i)
                true = float(gemeenten[f"bron_{kolom}"].fillna(0)[i])
                found.append((peiljaar, gemeenten.gemeentecode[i], kolom, recovered, true))
    return found, checked


def _published_totals(regio, nationaal, peiljaar, kolom, gemeenten) -> list[float]:
    """The published totals in the order of _groups: the country, then each region type."""
    totals = [float(nationaal.loc[nationaal.peiljaar == peiljaar, kolom].iloc[0])]
    for regio_type, code_kolom in REGIO_TYPEN.items():
        for code in gemeenten[code_kolom].unique():
            rij = regio[
                (regio.regio_type == regio_type)
                & (regio.regio_code == code)
                & (regio.peiljaar == peiljaar)
            ]
            totals.append(float(rij[kolom].fillna(0).iloc[0]))
    return totals


def _solve_cell(groups, totals, waarde, unknown, i) -> float:
    """The attacker's value for cell i: least squares on total − shown over the unknowns."""
    cols = np.flatnonzero(unknown)
    a = np.array([g[cols] for g in groups])
    rest = np.array([t - float(g @ waarde) for g, t in zip(groups, totals, strict=True)])
    x, *_ = np.linalg.lstsq(a, rest, rcond=None)
    return float(x[list(cols).index(i)])


@pytest.mark.parametrize("rule", ["personen", "praktijken"])
def test_no_suppressed_cell_comes_back_by_differencing(published_warehouse, rule):
    found, checked = _attack(published_warehouse, rule)
    assert checked > 0, f"no {rule} cell is suppressed in the sample data: nothing was attacked"
    assert found == [], f"recoverable {rule} cells (peiljaar, gemeente, kolom, teruggerekend, echt)"


def test_the_attack_recovers_cells_without_complementary_suppression(published_warehouse):
    """The same attack against primary suppression alone finds the small cells, and its
    recovered values are the true ones: the attack is real, so the test above can fail."""
    found, checked = _attack(published_warehouse, "personen", only_primary=True)
    solved = [hit for hit in found if hit[2] is not None]
    assert checked > 0 and solved, "the attack found nothing even without complementary cells"
    for _, _, _, recovered, true in solved:
        assert recovered == pytest.approx(true, abs=1e-6)


def test_the_projection_suppresses_exactly_the_basisjaar_person_pattern(published_warehouse):
    """fct_prognose_gemeente_publiek starts from each gemeente's GPs in the basisjaar, so its
    supply columns are empty, in every year, for exactly the gemeenten whose person figures
    the capacity mart leaves empty in that peiljaar; demand stays shown."""
    (rows,) = _frame(
        published_warehouse.serving_db,
        """
        select
            count(*) filter (where p.aanbod_personen is null <> c.is_onderdrukt_personen),
            count(*) filter (where p.aanbod_fte is null <> c.is_onderdrukt_personen),
            count(*) filter (where p.tekort_fte is null <> c.is_onderdrukt_personen),
            count(*) filter (where p.vraag_fte is null),
            count(*) filter (where c.is_onderdrukt_personen)
        from marts.fct_prognose_gemeente_publiek p
        join marts.fct_capaciteit_gemeente_publiek c
            on p.gemeentecode = c.gemeentecode and p.basisjaar = c.peiljaar
        """,
    ).itertuples(index=False)
    *mismatches, suppressed = rows
    assert mismatches == [0, 0, 0, 0] and suppressed > 0


def test_no_published_table_shows_a_suppressed_gemeentes_gps(published_warehouse):
    """Every public gemeente-level table hides the person counts wherever the person rule
    suppresses them, in every observed year."""
    (shown,) = _frame(
        published_warehouse.serving_db,
        """
        select count(*)
        from marts.fct_capaciteit_gemeente_publiek c
        join marts.fct_prognose_gemeente_publiek p
            on p.gemeentecode = c.gemeentecode and p.jaar = c.peiljaar
        where c.is_onderdrukt_personen
          and (p.aanbod_personen is not null or p.aanbod_personen_vrouw is not null
               or c.huisartsen_personen is not null or c.prognose_tekort_pct is not null)
        """,
    ).iloc[0]
    assert shown == 0
