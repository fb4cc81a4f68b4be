"""Read every file of a source, all or nothing, with progress and readable failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from tqdm import tqdm

from orchestration.warehouse.errors import SourceFileError
from orchestration.warehouse.lineage import FileLineage, file_lineage

T = TypeVar("T")


class SourceNotLoaded(Exception):
    """A source cannot be loaded as a whole; the raw asset turns this into a Dagster failure."""

    def __init__(self, description: str, metadata: dict | None = None):
        super().__init__(description)
        self.description = description
        self.metadata = metadata or {}


@dataclass(frozen=True)
class ReadFile(Generic[T]):
    lineage: FileLineage
    content: T


def _read_all(
    files: list[Path], reader: Callable[[Path], T], label: str
) -> list[T | SourceFileError]:
    """Each file's content or its ``SourceFileError``. A reader that offers ``many`` (Nivel,
    stagebureau: DuckDB reads all files in one query) gets every file at once."""
    many = getattr(reader, "many", None)
    if many is not None:
        return many(files)
    contents: list[T | SourceFileError] = []
    for path in tqdm(files, desc=f"{label} inlezen", unit="bestand", leave=False):
        try:
            contents.append(reader(path))
        except SourceFileError as error:
            contents.append(error)
    return contents


def read_source_files(
    folder: Path | list[Path], pattern: str, reader: Callable[[Path], T], label: str
) -> list[ReadFile[T]]:
    """Read every file matching ``pattern``; if any breaks its contract, fail with all reasons.

    A source is loaded as a whole so that the warehouse never mixes a partial delivery
    with an older one.
    """
    files = sorted(folder.glob(pattern)) if isinstance(folder, Path) else list(folder)
    if not files:
        raise SourceNotLoaded(
            f"Geen {label}-bestanden gevonden in {folder} (patroon {pattern}). "
            "Maak voorbeeldbestanden met `capmon generate`."
        )
    results: list[ReadFile[T]] = []
    rejected: list[SourceFileError] = []
    for path, content in zip(files, _read_all(files, reader, label), strict=True):
        if isinstance(content, SourceFileError):
            rejected.append(content)
        else:
            results.append(ReadFile(file_lineage(path), content))
    if rejected:
        report = "\n\n".join(str(error) for error in rejected)
        raise SourceNotLoaded(
            f"{len(rejected)} van {len(files)} {label}-bestanden afgekeurd; "
            f"er is niets geladen.\n\n{report}",
            {
                "afgekeurde_bestanden": [e.file for e in rejected],
                "aantal_problemen": sum(len(e.problems) for e in rejected),
            },
        )
    return results
