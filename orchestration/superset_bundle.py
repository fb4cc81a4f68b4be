"""The Superset bundle: superset/bundle/ zipped the way Superset's importer expects.

What Superset's export format repeats is filled in at build time, so the repository keeps
each fact once:

- the serving DB's absolute path (it differs per machine and per data folder), which the
  database definition holds as a placeholder;
- a dataset's columns: names and ``data_type`` come from the dbt model's YAML (the
  contract), label and description (definitie and kanttekening) from the column dictionary
  (dbt_project/kolommen.yml, orchestration/kolommen.py), so the labels a dashboard shows are
  the labels of the metric catalogue and cannot drift from the mart's contract. The dataset
  YAML lists only calculated columns (those with an ``expression``);
- a ratio metric: ``verhouding: <kolom>`` names the mart column whose teller and noemer (in
  the column dictionary) it adds up: ``SUM(teller) / NULLIF(SUM(noemer), 0)``, with the
  column's label and definition as name and description unless the metric sets its own.
  ``alleen_getoond: true`` (public, suppressed marts) counts the noemer only on rows whose
  teller is shown;
- who may read a dataset: ``publiek: true`` (published and suppressed: every viewer role
  gets ``datasource_access``), ``publiek: false`` (only Beheer and the admin) or
  ``praktijkniveau: true`` (practice rows, limited per region). Every dataset says which, and
  this is the only place: ``dataset_access()`` hands the lists to provisioning. A virtual
  dataset (``sql``) names the dbt model its columns come from with ``model``;
- a chart names its dataset by table (``dataset: fct_...``) instead of by UUID;
- a dashboard is written as ``rows`` of charts and text (a row may instead be a ``tabs``
  block: titled tabs, each with rows of its own) plus a short list of native ``filters``;
  the grid (``position``) and the filter configuration with its chart scope are generated
  from them, with the chart UUIDs and titles taken from the chart files.
"""

from __future__ import annotations

import json
import zipfile
from functools import cache
from pathlib import Path

import yaml

from orchestration import kolommen
from orchestration.paths import DBT_PROJECT_DIR, SUPERSET_DIR

BUNDLE_DIR = SUPERSET_DIR / "bundle"
MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
SERVING_DB_PLACEHOLDER = "__CAPMON_SERVING_DB__"
_TEMPORAL_TYPES = {"DATE", "TIMESTAMP", "TIMESTAMP_NS", "DATETIME"}
# Measures, not categories: offering them as a group-by only clutters Explore's pickers.
_MEASURE_TYPES = {"DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC"}


# Export-format fields every dataset and metric carries; the YAML sets only what differs.
_DATASET_DEFAULTS = {
    "schema": "marts",
    "catalog": None,
    "main_dttm_col": None,
    "default_endpoint": None,
    "offset": 0,
    "cache_timeout": None,
    "sql": None,
    "params": None,
    "template_params": None,
    "filter_select_enabled": True,
    "fetch_values_predicate": None,
    "extra": None,
    "normalize_columns": False,
    "always_filter_main_dttm": False,
    "version": "1.0.0",
}
_METRIC_DEFAULTS = {
    "verbose_name": None,
    "metric_type": None,
    "description": None,
    "d3format": None,
    "currency": None,
    "extra": None,
    "warning_text": None,
}


class BundleError(ValueError):
    """A dataset in the bundle does not match its dbt model."""


@cache
def _model_columns(table_name: str) -> tuple[dict, ...]:
    path = MARTS_DIR / f"{table_name}.yml"
    if not path.exists():
        raise BundleError(f"dataset {table_name}: no dbt model YAML at {path}")
    models = yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
    (model,) = [m for m in models if m["name"] == table_name]
    return tuple(model["columns"])


def dataset_columns(table_name: str) -> list[dict]:
    """Superset column definitions for a mart, from its dbt YAML."""
    columns = []
    for column in _model_columns(table_name):
        if "data_type" not in column:
            raise BundleError(f"{table_name}.{column['name']}: no data_type in the dbt YAML")
        entry = kolommen.velden(kolommen.kolom(table_name, column["name"]))
        sql_type = column["data_type"].upper()
        columns.append(
            {
                "column_name": column["name"],
                "verbose_name": entry.get("label"),
                "type": sql_type,
                "is_dttm": sql_type in _TEMPORAL_TYPES,
                "groupby": sql_type not in _MEASURE_TYPES,
                "filterable": True,
                "is_active": True,
                "expression": None,
                # what the column is, and when it is empty (suppressed) or to be read with care
                "description": " ".join(
                    entry[key] for key in ("definitie", "kanttekening") if key in entry
                ),
                "python_date_format": None,
                "extra": None,
            }
        )
    return columns


