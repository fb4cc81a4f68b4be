"""Serve the portal with waitress, a production WSGI server, on 127.0.0.1 by default.

Behind a TLS-terminating reverse proxy on the same machine set
``CAPMON_PORTAAL_TRUSTED_PROXY=127.0.0.1`` (the proxy's address), so that the client address
of the login limit and the scheme come from its X-Forwarded-For/-Proto headers, and
``CAPMON_PORTAAL_SECURE_COOKIES=1`` (docs/aanleverportaal.md, "Achter TLS").
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from orchestration.bronnen.zorggroep.standard import MAX_FILE_BYTES
from orchestration.paths import DataPaths
from orchestration.portaal.app import FORM_OVERHEAD_BYTES, create_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8090
TRUSTED_PROXY_ENV = "CAPMON_PORTAAL_TRUSTED_PROXY"


def warm_up() -> None:
    """Run one throw-away check before serving.

    The first check in a process costs ~13 s (importing Great Expectations and its first
    context, see warehouse/gx_sheets.py) against under a second afterwards; the first sender
    of the day should not pay for it. A template with one nonsense row per data sheet runs
    every cell rule; its report is discarded.
    """
    import tempfile

    from openpyxl import load_workbook

    from orchestration import bronnen
    from orchestration.bronnen.zorggroep.template import write_template

    with tempfile.TemporaryDirectory() as folder:
        path = write_template(Path(folder) / "opwarmen.xlsx")
        workbook = load_workbook(path)
        for sheet in ("praktijken", "huisartsen"):
            if sheet in workbook.sheetnames:
                workbook[sheet].append(["x"] * workbook[sheet].max_column)
        workbook.save(path)
        bronnen.by_name("zorggroep").check(path)


def serve(paths: DataPaths, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    from waitress import serve as waitress_serve

    app = create_app(paths)
    warm_up()
    options = {}
    proxy = os.environ.get(TRUSTED_PROXY_ENV)
    if proxy:
        options = {
            "trusted_proxy": proxy,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            "clear_untrusted_proxy_headers": True,
        }
    waitress_serve(
        app,
        host=host,
        port=port,
        threads=8,
        # waitress refuses a larger body itself, before the application reads it.
        max_request_body_size=MAX_FILE_BYTES + FORM_OVERHEAD_BYTES,
        ident="capmon-portaal",
        **options,
    )


def main() -> None:
    import argparse

    from orchestration.paths import data_paths

    parser = argparse.ArgumentParser(description="Aanleverportaal")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args()
    os.umask(0o077)
    # Stopped by SIGTERM (`capmon serve`, systemd, the tests) also when started from a process
    # that ignores it: an ignored signal is inherited, and a portal that outlives its
    # supervisor keeps the port and the data folder.
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, signal.SIG_DFL)
    serve(data_paths(), args.host, args.port)


if __name__ == "__main__":
    main()
