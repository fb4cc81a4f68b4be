"""Where uploads go: every stored file is named by its sha256, never by what the user sent.

- ``<data>/portaal/ontvangen/.<random>``: the upload while it streams in (dot name: the
  inbox sensor and the intake ignore dot files, docs/inname.md);
- ``<data>/inbox/<bron>/portaal_<sha256>.<ext>``: an accepted upload, renamed into place in
  one step, so the sensor never sees half a file;
- ``<data>/portaal/quarantaine/<sha256>.<ext>``: a refused or rejected upload, kept so that
  nothing a sender gave us is lost; its report beside it;
- ``<data>/portaal/aanleveringen/<sha256>-<organisation>.json``: the portal's record of
  the upload (who, when, what the page said), the "ontvangen" of its status.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from orchestration.paths import DataPaths

CHUNK = 1024 * 1024
SHA256 = re.compile(r"^[0-9a-f]{64}$")
DISPLAY_NAME_MAX = 120


# What the portal itself made of an upload (``Record.uitkomst``).
IN_INBOX = "in_inbox"  # checked without errors, handed to the intake
REJECTED = "afgekeurd"  # checked, with errors: kept in the portal's quarantine
REFUSED = "geweigerd"  # not the organisation's, or refused by a guard before the check


class TooLarge(Exception):
    """The upload passed the source's size limit while streaming."""


@dataclass
class Record:
    sha256: str
    bron: str
    organisatie: str
    bestandsnaam: str  # as the sender named it, for display only
    ontvangen_op: str  # ISO time (UTC)
    uitkomst: str  # "in_inbox", "afgekeurd" or "geweigerd"
    periode: str | None = None
    gevonden_organisatie: str | None = None
    aantal_fouten: int = 0
    aantal_waarschuwingen: int = 0
    melding: str = ""
    inbox_naam: str | None = None
    controle_seconden: float | None = None
    extra: dict = field(default_factory=dict)


def portaal_home(paths: DataPaths) -> Path:
    return paths.root / "portaal"


def display_name(name: str | None) -> str:
    """The sender's file name as text to show: the last path part, printable, short."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:DISPLAY_NAME_MAX] or "bestand"


def stored_name(sha256: str, suffix: str) -> str:
    if not SHA256.match(sha256):
        raise ValueError("geen sha256")
    return f"portaal_{sha256}{suffix}"


def receive(stream: BinaryIO, paths: DataPaths, max_bytes: int) -> tuple[Path, str, int]:
    """Stream an upload to a private temporary file; (path, sha256, size).

    The limit is checked while reading, so an oversized upload costs at most ``max_bytes``
    of disk, and the partial file is removed.
    """
    folder = portaal_home(paths) / "ontvangen"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{secrets.token_hex(16)}"
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest(), size


def checkable_copy(received: Path, sha256: str, suffix: str) -> Path:
    """The received file under a name the check accepts (the source's extension)."""
    target = received.with_name(f".{sha256}.{secrets.token_hex(4)}{suffix}")
    os.replace(received, target)
    return target


def place_in_inbox(path: Path, paths: DataPaths, bron: str, sha256: str, suffix: str) -> str:
    """Put an accepted upload into the intake's inbox, whole or not at all; its name there."""
    inbox = paths.inbox / bron
    inbox.mkdir(parents=True, exist_ok=True)
    name = stored_name(sha256, suffix)
    # Same file system as the upload folder? Then a rename; otherwise copy to a dot name
    # inside the inbox first, so the rename into the visible name is still atomic.
    temporary = inbox / f".{name}.{secrets.token_hex(4)}"
    try:
        os.link(path, temporary)
    except OSError:
        temporary.write_bytes(path.read_bytes())
    os.replace(temporary, inbox / name)
    return name


def quarantine(path: Path, paths: DataPaths, sha256: str, suffix: str) -> Path:
    folder = portaal_home(paths) / "quarantaine"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha256}{suffix or '.bin'}"
    os.replace(path, target)
    return target


def report_base(paths: DataPaths, sha256: str) -> Path:
    """The page's check report of an upload (``.rapport.json``/``.rapport.html`` appended)."""
    folder = portaal_home(paths) / "rapporten"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / stored_name(sha256, "")


def _records(paths: DataPaths) -> Path:
    return portaal_home(paths) / "aanleveringen"


def record_key(bron: str, organisatie: str, sha256: str) -> str:
    """One record per organisation and file: the same bytes sent by another organisation
    (refused) must not overwrite this organisation's record."""
    owner = hashlib.sha256(f"{bron}/{organisatie}".encode()).hexdigest()[:16]
    return f"{sha256}-{owner}"


def save_record(paths: DataPaths, record: Record) -> None:
    folder = _records(paths)
    folder.mkdir(parents=True, exist_ok=True)
    key = record_key(record.bron, record.organisatie, record.sha256)
    target = folder / f"{key}.json"
    temporary = folder / f".{key}.{secrets.token_hex(4)}"
    temporary.write_text(json.dumps(asdict(record), ensure_ascii=False, indent=2), "utf-8")
    os.replace(temporary, target)


def load_record(paths: DataPaths, bron: str, organisatie: str, sha256: str) -> Record | None:
    """The organisation's own record of ``sha256``; None for anyone else's."""
    if not SHA256.match(sha256):
        return None
    key = record_key(bron, organisatie, sha256)
    try:
        data = json.loads((_records(paths) / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Record(**data)


def records_of(paths: DataPaths, bron: str, organisatie: str) -> list[Record]:
    """The organisation's own uploads, newest first."""
    folder = _records(paths)
    found = []
    for path in folder.glob("*.json") if folder.is_dir() else ():
        try:
            record = Record(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if record.bron == bron and record.organisatie == organisatie:
            found.append(record)
    return sorted(found, key=lambda r: r.ontvangen_op, reverse=True)


def read_report(paths: DataPaths, record: Record) -> dict | None:
    """The page's check report of an upload, as ``inname/report.write_json`` wrote it."""
    base = report_base(paths, record.sha256)
    try:
        return json.loads(base.with_name(base.name + ".rapport.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def original(paths: DataPaths, record: Record) -> Path | None:
    """Where the uploaded bytes are now: the portal's quarantine, the inbox, or wherever the
    intake put them (archive, its quarantine, ``dubbel``), found by the hash-derived name."""
    suffix = Path(record.inbox_naam or "").suffix or Path(record.bestandsnaam).suffix.lower()
    candidates = [portaal_home(paths) / "quarantaine" / f"{record.sha256}{suffix}"]
    if record.inbox_naam:
        candidates.append(paths.inbox / record.bron / record.inbox_naam)
        for folder in (
            paths.archive / record.bron,
            paths.quarantine / record.bron,
            paths.archive / record.bron / "dubbel",
        ):
            candidates += sorted(folder.glob(f"[0-9]*_{record.inbox_naam}"))
    for path in candidates:
        if path.is_file():
            return path
    return None
