"""Superset for the dashboards: secrets, provisioning and the web server.

This module runs in the pipeline environment and drives Superset, which lives in its own
environment (``.venv-superset``; DESIGN §6: it needs SQLAlchemy < 2 and pandas 2.1), only
through Superset's command line. The two dependency sets never meet in one interpreter.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from orchestration.paths import SUPERSET_DIR, SUPERSET_VENV

SUPERSET_CONFIG = SUPERSET_DIR / "superset_config.py"
BUNDLE_DIR = SUPERSET_DIR / "bundle"
IMPORT_SCRIPT = SUPERSET_DIR / "import_bundle.py"
SERVING_DB_PLACEHOLDER = "__CAPMON_SERVING_DB__"
# Must match database_name in superset/bundle/databases/capmon_serving.yaml.
DATABASE_NAME = "Capaciteitsmonitor (serving)"
ADMIN_USERNAME = "admin"
SECRETS_FILE = "secrets.json"
LOG_FILE = "superset.log"

# Variables of the pipeline environment that would make Superset's interpreter look in the
# wrong place or start Flask in debug mode.
_ENV_DROP = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "FLASK_APP", "FLASK_DEBUG", "FLASK_ENV")


class SupersetError(RuntimeError):
    """A Superset command failed; the message says which and where its output is."""


def superset_bin(name: str = "superset") -> Path:
    return SUPERSET_VENV / "bin" / name


def _require_superset_env() -> None:
    if not superset_bin().exists():
        raise SupersetError(
            f"De Superset-omgeving ontbreekt ({SUPERSET_VENV}); maak die met `make setup`."
        )


def ensure_secrets(superset_home: Path) -> dict[str, str]:
    """The secret key and admin password: from the environment, else kept in secrets.json.

    Generated on first use so a fresh machine needs no set-up; kept (mode 600, in the
    git-ignored data folder) because a new SECRET_KEY would invalidate sessions and
    encrypted fields in Superset's metadata.
    """
    path = superset_home / SECRETS_FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    generated = {
        "secret_key": secrets.token_urlsafe(48),
        "admin_password": secrets.token_urlsafe(12),
    }
    if any(key not in stored for key in generated):
        stored = {**generated, **stored}
        superset_home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(stored, handle, indent=2)
    os.chmod(path, 0o600)
    return {
        "secret_key": os.environ.get("SUPERSET_SECRET_KEY") or stored["secret_key"],
        "admin_password": os.environ.get("CAPMON_ADMIN_PASSWORD") or stored["admin_password"],
    }


def superset_env(superset_home: Path) -> dict[str, str]:
    """Environment for every Superset process: our config, its home and the secret key."""
    env = {key: value for key, value in os.environ.items() if key not in _ENV_DROP}
    env.update(
        SUPERSET_CONFIG_PATH=str(SUPERSET_CONFIG),
        SUPERSET_HOME=str(superset_home),
        SUPERSET_SECRET_KEY=ensure_secrets(superset_home)["secret_key"],
        PATH=f"{superset_bin().parent}{os.pathsep}{env.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    return env


def build_bundle(serving_db: Path, target: Path) -> Path:
    """Zip superset/bundle/ under one top-level folder, as Superset's importer expects.

    The database definition keeps a placeholder for the serving DB because its absolute
    path differs per machine and per data folder.
    """
    # json.dumps escapes what would break the double-quoted YAML string the placeholder is in.
    quoted_path = json.dumps(serving_db.resolve().as_posix())[1:-1]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for source in sorted(BUNDLE_DIR.rglob("*.yaml")):
            text = source.read_text(encoding="utf-8").replace(SERVING_DB_PLACEHOLDER, quoted_path)
            bundle.writestr(f"capmon_bundle/{source.relative_to(BUNDLE_DIR).as_posix()}", text)
    return target


def _run(label: str, args: list[str], env: dict[str, str], log: Path) -> str:
    """Run one Superset command, print one Dutch progress line, return its output.

    ``args`` are arguments of the ``superset`` command, or a full command of the Superset
    environment when they start with one of its programs.
    """
    print(f"  {label} ...", end="", flush=True)
    started = time.monotonic()
    command = args if Path(args[0]).is_absolute() else [str(superset_bin()), *args]
    result = subprocess.run(
        command,
        env=env,
        cwd=env["SUPERSET_HOME"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n$ {Path(command[0]).name} {' '.join(command[1:3])}\n{result.stdout}")
    if result.returncode != 0:
        print(" mislukt", flush=True)
        tail = "\n".join(result.stdout.strip().splitlines()[-15:])
        raise SupersetError(
            f"`{Path(command[0]).name} {command[1]}` is mislukt (code {result.returncode}); "
            f"volledige uitvoer in {log}:\n{tail}"
        )
    print(f" klaar ({time.monotonic() - started:.1f} s)", flush=True)
    return result.stdout


def provision(serving_db: Path, superset_home: Path) -> None:
    """Migrate Superset's metadata, create the admin and import the dashboard bundle.

    Idempotent: the importer matches objects by UUID and overwrites them, so running it
    again brings every database, dataset, chart and dashboard in line with the repository
    (and with this serving DB's path) instead of adding second copies.
    """
    _require_superset_env()
    if not serving_db.exists():
        raise SupersetError(
            f"Er is nog geen serving-database ({serving_db}); draai eerst `capmon run`."
        )
    superset_home.mkdir(parents=True, exist_ok=True)
    password = ensure_secrets(superset_home)["admin_password"]
    env = superset_env(superset_home)
    log = superset_home / "provision.log"
    started = time.monotonic()
    print(f"Superset inrichten in {superset_home} (serving-database {serving_db})")

    _run("Metadata-database bijwerken", ["db", "upgrade"], env, log)
    _run("Rollen en rechten", ["init"], env, log)
    output = _run(
        "Beheerder 'admin'",
        [
            "fab",
            "create-admin",
            f"--username={ADMIN_USERNAME}",
            "--firstname=Beheerder",
            "--lastname=Capaciteitsmonitor",
            "--email=admin@capmon.invalid",
            f"--password={password}",
        ],
        env,
        log,
    )
    # create-admin exits 0 but changes nothing when the user exists; reset the password so
    # the one in secrets.json (or CAPMON_ADMIN_PASSWORD) is always the one that works.
    already_provisioned = "already exists" in output
    if already_provisioned:
        _run(
            "Wachtwoord beheerder gelijkzetten",
            ["fab", "reset-password", f"--username={ADMIN_USERNAME}", f"--password={password}"],
            env,
            log,
        )

    with tempfile.TemporaryDirectory(prefix="capmon-bundle-") as tmp:
        bundle = build_bundle(serving_db, Path(tmp) / "bundle.zip")
        _run(
            "Dashboards importeren",
            [str(superset_bin("python")), str(IMPORT_SCRIPT), str(bundle), ADMIN_USERNAME],
            env,
            log,
        )
    print(f"Superset ingericht in {time.monotonic() - started:.1f} s.", flush=True)


def serving_db_uri(serving_db: Path) -> str:
    return f"duckdb:///{serving_db.resolve().as_posix()}"


def start_server(superset_home: Path, port: int) -> subprocess.Popen:
    """Serve Superset on 127.0.0.1:port in the background; its log goes to superset.log."""
    _require_superset_env()
    superset_home.mkdir(parents=True, exist_ok=True)
    gunicorn = superset_bin("gunicorn")
    if gunicorn.exists():
        command = [
            str(gunicorn),
            f"--bind=127.0.0.1:{port}",
            # Two workers fit the 2-core machines; threads keep a dashboard's parallel
            # chart requests from queueing behind each other.
            "--workers=2",
            "--worker-class=gthread",
            "--threads=4",
            "--timeout=120",
            "--limit-request-line=0",
            "--limit-request-field_size=0",
            "superset.app:create_app()",
        ]
    else:
        command = [str(superset_bin()), "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"]
    log_path = superset_home / LOG_FILE
    print(f"Superset starten op http://127.0.0.1:{port}/ (log: {log_path})", flush=True)
    with log_path.open("ab") as log:
        return subprocess.Popen(
            command,
            env=superset_env(superset_home),
            cwd=superset_home,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Ctrl-C goes to `capmon serve` only, which stops the server in turn.
            start_new_session=True,
        )


def wait_until_healthy(url: str, timeout: float) -> None:
    """Block until ``url`` (Superset's /health) answers 200, or raise after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_error = "geen antwoord"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = str(error)
        time.sleep(1)
    raise TimeoutError(
        f"Superset is na {timeout:.0f} s nog niet bereikbaar op {url} ({last_error})."
    )
