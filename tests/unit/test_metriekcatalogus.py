"""The metric catalogue is generated from the marts' dbt YAML and must be up to date."""

from __future__ import annotations

import yaml

from orchestration.catalogue import CATALOGUE, MARTS_DIR, render

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
