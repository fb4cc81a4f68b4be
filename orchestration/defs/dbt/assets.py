"""The dbt project as Dagster assets; dbt tests become asset checks."""

import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.paths import DBT_PROJECT_DIR, data_paths
from orchestration.resources import Warehouse

# dbt's profile reads the build DB path from the environment, also when only parsing.
os.environ.setdefault("CAPMON_BUILD_DB", str(data_paths().build_db))

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
if not DBT_PROJECT.manifest_path.exists() or os.environ.get("DAGSTER_IS_DEV_CLI"):
    DBT_PROJECT.preparer.prepare(DBT_PROJECT)


class CapmonTranslator(DagsterDbtTranslator):
    """Keys follow the warehouse: ``raw/<table>`` for sources, ``<schema>/<model>`` for models.

    Sources then line up with the assets that land them, so lineage runs from file to mart.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey(["raw", dbt_resource_props["name"]])
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return None
        return dbt_resource_props["schema"]


TRANSLATOR = CapmonTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path, dagster_dbt_translator=TRANSLATOR, project=DBT_PROJECT
)
def capmon_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    os.environ["CAPMON_BUILD_DB"] = str(warehouse.paths.build_db)
    yield from dbt.cli(["build"], context=context).stream()


MART_KEYS = sorted(
    (key for key in capmon_dbt_models.keys if key.path[0] == "marts"),
    key=lambda key: key.to_user_string(),
)
