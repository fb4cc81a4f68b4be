"""The response cache in front of Superset (superset/capmon_antwoorden.py), on the real server:
it answers again only what Superset would answer alike, and forgets on every change.

Browser sessions (the login form's cookie) are what it serves; the API's bearer tokens pass
through it, so ``superset_api`` sees Superset itself.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
import requests

from orchestration import superset_browser as browser
from orchestration import superset_bundle, superset_launcher
from tests.superset.conftest import action_log, nationaal_payload

(PRAKTIJK_DATASET,) = superset_bundle.dataset_access()["praktijkniveau"]

pytestmark = pytest.mark.superset

HEADER = "X-Capmon-Antwoordcache"


def _sql(expression: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": expression, "label": "x"}


# Questions on a public dataset that an administrator may ask and a viewer may not
# (superset/capmon_security.py: no SQL of their own).
_ADMIN_ONLY = {
    "sql_column": {"columns": ["peiljaar", _sql("peiljaar + 0")]},
    "sql_metric": {"columns": ["peiljaar"], "metrics": [_sql("COUNT(*)")]},
    "extras_where": {"extras": {"where": "peiljaar > 0"}},
}


@pytest.fixture(scope="module")
def sessions(superset_server) -> dict[str, requests.Session]:
    """Admin and each demo user, logged in through the login form."""
    accounts = {superset_launcher.ADMIN_USERNAME: superset_server.admin_password}
    accounts |= {
        a.username: a.password for a in superset_launcher.demo_accounts(superset_server.home)
    }
    return {
        name: browser.login_session(superset_server.base_url, name, password)
        for name, password in accounts.items()
    }


@pytest.fixture(scope="module")
def kijkers(sessions) -> list[str]:
    names = [name for name in sessions if name != superset_launcher.ADMIN_USERNAME]
    assert len(names) >= 2, "the demo accounts should include several viewers"
    return names


def _ask(session: requests.Session, base_url: str, payload: dict) -> requests.Response:
    return session.post(f"{base_url}/api/v1/chart/data", json=payload, timeout=60)


def _data(response: requests.Response) -> list:
    assert response.status_code == 200, response.text[:300]
    (result,) = response.json()["result"]
    assert result["error"] is None and result["data"], result
    return result["data"]


def test_viewers_share_what_superset_answered_a_viewer(
    superset_server, superset_api, sessions, kijkers
):
    payload = nationaal_payload(superset_api, row_limit=9801)
    first, second = kijkers[:2]
    base = superset_server.base_url
    computed = _ask(sessions[first], base, payload)
    assert computed.headers[HEADER] == "miss"
    again = _ask(sessions[first], base, payload)
    other = _ask(sessions[second], base, payload)
    assert (again.headers[HEADER], other.headers[HEADER]) == ("hit", "hit")
    # The same figures as Superset itself gives (the API's token passes the cache by).
    direct = superset_api.request("POST", "/api/v1/chart/data", json=payload)
    assert HEADER not in direct.headers or direct.headers[HEADER] == "bypass"
    assert _data(again) == _data(other) == _data(computed) == _data(direct)
    # Superset's security headers come along with a cached answer.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type"):
        if header in computed.headers:
            assert again.headers.get(header) == computed.headers[header]
    assert "Set-Cookie" not in again.headers


def test_an_administrators_answer_is_never_given_to_a_viewer(
    superset_server, superset_api, sessions, kijkers
):
    """An administrator may ask with SQL of their own; a viewer asking the same is refused by
    Superset (capmon_security.py) and must not get the administrator's stored answer."""
    base = superset_server.base_url
    admin = sessions[superset_launcher.ADMIN_USERNAME]
    plain = nationaal_payload(superset_api, row_limit=9802)
    answered, seen = {}, {}
    for name, query in _ADMIN_ONLY.items():
        payload = {**plain, "queries": [{**plain["queries"][0], **query}]}
        first, again = _ask(admin, base, payload), _ask(admin, base, payload)
        seen[name] = (first.status_code, again.headers[HEADER], first.text[:200])
        if first.status_code == 200 and again.headers[HEADER] == "hit":
            answered[name] = payload
    assert sorted(answered) == sorted(_ADMIN_ONLY), seen
    findings = []
    for viewer in kijkers:
        for name, payload in answered.items():
            response = _ask(sessions[viewer], base, payload)
            if response.status_code < 400 or response.headers.get(HEADER) == "hit":
                findings.append((viewer, name, response.status_code, response.headers[HEADER]))
    assert findings == []