def _dump(document: dict) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


# Keys of our own in a dataset YAML (not part of Superset's export format).
_ACCESS_KEYS = ("publiek", "praktijkniveau")


def _access_of(dataset: dict) -> str:
    """ "publiek", "praktijkniveau" or "beperkt"; every dataset must say which."""
    name = dataset["table_name"]
    publiek, praktijk = dataset.get("publiek"), dataset.get("praktijkniveau", False)
    if praktijk is True and publiek is None:
        return "praktijkniveau"
    if praktijk is False and publiek in (True, False):
        return "publiek" if publiek else "beperkt"
    raise BundleError(
        f"dataset {name}: set `publiek: true` (published, suppressed), `publiek: false` "
        "or `praktijkniveau: true`, exactly one"
    )


def render_dataset(dataset: dict) -> dict:
    """A dataset with its columns from dbt plus its own calculated columns."""
    _access_of(dataset)
    dataset = {k: v for k, v in dataset.items() if k not in _ACCESS_KEYS}
    model = dataset.pop("model", dataset["table_name"])
    if dataset.get("sql") is None and model != dataset["table_name"]:
        raise BundleError(f"dataset {dataset['table_name']}: `model` is only for a virtual dataset")
    calculated = dataset.get("columns") or []
    plain = [column["column_name"] for column in calculated if not column.get("expression")]
    if plain:
        raise BundleError(
            f"dataset {dataset['table_name']}: columns {plain} have no expression; plain "
            "columns come from the dbt model's YAML"
        )
    columns = dataset_columns(model)
    known = {column["column_name"] for column in columns}
    for column in calculated:
        columns.append(
            {
                "verbose_name": None,
                "type": "VARCHAR",
                "is_dttm": False,
                "groupby": True,
                "filterable": True,
                "is_active": True,
                "description": None,
                "python_date_format": None,
                "extra": None,
                **column,
            }
        )
    if dataset.get("main_dttm_col") and dataset["main_dttm_col"] not in known:
        raise BundleError(
            f"dataset {dataset['table_name']}: main_dttm_col {dataset['main_dttm_col']!r} "
            "is not a column of the model"
        )
    metrics = [
        {**_METRIC_DEFAULTS, **_metric(model, metric)} for metric in dataset.get("metrics") or []
    ]
    return {**_DATASET_DEFAULTS, **dataset, "columns": columns, "metrics": metrics}


def _metric(model: str, metric: dict) -> dict:
    """A metric as Superset wants it; a ratio (``verhouding``) built from the dictionary."""
    metric = dict(metric)
    column = metric.pop("verhouding", None)
    alleen_getoond = metric.pop("alleen_getoond", False)
    if column is None:
        return metric
    if "expression" in metric:
        raise BundleError(
            f"metric {metric['metric_name']}: a ratio (verhouding) takes its expression "
            "from the column dictionary"
        )
    entry = kolommen.velden(kolommen.kolom(model, column))
    bereik = " over de getoonde (niet-onderdrukte) rijen" if alleen_getoond else ""
    return {
        "metric_name": metric.pop("metric_name"),
        "verbose_name": entry.get("label"),
        "expression": kolommen.verhouding(model, column, alleen_getoond=alleen_getoond),
        "description": f"{entry['definitie']} Som van {entry['teller']} gedeeld door som van "
        f"{entry['noemer']}{bereik} (verhouding van sommen).",
        **metric,
    }


def render_chart(chart: dict, dataset_uuids: dict[str, str]) -> dict:
    """A chart with its dataset UUID and the fixed parts of the export format."""
    chart = dict(chart)
    table = chart.pop("dataset", None)
    if table is not None:
        if table not in dataset_uuids:
            raise BundleError(f"chart {chart['slice_name']!r}: no dataset {table!r} in the bundle")
        chart["dataset_uuid"] = dataset_uuids[table]
    chart["params"] = {"datasource": "0__table", "viz_type": chart["viz_type"], **chart["params"]}
    for key, default in (("query_context", None), ("cache_timeout", None), ("version", "1.0.0")):
        chart.setdefault(key, default)
    return chart


