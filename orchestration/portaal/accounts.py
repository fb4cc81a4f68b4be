"""Accounts of the portal: passwords from configuration, kept hashed, never printed.

As for Superset's demo users (orchestration/superset_launcher.py, README "Users and
access"): a password comes from ``CAPMON_PORTAAL_WACHTWOORD_<CODE>``, else from
``<data>/portaal/secrets.json`` (0600, generated on first use, git-ignored through the data
folder), where the national team reads it to hand it to the organisation. The server itself
only keeps scrypt hashes (``accounts.json``): hashing ~100 accounts costs ~10 s, so a hash is
made again only when the password behind it changed, which an HMAC under the portal's secret
key tells without hashing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from orchestration.portaal.organisaties import Organisatie, organisations

SECRETS_FILE = "secrets.json"
HASHES_FILE = "accounts.json"
PASSWORD_ENV_PREFIX = "CAPMON_PORTAAL_WACHTWOORD_"
SECRET_KEY_ENV = "CAPMON_PORTAAL_SECRET_KEY"
HASH_METHOD = "scrypt"


def password_env_var(code: str) -> str:
    return PASSWORD_ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", code.upper())


def _write_private(path: Path, payload: dict) -> None:
    """Write JSON readable only by this user, replacing the old file in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.nieuw")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(payload, file, indent=2)
    os.replace(temporary, path)


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ensure_secrets(portaal_home: Path) -> dict:
    """The secret key and every organisation's password (environment first); missing ones
    are generated into secrets.json."""
    path = portaal_home / SECRETS_FILE
    stored = _read(path)
    passwords = dict(stored.get("wachtwoorden", {}))
    changed = "secret_key" not in stored
    for organisatie in organisations(portaal_home):
        if organisatie.code not in passwords:
            passwords[organisatie.code] = secrets.token_urlsafe(12)
            changed = True
    if changed:
        stored = {
            "secret_key": stored.get("secret_key") or secrets.token_urlsafe(48),
            "wachtwoorden": passwords,
        }
        _write_private(path, stored)
    os.chmod(path, 0o600)
    return {
        "secret_key": os.environ.get(SECRET_KEY_ENV) or stored["secret_key"],
        "wachtwoorden": {
            code: os.environ.get(password_env_var(code)) or password
            for code, password in passwords.items()
        },
    }


def _fingerprint(secret_key: str, code: str, password: str) -> str:
    message = f"{code}\0{password}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def provision(portaal_home: Path) -> dict[str, str]:
    """{code: scrypt hash} for every organisation, rehashing only changed passwords."""
    current = ensure_secrets(portaal_home)
    key = current["secret_key"]
    path = portaal_home / HASHES_FILE
    stored = _read(path)
    hashes = {}
    changed = False
    for organisatie in organisations(portaal_home):
        password = current["wachtwoorden"][organisatie.code]
        fingerprint = _fingerprint(key, organisatie.code, password)
        entry = stored.get(organisatie.code)
        if not entry or not hmac.compare_digest(entry.get("vingerafdruk", ""), fingerprint):
            entry = {
                "hash": generate_password_hash(password, method=HASH_METHOD),
                "vingerafdruk": fingerprint,
            }
            changed = True
        hashes[organisatie.code] = entry
    if changed or set(stored) != set(hashes):
        _write_private(path, hashes)
    return {code: entry["hash"] for code, entry in hashes.items()}


class Accounts:
    """Who is who: organisations by user name and their password hashes."""

    def __init__(self, portaal_home: Path):
        self.by_username: dict[str, Organisatie] = {
            o.username.lower(): o for o in organisations(portaal_home)
        }
        self._hashes = provision(portaal_home)
        # A user name that does not exist costs as much as a wrong password, so the time a
        # login takes does not tell which organisations have accounts.
        self._dummy = generate_password_hash(secrets.token_urlsafe(12), method=HASH_METHOD)

    def find(self, username: str) -> Organisatie | None:
        return self.by_username.get(username.strip().lower())

    def verify(self, username: str, password: str) -> Organisatie | None:
        organisatie = self.find(username)
        hashed = self._hashes.get(organisatie.code) if organisatie else None
        ok = check_password_hash(hashed or self._dummy, password)
        return organisatie if ok and hashed else None


class LoginLimiter:
    """At most ``limit`` login attempts per client address and user name per ``window``
    seconds, as Superset's login (README, "Users and access": 10 a minute)."""

    def __init__(self, limit: int = 10, window: float = 60.0):
        self.limit = limit
        self.window = window
        self._attempts: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str, username: str) -> bool:
        now = time.monotonic()
        key = (address, username.strip().lower())
        with self._lock:
            attempts = self._attempts.setdefault(key, deque())
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            if len(attempts) >= self.limit:
                return False
            attempts.append(now)
            return True
