"""Access control as `capmon provision` sets it up, on a real Superset server.

Roles Landelijk, Beheer and one "Regio …" per AZW region; demo users with exactly their
role; row-level security on the practice-level dataset, so that a region sees the practice
rows of its own region only (counted here with DuckDB in the serving DB) and the national
viewer none. Provisioning ran twice (conftest), so "exactly once" also proves idempotency.
"""

from __future__ import annotations

import importlib.util
import json
import secrets
import stat
from collections import Counter

import duckdb
import pytest

from orchestration import superset_launcher
from orchestration.paths import SUPERSET_DIR
from tests.superset.conftest import SupersetApi

pytestmark = pytest.mark.superset

# superset/provision_access.py imports Superset only inside its functions, so its names
# (role naming, the practice-level datasets) can be read from the pipeline environment.
_spec = importlib.util.spec_from_file_location(
    "capmon_provision_access", SUPERSET_DIR / "provision_access.py"
)
access = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(access)

PRAKTIJK_DATASET = "fct_praktijk_signalen"
assert PRAKTIJK_DATASET in access.PRAKTIJK_DATASETS


def _q(**params) -> str:
    """A rison ``q`` for list endpoints: one page of 100, optionally one equality filter."""
    parts = ["page_size:100"]
    if "table_name" in params:
        parts.append(f"filters:!((col:table_name,opr:eq,value:{params['table_name']}))")
    return f"({','.join(parts)})"


@pytest.fixture(scope="module")
def regios(superset_server) -> dict[str, str]:
    with duckdb.connect(str(superset_server.serving_db), read_only=True) as con:
        return dict(
            con.execute(
                "select distinct azw_regio_code, azw_regio_naam from marts.dim_gemeente"
            ).fetchall()
        )


@pytest.fixture(scope="module")
def demo(superset_server) -> dict[str, superset_launcher.DemoAccount]:
    return {a.username: a for a in superset_launcher.demo_accounts(superset_server.home)}


@pytest.fixture(scope="module")
def praktijk_dataset_id(superset_api) -> int:
    found = superset_api.get("/api/v1/dataset/", q=_q(table_name=PRAKTIJK_DATASET))["result"]
    assert len(found) == 1, found
    return found[0]["id"]


@pytest.fixture(scope="module")
def database_id(superset_api) -> int:
    (database,) = superset_api.get("/api/v1/database/")["result"]
    return database["id"]


def _login(server, account: superset_launcher.DemoAccount) -> SupersetApi:
    return SupersetApi(server, account.username, account.password)


def _praktijk_rows(api: SupersetApi, dataset_id: int, filters: list[dict]) -> list[dict]:
    payload = {
        "datasource": {"id": dataset_id, "type": "table"},
        "queries": [
            {
                "columns": ["praktijk_agb", "peiljaar", "signaal", "azw_regio_code"],
                "filters": filters,
                "row_limit": 10000,
            }
        ],
        "result_format": "json",
        "result_type": "full",
    }
    (result,) = api.post("/api/v1/chart/data", payload)["result"]
    assert result["error"] is None, result["error"]
    assert result["rowcount"] == len(result["data"]) < 10000
    return result["data"]


def _count_payload(dataset_id: int) -> dict:
    """A chart-data query counting a dataset's rows (after row-level security) as ``n``."""
    return {
        "datasource": {"id": dataset_id, "type": "table"},
        "queries": [
            {"metrics": [{"expressionType": "SQL", "sqlExpression": "COUNT(*)", "label": "n"}]}
        ],
        "result_format": "json",
        "result_type": "full",
    }


