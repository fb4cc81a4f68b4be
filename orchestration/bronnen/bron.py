"""What the platform needs to know of a source, and the file checks every source shares.

A ``Bron`` is one line in the registry (``orchestration/bronnen/__init__.py``); everything
else loops over the registry. See docs/architectuur.md, "Adding a source".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from orchestration.bronnen.schaal import schaal
from orchestration.bronnen.zorggroep.standard import MAX_FILE_BYTES
from orchestration.warehouse.errors import Problem, SourceFileError


@dataclass(frozen=True)
class Checked:
    content: object | None  # the typed rows if there are no errors
    problems: list[Problem]
    organisatie: str | None = None
    periode: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "fout"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "fout"]


@dataclass(frozen=True)
class RawTable:
    """A table in the build warehouse's ``raw`` schema that a source fills."""

    name: str
    columns: Mapping[str, str]  # column -> DuckDB type, without the lineage columns
    description: str


def peiljaar_uit_jaartal(periode: str | None) -> int | None:
    """The peiljaar of a periode that starts with its year ('2024', '2024-Q3')."""
    if periode and len(periode) >= 4 and periode[:4].isdigit():
        return int(periode[:4])
    return None


@dataclass(frozen=True)
class Bron:
    """One source: its files, how to check and read them, and what it lands in ``raw``.

    ``name`` is the folder in ``inbox/``, ``archive/``, ``quarantine/`` and ``sources/``,
    the ledger's ``bron`` and the Dagster group of its raw assets.
    """

    name: str
    label: str  # in messages: "Nivel-bestanden", "Stagebureau inlezen"
    suffix: str  # ".csv"; with ``looks_like`` it tells files of two sources apart
    check: Callable[..., Checked]  # intake and `capmon check`: every problem, in Dutch
    read: Callable[[Path], Any]  # loading accepted files: typed content or SourceFileError
    identify: Callable[[Any], tuple[str, str]]  # (organisatie, periode) of read content
    tables: tuple[RawTable, ...]
    # {raw table: rows} from the files to load (``ReadFile``s) and the data folder.
    to_raw: Callable[[list, Any], dict[str, pd.DataFrame]]
    # Writes the source's sample files for a synthetic world (``SampleWorld``) under a folder.
    write_sample: Callable[[Any, Path], list[Path]]
    kinds: frozenset[str] = field(default_factory=frozenset)  # Dagster UI badges
    # Content test for a file whose source is not known from its folder (`capmon check`).
    looks_like: Callable[[Path], bool] = lambda path: True
    # Sender and period of a rejected file, for the ledger, when they can still be read.
    rejected_identity: Callable[[Path], tuple[str | None, str | None]] = lambda path: (
        None,
        None,
    )
    # Deliberately flawed submissions for the sample inbox (see ``bronnen/voorbeeld.py``).
    write_flawed_sample: Callable[[Path, Path], list[Path]] | None = None
    # The peiljaar a periode stands for, kept in the ledger so that dbt needs no rule per
    # source; ``None`` where a periode names no single year.
    peiljaar: Callable[[str | None], int | None] = peiljaar_uit_jaartal
    # The sender's name and the delivery date the content states, for ``meta.bestanden``
    # ({"organisatie_naam": ..., "ontvangen_op": ...}); a source that states neither leaves
    # the name to its code and the date to when the file was parsed.
    describe: Callable[[Any], dict] = lambda content: {}
    # Raise when ``read`` or ``to_raw`` changes what lands in ``raw``: parsed copies made by
    # an older reader are then made again (orchestration/inname/parsed.py).
    reader_version: str = "1"
    # What ``to_raw`` depends on besides a file's bytes, from the data folder (``DataPaths``):
    # a parsed copy made under another value is made again. Never the secret itself.
    raw_fingerprint: Callable[[Any], str] = lambda paths: ""
    # Whether its contract's per-row maximums grow with a synthetic world's scale
    # (``schaal.py``): its ``read`` (and its ``many``) and ``check`` then take ``schaal``.
    scaled_maximums: bool = False

    @property
    def pattern(self) -> str:
        return f"*{self.suffix}"

    def at_scale(self, schaal: float) -> Bron:
        """This source held to the maximums of a world at ``schaal`` (``schaal.schaal(paths)``
        of the data folder); itself for real data and where no maximum grows."""
        if schaal == 1 or not self.scaled_maximums:
            return self
        read = functools.partial(self.read, schaal=schaal)
        many = getattr(self.read, "many", None)
        if many is not None:  # the batch reader read_source_files prefers (source_files.py)
            read.many = functools.partial(many, schaal=schaal)  # type: ignore[attr-defined]
        return replace(self, read=read, check=functools.partial(self.check, schaal=schaal))

    def in_folder(self, paths: Any) -> Bron:
        """This source as the data folder ``paths`` (``DataPaths``) takes it in and loads it:
        at the scale of its world (``at_scale``), the same for intake, portal, check and load."""
        return self.at_scale(schaal(paths))


