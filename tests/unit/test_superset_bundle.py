"""The dashboard bundle is consistent with itself, the marts' dbt YAML and the column dictionary.

Superset only finds a wrong column name when someone opens the chart; these checks find it
when the bundle is built: every metric and column a chart uses exists in its dataset, and
every native filter reaches only charts whose dataset has the filter's column (a filter on
a missing column is a query error on the dashboard).
"""

from __future__ import annotations

import json
import re
from itertools import pairwise

import pytest
import yaml

from orchestration import superset_bundle
from orchestration.paths import PROJECT_ROOT

DASHBOARDS = {"Landelijke monitor", "Regionale monitor", "Prognose", "Stages", "Datakwaliteit"}


@pytest.fixture(scope="module")
def bundle() -> dict[str, dict]:
    return {name: yaml.safe_load(text) for name, text in superset_bundle.render_bundle().items()}


def _of_kind(bundle: dict[str, dict], kind: str) -> dict[str, dict]:
    return {name: doc for name, doc in bundle.items() if name.startswith(f"{kind}/")}


def _datasets_by_uuid(bundle) -> dict[str, dict]:
    return {dataset["uuid"]: dataset for dataset in _of_kind(bundle, "datasets").values()}


def _chart_metrics(params: dict) -> set[str]:
    names = {params.get("metric"), params.get("timeseries_limit_metric"), params.get("x_axis_sort")}
    names.update(params.get("metrics") or [])
    return {name for name in names if isinstance(name, str)}


def _chart_columns(params: dict) -> set[str]:
    columns = {params.get("x_axis"), params.get("entity"), params.get("line_column")}
    for key in ("all_columns", "groupby", "tooltip_contents"):
        columns.update(params.get(key) or [])
    columns.update(json.loads(order)[0] for order in params.get("order_by_cols") or [])
    columns.update(f["subject"] for f in params.get("adhoc_filters") or [])
    return {column for column in columns if isinstance(column, str)}


def test_the_five_dashboards_are_published(bundle):
    dashboards = _of_kind(bundle, "dashboards").values()
    assert {d["dashboard_title"] for d in dashboards} == DASHBOARDS
    assert all(d["published"] for d in dashboards)


def test_every_chart_is_on_a_dashboard(bundle):
    placed = {
        element["meta"]["uuid"]
        for dashboard in _of_kind(bundle, "dashboards").values()
        for element in dashboard["position"].values()
        if isinstance(element, dict) and element.get("type") == "CHART"
    }
    charts = {chart["uuid"]: name for name, chart in _of_kind(bundle, "charts").items()}
    assert sorted(charts[uuid] for uuid in set(charts) - placed) == []


def test_charts_use_only_metrics_and_columns_of_their_dataset(bundle):
    datasets = _datasets_by_uuid(bundle)
    problems = []
    for name, chart in _of_kind(bundle, "charts").items():
        dataset = datasets[chart["dataset_uuid"]]
        metrics = {metric["metric_name"] for metric in dataset["metrics"]}
        columns = {column["column_name"] for column in dataset["columns"]}
        problems += [f"{name}: metric {m}" for m in _chart_metrics(chart["params"]) - metrics]
        problems += [f"{name}: column {c}" for c in _chart_columns(chart["params"]) - columns]
    assert problems == []


def test_native_filters_reach_only_charts_that_have_their_column(bundle):
    datasets = _datasets_by_uuid(bundle)
    charts = {chart["uuid"]: chart for chart in _of_kind(bundle, "charts").values()}
    problems = []
    for dashboard in _of_kind(bundle, "dashboards").values():
        placed = {
            element["meta"]["chartId"]: charts[element["meta"]["uuid"]]
            for element in dashboard["position"].values()
            if isinstance(element, dict) and element.get("type") == "CHART"
        }
        for native_filter in dashboard["metadata"]["native_filter_configuration"]:
            (target,) = native_filter["targets"]
            column = target["column"]["name"]
            target_columns = {c["column_name"] for c in datasets[target["datasetUuid"]]["columns"]}
            assert column in target_columns, f"{native_filter['name']}: {column}"
            for chart_id, chart in placed.items():
                if chart_id in native_filter["scope"]["excluded"]:
                    continue
                dataset = datasets[chart["dataset_uuid"]]
                if column not in {c["column_name"] for c in dataset["columns"]}:
                    problems.append(
                        f"{dashboard['dashboard_title']} / filter {native_filter['name']}: "
                        f"chart {chart['slice_name']!r} ({dataset['table_name']}) has no {column}"
                    )
    assert problems == []


