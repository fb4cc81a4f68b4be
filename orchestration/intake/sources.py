"""Per source: which files it takes, how to check one, and whose submission it is."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orchestration.defs.nivel.read import read_nivel_csv
from orchestration.defs.stagebureau.read import read_stagebureau_jsonl
from orchestration.defs.zorggroep.read import Submission, inspect_zorggroep_workbook
from orchestration.defs.zorggroep.standard import MAX_FILE_BYTES
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


def _file_problems(path: Path, suffix: str) -> list[Problem]:
    name = path.name
    if path.suffix.lower() != suffix:
        return [
            Problem(
                name,
                "extensie",
                f"deze bron levert {suffix}-bestanden, niet '{path.suffix or '(geen)'}'",
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
                f"het bestand is {size / 1e6:.0f} MB; de grens is {MAX_FILE_BYTES / 1e6:.0f} MB",
            )
        ]
    return []


def _via_reader(path: Path, suffix: str, reader, identify) -> Checked:
    problems = _file_problems(path, suffix)
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


def check_nivel(path: Path, **_) -> Checked:
    return _via_reader(
        path,
        ".csv",
        lambda p: read_nivel_csv(p, engine="gx"),
        lambda rows: ("Nivel", str(int(rows["peiljaar"].iloc[0]))),
    )


def _bureau(rows: pd.DataFrame) -> tuple[str, str]:
    return "+".join(sorted(rows["bureau_code"].unique())), "+".join(
        sorted(rows["schooljaar"].unique())
    )


def check_stagebureau(path: Path, **_) -> Checked:
    return _via_reader(path, ".jsonl", lambda p: read_stagebureau_jsonl(p, engine="gx"), _bureau)


ZORGGROEP_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")
PERIODE = re.compile(r"\d{4}-Q[1-4]")


def rejected_workbook_identity(path: Path) -> tuple[str | None, str | None]:
    """Best effort: zorggroep_code and periode from the 'meta' tab of a rejected workbook.

    Only for the ledger (who sent the rejected file, about which period); a value that does
    not look like a code or a period is left out rather than recorded.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = list(workbook["meta"].iter_rows(min_row=2, max_col=2, values_only=True))
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - an unreadable file simply has no known sender
        return None, None
    fields = {str(k).strip(): str(v).strip() for k, v in rows if k is not None and v is not None}
    code = fields.get("zorggroep_code")
    periode = fields.get("periode")
    return (
        code if code and ZORGGROEP_CODE.fullmatch(code) else None,
        periode if periode and PERIODE.fullmatch(periode) else None,
    )


def check_zorggroep(path: Path, previous=None, today=None) -> Checked:
    submission, problems = inspect_zorggroep_workbook(path, previous, today)
    if submission is None:
        return Checked(None, problems, *rejected_workbook_identity(path))
    return Checked(
        submission, problems, submission.meta["zorggroep_code"], submission.meta["periode"]
    )


def identify(source: str, content) -> tuple[str, str]:
    """Organisation and period of content read by the landing assets."""
    if source == "zorggroep":
        assert isinstance(content, Submission)
        return content.meta["zorggroep_code"], content.meta["periode"]
    if source == "nivel":
        return "Nivel", str(int(content["peiljaar"].iloc[0]))
    return _bureau(content)


CHECKERS: dict[str, Callable[..., Checked]] = {
    "zorggroep": check_zorggroep,
    "nivel": check_nivel,
    "stagebureau": check_stagebureau,
}
PATTERNS = {"zorggroep": "*.xlsx", "nivel": "*.csv", "stagebureau": "*.jsonl"}
SUFFIX_SOURCE = {".xlsx": "zorggroep", ".csv": "nivel", ".jsonl": "stagebureau"}
