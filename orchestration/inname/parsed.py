"""Parse once: each file's raw rows, kept beside the archive and keyed by its sha256.

A submission is parsed when the intake accepts it; loading ``raw`` then only gathers
parsed copies, and reads an original again only when its copy is missing or was made by an
older reader or contract, or under another pseudonym key (``version``). The copies are a
cache: deleting ``archive/<bron>/geparseerd/`` gives the same warehouse, only slower. See
docs/inname.md, "Eén keer ontleden".

Layout, per source under ``archive/<bron>/geparseerd/``: ``<sha256>.json`` describes one
file (organisation, period, delivery date, for ``meta.bestanden``) and names the batch that
holds its rows; ``partijen/<batch>/<raw table>.parquet`` holds the rows of the files parsed
together, exactly as they land (typed as the raw table, lineage columns included but for
``_bronbestand``, which is the name the file has where it is loaded from). A batch is one
accepted submission at intake, or every file a full refresh found without a copy: one
Parquet file per table and batch, because a file per table and submission costs more to
write than the submission costs to read.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.bronnen.bron import Bron
from orchestration.bronnen.schaal import schaal
from orchestration.paths import DataPaths
from orchestration.warehouse.landing import LINEAGE_TYPES, write_typed
from orchestration.warehouse.lineage import sha256_of
from orchestration.warehouse.source_files import ReadFile, SourceNotLoaded, read_in_batches

# Raise when the layout of a parsed copy changes; a source raises its own reader_version.
LAYOUT = "1"
BATCHES = "partijen"
# Filled in where the file is loaded from: an accepted file and its sample twin share bytes.
NAME_COLUMN = "_bronbestand"


@dataclass(frozen=True)
class Parsed:
    """One file's parsed copy: where its tables are and what it is."""

    sha256: str
    root: Path  # archive/<bron>/geparseerd
    info: dict

    @property
    def identity(self) -> tuple[str, str]:
        return self.info["organisatie"], self.info["periode"]

    def table(self, name: str) -> Path:
        """The Parquet file with this file's rows of ``raw.<name>`` (and its batch's)."""
        return self.root / BATCHES / self.info["partij"] / f"{name}.parquet"


def store_dir(paths: DataPaths, bron: Bron) -> Path:
    return paths.archive / bron.name / "geparseerd"


def version(bron: Bron, paths: DataPaths) -> str:
    """What a parsed copy depends on besides the file's bytes: the reader, the raw tables'
    columns and types, and what the source names (the zorggroep's pseudonym key)."""
    schema = json.dumps({t.name: dict(t.columns) for t in bron.tables}, sort_keys=True)
    made_by = f"{LAYOUT}|{bron.reader_version}|{schema}|{bron.raw_fingerprint(paths)}"
    if bron.scaled_maximums and (scale := schaal(paths)) != 1:
        # Read under a synthetic world's maximums (bronnen/schaal.py): not a copy for another.
        made_by += f"|schaal {scale:g}"
    return hashlib.sha256(made_by.encode()).hexdigest()[:16]


def info_path(paths: DataPaths, bron: Bron, sha256: str) -> Path:
    return store_dir(paths, bron) / f"{sha256}.json"


def lookup(bron: Bron, paths: DataPaths, sha256: str, wanted: str) -> Parsed | None:
    """The current copy of a file, if there is one made by this reader and contract."""
    try:
        info = json.loads(info_path(paths, bron, sha256).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    copy = Parsed(sha256, store_dir(paths, bron), info)
    current = info.get("versie") == wanted and all(copy.table(t.name).exists() for t in bron.tables)
    return copy if current else None


def _replace(path: Path, text: str) -> None:
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)


