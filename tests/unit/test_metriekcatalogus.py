"""The metric catalogue is generated from the marts' dbt YAML and must be up to date."""

from __future__ import annotations

import json

import yaml

from orchestration.catalogue import (
    ANALYSE,
    CATALOGUE,
    MARTS_DIR,
    correlaties,
    gevoeligheid,
    index,
    render,
    spanningsindex_gewichten,
)

META_KEYS = {"label", "definitie", "eenheid", "bron"}
CAPACITY_MARTS = (
    "fct_capaciteit_gemeente.yml",
    "fct_capaciteit_regio.yml",
    "fct_capaciteit_nationaal.yml",
    "fct_praktijk_signalen.yml",
    "fct_capaciteit_gemeente_publiek.yml",
    "fct_stages_gemeente.yml",
    "fct_aanleveringen.yml",
)


def test_committed_catalogue_is_up_to_date():
    assert CATALOGUE.exists(), "docs/metriekcatalogus.md ontbreekt: draai `capmon catalogus`"
    assert CATALOGUE.read_text(encoding="utf-8") == render(), (
        "docs/metriekcatalogus.md loopt achter op de dbt-YAML: draai `capmon catalogus`"
    )


def test_every_capacity_column_has_its_catalogue_entry():
    for name in CAPACITY_MARTS:
        (model,) = yaml.safe_load((MARTS_DIR / name).read_text(encoding="utf-8"))["models"]
        for column in model["columns"]:
            meta = column.get("meta") or {}
            assert meta.keys() >= META_KEYS, (model["name"], column["name"])
            # a rate names its numerator whenever it names a denominator
            if meta.get("noemer"):
                assert meta.get("teller"), (model["name"], column["name"])


def test_index_is_the_weighted_mean_of_the_known_components():
    gewichten = {"balans": 0.5, "continuiteit": 0.3, "vacatures": 0.2}
    assert index({"balans": 40, "continuiteit": 80, "vacatures": 10}, gewichten) == (
        0.5 * 40 + 0.3 * 80 + 0.2 * 10
    )
    # a missing component's weight is shared out over the others
    assert index({"balans": 40, "continuiteit": None, "vacatures": 10}, gewichten) == (
        (0.5 * 40 + 0.2 * 10) / 0.7
    )
    assert index({"balans": None, "continuiteit": 80, "vacatures": 10}, gewichten) is None


def test_correlations_and_weight_sensitivity():
    # 60 gemeenten: balance rises with the number, continuity falls with it, vacancies
    # follow balance exactly; so more weight on continuity reshuffles the top.
    rijen = [
        {
            "gemeentecode": f"GM{i:04d}",
            "balans": float(i),
            "continuiteit": 60.0 - i,
            "vacatures": 2.0 * i,
        }
        for i in range(60)
    ]
    r = correlaties(rijen, ["balans", "continuiteit", "vacatures"])
    assert r == {
        "balans~continuiteit": -1.0,
        "balans~vacatures": 1.0,
        "continuiteit~vacatures": -1.0,
    }
    gewichten = {"balans": 0.45, "continuiteit": 0.30, "vacatures": 0.25}
    varianten = {(v["component"], v["verschuiving"]): v for v in gevoeligheid(rijen, gewichten)}
    assert len(varianten) == 6
    assert varianten[("balans", 0.1)]["gewicht"] == 0.55
    # more weight on balance or vacancies keeps the order (index still rises with i)
    assert varianten[("balans", 0.1)]["top_behouden"] == 1.0
    assert varianten[("balans", 0.1)]["grootste_rangverschuiving_top"] == 0
    # index slope: 0.45 - 0.30 + 0.50 = 0.65 > 0; with continuity 0.9 (not a ±0.1 step) it
    # would flip; a +0.1 step on continuity keeps it rising (0.55 > 0)
    assert varianten[("continuiteit", 0.1)]["spearman"] == 1.0
    flipped = gevoeligheid(rijen, gewichten, top=10, stap=0.7)
    naar_continuiteit = next(
        v for v in flipped if v["component"] == "continuiteit" and v["verschuiving"] > 0
    )
    assert naar_continuiteit["top_behouden"] == 0.0
    assert naar_continuiteit["spearman"] == -1.0


def test_the_analysis_is_rendered_from_its_file(tmp_path):
    analyse = {
        "gewichten": {"balans": 0.45, "continuiteit": 0.3, "vacatures": 0.25},
        "top": 50,
        "stap": 0.1,
        "peiljaar_gevoeligheid": 2025,
        "correlaties": {"2025": {"gemeenten": 300, "balans~continuiteit": 0.412}},
        "gevoeligheid": [
            {
                "component": "balans",
                "verschuiving": -0.1,
                "gewicht": 0.35,
                "top_behouden": 0.92,
                "grootste_rangverschuiving_top": 17,
                "spearman": 0.9876,
            },
        ],
    }
    pad = tmp_path / "analyse.json"
    pad.write_text(json.dumps(analyse), encoding="utf-8")
    tekst = render(analyse_path=pad)
    assert "## Spanningsindex: samenhang en gevoeligheid" in tekst
    assert "| 2025 | 300 | 0,41 |" in tekst
    assert "| balans | −0,1 | 0,35 | 92 % | 17 | 0,988 |" in tekst
    assert "samenhang" not in render(analyse_path=tmp_path / "ontbreekt.json")


def test_the_committed_analysis_uses_the_index_weights():
    analyse = json.loads(ANALYSE.read_text(encoding="utf-8"))
    assert analyse["gewichten"] == spanningsindex_gewichten(), (
        "docs/spanningsindex_analyse.json hoort bij andere gewichten: "
        "bouw en draai `capmon catalogus`"
    )
    assert {v["component"] for v in analyse["gevoeligheid"]} == set(analyse["gewichten"])


def test_the_public_mart_defines_its_columns_as_the_full_mart_does():
    """A column of the public mart means what the same column of the full mart means.

    Only what suppression adds (a sentence on when a cell is empty) and the rank, which is
    numbered over the gemeenten shown, may differ: everything else drifted here before.
    """

    def columns(name: str) -> dict[str, dict]:
        (model,) = yaml.safe_load((MARTS_DIR / name).read_text(encoding="utf-8"))["models"]
        return {column["name"]: column.get("meta") or {} for column in model["columns"]}

    volledig = columns("fct_capaciteit_gemeente.yml")
    publiek = columns("fct_capaciteit_gemeente_publiek.yml")
    drift = []
    for name, meta in publiek.items():
        if name not in volledig:
            continue
        for key in ("label", "definitie", "eenheid", "bron", "teller", "noemer"):
            if key == "definitie" and name == "spanningsindex_rang":
                continue
            if meta.get(key) != volledig[name].get(key):
                drift.append(f"{name}.{key}")
        eigen = volledig[name].get("kanttekening", "").replace("Leeg zonder aanlevering.", "")
        if eigen.strip() not in meta.get("kanttekening", ""):
            drift.append(f"{name}.kanttekening")
    assert drift == []
