"""Problems found in an incoming file, worded for the person who sent it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One rule broken at one place in one file.

    ``row`` is the row number as the sender sees it in the file (header = row 1).
    """

    file: str
    rule: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    # "fout" rejects the file; "waarschuwing" is reported but the file is still loaded.
    severity: str = "fout"

    def describe(self) -> str:
        where = [f"bestand {self.file}"]
        if self.sheet:
            where.append(f"tabblad '{self.sheet}'")
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        shown = "" if self.value is None else f" (waarde: {self.value!r})"
        label = "WAARSCHUWING " if self.severity == "waarschuwing" else ""
        return f"{label}{', '.join(where)}: {self.message}{shown} [regel: {self.rule}]"


@dataclass
class SourceFileError(Exception):
    """Raised when a file breaks the source contract; carries every problem found."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        shown = self.problems[:20]
        lines = [f"{self.file} is afgekeurd: {len(self.problems)} probleem/problemen gevonden."]
        lines += [f"  - {problem.describe()}" for problem in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... en nog {len(self.problems) - len(shown)} meer")
        return "\n".join(lines)
