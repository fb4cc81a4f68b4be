"""A real Superset server for the tests: provisioned in a scratch home, on a free port.

Everything lives under pytest's tmp folder (Superset home, secrets, logs); the serving DB
is the one the session fixture ``published_warehouse`` built, so the user's data/ folder is
never touched.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from orchestration import superset_launcher
from orchestration.paths import SUPERSET_VENV

HEALTH_TIMEOUT_S = 180
# Every server process writes the action-log rows it gathered once a second
# (superset/capmon_actielog.py, WRITE_INTERVAL_S); after this, a request's rows are in.
ACTION_LOG_SETTLE_S = 2.5
RENAMED_CHART = "Fte huisartsen"


def action_log(
    home: Path, until: Callable[[tuple], bool] = lambda row: True, timeout_s: float = 15
) -> list[tuple]:
    """Superset's action log as ``(user_id, action, json)`` rows, once a row satisfies
    ``until`` and every server process has written what it gathered until then."""
    deadline = time.monotonic() + timeout_s
    while True:
        with sqlite3.connect(home / "superset.db") as metadata:
            rows = list(metadata.execute("select user_id, action, json from logs order by id"))
        if any(until(row) for row in rows):
            time.sleep(ACTION_LOG_SETTLE_S)
            with sqlite3.connect(home / "superset.db") as metadata:
                return list(metadata.execute("select user_id, action, json from logs order by id"))
        if time.monotonic() > deadline:
            raise AssertionError(f"no row in Superset's action log satisfies {until}: {rows[-5:]}")
        time.sleep(0.2)


def nationaal_payload(superset_api, row_limit: int) -> dict:
    """A chart-data request on fct_capaciteit_nationaal. Each test picks a row limit no chart
    and no other test uses, so that its first answer cannot come from an earlier one's."""
    (dataset,) = superset_api.get(
        "/api/v1/dataset/",
        q="(filters:!((col:table_name,opr:eq,value:fct_capaciteit_nationaal)))",
    )["result"]
    return {
        "datasource": {"id": dataset["id"], "type": "table"},
        "queries": [{"columns": ["peiljaar", "huisartsen_fte"], "row_limit": row_limit}],
        "result_format": "json",
        "result_type": "full",
    }


@dataclass(frozen=True)
class ProvisionedSuperset:
    home: Path
    serving_db: Path


@dataclass(frozen=True)
class RunningSuperset:
    base_url: str
    home: Path
    serving_db: Path
    admin_password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(geen log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def provisioned_superset(
    published_warehouse, tmp_path_factory: pytest.TempPathFactory
) -> ProvisionedSuperset:
    """Provision twice, as a user re-running `capmon provision` would; both must succeed.

    In between, a chart is renamed in Superset's metadata, as someone editing it in the UI
    would: the second provisioning must put the repository's version back (the bundle is
    the source of truth), which ``test_dashboard_has_its_charts`` then sees.
    """
    if not superset_launcher.superset_bin().exists():
        pytest.fail(f"The Superset environment is missing ({SUPERSET_VENV}); run `make setup`.")
    home = tmp_path_factory.mktemp("superset-home")
    serving_db = published_warehouse.serving_db
    superset_launcher.provision(serving_db, home)
    with sqlite3.connect(home / "superset.db") as metadata:
        renamed = metadata.execute(
            "update slices set slice_name = 'Handmatig gewijzigd' where slice_name = ?",
            (RENAMED_CHART,),
        ).rowcount
    assert renamed == 1, f"chart {RENAMED_CHART!r} not found after the first provisioning"
    superset_launcher.provision(serving_db, home)
    return ProvisionedSuperset(home=home, serving_db=serving_db)


@pytest.fixture(scope="session")
def superset_server(provisioned_superset: ProvisionedSuperset) -> Iterator[RunningSuperset]:
    home = provisioned_superset.home
    port = _free_port()
    process = superset_launcher.start_server(home, port=port)
    try:
        base_url = f"http://127.0.0.1:{port}"
        try:
            superset_launcher.wait_until_healthy(f"{base_url}/health", HEALTH_TIMEOUT_S)
        except TimeoutError as error:
            pytest.fail(f"{error}\n{_log_tail(home / superset_launcher.LOG_FILE)}")
        yield RunningSuperset(
            base_url=base_url,
            home=home,
            serving_db=provisioned_superset.serving_db,
            admin_password=superset_launcher.ensure_secrets(home)["admin_password"],
        )
    finally:
        # gunicorn stops its workers on SIGTERM; kill only if it hangs.
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class SupersetApi:
    """The REST API as one user (the admin unless told otherwise): bearer token from
    /api/v1/security/login plus CSRF token."""

    def __init__(
        self, server: RunningSuperset, username: str | None = None, password: str | None = None
    ) -> None:
        self.base_url = server.base_url
        self.username = username or superset_launcher.ADMIN_USERNAME
        self.session = requests.Session()
        response = self.session.post(
            f"{self.base_url}/api/v1/security/login",
            json={
                "username": self.username,
                "password": server.admin_password if password is None else password,
                "provider": "db",
                "refresh": False,
            },
            timeout=30,
        )
        assert response.status_code == 200, f"login as {self.username}: {response.status_code}"
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        # Only needed for state-changing calls, but cheap and keeps every call uniform.
        csrf = self.get("/api/v1/security/csrf_token/")["result"]
        self.session.headers.update({"X-CSRFToken": csrf, "Referer": self.base_url})

    def get(self, path: str, **params) -> dict:
        response = self.session.get(f"{self.base_url}{path}", params=params, timeout=60)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        return response.json()

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """Any call, without judging the answer (for calls that must be refused)."""
        return self.session.request(method, f"{self.base_url}{path}", timeout=60, **kwargs)

    def post(self, path: str, payload: dict) -> dict:
        response = self.request("POST", path, json=payload)
        assert response.status_code in (200, 201), (
            f"POST {path} as {self.username}: {response.status_code} {response.text}"
        )
        return response.json()


@pytest.fixture(scope="session")
def superset_api(superset_server: RunningSuperset) -> SupersetApi:
    return SupersetApi(superset_server)