# What to do with a file of a type no source takes, in the words of the program that made it.
SAVE_AS = {
    ".xls": "Dit is het oude Excel-formaat (.xls). Open het bestand in Excel en kies Bestand > "
    "Opslaan als > 'Excel-werkmap (*.xlsx)'",
    ".xlsm": "Dit is een Excel-werkmap met macro's (.xlsm). Kies in Excel Bestand > Opslaan "
    "als > 'Excel-werkmap (*.xlsx)'",
    ".xlsb": "Dit is een binaire Excel-werkmap (.xlsb). Kies in Excel Bestand > Opslaan als > "
    "'Excel-werkmap (*.xlsx)'",
    ".ods": "Dit is een LibreOffice-werkmap (.ods). Kies in LibreOffice Bestand > Opslaan als "
    "> 'Excel 2007-365 (.xlsx)'",
    ".numbers": "Dit is een Numbers-bestand. Kies in Numbers Archief > Exporteer naar > Excel",
    ".zip": "Dit is een zip-archief. Pak het uit en lever de werkmap of het bestand zelf aan",
    ".pdf": "Een PDF kan niet worden ingelezen. Lever de werkmap of het exportbestand zelf aan",
}


def wrong_type_hint(path: Path, suffix: str | None = None) -> str:
    """A plain-Dutch hint for a file of the wrong type, or "" if there is none to give.

    ``suffix`` is what the source expects; without it (a file `capmon check` recognised
    no source for) only the program-specific hints of ``SAVE_AS`` are given.
    """
    given = path.suffix.lower()
    if given in SAVE_AS:
        return SAVE_AS[given]
    if given == ".csv" and suffix == ".xlsx":
        return (
            "Een zorggroep levert het Excel-template aan, geen CSV; download het met capmon "
            "template en neem de gegevens over"
        )
    if given == ".xlsx" and suffix in {".csv", ".jsonl"}:
        return f"Deze bron levert een exportbestand ({suffix}), geen Excel-werkmap"
    return ""


def file_problems(path: Path, suffix: str, wat: str = "", te_groot_hint: str = "") -> list[Problem]:
    """What is wrong with the file as a file, before reading it.

    ``wat`` says what the source delivers ("een Excel-werkmap") and ``te_groot_hint`` the
    likely cause of an oversized file, where a source can tell its senders more.
    """
    name = path.name
    if path.suffix.lower() != suffix:
        gevraagd = f"{wat} met de extensie {suffix}" if wat else f"{suffix}-bestanden"
        hint = wrong_type_hint(path, suffix)
        return [
            Problem(
                name,
                "extensie",
                f"deze bron levert {gevraagd}, niet '{path.suffix or '(geen)'}'"
                + (f". {hint}" if hint else ""),
            )
        ]
    size = path.stat().st_size
    if size == 0:
        return [Problem(name, "leeg_bestand", "het bestand is leeg (0 bytes)")]
    if size > MAX_FILE_BYTES:
        return [
            Problem(
                name,
                "te_groot",
                f"het bestand is {size / 1e6:.0f} MB; de grens is {MAX_FILE_BYTES / 1e6:.0f} MB"
                + (f". {te_groot_hint}" if te_groot_hint else ""),
            )
        ]
    return []


def check_with_reader(path: Path, suffix: str, reader, identify) -> Checked:
    """The intake check of a source whose reader raises ``SourceFileError`` with every problem."""
    problems = file_problems(path, suffix)
    if problems:
        return Checked(None, problems)
    try:
        rows = reader(path)
    except SourceFileError as error:
        return Checked(None, error.problems)
    except Exception as error:  # noqa: BLE001 - garbage must be a rejection, never a crash
        return Checked(
            None,
            [
                Problem(
                    path.name,
                    "onleesbaar",
                    f"het bestand kan niet gelezen worden ({type(error).__name__})",
                )
            ],
        )
    organisatie, periode = identify(rows)
    return Checked(rows, [], organisatie, periode)
