"""Read every file of a source, all or nothing, with progress and readable failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from dagster import Failure, MetadataValue
from tqdm import tqdm

from orchestration.warehouse.errors import SourceFileError
from orchestration.warehouse.lineage import FileLineage, file_lineage

T = TypeVar("T")


@dataclass(frozen=True)
class ReadFile(Generic[T]):
    lineage: FileLineage
    content: T


def read_source_files(
    folder: Path, pattern: str, reader: Callable[[Path], T], label: str
) -> list[ReadFile[T]]:
    """Read every file matching ``pattern``; if any breaks its contract, fail with all reasons.

    A source is loaded as a whole so that the warehouse never mixes a partial delivery
    with an older one.
    """
    files = sorted(folder.glob(pattern))
    if not files:
        raise Failure(
            description=f"Geen {label}-bestanden gevonden in {folder} (patroon {pattern}). "
            "Maak voorbeeldbestanden met `capmon generate`.",
        )
    results: list[ReadFile[T]] = []
    rejected: list[SourceFileError] = []
    for path in tqdm(files, desc=f"{label} inlezen", unit="bestand", leave=False):
        try:
            results.append(ReadFile(file_lineage(path), reader(path)))
        except SourceFileError as error:
            rejected.append(error)
    if rejected:
        report = "\n\n".join(str(error) for error in rejected)
        raise Failure(
            description=f"{len(rejected)} van {len(files)} {label}-bestanden afgekeurd; "
            f"er is niets geladen.\n\n{report}",
            metadata={
                "afgekeurde_bestanden": MetadataValue.json([e.file for e in rejected]),
                "aantal_problemen": sum(len(e.problems) for e in rejected),
            },
        )
    return results
