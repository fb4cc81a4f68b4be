"""One underlying world of practices, GPs and practice staff per peiljaar.

Every source file is a view of this world, so the sources agree with each other the way real
registrations would: the GPs a zorggroep reports for a gemeente are exactly the Nivel
praktijkhouders and hidha's of that gemeente, and Nivel adds the wisselende waarnemers that
no practice reports.

Positions (Nivel series "functies" in huisartsen_beroepsgroep_nivel_sph.json):

* ``praktijkhouder`` = Nivel "Praktijkhouders"; zorggroep rol ``praktijkhouder``.
* ``hidha`` = Nivel "In dienst en vaste waarnemers"; a hidha is bound to one practice and
  is reported by the zorggroep as rol ``hidha`` (in dienst) or ``vaste_waarnemer``, split
  by the NZa ratio in table ``hidha_split``.
* ``waarnemer`` = Nivel "Wisselende waarnemers"; they work for several practices, are
  registered in a home gemeente by Nivel and do not appear in zorggroep workbooks.

The simulation runs forward from 2020: older GPs retire, newly trained GPs enter (with the
women share needed to follow the Capaciteitsorgaan trend), hidha's succeed practice holders,
and every newly practice-bound GP joins the practice with the most patients per FTE. That
last rule keeps patients per FTE near the national level in every gemeente, except in the
deliberately stressed gemeenten, where practices are harder to staff.
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from orchestration.codes import (
    GESLACHTEN,
    HUISARTS_POSITIES,
    LEEFTIJDSKLASSEN,
    ONDERSTEUNENDE_FUNCTIES,
)
from orchestration.synthetic.calibration import PEILJAREN, NationalTargets

# Positions and sexes are stored as indexes into the code lists.
PRAKTIJKHOUDER, HIDHA, WAARNEMER = (
    HUISARTS_POSITIES.index(p) for p in ("praktijkhouder", "hidha", "waarnemer")
)
POSITIES = HUISARTS_POSITIES
MAN, VROUW = GESLACHTEN.index("man"), GESLACHTEN.index("vrouw")
AGE_EDGES = np.array([35, 45, 55, 60, 65])  # lower bounds of the bands after "<35"

# Stressed gemeenten are staffed as if their practices needed this much more patients per
# FTE before a new GP would choose them: ~1.6 x the national level, i.e. 3,000-3,500.
STRESS_FACTOR = 1.6
STRESSED_COUNT = 12
# Registered patients per inhabitant; a little under 1 because some people are not listed.
REGISTRATION_RATE = 0.995
# The longest list a practice gets; below the intake's maximum of 30,000 (zorggroep
# standard), above the longest list of any scale-1 world (about 23,500 over the seeds tried).
MAX_LIST = 25_000
# At most this many staff of one function in a practice, the zorggroep standard's maximum
# (docs/inname.md, "Grenzen van aannemelijkheid"); scale-1 worlds stay well below it (<40).
MAX_STAFF_PER_FUNCTION = 50


def age_band(age: np.ndarray) -> np.ndarray:
    return np.searchsorted(AGE_EDGES, age, side="right")


def exit_probability(age: np.ndarray) -> np.ndarray:
    """Yearly chance to stop working as a GP, by age (nobody works past 70)."""
    return np.select(
        [age < 55, age < 60, age < 62, age < 65, age < 67, age < 70],
        [0.01, 0.02, 0.05, 0.09, 0.25, 0.4],
        default=1.0,
    )


@dataclass
class Practices:
    """Stable practice attributes; a practice is active from open_year until close_year."""

    gemeente: np.ndarray  # index into the gemeenten frame
    weight: np.ndarray  # relative list size within its gemeente
    gezondheidscentrum: np.ndarray
    open_year: np.ndarray
    close_year: np.ndarray
    staff_propensity: np.ndarray  # shape (n, 5): per support function, lognormal factor
    adoption: np.ndarray  # shape (n, 2): when a practice starts with a VS / PA
    agb: list[str] = field(default_factory=list)

    def active(self, year: int) -> np.ndarray:
        return (self.open_year <= year) & (self.close_year > year)


@dataclass
class Year:
    """The world on 1 January of one peiljaar."""

    year: int
    persons: np.ndarray  # indices of active GPs
    position: np.ndarray  # per active GP
    practice: np.ndarray  # per active GP, -1 for waarnemers
    fte: np.ndarray  # per active GP, two decimals
    practices: np.ndarray  # indices of active practices
    patients: np.ndarray  # registered patients per active practice
    patients_65plus: np.ndarray
    patients_75plus: np.ndarray
    staff: pd.DataFrame  # one row per support-staff person


@dataclass
class World:
    scale: float
    seed: int
    gemeenten: pd.DataFrame
    stressed: np.ndarray  # gemeente indices
    practices: Practices
    sex: np.ndarray
    birth_year: np.ndarray
    home_gemeente: np.ndarray  # where Nivel registers a waarnemer
    vaste_waarnemer: np.ndarray  # hidha reported as vaste_waarnemer rather than in dienst
    persoon_id: list[str]
    years: dict[int, Year]


class _Simulation:
    def __init__(
        self, gemeenten: pd.DataFrame, targets: NationalTargets, scale: float, seed: int
    ) -> None:
        self.g = gemeenten
        self.t = targets
        self.scale = scale
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.population = {
            y: gemeenten[f"inwoners_{y}"].to_numpy(dtype=float) * scale for y in PEILJAREN
        }
        self.pop_share = self.population[2024] / self.population[2024].sum()
        self.stressed = self._choose_stressed()
        # How readily a new GP joins a practice here: regional variation, stressed areas low.
        self.attraction = np.exp(self.rng.normal(0.0, 0.1, len(gemeenten)))
        self.attraction[self.stressed] = 1.0 / STRESS_FACTOR
        capacity = int(round(float(targets.huisartsen.max()) * scale * 1.6)) + 64
        self.sex = np.zeros(capacity, dtype=np.int8)
        self.birth = np.zeros(capacity, dtype=np.int32)
        self.fte_u = np.zeros(capacity)
        self.linger = np.zeros(capacity, dtype=bool)
        self.home = np.zeros(capacity, dtype=np.int32)
        self.vast = np.zeros(capacity, dtype=bool)
        self.n_persons = 0

    # -- gemeenten and practices --------------------------------------------------------

    def _choose_stressed(self) -> np.ndarray:
        """At most one per AZW region, among mid-sized gemeenten, chosen by the seed."""
        pop = self.g["inwoners_2024"].to_numpy()
        candidates = np.flatnonzero((pop >= 12_000) & (pop <= 90_000))
        order = self.rng.permutation(candidates)
        chosen, regions = [], set()
        for index in order:
            region = self.g.at[index, "regio_code"]
            if region not in regions:
                chosen.append(index)
                regions.add(region)
            if len(chosen) == STRESSED_COUNT:
                break
        return np.array(sorted(chosen), dtype=int)

    def _allocate(self, total: int, shares: np.ndarray, minimum: int) -> np.ndarray:
        """Largest-remainder allocation of ``total`` over shares, each at least ``minimum``."""
        counts = np.full(len(shares), minimum)
        rest = total - counts.sum()
        if rest <= 0:
            return counts
        exact = shares * total - minimum
        exact = np.clip(exact, 0, None)
        exact *= rest / exact.sum()
        floor = np.floor(exact).astype(int)
        left = rest - floor.sum()
        order = np.argsort(-(exact - floor), kind="stable")
        floor[order[:left]] += 1
        return counts + floor

    def build_practices(self) -> Practices:
        years = PEILJAREN
        targets = np.round(self.t.praktijken * self.scale).astype(int)
        targets = np.maximum(targets, 1)
        minimum = 1 if targets[0] >= 2 * len(self.g) else 0
        per_gemeente = self._allocate(int(targets[0]), self.pop_share, minimum)
        gemeente = list(np.repeat(np.arange(len(self.g)), per_gemeente))
        open_year = [years[0]] * len(gemeente)
        close_year = [9999] * len(gemeente)
        churn = max(0, int(round(0.004 * targets[0])))
        for i, year in enumerate(years[1:], start=1):
            delta = int(targets[i] - targets[i - 1])
            closing = churn + max(0, -delta)
            opening = churn + max(0, delta)
            active = (np.array(open_year) <= year - 1) & (np.array(close_year) > year - 1)
            counts = np.bincount(
                np.array(gemeente)[active], minlength=len(self.g)
            )  # a gemeente keeps its last practice
            candidates = [p for p in np.flatnonzero(active) if counts[gemeente[p]] > 1]
            closing = min(closing, len(candidates))
            for p in self.rng.choice(candidates, size=closing, replace=False):
                if counts[gemeente[p]] > 1:
                    close_year[p] = year
                    counts[gemeente[p]] -= 1
            new_gemeenten = self.rng.choice(len(self.g), size=opening, p=self.pop_share)
            for g in sorted(new_gemeenten):
                gemeente.append(int(g))
                open_year.append(year)
                close_year.append(9999)
        n = len(gemeente)
        # List sizes: most practices 1,500-6,000 patients, health centres larger.
        gezondheidscentrum = self.rng.random(n) < 0.05
        weight = np.exp(self.rng.normal(0.0, 0.45, n)) * np.where(gezondheidscentrum, 2.2, 1.0)
        agb_numbers = self.rng.choice(1_000_000, size=n, replace=False)
        return Practices(
            gemeente=np.array(gemeente, dtype=int),
            weight=weight,
            gezondheidscentrum=gezondheidscentrum,
            open_year=np.array(open_year),
            close_year=np.array(close_year),
            staff_propensity=np.exp(self.rng.normal(0.0, 0.18, (n, 5))),
            adoption=self.rng.random((n, 2)),
            agb=[f"01{number:06d}" for number in agb_numbers],
        )

    def patients(self, practices: Practices, year: int) -> tuple[np.ndarray, np.ndarray]:
        active = np.flatnonzero(practices.active(year))
        gem = practices.gemeente[active]
        weights = practices.weight[active]
        totals = np.bincount(gem, weights=weights, minlength=len(self.g))
        share = weights / totals[gem]
        lists = self.population[year][gem] * REGISTRATION_RATE * share
        if lists.max() > MAX_LIST:
            lists = self._capped(lists, gem, weights, self.population[year] * REGISTRATION_RATE)
        return active, np.maximum(np.round(lists), 1).astype(int)

    def _capped(
        self, lists: np.ndarray, gem: np.ndarray, weights: np.ndarray, registered: np.ndarray
    ) -> np.ndarray:
        """Lists of at most MAX_LIST, the rest of each gemeente shared by weight as before.

        The lognormal list weights have a longer tail the more practices there are, so only
        a larger world meets a practice above the intake's plausibility maximum. Capping
        such a practice, and giving its surplus to the other practices of its gemeente,
        keeps every gemeente's patients; where no list is that long nothing changes.
        """
        n = len(self.g)
        capped = np.zeros(lists.size, dtype=bool)
        while (over := (lists > MAX_LIST) & ~capped).any():
            capped |= over
            free = np.bincount(gem[~capped], weights=weights[~capped], minlength=n)
            rest = registered - MAX_LIST * np.bincount(gem[capped], minlength=n)
            lists = np.where(
                capped,
                MAX_LIST,
                rest[gem] * weights / np.where(free[gem] > 0, free[gem], 1.0),
            )
        # A gemeente whose every practice would be capped keeps an even split instead.
        full = np.bincount(gem[~capped], minlength=n) == 0
        even = registered / np.maximum(np.bincount(gem, minlength=n), 1)
        return np.where(full[gem], even[gem], lists)

    # -- GPs ------------------------------------------------------------------------------

    def _new_persons(self, n: int, sex: np.ndarray, birth: np.ndarray) -> np.ndarray:
        ids = np.arange(self.n_persons, self.n_persons + n)
        if ids.size and ids[-1] >= self.sex.size:
            grow = max(n, self.sex.size // 2)
            for name in ("sex", "birth", "fte_u", "linger", "home", "vast"):
                array = getattr(self, name)
                setattr(self, name, np.concatenate([array, np.zeros(grow, dtype=array.dtype)]))
        self.sex[ids] = sex
        self.birth[ids] = birth
        self.fte_u[ids] = self.rng.normal(0.0, 1.0, n)
        self.home[ids] = self.rng.choice(len(self.g), size=n, p=self.pop_share)
        self.vast[ids] = self.rng.random(n) < self.t.aandeel_vaste_waarnemer_in_hidha
        self.n_persons += n
        return ids

    def _position_targets(self, i: int, total: int) -> np.ndarray:
        counts = np.floor(self.t.aandeel_positie[i] * total).astype(int)
        counts[0] += total - counts.sum()
        return counts

    def _fte(self, persons: np.ndarray, position: np.ndarray, year: int) -> np.ndarray:
        """Per-person FTE with the national mean per sex of the Capaciteitsorgaan."""
        i = PEILJAREN.index(year)
        age = year - self.birth[persons]
        sex = self.sex[persons]
        base = 0.16 * self.fte_u[persons]
        base -= np.where(age >= 65, 0.12, np.where(age >= 60, 0.03, 0.0))
        # Wisselende waarnemers fill whole days at several practices.
        base += np.select([position == PRAKTIJKHOUDER, position == WAARNEMER], [0.03, 0.06], 0.0)
        fte = np.zeros(persons.size)
        for code, target in ((MAN, self.t.fte_man[i]), (VROUW, self.t.fte_vrouw[i])):
            mask = sex == code
            shift = target
            for _ in range(6):
                values = np.clip(base[mask] + shift, 0.2, 1.2)
                shift += target - values.mean() if mask.any() else 0.0
            fte[mask] = np.round(np.clip(base[mask] + shift, 0.2, 1.2), 2)
        return fte

    def initial_persons(self) -> tuple[np.ndarray, np.ndarray]:
        total = int(round(self.t.huisartsen[0] * self.scale))
        women = int(round(self.t.aandeel_vrouw[0] * total))
        sex = np.array([VROUW] * women + [MAN] * (total - women), dtype=np.int8)
        age = np.where(
            sex == VROUW,
            self.rng.normal(45.0, 9.0, total),
            self.rng.normal(54.0, 9.5, total),
        )
        age = np.clip(np.round(age), 30, 68).astype(int)
        persons = self._new_persons(total, sex, PEILJAREN[0] - age)
        counts = self._position_targets(0, total)
        position = np.full(total, WAARNEMER, dtype=np.int8)
        ph_weight = np.where(age < 35, 0.15, np.where(age < 45, 1.0, 2.2))
        ph = self.rng.choice(total, size=counts[0], replace=False, p=ph_weight / ph_weight.sum())
        position[ph] = PRAKTIJKHOUDER
        rest = np.flatnonzero(position == WAARNEMER)
        h_weight = np.where(age[rest] < 35, 1.6, np.where(age[rest] < 55, 1.0, 0.45))
        hidha = self.rng.choice(rest, size=counts[1], replace=False, p=h_weight / h_weight.sum())
        position[hidha] = HIDHA
        return persons, position

    # -- yearly assignment -----------------------------------------------------------------

    def assign(
        self,
        year: int,
        practices: Practices,
        persons: np.ndarray,
        position: np.ndarray,
        practice: np.ndarray,
        fte: np.ndarray,
    ) -> np.ndarray:
        """Give every practice a holder, then place unplaced practice-bound GPs greedily."""
        active, lists = self.patients(practices, year)
        is_active = practices.active(year)
        bound = position != WAARNEMER
        practice = np.where(bound & (practice >= 0), practice, -1)
        practice[(practice >= 0) & ~is_active[np.maximum(practice, 0)]] = -1
        practice[~bound] = -1

        # ``active`` is sorted, so a practice's place in it is a binary search away.
        holders = np.bincount(
            np.searchsorted(active, practice[(position == PRAKTIJKHOUDER) & (practice >= 0)]),
            minlength=active.size,
        )
        unplaced_ph = list(np.flatnonzero((position == PRAKTIJKHOUDER) & (practice < 0)))
        self.rng.shuffle(unplaced_ph)
        # Looked up once rather than per practice (which is quadratic in the scale): no step
        # of the loop changes another practice's hidha's, and the spare GPs are taken
        # lowest index first and leave the pool when taken.
        hidha = np.flatnonzero((practice >= 0) & (position == HIDHA))
        with_hidha, first = np.unique(practice[hidha], return_index=True)
        first_hidha = np.full(is_active.size, -1)
        first_hidha[with_hidha] = hidha[first]
        spare = np.flatnonzero((practice < 0) & (position != PRAKTIJKHOUDER) & bound)
        next_spare = 0
        for k in np.flatnonzero(holders == 0):
            # Succession: a hidha of the practice takes over before anyone from outside.
            inside = first_hidha[active[k]]
            if inside >= 0:
                position[inside] = PRAKTIJKHOUDER
            elif unplaced_ph:
                practice[unplaced_ph.pop()] = active[k]
            elif next_spare < spare.size:
                practice[spare[next_spare]] = active[k]
                position[spare[next_spare]] = PRAKTIJKHOUDER
                next_spare += 1
            holders[k] = 1
        self._trim_holders(year, position, practice)

        loads = np.bincount(
            np.searchsorted(active, practice[practice >= 0]),
            weights=fte[practice >= 0],
            minlength=active.size,
        )
        attraction = self.attraction[practices.gemeente[active]]
        heap = [(-lists[k] * attraction[k] / (loads[k] + 0.3), k) for k in range(active.size)]
        heapq.heapify(heap)
        waiting = np.flatnonzero(bound & (practice < 0))
        waiting = waiting[self.rng.permutation(waiting.size)]
        for person in waiting:
            _, k = heapq.heappop(heap)
            practice[person] = active[k]
            loads[k] += fte[person]
            heapq.heappush(heap, (-lists[k] * attraction[k] / (loads[k] + 0.3), k))
        return practice

    def _trim_holders(self, year: int, position: np.ndarray, practice: np.ndarray) -> None:
        """Undo the surplus that successions create, in practices with several holders."""
        target = self._position_targets(PEILJAREN.index(year), position.size)[0]
        surplus = int((position == PRAKTIJKHOUDER).sum()) - target
        if surplus <= 0:
            return
        holders = np.flatnonzero((position == PRAKTIJKHOUDER) & (practice >= 0))
        per_practice = np.bincount(practice[holders])
        shared = holders[per_practice[practice[holders]] > 1]
        # Keep one holder per practice: only the later holders of a practice may step back.
        _, first = np.unique(practice[shared], return_index=True)
        shared = np.delete(shared, first)
        drop = self.rng.permutation(shared)[:surplus]
        position[drop] = HIDHA

    def rebalance_positions(
        self, i: int, persons: np.ndarray, position: np.ndarray, practice: np.ndarray
    ) -> None:
        """Move GPs between positions until the Nivel split of this year is met."""
        year = PEILJAREN[i]
        target = self._position_targets(i, persons.size)
        age = year - self.birth[persons]
        ph = np.flatnonzero(position == PRAKTIJKHOUDER)
        if ph.size > target[0]:
            # Practice holders who sell their share and stay on as employed GPs.
            younger = ph[np.argsort(age[ph], kind="stable")]
            position[younger[: ph.size - target[0]]] = HIDHA
        elif ph.size < target[0]:
            hidha = np.flatnonzero(position == HIDHA)
            weight = np.where((age[hidha] >= 35) & (age[hidha] < 55), 3.0, 1.0)
            need = min(target[0] - ph.size, hidha.size)
            position[self.rng.choice(hidha, need, replace=False, p=weight / weight.sum())] = (
                PRAKTIJKHOUDER
            )
        hidha = np.flatnonzero(position == HIDHA)
        if hidha.size > target[1]:
            drop = self.rng.choice(hidha, hidha.size - target[1], replace=False)
            position[drop] = WAARNEMER
            practice[drop] = -1
        elif hidha.size < target[1]:
            locum = np.flatnonzero(position == WAARNEMER)
            weight = np.where(age[locum] < 60, 1.0, 0.1)
            need = min(target[1] - hidha.size, locum.size)
            position[self.rng.choice(locum, need, replace=False, p=weight / weight.sum())] = HIDHA

    def run(self) -> World:
        practices = self.build_practices()
        persons, position = self.initial_persons()
        practice = np.full(persons.size, -1)
        years: dict[int, Year] = {}
        for i, year in enumerate(PEILJAREN):
            if i > 0:
                persons, position, practice = self.advance(i, persons, position, practice)
            fte = self._fte(persons, position, year)
            practice = self.assign(year, practices, persons, position, practice, fte)
            if i == 0:
                self._age_stressed_holders(practices, persons, position, practice)
                fte = self._fte(persons, position, year)
            active, lists = self.patients(practices, year)
            share_65 = self.g["aandeel_65plus"].to_numpy()[practices.gemeente[active]]
            p65 = np.minimum(
                np.round(lists * share_65 * np.exp(self.rng.normal(0, 0.15, active.size))), lists
            ).astype(int)
            p75 = np.round(p65 * self.rng.uniform(0.38, 0.5, active.size)).astype(int)
            years[year] = Year(
                year=year,
                persons=persons.copy(),
                position=position.copy(),
                practice=practice.copy(),
                fte=fte,
                practices=active,
                patients=lists,
                patients_65plus=p65,
                patients_75plus=p75,
                staff=self.staff(practices, year, active, lists),
            )
        return World(
            scale=self.scale,
            seed=self.seed,
            gemeenten=self.g,
            stressed=self.stressed,
            practices=practices,
            sex=self.sex[: self.n_persons].copy(),
            birth_year=self.birth[: self.n_persons].copy(),
            home_gemeente=self.home[: self.n_persons].copy(),
            vaste_waarnemer=self.vast[: self.n_persons].copy(),
            persoon_id=_pseudonyms(self.seed, self.n_persons),
            years=years,
        )

    def _age_stressed_holders(self, practices, persons, position, practice) -> None:
        """Stressed gemeenten start with practice holders near retirement who stay on."""
        stressed = np.isin(practices.gemeente[np.maximum(practice, 0)], self.stressed)
        chosen = persons[stressed & (practice >= 0) & (position == PRAKTIJKHOUDER)]
        self.birth[chosen] = PEILJAREN[0] - self.rng.integers(56, 63, chosen.size)
        self.linger[chosen] = True

    def advance(self, i: int, persons, position, practice):
        year = PEILJAREN[i]
        age = year - self.birth[persons]
        leave = exit_probability(age)
        leave = np.where(self.linger[persons] & (age < 70), leave * 0.25, leave)
        stay = self.rng.random(persons.size) >= leave
        persons, position, practice = persons[stay], position[stay], practice[stay]

        total = int(round(self.t.huisartsen[i] * self.scale))
        entrants = max(0, total - persons.size)
        women_needed = int(round(self.t.aandeel_vrouw[i] * total)) - int(
            (self.sex[persons] == VROUW).sum()
        )
        women = int(np.clip(women_needed, 0, entrants))
        sex = self.rng.permutation(np.array([VROUW] * women + [MAN] * (entrants - women)))
        entry_age = np.clip(np.round(self.rng.gamma(3.0, 1.3, entrants) + 29), 29, 45)
        new = self._new_persons(entrants, sex.astype(np.int8), year - entry_age.astype(int))
        persons = np.concatenate([persons, new])
        position = np.concatenate([position, np.full(entrants, WAARNEMER, dtype=np.int8)])
        practice = np.concatenate([practice, np.full(entrants, -1)])
        self.rebalance_positions(i, persons, position, practice)
        return persons, position, practice

    # -- support staff -----------------------------------------------------------------------

    def staff(
        self, practices: Practices, year: int, active: np.ndarray, lists: np.ndarray
    ) -> pd.DataFrame:
        """One row per support-staff person: practice, functie, geslacht, band, fte."""
        trend = year - PEILJAREN[0]
        stressed = np.isin(practices.gemeente[active], self.stressed)
        per_1000 = lists / 1000.0
        propensity = practices.staff_propensity[active]
        fte_by_function = np.column_stack(
            [
                per_1000 * 0.78 * np.where(stressed, 0.85, 1.0) * propensity[:, 0],
                per_1000 * (0.25 + 0.004 * trend) * propensity[:, 1],
                per_1000 * (0.12 + 0.01 * trend) * propensity[:, 2],
                np.where(practices.adoption[active, 0] < 0.07 + 0.016 * trend, 0.8, 0.0)
                * propensity[:, 3],
                np.where(practices.adoption[active, 1] < 0.03 + 0.01 * trend, 0.9, 0.0)
                * propensity[:, 4],
            ]
        )
        mean_person_fte = np.array([0.62, 0.72, 0.68, 0.85, 0.9])
        women_share = np.array([0.97, 0.93, 0.8, 0.85, 0.7])
        band_weights = np.array(
            [
                [0.28, 0.27, 0.22, 0.12, 0.08, 0.03],
                [0.08, 0.27, 0.32, 0.17, 0.12, 0.04],
                [0.1, 0.3, 0.3, 0.15, 0.11, 0.04],
                [0.03, 0.3, 0.37, 0.17, 0.11, 0.02],
                [0.12, 0.48, 0.28, 0.08, 0.03, 0.01],
            ]
        )
        frames = []
        for f, functie in enumerate(ONDERSTEUNENDE_FUNCTIES):
            total = fte_by_function[:, f]
            keep = total >= 0.05
            n = np.where(keep, np.maximum(1, np.round(total / mean_person_fte[f])), 0).astype(int)
            n = np.minimum(n, MAX_STAFF_PER_FUNCTION)
            owner = np.repeat(np.arange(active.size), n)
            raw = self.rng.uniform(0.55, 1.0, owner.size)
            scaled = raw * (total / np.maximum(np.bincount(owner, raw, active.size), 1e-9))[owner]
            frames.append(
                pd.DataFrame(
                    {
                        "practice": active[owner],
                        "functie": functie,
                        "geslacht": np.where(
                            self.rng.random(owner.size) < women_share[f], "vrouw", "man"
                        ),
                        "leeftijdsklasse": np.array(LEEFTIJDSKLASSEN)[
                            self.rng.choice(6, owner.size, p=band_weights[f])
                        ],
                        "fte": np.round(np.clip(scaled, 0.05, 1.0), 2),
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)


def _pseudonyms(seed: int, n: int) -> list[str]:
    """Stable pseudonyms: a keyed hash, so ids say nothing about order or person."""
    key = str(seed).encode()
    return [
        "HA" + hashlib.blake2b(str(i).encode(), key=key, digest_size=6).hexdigest().upper()
        for i in range(n)
    ]


def build_world(
    gemeenten: pd.DataFrame, targets: NationalTargets, scale: float, seed: int
) -> World:
    return _Simulation(gemeenten, targets, scale, seed).run()


def gp_persons(world: World, year: Year) -> pd.DataFrame:
    """One row per active GP with the gemeente Nivel registers them in."""
    persons = year.persons
    bound = year.position != WAARNEMER
    gemeente = np.where(
        bound,
        world.practices.gemeente[np.maximum(year.practice, 0)],
        world.home_gemeente[persons],
    )
    age = year.year - world.birth_year[persons]
    return pd.DataFrame(
        {
            "gemeentecode": world.gemeenten["gemeentecode"].to_numpy()[gemeente],
            "positie": np.array(POSITIES)[year.position],
            "geslacht": np.array(GESLACHTEN)[world.sex[persons]],
            "leeftijdsklasse": np.array(LEEFTIJDSKLASSEN)[age_band(age)],
            "fte": year.fte,
        }
    )
