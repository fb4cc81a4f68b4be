"""The Dagster UI as `capmon serve` starts it refuses what a foreign web page could send.

A real dagster-webserver behind the guard (orchestration/dagster_ui.py), on a free port,
attacked with the requests a page opened in the browser of this machine could make.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from urllib.parse import quote

import pytest

from orchestration import bronnen, code_server
from orchestration.dagster_ui import webserver_command
from orchestration.defs.jobs import FULL_REFRESH_JOB
from orchestration.paths import PROJECT_ROOT

pytestmark = pytest.mark.integration

MUTATION = 'mutation { deleteRun(runId: "00000000-0000-0000-0000-000000000000") { __typename } }'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    root = tmp_path_factory.mktemp("ui")
    port = _free_port()
    env = {**os.environ, "CAPMON_DATA_DIR": str(root), "DAGSTER_HOME": str(root / "dagster_home")}
    (root / "dagster_home").mkdir()
    # The code server and the UI as `capmon serve` starts them.
    quiet = dict(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server, location = code_server.serve(root / "dagster_home", **quiet, start_new_session=True)
    process = subprocess.Popen(
        webserver_command(port, location), cwd=PROJECT_ROOT, **quiet, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                if request(port, "GET", "/server_info")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, "dagster-webserver stopped"
            assert time.monotonic() < deadline, "dagster-webserver did not start"
            time.sleep(2)
        yield port
    finally:
        for service in (process, server):
            os.killpg(service.pid, signal.SIGINT)
            try:
                service.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(service.pid, signal.SIGKILL)


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def graphql(port, query, **headers):
    return request(
        port,
        "POST",
        "/graphql",
        json.dumps({"query": query}),
        {"Content-Type": "application/json", **headers},
    )


def test_queries_work_but_mutations_are_refused_read_only(ui):
    status, body = graphql(ui, "{ version }")
    assert status == 200 and json.loads(body)["data"]["version"]
    status, body = graphql(ui, MUTATION, Origin=f"http://127.0.0.1:{ui}")
    assert status == 200
    assert json.loads(body)["data"]["deleteRun"]["__typename"] == "UnauthorizedError"


LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries { name
  locationOrLoadError { __typename ... on RepositoryLocation {
    repositories { jobs { name } sensors { name } } } } } } } }"""


def test_the_ui_shows_the_code_servers_location_under_its_own_name(ui):
    """The sensors' and the schedule's state in the instance is kept per location name."""
    status, body = graphql(ui, LOCATIONS)
    assert status == 200
    [entry] = json.loads(body)["data"]["workspaceOrError"]["locationEntries"]
    assert entry["name"] == code_server.LOCATION
    [repository] = entry["locationOrLoadError"]["repositories"]
    assert FULL_REFRESH_JOB in {job["name"] for job in repository["jobs"]}
    sensors = {sensor["name"] for sensor in repository["sensors"]}
    assert {f"inbox_{bron.name}" for bron in bronnen.all_sources()} <= sensors


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "expected"),
    [
        # GraphQL from a query string: an <img> or a link could send it, no Origin needed.
        ("GET", f"/graphql?query={quote(MUTATION)}", None, {}, 405),
        ("GET", f"/graphql?query={quote('{ version }')}", None, {}, 405),
        # A form or a no-cors fetch can send text/plain without a preflight.
        ("POST", "/graphql", json.dumps({"query": MUTATION}), {"Content-Type": "text/plain"}, 415),
        (
            "POST",
            "/graphql",
            f"query={quote(MUTATION)}",
            {"Content-Type": "application/x-www-form-urlencoded"},
            415,
        ),
        # A foreign page's fetch (Origin), a DNS-rebinding page (Host), a cross-site request.
        (
            "POST",
            "/graphql",
            json.dumps({"query": "{ version }"}),
            {"Content-Type": "application/json", "Origin": "http://aanvaller.example"},
            403,
        ),
        (
            "POST",
            "/graphql",
            json.dumps({"query": "{ version }"}),
            {"Content-Type": "application/json", "Host": "aanvaller.example:80"},
            403,
        ),
        ("GET", "/server_info", None, {"Host": "aanvaller.example"}, 403),
        ("GET", "/", None, {"Sec-Fetch-Site": "cross-site"}, 403),
        (
            "OPTIONS",
            "/graphql",
            None,
            {"Origin": "http://aanvaller.example", "Access-Control-Request-Method": "POST"},
            403,
        ),
        # Other writing endpoints and the notebook renderer.
        ("POST", "/report_asset_materialization/serving/marts", "", {}, 405),
        ("GET", "/notebook?path=/etc/passwd", None, {}, 404),
    ],
)
def test_foreign_requests_are_refused(ui, method, path, body, headers, expected):
    status, _ = request(ui, method, path, body, headers)
    assert status == expected


def _websocket_handshake(port: int, origin: str) -> int:
    """The status of a websocket handshake (read raw: a 101 keeps the connection open)."""
    handshake = (
        "GET /graphql HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: graphql-ws\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(handshake.encode())
        status_line = sock.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_a_websocket_from_a_foreign_origin_is_refused(ui):
    assert _websocket_handshake(ui, f"http://127.0.0.1:{ui}") == 101  # the UI's own page
    assert _websocket_handshake(ui, "http://aanvaller.example") == 403