def store(bron: Bron, paths: DataPaths, files: list[ReadFile]) -> list[Parsed]:
    """Write the parsed copies of ``files`` (read content and lineage) as one batch; return
    them in order. ``to_raw`` runs once for the batch, so that a source's per-call work
    (the pseudonym key) is done once.
    """
    if not files:
        return []
    wanted = version(bron, paths)
    shas = sorted({f.lineage.sha256 for f in files})
    batch = hashlib.sha256("|".join([wanted, *shas]).encode()).hexdigest()[:16]
    root = store_dir(paths, bron)
    folder = root / BATCHES / batch
    frames = bron.to_raw(files, paths)
    if not folder.exists():
        # Written whole beside its place and renamed into it: a batch is complete or
        # absent, also after a crash; a file's description is written only after it.
        scratch = folder.with_name(f".{batch}.{os.getpid()}")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        with duckdb.connect() as conn:
            for table in bron.tables:
                # Typed as the raw table, but for the name the file has where it is loaded.
                schema = {**table.columns, **LINEAGE_TYPES}
                del schema[NAME_COLUMN]
                target = scratch / f"{table.name}.parquet"
                write_typed(
                    conn,
                    frames[table.name],
                    schema,
                    f"COPY ({{rows}}) TO '{target}' (FORMAT parquet)",
                )
        try:
            scratch.rename(folder)
        except OSError:  # another writer made the same batch first
            shutil.rmtree(scratch, ignore_errors=True)
    counts = {
        table.name: frames[table.name]["_sha256"].value_counts().to_dict() for table in bron.tables
    }
    parsed = []
    for f in files:
        sha = f.lineage.sha256
        organisatie, periode = bron.identify(f.content)
        info = {
            "versie": wanted,
            "bron": bron.name,
            "partij": batch,
            "organisatie": organisatie,
            "periode": periode,
            "peiljaar": bron.peiljaar(periode),
            **bron.describe(f.content),
            "geparseerd_op": f.lineage.loaded_at.isoformat(),
            "rijen": {name: int(per_sha.get(sha, 0)) for name, per_sha in counts.items()},
        }
        _replace(info_path(paths, bron, sha), json.dumps(info, default=str, indent=1))
        parsed.append(Parsed(sha, root, info))
    return parsed


def ensure(bron: Bron, paths: DataPaths, files: list[Path]) -> list[Parsed]:
    """The parsed copy of every file, in order; reads only the files without a current copy.

    All or nothing, as loading always was: if any file breaks its contract,
    ``SourceNotLoaded`` names every such file and nothing is stored for any of them.
    """
    wanted = version(bron, paths)
    shas = [sha256_of(path) for path in files]
    found = {sha: lookup(bron, paths, sha, wanted) for sha in shas}
    # One read per distinct file: a sample file and its accepted twin share their bytes.
    missing = list(
        {sha: path for path, sha in zip(files, shas, strict=True) if found[sha] is None}.values()
    )
    reader = bron.in_folder(paths).read
    made: list[Parsed] = []
    try:
        # A batch at a time, each its own partij: a scale-100 world read at once did not fit
        # in memory (source_files.BATCH_BYTES).
        for read in read_in_batches(missing, reader, bron.label):
            made += store(bron, paths, read)
    except SourceNotLoaded:
        discard(made)  # nothing is kept for any file when one is broken
        raise
    found.update({copy.sha256: copy for copy in made})
    return [found[sha] for sha in shas]


def discard(copies: list[Parsed]) -> None:
    """Remove these parsed copies and their partijen."""
    for copy in copies:
        (copy.root / f"{copy.sha256}.json").unlink(missing_ok=True)
    for partij in {copy.info["partij"] for copy in copies}:
        shutil.rmtree(copies[0].root / BATCHES / partij, ignore_errors=True)


def current(
    bron: Bron, paths: DataPaths, archived: list[tuple[str, str, str]]
) -> list[tuple[Path, Parsed]]:
    """The files to load with their parsed copies: accepted submissions from the archive
    (``archived``: the ledger's current (path, organisation, period)), plus the files in
    ``data/sources`` (sample or hand-placed data) for organisation/period pairs that no
    accepted submission covers, so that a submission through the inbox supersedes them.
    """
    sources = paths.source_dir(bron.name)
    local = sorted(sources.glob(bron.pattern)) if sources.is_dir() else []
    if not local and not archived:
        raise SourceNotLoaded(
            f"Geen {bron.label}-bestanden gevonden in {sources} (patroon {bron.pattern}) en "
            "geen goedgekeurde aanleveringen in het archief. Maak voorbeeldbestanden met "
            "`capmon generate` of lever bestanden aan in data/inbox/."
        )
    files = [Path(stored) for stored, _, _ in archived] + local
    claimed = {(organisation, period) for _, organisation, period in archived}
    return [
        (path, copy)
        for path, copy in zip(files, ensure(bron, paths, files), strict=True)
        if path.parent != sources or copy.identity not in claimed
    ]


def received_at(info: dict) -> datetime:
    """When the file was delivered, as far as it says; otherwise when it was parsed."""
    return datetime.fromisoformat(str(info.get("ontvangen_op") or info["geparseerd_op"]))
