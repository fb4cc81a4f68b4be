"""Read every file of a source, all or nothing, with progress and readable failures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def _not_loaded(rejected: list[SourceFileError], total: int, label: str) -> SourceNotLoaded:
    report = "\n\n".join(str(error) for error in rejected)
    return SourceNotLoaded(
        f"{len(rejected)} van {total} {label}-bestanden afgekeurd; "
        f"er is niets geladen.\n\n{report}",
        {
            "afgekeurde_bestanden": [e.file for e in rejected],
            "aantal_problemen": sum(len(e.problems) for e in rejected),
        },
    )


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
    results, rejected = _read_group(files, reader, label)
    if rejected:
        raise _not_loaded(rejected, len(files), label)
    return results


def _read_group(
    files: list[Path], reader: Callable[[Path], T], label: str
) -> tuple[list[ReadFile[T]], list[SourceFileError]]:
    results: list[ReadFile[T]] = []
    rejected: list[SourceFileError] = []
    for path, content in zip(files, _read_all(files, reader, label), strict=True):
        if isinstance(content, SourceFileError):
            rejected.append(content)
        else:
            results.append(ReadFile(file_lineage(path), content))
    return results, rejected


# Read at most this much of a source's files at a time: the typed rows of a file take some
# ten times its size in memory (Python objects). Reading a scale-10 world's 450 workbooks
# (95 MB) at once peaked at 1.3 GB, so a scale-100 world's would need some 13 GB before
# they are even turned into raw tables.
BATCH_BYTES = 64 * 2**20


def batches(files: list[Path], batch_bytes: int = BATCH_BYTES) -> list[list[Path]]:
    """``files`` in order, in consecutive groups of at most ``batch_bytes`` (or one file)."""
    groups: list[list[Path]] = []
    size = 0
    for path in files:
        length = path.stat().st_size
        if not groups or (size + length > batch_bytes and groups[-1]):
            groups.append([])
            size = 0
        groups[-1].append(path)
        size += length
    return groups


def read_in_batches(
    files: list[Path],
    reader: Callable[[Path], T],
    label: str,
    batch_bytes: int | None = None,
) -> Iterator[list[ReadFile[T]]]:
    """``read_source_files`` a batch at a time (``batches``), so that a large source is never
    in memory at once: yields each batch's files to be kept before the next is read. If a
    file breaks its contract, no batch is yielded after it, but every file is still read
    and ``SourceNotLoaded`` names every broken one, as reading all at once does; what the
    caller kept of the earlier batches it must drop again (all or nothing)."""
    rejected: list[SourceFileError] = []
    for group in batches(files, batch_bytes or BATCH_BYTES):
        read, broken = _read_group(group, reader, label)
        rejected += broken
        if not rejected:
            yield read
    if rejected:
        raise _not_loaded(rejected, len(files), label)
