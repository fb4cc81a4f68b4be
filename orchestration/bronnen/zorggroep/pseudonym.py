"""Re-pseudonymise person identifiers with a key only the national warehouse holds.

A region's ``persoon_id`` is already a pseudonym, but one the region can reverse. The
warehouse stores HMAC-SHA256(key, zorggroep_code + persoon_id) instead, so a leaked table
cannot be linked back by the region, and the same person keeps the same pseudonym over
periods (needed to follow stops and successions).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

ENV_KEY = "CAPMON_PSEUDONIEM_SLEUTEL"


def pseudonym_key(key_file: Path) -> bytes:
    """The key from the environment, else from ``key_file`` (created once, owner-only)."""
    if os.environ.get(ENV_KEY):
        return os.environ[ENV_KEY].encode()
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip().encode()


def pseudonymise(key: bytes, organisation: str, person_id: str) -> str:
    digest = hmac.new(key, f"{organisation}\x1f{person_id}".encode(), hashlib.sha256)
    return "H" + digest.hexdigest()[:24]