def test_dataset_columns_carry_the_dbt_labels(bundle):
    (dataset,) = [
        d
        for d in _of_kind(bundle, "datasets").values()
        if d["table_name"] == "fct_capaciteit_gemeente_publiek"
    ]
    labels = {column["column_name"]: column["verbose_name"] for column in dataset["columns"]}
    assert labels["gemeentecode"] == "Gemeentecode"
    assert labels["peildatum"] == "Peildatum"
    assert all(labels.values()), [name for name, label in labels.items() if not label]


def _metric(bundle, table: str, name: str) -> dict:
    (dataset,) = [d for d in _of_kind(bundle, "datasets").values() if d["table_name"] == table]
    (metric,) = [m for m in dataset["metrics"] if m["metric_name"] == name]
    return metric


def test_ratio_metrics_are_the_ratio_of_the_sums_of_teller_and_noemer(bundle):
    """A ratio metric is built from the column dictionary's teller and noemer."""
    regio = _metric(bundle, "fct_capaciteit_regio", "verhouding_fte_per_10000_inwoners")
    assert regio["expression"] == "SUM(huisartsen_fte) * 10000.0 / NULLIF(SUM(inwoners), 0)"
    assert regio["verbose_name"] == "Fte huisartsen per 10.000 inwoners"
    assert _metric(bundle, "fct_capaciteit_nationaal", "verhouding_patienten_per_fte")[
        "expression"
    ] == (
        "SUM(ingeschreven_patienten) / "
        "NULLIF(SUM(huisartsen_fte_praktijkgebonden_met_aanlevering), 0)"
    )
    # public, suppressed: the noemer counts only where the teller is shown
    publiek = _metric(
        bundle, "fct_capaciteit_gemeente_publiek", "verhouding_fte_per_10000_inwoners"
    )
    assert publiek["expression"] == (
        "SUM(huisartsen_fte) * 10000.0 / "
        "NULLIF(SUM(CASE WHEN huisartsen_fte IS NOT NULL THEN inwoners END), 0)"
    )
    tekort = _metric(bundle, "fct_prognose_gemeente_publiek", "verhouding_tekort")
    assert tekort["verbose_name"] == "Tekort (% van de vraag, getoonde gemeenten)"
    assert tekort["expression"] == (
        "SUM(tekort_fte) / NULLIF(SUM(CASE WHEN tekort_fte IS NOT NULL THEN vraag_fte END), 0)"
    )


def test_no_ratio_metric_is_written_by_hand():
    """Every division in a dataset YAML's metrics comes from ``verhouding:``."""
    written = []
    for path in sorted((superset_bundle.BUNDLE_DIR / "datasets").rglob("*.yaml")):
        for metric in yaml.safe_load(path.read_text(encoding="utf-8")).get("metrics") or []:
            if "/" in metric.get("expression", ""):
                written.append(f"{path.name}: {metric['metric_name']}")
    assert written == []


def test_a_ratio_metric_with_its_own_expression_is_refused():
    dataset = {
        "table_name": "fct_capaciteit_regio",
        "publiek": True,
        "metrics": [
            {"metric_name": "x", "verhouding": "aandeel_vrouw", "expression": "SUM(1)"},
        ],
    }
    with pytest.raises(superset_bundle.BundleError, match="column dictionary"):
        superset_bundle.render_dataset(dataset)


def test_a_plain_column_in_a_dataset_yaml_is_refused():
    dataset = {
        "table_name": "fct_capaciteit_gemeente",
        "publiek": False,
        "columns": [{"column_name": "peiljaar"}],
    }
    with pytest.raises(superset_bundle.BundleError, match="no expression"):
        superset_bundle.render_dataset(dataset)


def test_a_chart_on_an_unknown_dataset_is_refused():
    chart = {"slice_name": "X", "viz_type": "table", "dataset": "bestaat_niet", "params": {}}
    with pytest.raises(superset_bundle.BundleError, match="no dataset"):
        superset_bundle.render_chart(chart, {})


# Published: suppressed in dbt.
PUBLIEK = {
    "fct_capaciteit_gemeente_publiek",
    "fct_capaciteit_regio",
    "fct_capaciteit_nationaal",
    "fct_prognose_nationaal",
    "fct_instroomadvies_regio",
    "fct_stages_gemeente",
    "fct_aanleveringen",
    "fct_prognose_gemeente_publiek",
    "dim_prognose_scenario",
}
# Never readable by a viewer, whatever a dataset YAML says.
NIET_PUBLIEK = {"fct_capaciteit_gemeente", "fct_prognose_gemeente", "fct_praktijk_signalen"}


