"""Read and validate the projection's what-if scenarios (prognose_wat_als.yaml).

An analyst describes each what-if in a few keys; every one becomes a named scenario of the
projection marts (fct_prognose_*) after one ``capmon run``, on top of the
voorkeursscenario. The file is checked key by key and a mistake stops the run with a
Dutch message that names the scenario and the key, before anything is landed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from orchestration.paths import PROJECT_ROOT

WAT_ALS_ENV = "CAPMON_PROGNOSE_WAT_ALS"
WAT_ALS_FILE = PROJECT_ROOT / "prognose_wat_als.yaml"
NAAM_PATROON = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Sleutel:
    omschrijving: str
    soort: type
    minimum: float | None = None
    maximum: float | None = None


# The changes a what-if may make; each is optional, at least one is required.
WIJZIGINGEN = {
    "opleidingsinstroom": Sleutel("opleidingsplaatsen per jaar", int, 0, 5000),
    "opleidingsinstroom_vanaf": Sleutel("eerste startjaar van die instroom", int, 2000, 2100),
    "fte_factor_wijziging": Sleutel("relatieve wijziging van de fte-factor", float, -0.5, 0.5),
    "uittreden_later_jaren": Sleutel("jaren later uittreden", int, 0, 10),
    "onvervulde_vraag": Sleutel("onvervulde vraag in het basisjaar (aandeel)", float, 0, 0.5),
}
VERPLICHT = {"naam": "korte naam", "omschrijving": "uitleg voor het dashboard"}
KOLOMMEN = ["naam", "omschrijving", "volgorde", *WIJZIGINGEN]


class WatAlsFout(ValueError):
    """The what-if file is not valid; the message lists every problem in Dutch."""


def wat_als_path() -> Path:
    return Path(os.environ.get(WAT_ALS_ENV, WAT_ALS_FILE))


def _check_getal(plek: str, sleutel: str, waarde, spec: Sleutel) -> list[str]:
    if isinstance(waarde, bool) or not isinstance(waarde, int | float):
        return [f"{plek}: '{sleutel}' ({spec.omschrijving}) moet een getal zijn, niet {waarde!r}."]
    if spec.soort is int and float(waarde) != int(waarde):
        return [f"{plek}: '{sleutel}' ({spec.omschrijving}) moet een geheel getal zijn."]
    if (spec.minimum is not None and waarde < spec.minimum) or (
        spec.maximum is not None and waarde > spec.maximum
    ):
        return [
            f"{plek}: '{sleutel}' = {waarde} ligt buiten het toegestane bereik "
            f"{spec.minimum} tot en met {spec.maximum} ({spec.omschrijving})."
        ]
    return []


def validate_wat_als(document) -> list[dict]:
    """The scenarios of a parsed what-if document, or WatAlsFout naming each bad key."""
    if document is None:
        return []
    if not isinstance(document, dict) or set(document) - {"scenarios"}:
        onbekend = sorted(set(document) - {"scenarios"}) if isinstance(document, dict) else []
        raise WatAlsFout(
            "Het wat-als-bestand moet precies één sleutel 'scenarios' hebben (een lijst)"
            + (f"; onbekende sleutel(s): {', '.join(onbekend)}." if onbekend else ".")
        )
    scenarios = document.get("scenarios") or []
    if not isinstance(scenarios, list):
        raise WatAlsFout("'scenarios' moet een lijst van scenario's zijn.")
    fouten: list[str] = []
    gezien: set[str] = set()
    rijen = []
    for nummer, scenario in enumerate(scenarios, start=1):
        plek = f"scenario {nummer}"
        if not isinstance(scenario, dict):
            fouten.append(f"{plek}: verwacht sleutels zoals 'naam' en 'omschrijving'.")
            continue
        naam = scenario.get("naam")
        if isinstance(naam, str):
            plek = f"scenario {nummer} ('{naam}')"
        for sleutel, uitleg in VERPLICHT.items():
            waarde = scenario.get(sleutel)
            if not isinstance(waarde, str) or not waarde.strip():
                fouten.append(f"{plek}: '{sleutel}' ({uitleg}) ontbreekt of is geen tekst.")
        if isinstance(naam, str):
            if not NAAM_PATROON.match(naam):
                fouten.append(
                    f"{plek}: 'naam' mag alleen kleine letters, cijfers en _ bevatten "
                    "(beginnend met een letter, hoogstens 40 tekens)."
                )
            elif naam in gezien:
                fouten.append(f"{plek}: 'naam' komt twee keer voor.")
            gezien.add(naam)
        for sleutel in scenario:
            if sleutel not in VERPLICHT and sleutel not in WIJZIGINGEN:
                fouten.append(
                    f"{plek}: onbekende sleutel '{sleutel}'; toegestaan zijn "
                    f"{', '.join([*VERPLICHT, *WIJZIGINGEN])}."
                )
        for sleutel, spec in WIJZIGINGEN.items():
            if sleutel in scenario:
                fouten.extend(_check_getal(plek, sleutel, scenario[sleutel], spec))
        if not any(sleutel in scenario for sleutel in WIJZIGINGEN):
            fouten.append(
                f"{plek}: geen enkele wijziging; geef minstens één van {', '.join(WIJZIGINGEN)}."
            )
        if ("opleidingsinstroom_vanaf" in scenario) and ("opleidingsinstroom" not in scenario):
            fouten.append(
                f"{plek}: 'opleidingsinstroom_vanaf' zonder 'opleidingsinstroom' heeft geen effect."
            )
        rijen.append(
            {
                "naam": naam,
                "omschrijving": scenario.get("omschrijving"),
                "volgorde": nummer,
                **{sleutel: scenario.get(sleutel) for sleutel in WIJZIGINGEN},
            }
        )
    if fouten:
        raise WatAlsFout("Fout(en) in het wat-als-bestand:\n- " + "\n- ".join(fouten))
    return rijen


def read_wat_als(path: Path | None = None) -> pd.DataFrame:
    """The what-if scenarios as rows (columns KOLOMMEN); ``_bronrij`` is the scenario's number."""
    path = path or wat_als_path()
    if not path.exists():
        raise WatAlsFout(f"Het wat-als-bestand {path} bestaat niet (zet {WAT_ALS_ENV}).")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as fout:
        raise WatAlsFout(f"Het wat-als-bestand {path.name} is geen geldige YAML: {fout}") from fout
    rijen = pd.DataFrame(validate_wat_als(document), columns=KOLOMMEN)
    rijen["_bronrij"] = rijen["volgorde"]
    return rijen