def test_practice_rows_are_kept_per_user(superset_server, dataset_ids_by_name, sessions, demo):
    """The practice dataset filters by the viewer's region: never shared between viewers."""
    regional = [a for a in demo.values() if a.azw_regio_code]
    assert len(regional) >= 2
    payload = {
        "datasource": {"id": dataset_ids_by_name[PRAKTIJK_DATASET], "type": "table"},
        "queries": [{"columns": ["azw_regio_code", "praktijk_agb"], "row_limit": 9803}],
        "result_format": "json",
        "result_type": "full",
    }
    base = superset_server.base_url
    for account in regional:
        session = sessions[account.username]
        first, again = _ask(session, base, payload), _ask(session, base, payload)
        assert (first.headers[HEADER], again.headers[HEADER]) == ("miss", "hit")
        for response in (first, again):
            assert response.status_code == 200
            (result,) = response.json()["result"]
            assert {row["azw_regio_code"] for row in result["data"]} <= {account.azw_regio_code}


def test_any_change_to_rights_is_seen_at_once(superset_server, superset_api, sessions, kijkers):
    """Revoking a viewer's right on a dataset, even by a write beside Superset, ends its
    cached answers: the next request is Superset's refusal, not a stored answer."""
    payload = nationaal_payload(superset_api, row_limit=9804)
    viewer = kijkers[0]
    base = superset_server.base_url
    _ask(sessions[viewer], base, payload)
    assert _ask(sessions[viewer], base, payload).headers[HEADER] == "hit"
    grant = (
        "SELECT pvr.id, pvr.permission_view_id, pvr.role_id FROM ab_permission_view_role pvr "
        "JOIN ab_user_role ur ON ur.role_id = pvr.role_id "
        "JOIN ab_user u ON u.id = ur.user_id "
        "JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id "
        "JOIN ab_permission p ON p.id = pv.permission_id "
        "JOIN ab_view_menu v ON v.id = pv.view_menu_id "
        "WHERE u.username = ? AND p.name = 'datasource_access' "
        "AND v.name LIKE '%[fct_capaciteit_nationaal]%'"
    )
    with sqlite3.connect(superset_server.home / "superset.db") as metadata:
        rows = metadata.execute(grant, (viewer,)).fetchall()
        assert rows, f"{viewer} should read fct_capaciteit_nationaal through a role"
        metadata.executemany(
            "DELETE FROM ab_permission_view_role WHERE id = ?", [r[:1] for r in rows]
        )
    try:
        refused = _ask(sessions[viewer], base, payload)
        assert refused.headers[HEADER] != "hit"
        assert refused.status_code in (401, 403), refused.text[:300]
    finally:
        with sqlite3.connect(superset_server.home / "superset.db") as metadata:
            metadata.executemany("INSERT INTO ab_permission_view_role VALUES (?, ?, ?)", rows)
    restored = _ask(sessions[viewer], base, payload)
    assert restored.headers[HEADER] == "miss"
    assert _data(restored)


def test_a_new_publication_is_never_answered_from_the_old(
    superset_server, superset_api, sessions, kijkers
):
    from orchestration.warehouse.publish import publish_marts

    payload = nationaal_payload(superset_api, row_limit=9805)
    session, base = sessions[kijkers[0]], superset_server.base_url
    assert [_ask(session, base, payload).headers[HEADER] for _ in range(2)] == ["miss", "hit"]
    serving_db = superset_server.serving_db
    publish_marts(serving_db.with_name("build.duckdb"), serving_db, run_id="test-antwoorden")
    assert [_ask(session, base, payload).headers[HEADER] for _ in range(2)] == ["miss", "hit"]