def test_viewers_reach_only_published_datasets_and_the_practice_view():
    access = superset_bundle.dataset_access()
    assert set(access["publiek"]) >= PUBLIEK
    assert not NIET_PUBLIEK & set(access["publiek"] + access["praktijkniveau"])
    assert access["praktijkniveau"] == ["praktijk_signalen_eigen_regio"]


def test_the_unsuppressed_gemeente_marts_are_no_datasets(bundle):
    tables = {d["table_name"] for d in _of_kind(bundle, "datasets").values()}
    assert not NIET_PUBLIEK & tables


def test_the_practice_dataset_is_virtual_and_empty_until_provisioned(bundle):
    (dataset,) = [
        d
        for d in _of_kind(bundle, "datasets").values()
        if d["table_name"] == "praktijk_signalen_eigen_regio"
    ]
    assert dataset["sql"].strip().endswith("where 1 = 0")
    assert {"praktijk_agb", "azw_regio_code", "peiljaar"} <= {
        c["column_name"] for c in dataset["columns"]
    }
    assert not {"publiek", "praktijkniveau", "model"} & set(dataset)


@pytest.mark.parametrize(
    "keys",
    [{}, {"publiek": True, "praktijkniveau": True}, {"publiek": "ja"}],
    ids=["none", "both", "not-a-boolean"],
)
def test_a_dataset_must_say_who_may_read_it(keys):
    with pytest.raises(superset_bundle.BundleError, match="publiek"):
        superset_bundle.render_dataset({"table_name": "fct_capaciteit_regio", **keys})


def test_the_spanningsindex_explained_on_the_dashboard_has_the_weights_dbt_uses():
    """The Landelijke monitor explains the index in words; those words must follow the vars."""
    root = PROJECT_ROOT
    variables = yaml.safe_load((root / "dbt_project" / "dbt_project.yml").read_text())["vars"]
    weights = variables["capmon_spanningsindex"]["gewichten"]
    dashboard = yaml.safe_load(
        (root / "superset" / "bundle" / "dashboards" / "landelijke_monitor.yaml").read_text()
    )
    (text,) = [
        cell["markdown"]
        for cell in superset_bundle.cells(dashboard["rows"])
        if "## Spanningsindex" in cell.get("markdown", "")
    ]
    listed = dict(re.findall(r"- \*\*(\w+)\*\* \((?:gewicht )?(\d,\d\d)\)", text))
    expected = {
        name.replace("continuiteit", "continuïteit").capitalize(): f"{weight:.2f}".replace(".", ",")
        for name, weight in weights.items()
    }
    assert listed == expected


def test_a_tabs_block_nests_its_rows_in_titled_tabs_and_every_parent_chain_holds(bundle):
    """Superset walks ``parents`` to find a chart's tab (and so when to ask for its data); a
    chain that skips the tab would load every chart on opening or none at all."""
    position = bundle["dashboards/landelijke_monitor.yaml"]["position"]
    elements = {key: e for key, e in position.items() if isinstance(e, dict) and "type" in e}
    for key, element in elements.items():
        for parent, child in pairwise([*element.get("parents", []), key]):
            assert child in elements[parent]["children"], f"{key}: {parent} -> {child}"
    (tabs,) = [e for e in elements.values() if e["type"] == "TABS"]
    titles = [elements[tab]["meta"]["text"] for tab in tabs["children"]]
    assert titles == ["Overzicht", "Spanningsindex", "Trend en prognose", "Gemeenten"]
    tab_of = {
        e["meta"]["sliceName"]: next((p for p in e["parents"] if p.startswith("TAB-")), None)
        for e in elements.values()
        if e["type"] == "CHART"
    }
    assert tab_of["Fte huisartsen"] is None  # the kengetallen stay above the tabs
    # The WebGL gemeente map is not in the first view (docs/operations.md, "Serving under load").
    assert tab_of["Spanningsindex per gemeente (kaart)"] == tabs["children"][1]
    assert tab_of["Gemeenten"] == tabs["children"][-1]


def test_a_chart_placed_twice_is_refused():
    charts = {"a": {"uuid": "u", "slice_name": "A"}}
    item = {"chart": "a", "width": 6, "height": 10}
    with pytest.raises(superset_bundle.BundleError, match="twice"):
        superset_bundle.render_dashboard(
            {
                "dashboard_title": "D",
                "rows": [[item], {"tabs": [{"title": "T", "rows": [[item]]}]}],
            },
            charts,
            {},
        )
