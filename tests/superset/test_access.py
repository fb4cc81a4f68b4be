"""Access control as `capmon provision` sets it up, on a real Superset server.

Roles Landelijk, Beheer and one "Regio …" per AZW region; demo users with exactly their
role; viewers read the published datasets only (``datasource_access``, never the database);
practice rows behind two barriers (a virtual dataset that selects the user's own region from
the user's roles, and row-level security), so that a region sees the practice rows of its
own region only (counted here with DuckDB in the serving DB) and the national viewer none,
also when a request is crafted to widen the filter (issue 9). Provisioning ran twice
(conftest), so "exactly once" also proves idempotency.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import secrets
import sqlite3
import stat
import subprocess
from collections import Counter
from pathlib import Path

import duckdb
import jinja2
import pytest
import requests

from orchestration import superset_browser as browser
from orchestration import superset_bundle, superset_launcher
from orchestration.paths import SUPERSET_DIR
from tests.superset.conftest import SupersetApi, action_log

pytestmark = pytest.mark.superset

# superset/provision_access.py imports Superset only inside its functions, so its names
# (role naming, the practice-level SQL) can be read from the pipeline environment.
_spec = importlib.util.spec_from_file_location(
    "capmon_provision_access", SUPERSET_DIR / "provision_access.py"
)
access = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(access)

DATASETS = superset_bundle.dataset_access()
(PRAKTIJK_DATASET,) = DATASETS["praktijkniveau"]
PRAKTIJK_TABEL = access.PRAKTIJK_TABEL
# Columns of the practice mart an attacker would want; the region code tells whose rows.
PRAKTIJK_KOLOMMEN = ["azw_regio_code", "praktijk_agb", "gemeentenaam", "signaal"]


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
def viewers(superset_server, demo) -> dict[str, SupersetApi]:
    """Each demo user logged in once (logins are rate limited per user)."""
    return {name: SupersetApi(superset_server, name, a.password) for name, a in demo.items()}


@pytest.fixture(scope="module")
def viewer_sessions(superset_server, demo) -> dict[str, requests.Session]:
    """Each demo user logged in through the login form (cookie session + CSRF header), as
    the legacy ``/superset/explore_json/`` expects."""
    sessions = {}
    for name, account in demo.items():
        session = browser.login_session(superset_server.base_url, name, account.password)
        token = session.get(
            f"{superset_server.base_url}/api/v1/security/csrf_token/", timeout=30
        ).json()["result"]
        session.headers.update({"X-CSRFToken": token, "Referer": superset_server.base_url})
        sessions[name] = session
    return sessions


@pytest.fixture(scope="module")
def dataset_ids(superset_api) -> dict[str, int]:
    found = superset_api.get("/api/v1/dataset/", q=_q())["result"]
    return {d["table_name"]: d["id"] for d in found}


@pytest.fixture(scope="module")
def praktijk_dataset_id(dataset_ids) -> int:
    return dataset_ids[PRAKTIJK_DATASET]


@pytest.fixture(scope="module")
def database_id(superset_api) -> int:
    (database,) = superset_api.get("/api/v1/database/")["result"]
    return database["id"]


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


def _count_payload(dataset_id: int, metric: str = "count") -> dict:
    """A chart-data query counting a dataset's rows (after row-level security) as ``n``."""
    return {
        "datasource": {"id": dataset_id, "type": "table"},
        "queries": [
            {
                "metrics": [
                    {
                        "expressionType": "SIMPLE",
                        "aggregate": "COUNT",
                        "column": {"column_name": metric},
                        "label": "n",
                    }
                ]
            }
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


def _role_permissions(home) -> dict[str, set[tuple[str, str]]]:
    """Role -> {(permission, view)} from Superset's metadata database."""
    with sqlite3.connect(home / "superset.db") as metadata:
        rows = metadata.execute(
            "select r.name, p.name, v.name from ab_role r "
            "join ab_permission_view_role pvr on pvr.role_id = r.id "
            "join ab_permission_view pv on pv.id = pvr.permission_view_id "
            "join ab_permission p on p.id = pv.permission_id "
            "join ab_view_menu v on v.id = pv.view_menu_id"
        ).fetchall()
    permissions: dict[str, set[tuple[str, str]]] = {}
    for role, permission, view in rows:
        permissions.setdefault(role, set()).add((permission, view))
    return permissions


def test_viewer_roles_read_only_the_published_datasets(superset_server, regios):
    permissions = _role_permissions(superset_server.home)
    viewer_roles = [superset_launcher.LANDELIJK_ROL, *map(access.regio_rol, regios.values())]
    allowed = set(DATASETS["publiek"]) | {PRAKTIJK_DATASET}
    assert "fct_capaciteit_gemeente" not in allowed
    assert "fct_prognose_gemeente" not in allowed
    for role in viewer_roles:
        granted = permissions[role]
        broad = {
            (p, v)
            for p, v in granted
            if p in ("database_access", "schema_access", "catalog_access") or p.startswith("all_")
        }
        assert broad == set(), role
        readable = {
            v.split("].[", 1)[1].split("]", 1)[0] for p, v in granted if p == "datasource_access"
        }
        assert readable == allowed, role
        refused = {
            (p, v)
            for p, v in granted
            if p in ("can_export", "resetmypassword", "userinfoedit")
            or v in ("Database", "ResetMyPasswordView", "UserInfoEditView", "SQLLab")
            or (v == "CurrentUserRestApi" and p != "can_read")
        }
        assert refused == set(), role
    # Beheer keeps the whole database (SQL Lab needs it).
    assert any(p == "database_access" for p, _ in permissions[superset_launcher.BEHEER_ROL])


def test_region_sees_only_its_own_practice_rows(
    superset_server, viewers, demo, praktijk_dataset_id
):
    regional = [a for a in demo.values() if a.azw_regio_code is not None]
    assert len(regional) == 2
    for account, other in (regional, regional[::-1]):
        api = viewers[account.username]
        own = _serving_count(
            superset_server.serving_db,
            f"select count(*) from {PRAKTIJK_TABEL} where azw_regio_code = ?",
            account.azw_regio_code,
        )
        assert own > 0, f"no practice signals in {account.rol} in the sample data"
        rows = _praktijk_rows(api, praktijk_dataset_id, [])
        assert len(rows) == own, account.username
        assert {row["azw_regio_code"] for row in rows} == {account.azw_regio_code}
        other_region = [{"col": "azw_regio_code", "op": "==", "val": other.azw_regio_code}]
        assert _praktijk_rows(api, praktijk_dataset_id, other_region) == [], account.username


def test_national_viewer_sees_no_practice_rows(viewers, praktijk_dataset_id):
    assert _praktijk_rows(viewers["demo_landelijk"], praktijk_dataset_id, []) == []


def test_the_practice_dataset_alone_selects_the_own_region():
    """The first barrier on its own: the dataset SQL, rendered per role, run without RLS."""
    regios = {"RA0101": "Groningen", "RA0919": "Rijnmond", "RA0725": "Regio Zwolle"}
    sql = access.praktijk_sql(regios)
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        f"create table {PRAKTIJK_TABEL} as select * from (values "
        "('RA0101', 'p1'), ('RA0919', 'p2'), ('RA0725', 'p3'), (null, 'p4')"
        ") as t(azw_regio_code, praktijk_agb)"
    )

    def shown(*rollen) -> set[str]:
        rendered = (
            jinja2.Environment()
            .from_string(sql)
            .render(current_user_roles=lambda: list(rollen) or None)
        )
        return {row[0] for row in con.execute(f"select praktijk_agb from ({rendered})").fetchall()}

    assert shown("Regio Groningen") == {"p1"}
    assert shown("Regio Zwolle") == {"p3"}
    assert shown("Regio Groningen", "Regio Rijnmond") == {"p1", "p2"}
    assert shown(superset_launcher.LANDELIJK_ROL) == set()
    assert shown() == set()
    assert shown("Gamma", "Groningen", "RA0101") == set()
    assert shown(superset_launcher.BEHEER_ROL) == {"p1", "p2", "p3", "p4"}


def test_viewers_see_the_published_dashboards_and_aggregated_data(
    superset_server, superset_api, viewers, dataset_ids
):
    published = {
        d["dashboard_title"]
        for d in superset_api.get("/api/v1/dashboard/", q=_q())["result"]
        if d["published"]
    }
    assert published
    expected = _serving_count(
        superset_server.serving_db, "select count(*) from marts.fct_capaciteit_gemeente_publiek"
    )
    payload = _count_payload(dataset_ids["fct_capaciteit_gemeente_publiek"], "gemeentecode")
    for name, api in viewers.items():
        shown = {d["dashboard_title"] for d in api.get("/api/v1/dashboard/", q=_q())["result"]}
        assert published <= shown, name
        (result,) = api.post("/api/v1/chart/data", payload)["result"]
        assert result["data"] == [{"n": expected}], name
        listed = {d["table_name"] for d in api.get("/api/v1/dataset/", q=_q())["result"]}
        assert listed == set(DATASETS["publiek"]) | {PRAKTIJK_DATASET}, name


def test_unpublished_datasets_are_refused_to_viewers(superset_server, viewers, dataset_ids):
    # The unsuppressed municipal mart is no dataset at all; the municipal projection is one
    # (its chart is the lead's to move) but no viewer role may read it.
    assert "fct_capaciteit_gemeente" not in dataset_ids
    assert "fct_praktijk_signalen" not in dataset_ids
    for table in DATASETS["beperkt"]:
        payload = _count_payload(dataset_ids[table], "gemeentecode")
        for name, api in viewers.items():
            response = api.request("POST", "/api/v1/chart/data", json=payload)
            assert response.status_code in (403, 404), (name, table, response.status_code)
            assert api.request("GET", f"/api/v1/dataset/{dataset_ids[table]}").status_code in (
                403,
                404,
            ), (name, table)


def test_viewers_cannot_browse_export_list_users_or_change_passwords(
    superset_server, superset_api, viewers, viewer_sessions, database_id
):
    (chart,) = [
        c
        for c in superset_api.get("/api/v1/chart/", q=_q())["result"]
        if c["slice_name"] == "Fte huisartsen"
    ]
    (dashboard,) = [
        d
        for d in superset_api.get("/api/v1/dashboard/", q=_q())["result"]
        if d["dashboard_title"] == "Landelijke monitor"
    ]
    (dataset,) = superset_api.get("/api/v1/dataset/", q=_q(table_name="fct_capaciteit_regio"))[
        "result"
    ]
    db_path = str(superset_server.serving_db.resolve())
    requests_ = {
        "databases": ("GET", "/api/v1/database/"),
        "database": ("GET", f"/api/v1/database/{database_id}"),
        "connection": ("GET", f"/api/v1/database/{database_id}/connection"),
        "schemas": ("GET", f"/api/v1/database/{database_id}/schemas/"),
        "tables": ("GET", f"/api/v1/database/{database_id}/tables/?q=(schema_name:marts)"),
        "select_star": (
            "GET",
            f"/api/v1/database/{database_id}/select_star/fct_capaciteit_gemeente/marts/",
        ),
        "table_metadata": (
            "GET",
            f"/api/v1/database/{database_id}/table_metadata/?name=fct_capaciteit_gemeente"
            "&schema=marts",
        ),
        "table_extra": (
            "GET",
            f"/api/v1/database/{database_id}/table_metadata/extra/?name=fct_capaciteit_gemeente"
            "&schema=marts",
        ),
        "users": ("GET", "/api/v1/security/users/"),
        "roles": ("GET", "/api/v1/security/roles/"),
        "owners": ("GET", "/api/v1/chart/related/owners"),
        "dashboard_owners": ("GET", "/api/v1/dashboard/related/owners"),
        "dashboard_roles": ("GET", "/api/v1/dashboard/related/roles"),
        "dataset_owners": ("GET", "/api/v1/dataset/related/owners"),
        "export_dashboard": ("GET", f"/api/v1/dashboard/export/?q=!({dashboard['id']})"),
        "export_chart": ("GET", f"/api/v1/chart/export/?q=!({chart['id']})"),
        "export_dataset": ("GET", f"/api/v1/dataset/export/?q=!({dataset['id']})"),
        "export_assets": ("GET", "/api/v1/assets/export/"),
        "change_password": ("PUT", "/api/v1/me/"),
    }
    for name, api in viewers.items():
        answers = {}
        for label, (method, path) in requests_.items():
            body = {"password": "gekaapt-" + secrets.token_hex(4)} if method == "PUT" else None
            response = api.request(method, path, json=body)
            answers[label] = response.status_code
            assert db_path not in response.text, (name, label)
        assert {k: v for k, v in answers.items() if v not in (401, 403, 404, 405)} == {}, name
        assert api.get("/api/v1/me/")["result"]["username"] == name
        # What a viewer may read about dashboards and datasets names no server path either.
        for path in (
            f"/api/v1/dashboard/{dashboard['id']}/datasets",
            f"/api/v1/dashboard/{dashboard['id']}/charts",
            f"/api/v1/dataset/{dataset['id']}",
            f"/api/v1/explore/?slice_id={chart['id']}",
            f"/api/v1/chart/{chart['id']}",
        ):
            response = api.request("GET", path)
            assert response.status_code == 200, (name, path, response.status_code)
            assert db_path not in response.text, (name, path)
        # The legacy Flask-AppBuilder forms for the own password and profile.
        session = viewer_sessions[name]
        for path in ("/resetmypassword/form", "/userinfoeditview/form", "/users/list/"):
            response = session.get(
                f"{superset_server.base_url}{path}", allow_redirects=False, timeout=30
            )
            assert response.status_code in (302, 403, 404), (name, path, response.status_code)
            if response.status_code == 302:  # Flask-AppBuilder's "no access": to the login page
                assert response.headers.get("Location", "").startswith("/login/"), (name, path)


def test_viewers_have_no_sql_lab_and_cannot_write(superset_api, viewers, database_id):
    chart = superset_api.get("/api/v1/chart/", q=_q())["result"][0]
    dashboard = superset_api.get("/api/v1/dashboard/", q=_q())["result"][0]
    for name, api in viewers.items():
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
            "virtual_dataset": api.request(
                "POST",
                "/api/v1/dataset/",
                json={
                    "database": database_id,
                    "schema": "marts",
                    "table_name": "alles",
                    "sql": f"select * from {PRAKTIJK_TABEL}",
                },
            ),
            "rls": api.request("GET", "/api/v1/rowlevelsecurity/"),
        }
        codes = {label: response.status_code for label, response in refused.items()}
        assert codes == dict.fromkeys(refused, 403), name
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
    created = superset_api.post(
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
    total = _serving_count(superset_server.serving_db, f"select count(*) from {PRAKTIJK_TABEL}")
    result = api.post(
        "/api/v1/sqllab/execute/",
        {"database_id": database_id, "sql": f"select count(*) as n from {PRAKTIJK_TABEL}"},
    )
    assert result["data"] == [{"n": total}]
    payload = _count_payload(praktijk_dataset_id, "praktijk_agb")
    (chart_result,) = api.post("/api/v1/chart/data", payload)["result"]
    assert chart_result["data"] == [{"n": total}]
    # The password the admin set is in no row of Superset's action log, which by now holds
    # this user's chart-data request (so the rows of the requests before it too).
    logged = action_log(
        superset_server.home,
        until=lambda row: row[0] == created["id"] and row[1].endswith(".data"),
    )
    assert not [row for row in logged if password in (row[2] or "")]


def test_passwords_stay_out_of_logs_and_the_secrets_file_is_private(superset_server, demo):
    home = superset_server.home
    secrets_file = home / superset_launcher.SECRETS_FILE
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    stored = json.loads(secrets_file.read_text())
    passwords = [superset_server.admin_password, *(a.password for a in demo.values())]
    assert all(password in stored.values() for password in passwords)
    log = (home / "provision.log").read_text(errors="replace")
    assert not [password for password in passwords if password in log]
    logged = "\n".join(row[2] or "" for row in action_log(home))
    assert not [password for password in passwords if password in logged]
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


# --- crafted requests (issue 9) -------------------------------------------------------------

_WIDEN = "TRUE OR azw_regio_code"


def _sql_col(expression: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": expression, "label": "x"}


# Chart-data query variants: (name, extra fields of the query). Each either is refused or
# must return only rows the user may see. The first is issue 9's payload, exactly.
CHART_DATA_ATTACKS = {
    "issue9_is_null": {"filters": [{"col": _sql_col(_WIDEN), "op": "IS NULL"}]},
    "is_not_null": {"filters": [{"col": _sql_col(_WIDEN), "op": "IS NOT NULL"}]},
    "or_in_subject_eq": {
        "filters": [{"col": _sql_col("azw_regio_code OR TRUE"), "op": "==", "val": "x"}]
    },
    "comment": {"filters": [{"col": _sql_col("TRUE OR azw_regio_code --"), "op": "IS NULL"}]},
    "block_comment": {
        "filters": [{"col": _sql_col("TRUE OR /* */ azw_regio_code"), "op": "IS NULL"}]
    },
    "parenthesis_break": {
        "filters": [{"col": _sql_col("azw_regio_code) OR (1 = 1"), "op": "IS NULL"}]
    },
    "union": {
        "filters": [
            {
                "col": _sql_col(f"azw_regio_code IS NULL UNION SELECT * FROM {PRAKTIJK_TABEL} --"),
                "op": "IS NULL",
            }
        ]
    },
    "subquery": {
        "filters": [
            {
                "col": _sql_col(f"azw_regio_code IN (SELECT azw_regio_code FROM {PRAKTIJK_TABEL})"),
                "op": "IS NULL",
            }
        ]
    },
    "string_subject": {"filters": [{"col": _WIDEN, "op": "IS NULL"}]},
    "extras_where": {"extras": {"where": "1 = 1) OR (1 = 1"}},
    "extras_where_or": {"extras": {"where": "TRUE OR azw_regio_code IS NULL"}},
    "extras_having": {"extras": {"having": "TRUE OR COUNT(*) > 0"}},
    "jinja_where": {"extras": {"where": "{{ 'TRUE' }} OR azw_regio_code IS NULL"}},
    "granularity": {"granularity": _WIDEN, "time_range": "No filter"},
    "sql_column": {"columns": [*PRAKTIJK_KOLOMMEN, _sql_col("TRUE OR azw_regio_code IS NULL")]},
    "sql_metric": {
        "columns": ["azw_regio_code"],
        "metrics": [{"expressionType": "SQL", "sqlExpression": "COUNT(*)", "label": "n"}],
    },
    "sql_orderby": {
        "orderby": [[{"expressionType": "SQL", "sqlExpression": _WIDEN, "label": "o"}, True]]
    },
    "simple_metric_unknown_column": {
        "columns": ["azw_regio_code"],
        "metrics": [
            {
                "expressionType": "SIMPLE",
                "aggregate": "COUNT",
                "column": {"column_name": _WIDEN},
                "label": "n",
            }
        ],
    },
    "annotation_layer": {
        "annotation_layers": [
            {
                "name": "a",
                "sourceType": "line",
                "value": 1,
                "show": True,
                "annotationType": "TIME_SERIES",
            }
        ]
    },
}


def _chart_data(dataset_id: int, attack: dict, result_format: str = "json") -> dict:
    query = {"columns": list(PRAKTIJK_KOLOMMEN), "row_limit": 100000, **attack}
    return {
        "datasource": {"id": dataset_id, "type": "table"},
        "force": True,
        "queries": [query],
        "result_format": result_format,
        "result_type": "full",
    }


def _region_codes(response: requests.Response, result_format: str) -> list[str]:
    """The azw_regio_code of every row a successful answer holds (any column naming it)."""
    if result_format == "csv":
        reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
        return [row.get("azw_regio_code") or row.get("country_id") for row in reader]
    body = response.json()
    results = body.get("result", [body])
    codes = []
    for result in results:
        data = result.get("data") or []
        if isinstance(data, dict):  # a legacy viz answer
            data = data.get("records") or data.get("data") or []
        codes += [row.get("azw_regio_code") or row.get("country_id") for row in data]
    return codes


def _leaks(account, codes: list[str]) -> list[str]:
    """Rows a user must not see: any for Landelijk, another region's for a region."""
    own = account.azw_regio_code
    return [code for code in codes if own is None or code != own]


@pytest.mark.parametrize("result_format", ["json", "csv"])
def test_crafted_chart_data_requests_leak_no_practice_rows(
    superset_server, viewers, demo, dataset_ids, result_format
):
    findings = []
    targets = [PRAKTIJK_DATASET, *DATASETS["publiek"]]
    for name, api in viewers.items():
        for table in targets:
            for attack_name, attack in CHART_DATA_ATTACKS.items():
                response = api.request(
                    "POST",
                    "/api/v1/chart/data",
                    json=_chart_data(dataset_ids[table], attack, result_format),
                )
                if response.status_code >= 400:
                    continue  # refused
                if table == PRAKTIJK_DATASET:
                    leaked = _leaks(demo[name], _region_codes(response, result_format))
                    if leaked:
                        findings.append((name, table, attack_name, Counter(leaked)))
                else:
                    # Crafted SQL is refused outright on every dataset, not just tolerated.
                    findings.append((name, table, attack_name, response.status_code))
    assert findings == []


def _explore_form_data(dataset_id: int, extra: dict, viz_type: str) -> dict:
    base = {
        "datasource": f"{dataset_id}__table",
        "viz_type": viz_type,
        "time_range": "No filter",
        "row_limit": 100000,
        "adhoc_filters": [],
    }
    if viz_type == "country_map":
        base |= {
            "entity": "azw_regio_code",
            "metric": "aantal_praktijken",
            "select_country": "netherlands",
        }
    else:  # event_flow: raw rows
        base |= {
            "granularity_sqla": "aangeleverd_op",
            "all_columns_x": "signaal",
            "entity": "azw_regio_code",
            "all_columns": PRAKTIJK_KOLOMMEN,
            "order_by_entity": True,
        }
    return base | extra


def _adhoc(subject: str, operator: str, expression_type: str = "SIMPLE", clause="WHERE") -> dict:
    return {
        "expressionType": expression_type,
        "subject": subject if expression_type == "SIMPLE" else None,
        "operator": operator,
        "comparator": None,
        "clause": clause,
        "sqlExpression": subject if expression_type == "SQL" else None,
        "filterOptionName": "x",
    }


EXPLORE_JSON_ATTACKS = {
    "none": {},
    "issue9_subject": {"adhoc_filters": [_adhoc(_WIDEN, "IS NULL")]},
    "subject_is_not_null": {"adhoc_filters": [_adhoc(_WIDEN, "IS NOT NULL")]},
    "subject_comment": {"adhoc_filters": [_adhoc("TRUE OR azw_regio_code --", "IS NULL")]},
    "sql_where": {"adhoc_filters": [_adhoc("TRUE OR azw_regio_code IS NULL", "", "SQL")]},
    "sql_having": {"adhoc_filters": [_adhoc("TRUE OR COUNT(*) > 0", "", "SQL", "HAVING")]},
    "legacy_where": {"where": "1 = 1) OR (1 = 1"},
    "legacy_having": {"having": "TRUE OR COUNT(*) > 0"},
    "granularity": {"granularity_sqla": _WIDEN},
}


@pytest.mark.parametrize("csv_export", [False, True], ids=["json", "csv"])
def test_crafted_explore_json_requests_leak_no_practice_rows(
    superset_server, viewer_sessions, demo, praktijk_dataset_id, csv_export
):
    findings = []
    answered = 0
    suffix = "?csv=true" if csv_export else ""
    for name, session in viewer_sessions.items():
        for viz_type in ("country_map", "event_flow"):
            for attack_name, extra in EXPLORE_JSON_ATTACKS.items():
                form_data = _explore_form_data(praktijk_dataset_id, extra, viz_type)
                response = session.post(
                    f"{superset_server.base_url}/superset/explore_json/{suffix}",
                    data={"form_data": json.dumps(form_data)},
                    timeout=60,
                )
                if response.status_code >= 400:
                    continue  # refused
                answered += 1
                codes = _region_codes(response, "csv" if csv_export else "json")
                own = demo[name].azw_regio_code
                if attack_name == "none" and own and set(codes) != {own}:
                    findings.append((name, viz_type, "own rows missing", Counter(codes)))
                if leaked := _leaks(demo[name], codes):
                    findings.append((name, viz_type, attack_name, Counter(leaked)))
    assert findings == []
    assert answered, "explore_json answered nothing at all: the test proves nothing"


def test_column_values_of_the_practice_dataset_are_the_own_region(
    viewers, demo, praktijk_dataset_id
):
    for name, api in viewers.items():
        response = api.request(
            "GET", f"/api/v1/datasource/table/{praktijk_dataset_id}/column/azw_regio_code/values/"
        )
        if response.status_code == 403:  # viewers' Gamma permissions have no values endpoint
            continue
        assert response.status_code == 200, (name, response.status_code)
        assert _leaks(demo[name], response.json()["result"]) == [], name


def test_login_is_rate_limited_per_user(superset_server, demo):
    # A user name of its own: the limit then blocks no account that later tests log in with.
    username = f"raden_{secrets.token_hex(4)}"
    url = f"{superset_server.base_url}/api/v1/security/login"
    codes = [
        requests.post(
            url,
            json={"username": username, "password": f"fout-{i}", "provider": "db"},
            timeout=30,
        ).status_code
        for i in range(25)
    ]
    assert 429 in codes, codes
    assert set(codes) <= {401, 429}, codes
    # Another user is not locked out by the attempts on this one.
    account = demo["demo_regio_groningen"]
    assert SupersetApi(superset_server, account.username, account.password).get("/api/v1/me/")


def test_the_practice_dataset_holds_without_the_request_check_and_without_rls(
    superset_server, demo
):
    """The second barrier on its own, on the server's own metadata and serving DB.

    The crafted filters go straight to Superset's query builder (practice_barrier_probe.py),
    past the request check that refuses them over HTTP. The dataset's SQL alone, and with
    row-level security, must keep every user to the own region; the raw table with only
    row-level security (Superset as it was) must leak, or the attacks prove nothing.
    """
    attacks = {}
    for name, attack in CHART_DATA_ATTACKS.items():
        query_obj = {
            k: v for k, v in attack.items() if k not in ("annotation_layers", "time_range")
        }
        if "filters" in query_obj:
            query_obj["filter"] = query_obj.pop("filters")
        if "columns" in query_obj and "azw_regio_code" not in query_obj["columns"]:
            query_obj["columns"] = ["azw_regio_code", *query_obj["columns"]]
        attacks[name] = query_obj

    def stored_sql() -> str:
        with sqlite3.connect(superset_server.home / "superset.db") as metadata:
            return metadata.execute(
                "select sql from tables where table_name = ?", (PRAKTIJK_DATASET,)
            ).fetchone()[0]

    before = stored_sql()
    assert "current_user_roles()" in before
    result = subprocess.run(
        [
            str(superset_launcher.superset_bin("python")),
            str(Path(__file__).with_name("practice_barrier_probe.py")),
            PRAKTIJK_DATASET,
            json.dumps(sorted(demo)),
            json.dumps(attacks),
        ],
        env=superset_launcher.superset_env(superset_server.home),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcomes = json.loads(result.stdout.strip().splitlines()[-1])
    assert stored_sql() == before, "the probe changed the dataset in Superset's metadata"
    leaks, answered = [], 0
    for key, outcome in outcomes.items():
        username, attack_name, mode = key.split("|")
        if mode == "rls_only" or "refused" in outcome:
            continue
        answered += 1
        own = demo[username].azw_regio_code
        if set(outcome["regions"]) - ({own} if own else set()):
            leaks.append((key, outcome["rows"], outcome["regions"][:5]))
    assert leaks == []
    assert answered >= len(demo) * 2, "almost every crafted query was refused: nothing tested"
    # The control: issue 9's filter on the raw table with row-level security only leaks.
    control = outcomes["demo_landelijk|issue9_is_null|rls_only"]
    assert len(control.get("regions", [])) > 1, control
