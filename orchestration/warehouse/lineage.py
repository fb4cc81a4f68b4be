"""Lineage of an incoming file: which bytes a raw row came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class FileLineage:
    path: Path
    sha256: str
    size: int
    loaded_at: datetime

    @property
    def name(self) -> str:
        return self.path.name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_lineage(path: Path) -> FileLineage:
    return FileLineage(
        path=path,
        sha256=sha256_of(path),
        size=path.stat().st_size,
        loaded_at=datetime.now(UTC).replace(tzinfo=None),
    )
