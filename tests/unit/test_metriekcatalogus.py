"""The metric catalogue and the dbt column docs are generated from the column dictionary
(dbt_project/kolommen.yml) and must be up to date."""

from __future__ import annotations

import json

from orchestration import kolommen
from orchestration.catalogue import (
    ANALYSE,
    CATALOGUE,
    correlaties,
    gevoeligheid,
    index,
    render,
    spanningsindex_gewichten,
)

META_KEYS = {"label", "definitie", "eenheid", "bron"}
CAPACITY_MARTS = (
    "fct_capaciteit_gemeente",
    "fct_capaciteit_regio",
    "fct_capaciteit_nationaal",
    "fct_praktijk_signalen",
    "fct_capaciteit_gemeente_publiek",
    "fct_stages_gemeente",
    "fct_aanleveringen",
)


def test_committed_catalogue_is_up_to_date():
    assert CATALOGUE.exists(), "docs/metriekcatalogus.md ontbreekt: draai `capmon catalogus`"
    assert CATALOGUE.read_text(encoding="utf-8") == render(), (
        "docs/metriekcatalogus.md loopt achter op dbt_project/kolommen.yml: "
        "draai `capmon catalogus`"
    )


def test_committed_column_docs_are_up_to_date():
    assert kolommen.DOCS.read_text(encoding="utf-8") == kolommen.render_docs(), (
        "dbt_project/models/marts/_kolommen.md loopt achter op dbt_project/kolommen.yml: "
        "draai `capmon catalogus`"
    )


def test_the_dictionary_and_the_mart_yaml_fit():
    """Every mart column has its entry and its doc block, no entry lacks a column, no model
    YAML carries meta of its own."""
    assert kolommen.problemen() == []


def test_every_capacity_column_has_its_catalogue_entry():
    for name in CAPACITY_MARTS:
        for column in kolommen.model(name)["columns"]:
            meta = kolommen.kolom(name, column["name"])
            assert meta.keys() >= META_KEYS, (name, column["name"])
            # a rate names its numerator whenever it names a denominator
            if meta.get("noemer"):
                assert meta.get("teller"), (name, column["name"])


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
        return {
            column["name"]: kolommen.kolom(name, column["name"])
            for column in kolommen.model(name)["columns"]
        }

    volledig = columns("fct_capaciteit_gemeente")
    publiek = columns("fct_capaciteit_gemeente_publiek")
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


def test_the_public_marts_only_add_to_the_shared_entries():
    """In the dictionary a public mart's own fields are additions (kanttekening_extra) and the
    rank's definition; a shared column cannot be redefined there by accident."""
    toegestaan = {"kanttekening_extra", "kanttekening"}
    eigen = kolommen._load()["modellen"]["fct_capaciteit_gemeente_publiek"]
    for column, velden in eigen.items():
        extra = {"definitie"} if column == "spanningsindex_rang" else set()
        assert set(velden) <= toegestaan | extra, column


def test_a_model_adds_to_a_shared_entry(tmp_path):
    pad = tmp_path / "kolommen.yml"
    pad.write_text(
        """
zinnen:
  onderdrukt: &onderdrukt Leeg (onderdrukt).
kolommen:
  aandeel:
    label: Aandeel
    definitie: Deel van het geheel.
    eenheid: aandeel
    teller: deel
    noemer: geheel
    bron: bron
    kanttekening: Leeg als het geheel 0 is.
  dichtheid:
    label: Dichtheid
    definitie: Per 10.000.
    eenheid: per 10.000
    teller: deel
    factor: 10000
    noemer: geheel
    bron: bron
modellen:
  openbaar:
    aandeel:
      kanttekening_extra: *onderdrukt
      noemer: null
""",
        encoding="utf-8",
    )
    kolommen._load.cache_clear()
    try:
        assert kolommen.kolom("openbaar", "aandeel", pad) == {
            "label": "Aandeel",
            "definitie": "Deel van het geheel.",
            "eenheid": "aandeel",
            "teller": "deel",
            "bron": "bron",
            "kanttekening": "Leeg als het geheel 0 is. Leeg (onderdrukt).",
        }
        assert kolommen.kolom("intern", "aandeel", pad)["noemer"] == "geheel"
        dichtheid = kolommen.kolom("intern", "dichtheid", pad)
        assert kolommen.velden(dichtheid)["teller"] == "deel × 10.000"
        assert kolommen.beschrijving(dichtheid) == (
            "**Dichtheid** — Per 10.000. Teller: `deel × 10.000`; noemer: `geheel`."
        )
    finally:
        kolommen._load.cache_clear()