def test_answers_from_the_cache_are_in_the_action_log(
    superset_server, superset_api, sessions, kijkers
):
    payload = nationaal_payload(superset_api, row_limit=9806)
    viewer = kijkers[1]
    session, base = sessions[viewer], superset_server.base_url
    assert [_ask(session, base, payload).headers[HEADER] for _ in range(2)] == ["miss", "hit"]
    user_id = session.get(f"{base}/api/v1/me/", timeout=30).json()["result"]["id"]

    def from_cache(row: tuple) -> bool:
        return '"row_limit": 9806' in (row[2] or "") and '"antwoordcache"' in (row[2] or "")

    logged = [row for row in action_log(superset_server.home, until=from_cache) if from_cache(row)]
    assert [(row[0], row[1]) for row in logged] == [(user_id, "ChartDataRestApi.data")]
    assert json.loads(logged[0][2])["antwoordcache"] == "kijkers"


@pytest.fixture(scope="module")
def demo(superset_server) -> dict[str, superset_launcher.DemoAccount]:
    return {a.username: a for a in superset_launcher.demo_accounts(superset_server.home)}


@pytest.fixture(scope="module")
def dataset_ids_by_name(superset_api) -> dict[str, int]:
    found = superset_api.get("/api/v1/dataset/", q="(page_size:100)")["result"]
    return {d["table_name"]: d["id"] for d in found}


def _metadata_version(superset_server) -> int:
    with sqlite3.connect(superset_server.home / "superset.db") as metadata:
        return metadata.execute("SELECT n FROM capmon_versie").fetchone()[0]


def test_logging_in_and_reading_dashboards_keep_the_cache(superset_server, superset_api, demo):
    """Only changes to who may see what, or to what is defined, start a new set of answers:
    a login (last_login, login_count) and reading (the action log) do not."""
    before = _metadata_version(superset_server)
    account = next(iter(demo.values()))
    session = browser.login_session(superset_server.base_url, account.username, account.password)
    opened = 0
    for dashboard in superset_api.get("/api/v1/dashboard/", q="(page_size:100)")["result"]:
        for path in ("", "/charts", "/datasets"):
            url = f"{superset_server.base_url}/api/v1/dashboard/{dashboard['id']}{path}"
            opened += session.get(url, timeout=60).status_code == 200
    assert opened >= 6, "the viewer should open at least two dashboards"
    _ask(session, superset_server.base_url, nationaal_payload(superset_api, row_limit=9807))
    action_log(superset_server.home, until=lambda row: '"row_limit": 9807' in (row[2] or ""))
    assert _metadata_version(superset_server) == before


@pytest.mark.parametrize(
    "change",
    [
        {"force": True},
        {"result_format": "csv"},
        {"result_type": "query"},
        {"result_type": "samples"},
    ],
)
def test_forced_questions_and_other_formats_always_go_to_superset(
    superset_server, superset_api, sessions, kijkers, change
):
    payload = {**nationaal_payload(superset_api, row_limit=9808), **change}
    session, base = sessions[kijkers[0]], superset_server.base_url
    answers = [_ask(session, base, payload) for _ in range(2)]
    assert [a.headers[HEADER] for a in answers] == ["bypass", "bypass"]
    assert all(a.status_code < 500 for a in answers), [a.text[:200] for a in answers]


def test_a_template_that_may_name_the_user_keeps_answers_per_user(
    superset_server, superset_api, sessions, kijkers
):
    payload = nationaal_payload(superset_api, row_limit=9809)
    dataset_id = payload["datasource"]["id"]
    metadata_db = superset_server.home / "superset.db"
    with sqlite3.connect(metadata_db) as metadata:
        (before,) = metadata.execute(
            "SELECT fetch_values_predicate FROM tables WHERE id = ?", (dataset_id,)
        ).fetchone()
        metadata.execute(
            "UPDATE tables SET fetch_values_predicate = ? WHERE id = ?",
            ("{{ current_user_id() }} > 0", dataset_id),
        )
    try:
        first, second = (sessions[name] for name in kijkers[:2])
        base = superset_server.base_url
        assert [_ask(first, base, payload).headers[HEADER] for _ in range(2)] == ["miss", "hit"]
        assert _ask(second, base, payload).headers[HEADER] == "miss"
    finally:
        with sqlite3.connect(metadata_db) as metadata:
            metadata.execute(
                "UPDATE tables SET fetch_values_predicate = ? WHERE id = ?", (before, dataset_id)
            )