def _chart_element(stem: str, chart_id: int, chart: dict, parents: list[str], item: dict):
    return {
        "type": "CHART",
        "id": f"CHART-{stem}",
        "children": [],
        "parents": parents,
        "meta": {
            "chartId": chart_id,
            "uuid": chart["uuid"],
            "sliceName": chart["slice_name"],
            "width": item["width"],
            "height": item["height"],
        },
    }


def render_dashboard(
    dashboard: dict, charts: dict[str, dict], dataset_uuids: dict[str, str]
) -> dict:
    """Expand ``rows`` into Superset's grid and ``filters`` into native filters.

    ``chartId`` numbers are placeholders that the importer maps to the new charts' ids, and
    with them each filter's ``scope.excluded``. The importer does not map ``chartsInScope``,
    so superset/import_bundle.py derives it after the import.
    """
    dashboard = dict(dashboard)
    rows = dashboard.pop("rows")
    filters = dashboard.pop("filters", [])
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "HEADER_ID": {
            "id": "HEADER_ID",
            "type": "HEADER",
            "meta": {"text": dashboard["dashboard_title"]},
        },
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
    }
    chart_ids: dict[str, int] = {}
    title = dashboard["dashboard_title"]
    numbered: dict[str, int] = {}

    def next_id(kind: str) -> str:
        numbered[kind] = numbered.get(kind, 0) + 1
        return f"{kind}-{numbered[kind]}"

    def add_rows(rows: list, parents: list[str]) -> list[str]:
        """The grid elements of ``rows`` below ``parents``; a row is a list of charts and
        text, or a ``tabs`` block whose tabs hold rows of their own."""
        ids = []
        for row in rows:
            if isinstance(row, dict):
                ids.append(add_tabs(row["tabs"], parents))
                continue
            row_id = next_id("ROW")
            children = []
            for item in row:
                if "chart" in item:
                    stem = item["chart"]
                    if stem not in charts:
                        raise BundleError(f"dashboard {title!r}: no chart file {stem}.yaml")
                    if stem in chart_ids:
                        raise BundleError(f"dashboard {title!r}: chart {stem} appears twice")
                    chart_ids[stem] = len(chart_ids) + 1
                    element = _chart_element(
                        stem, chart_ids[stem], charts[stem], [*parents, row_id], item
                    )
                else:
                    element = {
                        "type": "MARKDOWN",
                        "id": f"MARKDOWN-{row_id[4:]}-{len(children) + 1}",
                        "children": [],
                        "parents": [*parents, row_id],
                        "meta": {
                            "width": item["width"],
                            "height": item["height"],
                            "code": item["markdown"],
                        },
                    }
                position[element["id"]] = element
                children.append(element["id"])
            position[row_id] = {
                "type": "ROW",
                "id": row_id,
                "children": children,
                "parents": parents,
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }
            ids.append(row_id)
        return ids

    def add_tabs(tabs: list[dict], parents: list[str]) -> str:
        # Superset mounts a tab's charts, and asks for their data, only when the tab is shown.
        tabs_id = next_id("TABS")
        position[tabs_id] = {
            "type": "TABS",
            "id": tabs_id,
            "children": [],
            "parents": parents,
            "meta": {},
        }
        for tab in tabs:
            tab_id = next_id("TAB")
            position[tab_id] = {
                "type": "TAB",
                "id": tab_id,
                "children": [],
                "parents": [*parents, tabs_id],
                "meta": {"text": tab["title"], "defaultText": tab["title"]},
            }
            position[tab_id]["children"] = add_rows(tab["rows"], [*parents, tabs_id, tab_id])
            position[tabs_id]["children"].append(tab_id)
        return tabs_id

    position["GRID_ID"]["children"] = add_rows(rows, ["ROOT_ID", "GRID_ID"])

    metadata = dashboard.setdefault("metadata", {})
    metadata.setdefault("cross_filters_enabled", False)
    metadata["native_filter_configuration"] = [
        _native_filter(spec, chart_ids, dataset_uuids, dashboard["dashboard_title"])
        for spec in filters
    ]
    for key, default in (
        ("color_scheme", ""),
        ("label_colors", {}),
        ("shared_label_colors", []),
        ("map_label_colors", {}),
        ("color_scheme_domain", []),
        ("chart_configuration", {}),
        ("default_filters", "{}"),
        ("expanded_slices", {}),
        ("refresh_frequency", 0),
        ("timed_refresh_immune_slices", []),
    ):
        metadata.setdefault(key, default)
    dashboard["position"] = position
    dashboard.setdefault("version", "1.0.0")
    return dashboard