def _serving_count(serving_db, sql: str, *params) -> int:
    with duckdb.connect(str(serving_db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchone()[0]


def test_roles_exist_exactly_once(superset_api, regios):
    roles = Counter(
        role["name"] for role in superset_api.get("/api/v1/security/roles/", q=_q())["result"]
    )
    regio_rollen = {access.regio_rol(naam) for naam in regios.values()}
    assert len(regio_rollen) == len(regios) == 28
    for name in (superset_launcher.LANDELIJK_ROL, superset_launcher.BEHEER_ROL, *regio_rollen):
        assert roles[name] == 1, f"role {name!r} exists {roles[name]} times"
    assert {name for name in roles if name.startswith("Regio ")} == regio_rollen
    # A region named "Regio Zwolle" is not doubled to "Regio Regio Zwolle".
    assert "Regio Zwolle" in regio_rollen


def test_demo_users_have_exactly_their_role(superset_api, demo, regios):
    users = superset_api.get("/api/v1/security/users/", q=_q())["result"]
    assert set(demo) == {"demo_landelijk", "demo_regio_groningen", "demo_regio_rijnmond"}
    for account in demo.values():
        matches = [user for user in users if user["username"] == account.username]
        assert len(matches) == 1, f"{account.username}: {len(matches)} users"
        assert matches[0]["active"] is True
        assert [role["name"] for role in matches[0]["roles"]] == [account.rol]
        if account.azw_regio_code is not None:
            assert account.rol == access.regio_rol(regios[account.azw_regio_code])


def test_row_level_security_filters_exist_once_per_viewer_role(superset_api, regios):
    filters = superset_api.get("/api/v1/rowlevelsecurity/", q=_q())["result"]
    names = Counter(f["name"] for f in filters)
    assert all(count == 1 for count in names.values()), names
    expected = {superset_launcher.LANDELIJK_ROL: "1 = 0"} | {
        access.regio_rol(naam): f"azw_regio_code = '{code}'" for code, naam in regios.items()
    }
    by_name = {f["name"]: f for f in filters}
    for rol, clause in expected.items():
        rls = by_name[f"{access.RLS_NAAM_PREFIX}{rol}"]
        assert rls["filter_type"] == "Regular"
        assert rls["clause"] == clause
        assert [role["name"] for role in rls["roles"]] == [rol]
        assert [table["table_name"] for table in rls["tables"]] == [PRAKTIJK_DATASET]
    assert len(filters) == len(expected)


def test_region_sees_only_its_own_practice_rows(superset_server, demo, praktijk_dataset_id):
    regional = [a for a in demo.values() if a.azw_regio_code is not None]
    assert len(regional) == 2
    for account, other in (regional, regional[::-1]):
        api = _login(superset_server, account)
        own = _serving_count(
            superset_server.serving_db,
            f"select count(*) from marts.{PRAKTIJK_DATASET} where azw_regio_code = ?",
            account.azw_regio_code,
        )
        assert own > 0, f"no practice signals in {account.rol} in the sample data"
        rows = _praktijk_rows(api, praktijk_dataset_id, [])
        assert len(rows) == own, account.username
        assert {row["azw_regio_code"] for row in rows} == {account.azw_regio_code}
        other_region = [{"col": "azw_regio_code", "op": "==", "val": other.azw_regio_code}]
        assert _praktijk_rows(api, praktijk_dataset_id, other_region) == [], account.username


def test_national_viewer_sees_no_practice_rows(superset_server, demo, praktijk_dataset_id):
    api = _login(superset_server, demo["demo_landelijk"])
    assert _praktijk_rows(api, praktijk_dataset_id, []) == []


def test_viewers_see_the_published_dashboards_and_aggregated_data(
    superset_server, superset_api, demo
):
    published = {
        d["dashboard_title"]
        for d in superset_api.get("/api/v1/dashboard/", q=_q())["result"]
        if d["published"]
    }
    assert published
    (gemeente,) = superset_api.get("/api/v1/dataset/", q=_q(table_name="fct_capaciteit_gemeente"))[
        "result"
    ]
    expected = _serving_count(
        superset_server.serving_db, "select count(*) from marts.fct_capaciteit_gemeente"
    )
    for account in demo.values():
        api = _login(superset_server, account)
        shown = {d["dashboard_title"] for d in api.get("/api/v1/dashboard/", q=_q())["result"]}
        assert published <= shown, account.username
        (result,) = api.post("/api/v1/chart/data", _count_payload(gemeente["id"]))["result"]
        assert result["data"] == [{"n": expected}], account.username


def test_viewers_have_no_sql_lab_and_cannot_write(superset_server, superset_api, demo, database_id):
    chart = superset_api.get("/api/v1/chart/", q=_q())["result"][0]
    dashboard = superset_api.get("/api/v1/dashboard/", q=_q())["result"][0]
    for account in demo.values():
        api = _login(superset_server, account)
        refused = {
            "sqllab": api.request(
                "POST",
                "/api/v1/sqllab/execute/",
                json={"database_id": database_id, "sql": "select 1"},
            ),
            "chart": api.request(
                "PUT", f"/api/v1/chart/{chart['id']}", json={"slice_name": "gewijzigd"}
            ),
            "dashboard": api.request(
                "PUT",
                f"/api/v1/dashboard/{dashboard['id']}",
                json={"dashboard_title": "gewijzigd"},
            ),
            "dataset": api.request(
                "POST",
                "/api/v1/dataset/",
                json={"database": database_id, "schema": "marts", "table_name": "dim_gemeente"},
            ),
            "rls": api.request("GET", "/api/v1/rowlevelsecurity/"),
        }
        codes = {name: response.status_code for name, response in refused.items()}
        assert codes == dict.fromkeys(refused, 403), account.username
    assert (
        superset_api.get(f"/api/v1/chart/{chart['id']}")["result"]["slice_name"]
        == (chart["slice_name"])
    )


def test_beheer_has_sql_lab_and_all_practice_rows(
    superset_server, superset_api, database_id, praktijk_dataset_id
):
    roles = superset_api.get("/api/v1/security/roles/", q=_q())["result"]
    (beheer,) = (role["id"] for role in roles if role["name"] == superset_launcher.BEHEER_ROL)
    password = secrets.token_urlsafe(16)
    superset_api.post(
        "/api/v1/security/users/",
        {
            "username": "test_beheer",
            "first_name": "Test",
            "last_name": "Beheer",
            "email": "test_beheer@capmon.invalid",
            "password": password,
            "roles": [beheer],
            "active": True,
        },
    )
    api = SupersetApi(superset_server, "test_beheer", password)
    total = _serving_count(
        superset_server.serving_db, f"select count(*) from marts.{PRAKTIJK_DATASET}"
    )
    result = api.post(
        "/api/v1/sqllab/execute/",
        {
            "database_id": database_id,
            "sql": f"select count(*) as n from marts.{PRAKTIJK_DATASET}",
        },
    )
    assert result["data"] == [{"n": total}]
    (chart_result,) = api.post("/api/v1/chart/data", _count_payload(praktijk_dataset_id))["result"]
    assert chart_result["data"] == [{"n": total}]


def test_passwords_stay_out_of_logs_and_the_secrets_file_is_private(superset_server, demo):
    home = superset_server.home
    secrets_file = home / superset_launcher.SECRETS_FILE
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    stored = json.loads(secrets_file.read_text())
    passwords = [superset_server.admin_password, *(a.password for a in demo.values())]
    assert all(password in stored.values() for password in passwords)
    log = (home / "provision.log").read_text(errors="replace")
    assert not [password for password in passwords if password in log]
    summary = "\n".join(superset_launcher.access_summary(home))
    assert all(username in summary for username in demo)
    assert not [password for password in passwords if password in summary]


def test_demo_passwords_come_from_the_environment_first(tmp_path, monkeypatch):
    for slug in ("LANDELIJK", "GRONINGEN", "RIJNMOND"):
        monkeypatch.delenv(f"{superset_launcher.DEMO_PASSWORD_ENV_PREFIX}{slug}", raising=False)
    first = {a.username: a.password for a in superset_launcher.demo_accounts(tmp_path)}
    assert len(set(first.values())) == 3
    # Kept: the same passwords the next time.
    assert {a.username: a.password for a in superset_launcher.demo_accounts(tmp_path)} == first
    monkeypatch.setenv("CAPMON_DEMO_WACHTWOORD_LANDELIJK", "uit-de-omgeving")
    overridden = {a.username: a.password for a in superset_launcher.demo_accounts(tmp_path)}
    assert overridden == {**first, "demo_landelijk": "uit-de-omgeving"}
    assert "CAPMON_DEMO_WACHTWOORD_LANDELIJK" in "\n".join(
        superset_launcher.access_summary(tmp_path)
    )
