"""Problems found in an incoming file, worded for the person who sent it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# How a reader names a column that has no name: by its position ("kolom 3").
NUMBERED_COLUMN = re.compile(r"kolom (\d+)")


def column_letter(position: int) -> str:
    """Excel's letter for the 1-based column ``position``: 1 -> A, 27 -> AA."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class ColumnLetters(dict):
    """{column: its letter in the sender's sheet}, kept in a table's ``attrs``.

    pandas deep-copies ``attrs`` into the result of every operation on the table. These
    letters never change after reading, so the copy may be the same object; a real deep copy
    on every comparison and lookup cost about a quarter of the cross-sheet rules' time.
    """

    def __deepcopy__(self, memo: dict) -> ColumnLetters:
        return self


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
    # The column's letter as Excel shows it ("E"; "A, B" for a key of two columns), if known.
    letter: str | None = None

    @property
    def where_column(self) -> str | None:
        """'kolom E (praktijk_agb)', 'kolom E' for a column without a name, or None."""
        letter = self.letter
        column = self.column
        numbered = NUMBERED_COLUMN.fullmatch(column or "")
        if not letter and numbered:  # "kolom 3" for a header cell without a name
            letter, column = column_letter(int(numbered.group(1))), None
        if letter:
            word = "kolommen" if "," in letter else "kolom"
            return f"{word} {letter}" + (f" ({column})" if column else "")
        return f"kolom '{column}'" if column else None

    def describe(self) -> str:
        where = [f"bestand {self.file}"]
        if self.sheet:
            where.append(f"tabblad '{self.sheet}'")
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.where_column:
            where.append(self.where_column)
        shown = "" if self.value is None else f" (waarde: {shown_value(self.value)})"
        label = "WAARSCHUWING " if self.severity == "waarschuwing" else ""
        return f"{label}{', '.join(where)}: {self.message}{shown} [regel: {self.rule}]"


def shown_value(value: object) -> str:
    """A value as a Dutch reader expects it: 1890 (not 1890.0), 0,8, 'tekst' in quotes."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        if value != value:  # NaN: nothing was there
            return "(leeg)"
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


@dataclass
class SourceFileError(Exception):
    """Raised when a file breaks the source contract; carries every problem found."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __reduce__(self):
        # Exception's own pickling calls cls(*args), and a dataclass leaves args empty;
        # workbooks read in another process (zorggroep ``read_zorggroep_many``) send it back.
        return (type(self), (self.file, self.problems))

    def __str__(self) -> str:
        shown = self.problems[:20]
        lines = [f"{self.file} is afgekeurd: {len(self.problems)} probleem/problemen gevonden."]
        lines += [f"  - {problem.describe()}" for problem in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... en nog {len(self.problems) - len(shown)} meer")
        return "\n".join(lines)
