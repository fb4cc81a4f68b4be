"""The Dagster code server of `capmon serve`: runs start from a process that is already warm.

Dagster's code server starts every run in a new interpreter (multiprocessing's "spawn"),
which then imports Dagster, dagster-dbt and these definitions again before the run's first
step: 4–5 s of every submission's way from inbox to dashboard (docs/inname.md, "Hoe lang
duurt het"). This server is Dagster's own (`dagster api grpc`), with one change: runs are
forked from a forkserver that imported the definitions once, when the server started.
The forkserver is a process of its own, started before any run and running no gRPC, so a
fork copies none of the server's threads (and DuckDB's import-time threads are stopped
first, orchestration/warm_run_worker.py). The run itself is Dagster's as before, with its own
instance, event log and termination.

One server serves the UI and the daemon (a ``grpc_server`` workspace), on a socket in the
instance's private folder, instead of one managed code server each.

Run as ``python -m orchestration.code_server --socket PATH`` (with ``dagster api grpc``'s
other options).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from multiprocessing import forkserver
from pathlib import Path

from orchestration.paths import PROJECT_ROOT

LOCATION = "orchestration.definitions"
# How run workers are made. tests/integration/test_recovery.py fails when a run the daemon
# launches is not a child of the forkserver, e.g. after a Dagster upgrade renamed `_mp_ctx`.
RUN_START_METHOD = "forkserver"
# sun_path of a Unix socket holds 108 bytes, the last one a NUL.
MAX_SOCKET_PATH = 107


def warm_context() -> multiprocessing.context.BaseContext:
    """The context runs are started with: forked from a process that imported
    orchestration/warm_run_worker.py (the definitions, and DuckDB made ready to fork)."""
    context = multiprocessing.get_context(RUN_START_METHOD)
    context.set_forkserver_preload(["orchestration.warm_run_worker"])
    return context


def install() -> None:
    """Make Dagster's code server start its runs from ``warm_context()``.

    Dagster hard-codes "spawn" in ``DagsterApiServer.__init__`` (``self._mp_ctx``), and its
    ``grpc`` command looks the class up when it runs; nothing else in the server uses it.
    """
    from dagster._grpc import server

    context = warm_context()

    class WarmRunServer(server.DagsterApiServer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._mp_ctx = context

    server.DagsterApiServer = WarmRunServer
    # Now, not at the first run: the preload (about 5 s) overlaps the server's own load.
    forkserver.ensure_running()


def socket_path(dagster_home: Path) -> Path:
    """In the instance's own (private) folder, unless that path is too long for a socket."""
    path = dagster_home / "code.sock"
    if len(os.fsencode(path)) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"capmon-{digest}.sock"


def serve(dagster_home: Path, **popen) -> tuple[subprocess.Popen, list[str]]:
    """Start the server for the instance in ``dagster_home`` and wait until it answers;
    return it and the arguments with which the UI and the daemon reach it."""
    socket = socket_path(dagster_home)
    socket.unlink(missing_ok=True)  # left by a server that was killed
    command = [sys.executable, "-m", "orchestration.code_server", "--socket", str(socket)]
    command += ["--location-name", LOCATION, "-m", LOCATION, "-d", str(PROJECT_ROOT)]
    command += ["--log-level", "warning"]  # as the servers Dagster starts itself
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, **popen)
    try:
        wait_until_serving(socket, server)
    except BaseException:
        server.kill()
        server.wait()
        raise
    return server, workspace_args(dagster_home, socket)


def workspace_args(dagster_home: Path, socket: Path) -> list[str]:
    """How the UI and the daemon reach the server: a workspace file naming the location as
    ``-m orchestration.definitions`` named it, so that the sensors' and the schedule's state
    in the instance stays theirs."""
    workspace = dagster_home / "workspace.yaml"
    workspace.write_text(
        "load_from:\n"
        "  - grpc_server:\n"
        f"      socket: {json.dumps(str(socket))}\n"
        f"      location_name: {LOCATION}\n"
    )
    return ["-w", str(workspace)]


def wait_until_serving(socket: Path, process: subprocess.Popen, timeout_s: float = 180) -> None:
    """Until the server answers, so that the UI and the daemon find the code location."""
    from dagster._core.errors import DagsterUserCodeUnreachableError
    from dagster._grpc.client import DagsterGrpcClient

    client = DagsterGrpcClient(socket=str(socket))
    deadline = time.monotonic() + timeout_s
    while process.poll() is None:
        try:
            client.ping("")
            return
        except DagsterUserCodeUnreachableError:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"De Dagster-codeserver antwoordt niet na {timeout_s:.0f} s."
                ) from None
            time.sleep(0.2)
    raise RuntimeError(f"De Dagster-codeserver stopte (code {process.returncode}).")


def main() -> None:
    from dagster._cli.api import grpc_command

    install()
    grpc_command.main(args=sys.argv[1:], prog_name="capmon-codeserver")


if __name__ == "__main__":
    main()
