"""A real portal server (waitress, in its own process) on 127.0.0.1, on a data folder of its own.

``start_portaal`` serves a data folder with a handful of organisations
(``portaal/organisaties.json``) whose passwords come from the environment, as an operator
would set them (``CAPMON_PORTAAL_WACHTWOORD_<CODE>``), so the tests know them and nothing is
printed.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from orchestration.paths import PROJECT_ROOT
from orchestration.portaal.accounts import password_env_var
from orchestration.portaal.organisaties import CONFIG_FILE

SHOTS = Path("/tmp/portaal_shots")


@dataclass(frozen=True)
class Portaal:
    base_url: str
    root: Path
    passwords: dict[str, str] = field(repr=False)

    def login(self, code: str) -> requests.Session:
        """A logged-in HTTP session, through the login form with its CSRF token."""
        session = requests.Session()
        page = session.get(f"{self.base_url}/inloggen", timeout=10)
        token = csrf_token(page.text)
        response = session.post(
            f"{self.base_url}/inloggen",
            data={"csrf_token": token, "gebruikersnaam": code, "wachtwoord": self.passwords[code]},
            timeout=10,
        )
        assert response.status_code == 200 and "Uw aanleveringen" in response.text
        return session


def csrf_token(html: str) -> str:
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def start_portaal(root: Path, organisations: list[dict]) -> Iterator[Portaal]:
    home = root / "portaal"
    home.mkdir(parents=True, exist_ok=True)
    (home / CONFIG_FILE).write_text(json.dumps(organisations), encoding="utf-8")
    passwords = {o["code"]: secrets.token_urlsafe(12) for o in organisations}
    env = dict(os.environ, CAPMON_DATA_DIR=str(root))
    env.update({password_env_var(code): pw for code, pw in passwords.items()})
    port = _free_port()
    log = (root / "portaal.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.portaal.server", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (root / "portaal.log").read_text()
            try:
                if requests.get(f"{base_url}/inloggen", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the portal did not start within 120 s"
            time.sleep(0.3)
        yield Portaal(base_url, root, passwords)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
