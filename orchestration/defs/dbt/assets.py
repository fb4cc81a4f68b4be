"""The dbt project as Dagster assets; dbt tests become asset checks."""

import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetCheckResult, AssetExecutionContext, AssetKey
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from expectations import runner
from orchestration import regels
from orchestration.paths import DBT_PROJECT_DIR, PROJECT_ROOT, data_paths
from orchestration.referentie.read import synthetic_scale
from orchestration.resources import Warehouse

# dbt's profile reads the build DB path from the environment, also when only parsing. The
# launcher runs dbt in the build DB's folder under this same name (see orchestration/bin/dbt),
# so the project's parse below has every data folder's profile and its partial parse holds
# there (_seed_partial_parse).
os.environ.setdefault("CAPMON_BUILD_DB", data_paths().build_db.name)

# This environment's dbt, also when it is not activated (`.venv/bin/capmon`): dagster-dbt
# prepares the manifest with whatever `dbt` is first on PATH, so put ours there.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
os.environ["PATH"] = f"{DBT_EXECUTABLE.parent}{os.pathsep}{os.environ.get('PATH', '')}"
# What the pipeline runs as dbt: the real one, started so that it dies with its parent and
# sits in its own process group (see the script).
DBT_LAUNCHER = PROJECT_ROOT / "orchestration" / "bin" / "dbt"
os.environ["CAPMON_DBT"] = str(DBT_EXECUTABLE)

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def manifest_is_stale() -> bool:
    """True when dbt's manifest is missing or older than a model, test, macro, config or doc block.

    A manifest left from before a `git pull` would give Dagster yesterday's models and
    tests; parsing on every load would cost seconds on every `capmon` call.
    """
    manifest = DBT_PROJECT.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    ignored = {DBT_PROJECT.target_path.name, "logs", "dbt_packages"}
    return any(
        path.stat().st_mtime > built
        for path in DBT_PROJECT_DIR.rglob("*")
        if path.suffix in {".sql", ".yml", ".yaml", ".md"}
        and ignored.isdisjoint(path.relative_to(DBT_PROJECT_DIR).parts)
    )


if manifest_is_stale():
    DBT_PROJECT.preparer.prepare(DBT_PROJECT)


class CapmonTranslator(DagsterDbtTranslator):
    """Keys follow the warehouse: ``<schema>/<table>`` for sources (``raw/…``, and the
    intake ledger ``meta/aanleveringen``), ``<schema>/<model>`` for models.

    Sources then line up with the assets that land them, so lineage runs from file to mart.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
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
    # The launcher refuses to start dbt if this process is already gone.
    os.environ["CAPMON_DBT_PARENT"] = str(os.getpid())
    # A synthetic world of N x the population (capmon generate --scale N) has N x the
    # inhabitants; the absolute bounds on them scale with it (_reference__models.yml).
    scaled = synthetic_scale(warehouse.paths.referentie)
    os.environ["CAPMON_BEVOLKING_SCHAAL"] = str(scaled["schaal"] if scaled else 1)
    # One dbt thread per core (profiles.yml); an operator may set fewer.
    os.environ.setdefault("CAPMON_DBT_THREADS", str(os.cpu_count() or 1))
    # The mart audits after dbt import Great Expectations: let that overlap the build.
    runner.warm_up()
    # dbt's unit tests check the models' logic on fixed inputs, not the data: they run in
    # the test suite (tests/integration/test_dbt_unit_tests.py), not in every refresh.
    _seed_partial_parse(warehouse.paths.dbt_target)
    invocation = dbt.cli(
        ["build", "--exclude-resource-type", "unit_test"],
        context=context,
        raise_on_error=False,
        target_path=warehouse.paths.dbt_target,
    )
    held = []
    for event in invocation.stream():
        if isinstance(event, AssetCheckResult) and _kolomregels_failed(event):
            held.append(event)
        else:
            yield event
    # dbt only counts a failed kolomregels test's rows; now that dbt has let go of the build
    # DB, say which columns broke which rule (the test's own rows) in the check itself.
    yield from _explained(held, invocation, warehouse.paths.build_db)
    if error := invocation.get_error():
        raise error


def _seed_partial_parse(target: Path) -> None:
    """Start a data folder's dbt target folder from the project's partial parse, so that
    its first run does not parse the whole project again (about 10 s).

    dagster-dbt would copy it with shutil.copy, which keeps the project file's 0644; a copy
    made here is created under the run's umask, so the data folder stays private.
    """
    seed = DBT_PROJECT.project_dir / DBT_PROJECT.target_path / "partial_parse.msgpack"
    destination = target / "partial_parse.msgpack"
    if seed.exists() and not destination.exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, destination)


def _kolomregels_failed(event: AssetCheckResult) -> bool:
    return not event.passed and (event.check_name or "").startswith("kolomregels_")


def _explained(
    held: list[AssetCheckResult], invocation: Any, build_db: Path
) -> Iterator[AssetCheckResult]:
    if not held:
        return
    try:
        compiled = {
            result["unique_id"].split(".")[2]: result.get("compiled_code")
            for result in invocation.get_artifact("run_results.json")["results"]
        }
        conn = duckdb.connect(str(build_db), read_only=True)
    except (OSError, ValueError, KeyError, duckdb.Error):
        # The checks still fail; only their explanation is missing.
        yield from held
        return
    with conn:
        for event in held:
            sql = compiled.get(event.check_name)
            try:
                text = regels.toelichting(conn, sql) if sql else None
            except duckdb.Error as exc:
                text = f"(de mislukte regels konden niet worden gelezen: {exc})"
            yield AssetCheckResult(
                passed=event.passed,
                asset_key=event.asset_key,
                check_name=event.check_name,
                severity=event.severity,
                metadata=event.metadata,
                description=text,
            )


MART_KEYS = sorted(
    (key for key in capmon_dbt_models.keys if key.path[0] == "marts"),
    key=lambda key: key.to_user_string(),
)
