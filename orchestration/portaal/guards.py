"""What an uploaded file must be before any parser sees it.

openpyxl decompresses a workbook's parts in full, so a small zip that expands to gigabytes
would take the server's memory before the check could say anything; a renamed program or a
password-protected workbook must get a clear Dutch answer, not a parser's traceback. These
guards read only the zip's directory and the first bytes. The sizes the directory declares
can be trusted as an upper bound: Python's zipfile, which openpyxl reads through, stops at
the declared uncompressed size of a member and then fails its CRC check.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

# An .xlsx is a zip with these parts (ECMA-376, Open Packaging Conventions).
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# The standard's largest workbook (50 MB, orchestration/bronnen/zorggroep/standard.py) holds
# XML that compresses about 10:1; 20x that uncompressed leaves room, a bomb does not fit.
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
# Worksheet XML compresses up to ~100:1 when it is all empty styled cells; far beyond is a bomb.
MAX_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024  # small parts may compress extremely; only large ones count
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls and password-protected .xlsx
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa", b"#!")


def _head(path: Path, size: int = 8192) -> bytes:
    with path.open("rb") as file:
        return file.read(size)


def refusal(path: Path, suffix: str) -> str | None:
    """Why ``path`` (to be checked as a ``suffix`` file) is refused unread, in Dutch; or None."""
    head = _head(path)
    if not head:
        return None  # the check itself says "leeg bestand"
    if head.startswith(EXECUTABLE_MAGIC):
        return (
            "Dit bestand is een programma, geen gegevensbestand; het is geweigerd en niet geopend."
        )
    if suffix == ".xlsx":
        return _xlsx_refusal(path, head)
    if b"\x00" in head:
        return f"Dit bestand is geen tekstbestand ({suffix}) maar binaire inhoud; het is geweigerd."
    return None


def _xlsx_refusal(path: Path, head: bytes) -> str | None:
    if head.startswith(OLE_MAGIC):
        return (
            "Dit is een met een wachtwoord beveiligde werkmap of een oud .xls-bestand. Sla de "
            "werkmap zonder wachtwoord op als Excel-werkmap (.xlsx) en lever opnieuw aan."
        )
    if not zipfile.is_zipfile(path):
        return None  # not a zip at all: the check's own rule ("geen_excel") explains it
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "De werkmap is beschadigd (het zip-archief is onleesbaar); sla haar opnieuw op."
    names = {member.filename for member in members}
    if not all(part in names for part in XLSX_PARTS):
        return (
            "Dit zip-bestand is geen Excel-werkmap (de onderdelen van een .xlsx ontbreken); "
            "het is geweigerd."
        )
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        return (
            f"De werkmap zou uitgepakt {total / 1e9:.1f} GB zijn; dat kan geen aanlevering "
            "volgens de standaard zijn. Het bestand is geweigerd en niet geopend."
        )
    for member in members:
        if member.file_size >= RATIO_FROM_BYTES and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            return (
                f"Het onderdeel {member.filename!r} van de werkmap is verdacht sterk "
                "ingepakt (een zip-bom?). Het bestand is geweigerd en niet geopend."
            )
    return None
