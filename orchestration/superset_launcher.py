"""Superset for the dashboards: secrets, provisioning and the web server.

This module runs in the pipeline environment and drives Superset, which lives in its own
environment (``.venv-superset``: it needs SQLAlchemy < 2 and pandas 2.1; docs/architectuur.md,
"Two Python environments"), only through Superset's command line. The two dependency sets
never meet in one interpreter.
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
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.paths import SUPERSET_DIR, SUPERSET_VENV
from orchestration.superset_bundle import build_bundle, dataset_access

SUPERSET_CONFIG = SUPERSET_DIR / "superset_config.py"
PROVISION_SCRIPT = SUPERSET_DIR / "provision.py"
# Must match database_name in superset/bundle/databases/capmon_serving.yaml.
DATABASE_NAME = "Capaciteitsmonitor (serving)"
ADMIN_USERNAME = "admin"
SECRETS_FILE = "secrets.json"
LOG_FILE = "superset.log"
SERVING_DB_FILE = "serving_db.txt"  # read by superset/superset_config.py

# The web server (docs/operations.md, "Serving under load"); each overridable by environment.
WORKERS_ENV = "CAPMON_SUPERSET_WORKERS"
THREADS_ENV = "CAPMON_SUPERSET_THREADS"
TIMEOUT_ENV = "CAPMON_SUPERSET_TIMEOUT"

# Access (superset/provision_access.py creates the roles): a national viewer and two regional
# viewers to demonstrate row-level security. A region is (slug, AZW code, name in
# marts.dim_gemeente); its role is "Regio <name>" (regio_rol). Two large regions of
# data/reference/gemeente_regio_mapping_2025.csv (RegioPlus arbeidsmarktregio's).
LANDELIJK_ROL = "Landelijk"
REGIO_ROL_PREFIX = "Regio "
BEHEER_ROL = "Beheer"
DEMO_REGIOS = (("groningen", "RA0101", "Groningen"), ("rijnmond", "RA0919", "Rijnmond"))
DEMO_PASSWORD_ENV_PREFIX = "CAPMON_DEMO_WACHTWOORD_"

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


def regio_rol(azw_regio_naam: str) -> str:
    """The role of an AZW region, as superset/provision_access.py names it."""
    if azw_regio_naam.startswith(REGIO_ROL_PREFIX):
        return azw_regio_naam
    return f"{REGIO_ROL_PREFIX}{azw_regio_naam}"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str = field(repr=False)  # kept out of logs and test failure output
    rol: str  # role name, e.g. "Landelijk" or "Regio Groningen"
    azw_regio_code: str | None  # None for the national viewer


@dataclass(frozen=True)
class _DemoSpec:
    slug: str
    username: str
    rol: str
    azw_regio_code: str | None

    @property
    def secret_name(self) -> str:
        """Its key in secrets.json."""
        return f"demo_wachtwoord_{self.slug}"

    @property
    def env_var(self) -> str:
        return f"{DEMO_PASSWORD_ENV_PREFIX}{self.slug.upper()}"


_DEMO_SPECS = (
    _DemoSpec("landelijk", "demo_landelijk", LANDELIJK_ROL, None),
    *(
        _DemoSpec(slug, f"demo_regio_{slug}", regio_rol(naam), code)
        for slug, code, naam in DEMO_REGIOS
    ),
)


def ensure_secrets(superset_home: Path) -> dict[str, str]:
    """Secret key, admin and demo passwords: from the environment, else kept in secrets.json.

    Generated on first use so a fresh machine needs no set-up; kept (mode 600, in the
    git-ignored data folder) because a new SECRET_KEY would invalidate sessions and
    encrypted fields in Superset's metadata. A missing entry is added, existing ones stay.
    Keys: ``secret_key``, ``admin_password`` and ``demo_wachtwoord_<slug>`` per demo account.
    """
    path = superset_home / SECRETS_FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    generated = {
        "secret_key": secrets.token_urlsafe(48),
        "admin_password": secrets.token_urlsafe(12),
        **{spec.secret_name: secrets.token_urlsafe(12) for spec in _DEMO_SPECS},
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
        **{
            spec.secret_name: os.environ.get(spec.env_var) or stored[spec.secret_name]
            for spec in _DEMO_SPECS
        },
    }


def demo_accounts(superset_home: Path) -> list[DemoAccount]:
    """The demo users with their current passwords (environment, else secrets.json)."""
    passwords = ensure_secrets(superset_home)
    return [
        DemoAccount(spec.username, passwords[spec.secret_name], spec.rol, spec.azw_regio_code)
        for spec in _DEMO_SPECS
    ]


def access_summary(superset_home: Path) -> list[str]:
    """Dutch lines naming the demo users and where their passwords are (never the passwords)."""
    lines = ["Demo-gebruikers (alleen lezen):"]
    for spec in _DEMO_SPECS:
        source = f"  (wachtwoord uit {spec.env_var})" if os.environ.get(spec.env_var) else ""
        lines.append(f"  {spec.username:<22} {spec.rol}{source}")
    env_vars = ", ".join(spec.env_var for spec in _DEMO_SPECS)
    lines += [
        f'  wachtwoorden: "demo_wachtwoord_<naam>" in {superset_home / SECRETS_FILE}',
        f"  (of zelf te kiezen met {env_vars})",
    ]
    return lines


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


def _write_access_file(folder: Path, superset_home: Path) -> Path:
    """The users and passwords for provision_access.py, in a file only we can read.

    Passwords on a command line would show in ``ps``; the file lives in a private temporary
    folder and is deleted with it.
    """
    passwords = ensure_secrets(superset_home)
    access = {
        "database_name": DATABASE_NAME,
        # Which datasets viewers may read: the bundle's `publiek`/`praktijkniveau` keys.
        "datasets": dataset_access(),
        "admin": {
            "username": ADMIN_USERNAME,
            "password": passwords["admin_password"],
            "first_name": "Beheerder",
            "last_name": "Capaciteitsmonitor",
            "email": "admin@capmon.invalid",
        },
        "demo_users": [
            {
                "username": account.username,
                "password": account.password,
                "rol": account.rol,
                "azw_regio_code": account.azw_regio_code,
                "first_name": "Demo",
                "last_name": account.rol,
                "email": f"{account.username}@capmon.invalid",
            }
            for account in demo_accounts(superset_home)
        ],
    }
    path = folder / "toegang.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(access, handle)
    return path


def provision(serving_db: Path, superset_home: Path) -> None:
    """Migrate Superset's metadata, import the dashboard bundle, set up users and access.

    Idempotent: the importer matches objects by UUID and overwrites them, so running it
    again brings every database, dataset, chart and dashboard in line with the repository
    (and with this serving DB's path) instead of adding second copies; roles, users and
    row-level security filters are matched by name and brought in line the same way
    (superset/provision_access.py).
    """
    _require_superset_env()
    if not serving_db.exists():
        raise SupersetError(
            f"Er is nog geen serving-database ({serving_db}); draai eerst `capmon run`."
        )
    superset_home.mkdir(parents=True, exist_ok=True)
    # Superset's result cache ties its entries to this file's publication
    # (superset/capmon_cache.py); superset_config.py reads the path from here.
    (superset_home / SERVING_DB_FILE).write_text(f"{serving_db.resolve()}\n", encoding="utf-8")
    env = superset_env(superset_home)
    log = superset_home / "provision.log"
    started = time.monotonic()
    print(f"Superset inrichten in {superset_home} (serving-database {serving_db})")

    python = str(superset_bin("python"))
    with tempfile.TemporaryDirectory(prefix="capmon-provision-") as tmp:
        access = _write_access_file(Path(tmp), superset_home)
        bundle = build_bundle(serving_db, Path(tmp) / "bundle.zip")
        # One process for every step (superset/provision.py): metadata, roles, the admin
        # (created, or its password and role reset), the dashboards, viewers and their RLS.
        output = _run(
            "Metadata, rollen, beheerder, dashboards en toegang",
            [
                python,
                str(PROVISION_SCRIPT),
                str(serving_db.resolve()),
                str(access),
                str(bundle),
                ADMIN_USERNAME,
            ],
            env,
            log,
        )
    for line in output.splitlines():
        if line.startswith("[capmon] "):
            print(f"    {line.removeprefix('[capmon] ')}", flush=True)
    print(f"Superset ingericht in {time.monotonic() - started:.1f} s.", flush=True)
    print("\n".join(access_summary(superset_home)), flush=True)


def serving_db_uri(serving_db: Path) -> str:
    return f"duckdb:///{serving_db.resolve().as_posix()}"


@dataclass(frozen=True)
class ServerSize:
    workers: int
    threads: int
    timeout_s: int


def server_size(cpu_count: int | None, environ: dict[str, str] | None = None) -> ServerSize:
    """gunicorn's workers, threads per worker and request timeout for this machine.

    A chart-data request is mostly Superset's own Python (the DuckDB query is a few ms of
    it), so it holds a worker's GIL: more workers than cores only add memory (~300 MB each)
    and contention, fewer leave a core idle. One worker per core, at least two so that a
    slow request never holds up every viewer, and at most eight. Threads let a worker take a
    dashboard's parallel requests (and the moments one waits on DuckDB or the disk cache)
    without queueing them in the kernel. The timeout bounds a runaway query; a normal one
    takes well under a second.
    """
    environ = os.environ if environ is None else environ
    cores = cpu_count or 1

    def setting(name: str, default: int) -> int:
        raw = environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SupersetError(f"{name} moet een geheel getal zijn, niet {raw!r}.") from None
        if value < 1:
            raise SupersetError(f"{name} moet minstens 1 zijn, niet {value}.")
        return value

    return ServerSize(
        workers=setting(WORKERS_ENV, min(max(cores, 2), 8)),
        threads=setting(THREADS_ENV, 8),
        timeout_s=setting(TIMEOUT_ENV, 120),
    )


def gunicorn_command(gunicorn: Path, port: int, size: ServerSize) -> list[str]:
    return [
        str(gunicorn),
        f"--bind=127.0.0.1:{port}",
        f"--workers={size.workers}",
        "--worker-class=gthread",
        f"--threads={size.threads}",
        f"--timeout={size.timeout_s}",
        # A stopping worker finishes the requests it has. Idle keep-alive connections cost a
        # gthread worker no thread; longer than a reader looks at a dashboard, so the next
        # view does not race a server closing the connection it reuses.
        f"--graceful-timeout={min(size.timeout_s, 30)}",
        "--keep-alive=75",
        "--limit-request-line=0",
        "--limit-request-field_size=0",
        "superset.app:create_app()",
    ]


def recorded_serving_db(superset_home: Path) -> Path | None:
    """The serving DB ``capmon provision`` recorded for this home, if any."""
    recorded = superset_home / SERVING_DB_FILE
    return Path(recorded.read_text(encoding="utf-8").strip()) if recorded.exists() else None


def start_server(
    superset_home: Path, port: int, serving_db: Path | None = None
) -> subprocess.Popen:
    """Serve Superset on 127.0.0.1:port in the background; its log goes to superset.log.

    ``serving_db`` defaults to the one ``capmon provision`` recorded for this home.
    ``superset_warmup.serve`` starts it with the result-cache warm-up beside it.
    """
    _require_superset_env()
    superset_home.mkdir(parents=True, exist_ok=True)
    env = superset_env(superset_home)
    serving_db = serving_db or recorded_serving_db(superset_home)
    if serving_db is not None:
        env["CAPMON_SERVING_DB"] = str(serving_db.resolve())
    gunicorn = superset_bin("gunicorn")
    if gunicorn.exists():
        size = server_size(os.cpu_count())
        command = gunicorn_command(gunicorn, port, size)
        described = f"{size.workers} workers x {size.threads} threads"
    else:
        command = [str(superset_bin()), "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"]
        described = "ontwikkelserver"
    log_path = superset_home / LOG_FILE
    print(
        f"Superset starten op http://127.0.0.1:{port}/ ({described}; log: {log_path})", flush=True
    )
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=superset_home,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Ctrl-C goes to `capmon serve` only, which stops the server in turn.
            start_new_session=True,
        )
    return process


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