def cells(rows: list) -> list[dict]:
    """Every chart and text of a dashboard's ``rows``, those in tabs included."""
    found: list[dict] = []
    for row in rows:
        if isinstance(row, dict):
            for tab in row["tabs"]:
                found += cells(tab["rows"])
        else:
            found += row
    return found


def _native_filter(
    spec: dict, chart_ids: dict[str, int], dataset_uuids: dict[str, str], title: str
) -> dict:
    unknown = [stem for stem in spec.get("exclude", []) if stem not in chart_ids]
    if unknown:
        raise BundleError(f"dashboard {title!r}, filter {spec['name']!r}: unknown charts {unknown}")
    default = spec.get("default")
    data_mask: dict = {"extraFormData": {}, "filterState": {}, "ownState": {}}
    if default is not None:
        values = default if isinstance(default, list) else [default]
        data_mask = {
            "extraFormData": {"filters": [{"col": spec["column"], "op": "IN", "val": values}]},
            "filterState": {"value": values},
            "ownState": {},
        }
    return {
        "id": f"NATIVE_FILTER-{spec['id']}",
        "name": spec["name"],
        "filterType": "filter_select",
        "type": "NATIVE_FILTER",
        "description": spec.get("description", ""),
        "targets": [
            {"datasetUuid": dataset_uuids[spec["dataset"]], "column": {"name": spec["column"]}}
        ],
        "controlValues": {
            "enableEmptyFilter": spec.get("required", False),
            "defaultToFirstItem": spec.get("first_item", False),
            "multiSelect": spec.get("multi", True),
            "searchAllOptions": False,
            "inverseSelection": False,
            "sortAscending": spec.get("ascending", True),
        },
        # With defaultToFirstItem, the front end applies the first value before the charts
        # load only when requiredFirst is set; otherwise the charts load unfiltered.
        "requiredFirst": spec.get("first_item", False),
        "defaultDataMask": data_mask,
        "cascadeParentIds": [],
        "scope": {
            "rootPath": ["ROOT_ID"],
            "excluded": [chart_ids[s] for s in spec.get("exclude", [])],
        },
        "tabsInScope": [],
    }


def _load(folder: str) -> dict[Path, dict]:
    return {
        path: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((BUNDLE_DIR / folder).rglob("*.yaml"))
    }


def dataset_access() -> dict[str, list[str]]:
    """Dataset names by access: ``publiek``, ``praktijkniveau`` and ``beperkt``."""
    access: dict[str, list[str]] = {"publiek": [], "praktijkniveau": [], "beperkt": []}
    for dataset in _load("datasets").values():
        access[_access_of(dataset)].append(dataset["table_name"])
    return access


def render_bundle() -> dict[str, str]:
    """Every file of the import bundle (path in the zip -> YAML), placeholder still in."""
    datasets = _load("datasets")
    charts = _load("charts")
    dashboards = _load("dashboards")
    dataset_uuids = {dataset["table_name"]: dataset["uuid"] for dataset in datasets.values()}
    charts_by_stem = {path.stem: chart for path, chart in charts.items()}
    files = {"metadata.yaml": (BUNDLE_DIR / "metadata.yaml").read_text(encoding="utf-8")}
    for path in sorted((BUNDLE_DIR / "databases").glob("*.yaml")):
        files[f"databases/{path.name}"] = path.read_text(encoding="utf-8")
    for path, dataset in datasets.items():
        files[path.relative_to(BUNDLE_DIR).as_posix()] = _dump(render_dataset(dataset))
    for path, chart in charts.items():
        files[f"charts/{path.name}"] = _dump(render_chart(chart, dataset_uuids))
    for path, dashboard in dashboards.items():
        files[f"dashboards/{path.name}"] = _dump(
            render_dashboard(dashboard, charts_by_stem, dataset_uuids)
        )
    return files


def build_bundle(serving_db: Path, target: Path) -> Path:
    """Zip the rendered bundle under one top-level folder, as Superset's importer expects."""
    # json.dumps escapes what would break the double-quoted YAML string the placeholder is in.
    quoted_path = json.dumps(serving_db.resolve().as_posix())[1:-1]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in render_bundle().items():
            text = text.replace(SERVING_DB_PLACEHOLDER, quoted_path)
            bundle.writestr(f"capmon_bundle/{name}", text)
    return target
