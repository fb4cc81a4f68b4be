"""The Dagster UI as `capmon serve` runs it: read-only, and only for pages on this machine.

dagster-webserver answers GraphQL from GET query strings and from POSTs of any content type
and checks neither Host nor Origin. Any web page opened on this machine could then launch,
cancel or delete runs (a form post, an <img> tag), and a DNS-rebinding page could read it.
So the UI runs with ``--read-only`` (no mutations: the daemon still runs the schedule and
the sensors), behind a small ASGI guard that lets through only:

- requests whose Host is this server's own address (127.0.0.1/localhost/[::1] and port);
- no foreign Origin, and no browser-declared cross-site request (Sec-Fetch-Site);
- GraphQL only as a JSON POST (which a foreign page cannot send without a CORS preflight,
  refused here too) or over the UI's own websocket, never from a GET query string;
- no other POST endpoints (external asset reports), and no notebook rendering.

Run as ``python -m orchestration.dagster_ui PORT <dagster-webserver options>``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import parse_qs

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SAFE_METHODS = {"GET", "HEAD"}
_REFUSED_PATHS = ("/notebook", "/dagit/notebook")


def allowed_hosts(port: int) -> set[str]:
    return {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}


class LocalOnlyGuard:
    """ASGI middleware refusing everything a foreign web page could send (see above)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = {host.lower() for host in hosts}
        self.origins = {f"http://{host}" for host in self.hosts}

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", [])
        }
        if headers.get("host", "").lower() not in self.hosts:
            return 403, "Onbekende Host: de Dagster-UI is alleen via 127.0.0.1 bereikbaar."
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return 403, "Verzoek van een andere website geweigerd."
        if headers.get("sec-fetch-site", "same-origin") not in {"same-origin", "none"}:
            return 403, "Verzoek van een andere website geweigerd."
        if scope["type"] == "websocket":
            return None
        path = scope.get("path", "")
        method = scope.get("method", "GET").upper()
        if path.startswith(_REFUSED_PATHS):
            return 404, "Niet beschikbaar."
        if path.endswith("/graphql"):
            if method == "POST":
                content_type = headers.get("content-type", "").split(";")[0].strip().lower()
                if content_type != "application/json":
                    return 415, "GraphQL alleen als JSON."
                return None
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if method in _SAFE_METHODS and not query.keys() & {"query", "operationName"}:
                return None  # the GraphiQL page itself, without a query
            return 405, "GraphQL niet via de adresregel."
        if method not in _SAFE_METHODS:
            return 405, "Alleen lezen."
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        refused = self.refusal(scope)
        if refused is None:
            await self.app(scope, receive, send)
            return
        status, message = refused
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"fout": message}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def webserver_command(port: int, location: list[str]) -> list[str]:
    """The command line that starts the guarded, read-only UI on 127.0.0.1:``port``."""
    return [
        sys.executable,
        "-m",
        "orchestration.dagster_ui",
        str(port),
        *location,
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "--read-only",
    ]


def main() -> None:
    from dagster_webserver import cli

    port = int(sys.argv[1])
    create_app = cli.create_app_from_workspace_process_context

    def guarded_app(*args, **kwargs):
        return LocalOnlyGuard(create_app(*args, **kwargs), allowed_hosts(port))

    # dagster-webserver builds its app through this module-level name; everything else
    # (workspace, instance, uvicorn, shutdown) stays dagster-webserver's own.
    cli.create_app_from_workspace_process_context = guarded_app
    sys.argv = ["dagster-webserver", *sys.argv[2:]]
    cli.main()


if __name__ == "__main__":
    main()
