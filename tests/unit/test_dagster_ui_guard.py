"""The guard in front of the Dagster UI, on its own (the real server: tests/integration)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from orchestration.dagster_ui import LocalOnlyGuard, allowed_hosts

PORT = 3000


def call(method="GET", path="/", query=b"", kind="http", **headers):
    reached = []

    async def app(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    raw = {"host": f"127.0.0.1:{PORT}", **{k.replace("_", "-"): v for k, v in headers.items()}}
    scope = {
        "type": kind,
        "method": method,
        "path": path,
        "query_string": query,
        "headers": [(k.encode(), v.encode()) for k, v in raw.items() if v is not None],
    }
    # A thread of its own: the browser tests keep Playwright's event loop running in the main
    # thread for the whole session, and asyncio.run refuses to start inside a running loop.
    guard = LocalOnlyGuard(app, allowed_hosts(PORT))
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, guard(scope, receive, send)).result()
    if kind == "websocket":
        return "closed" if sent and sent[0]["type"] == "websocket.close" else "open"
    return sent[0]["status"] if not reached else 200


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (dict(), 200),
        (dict(host=f"localhost:{PORT}"), 200),
        (dict(method="POST", path="/graphql", content_type="application/json"), 200),
        (
            dict(
                method="POST",
                path="/graphql",
                content_type="application/json; charset=utf-8",
                origin=f"http://127.0.0.1:{PORT}",
                sec_fetch_site="same-origin",
            ),
            200,
        ),
        (dict(path="/graphql"), 200),
        (dict(host="aanvaller.example"), 403),
        (dict(host=f"127.0.0.1:{PORT + 1}"), 403),
        (dict(host=None), 403),
        (dict(origin="http://aanvaller.example"), 403),
        (dict(origin="null"), 403),
        (dict(sec_fetch_site="cross-site"), 403),
        (dict(sec_fetch_site="same-site"), 403),
        (dict(path="/graphql", query=b"query=mutation%20%7B%7D"), 405),
        (dict(path="/graphql", query=b"operationName=x"), 405),
        (dict(method="POST", path="/graphql", content_type="text/plain"), 415),
        (dict(method="POST", path="/graphql"), 415),
        (dict(method="PUT", path="/graphql", content_type="application/json"), 405),
        (dict(method="POST", path="/report_asset_materialization/a"), 405),
        (dict(method="DELETE", path="/"), 405),
        (dict(path="/notebook", query=b"path=/etc/passwd"), 404),
    ],
)
def test_http(request_, expected):
    assert call(**request_) == expected


def test_websocket():
    assert call(kind="websocket", path="/graphql", origin=f"http://127.0.0.1:{PORT}") == "open"
    assert call(kind="websocket", path="/graphql", origin="http://aanvaller.example") == "closed"
    assert call(kind="websocket", path="/graphql", host="aanvaller.example") == "closed"
