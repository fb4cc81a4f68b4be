"""The zorggroep workbooks in the national exchange template (docs/uitwisselstandaard.md)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from orchestration.bronnen.bron import Bron, Checked, RawTable
from orchestration.bronnen.zorggroep.afgekeurd import write_flawed_zorggroep
from orchestration.bronnen.zorggroep.contract import META, SHEETS
from orchestration.bronnen.zorggroep.pseudonym import pseudonym_key, pseudonymise
from orchestration.bronnen.zorggroep.read import (
    Submission,
    inspect_zorggroep_workbook,
    read_zorggroep_workbook,
)
from orchestration.bronnen.zorggroep.tabbladen import match_sheets
from orchestration.bronnen.zorggroep.voorbeeld import write_zorggroep
from orchestration.bronnen.zorggroep.xlsx import open_workbook
from orchestration.warehouse.landing import with_lineage_many

ZORGGROEP_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")
PERIODE = re.compile(r"\d{4}-Q[1-4]")
SUBMISSION_KEYS = {"zorggroep_code": "VARCHAR", "periode": "VARCHAR"}
TABLES = ("meta", *SHEETS)


def identify(submission: Submission) -> tuple[str, str]:
    return submission.meta["zorggroep_code"], submission.meta["periode"]


def describe(submission: Submission) -> dict:
    return {
        "organisatie_naam": submission.meta.get("zorggroep_naam"),
        # The delivery date the zorggroep put in its workbook: for sample files the only
        # receipt date there is.
        "ontvangen_op": submission.meta.get("aangeleverd_op"),
    }


def key_fingerprint(paths) -> str:
    """Pseudonyms depend on the key: rows pseudonymised under another key are parsed again."""
    return hashlib.sha256(pseudonym_key(paths.pseudonym_key)).hexdigest()


def rejected_workbook_identity(path: Path) -> tuple[str | None, str | None]:
    """Best effort: zorggroep_code and periode from the 'meta' tab of a rejected workbook.

    Only for the ledger (who sent the rejected file, about which period); a value that does
    not look like a code or a period is left out rather than recorded.
    """
    try:
        workbook = open_workbook(path)
        try:
            # The sheet found as the check finds it: 'Meta' is the meta sheet too.
            tabs, _ = match_sheets(path.name, workbook.sheetnames, ["meta"])
            if "meta" not in tabs:
                return None, None
            rows = [(row + [None, None])[:2] for row in workbook[tabs["meta"]].rows[1:]]
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


def check_zorggroep(path: Path, previous=None, today=None, engine: str = "gx") -> Checked:
    submission, problems = inspect_zorggroep_workbook(path, previous, today, engine=engine)
    if submission is None:
        return Checked(None, problems, *rejected_workbook_identity(path))
    return Checked(submission, problems, *identify(submission))


def to_raw(files, paths) -> dict[str, pd.DataFrame]:
    """One raw table per tab, each row with its submission's keys; the region's own
    pseudonym never reaches the warehouse (see ``pseudonym.py``)."""
    key = pseudonym_key(paths.pseudonym_key)
    keys = {k: [f.content.meta[k] for f in files] for k in SUBMISSION_KEYS}
    raw: dict[str, list] = {sheet: [] for sheet in SHEETS}
    raw["meta"] = [(pd.DataFrame([f.content.meta]), f.lineage, [2]) for f in files]
    for f in files:
        for sheet, rows in f.content.tables.items():
            if sheet == "huisartsen":
                code = f.content.meta["zorggroep_code"]
                rows = rows.assign(
                    persoon_id=[pseudonymise(key, code, str(p)) for p in rows["persoon_id"]]
                )
            raw[sheet].append((rows, f.lineage, rows.index + 2))  # the Excel row
    return {f"zorggroep_{table}": with_lineage_many(raw[table], keys) for table in TABLES}


def _table(name: str) -> RawTable:
    contract = META if name == "meta" else SHEETS[name]
    return RawTable(
        f"zorggroep_{name}",
        {**SUBMISSION_KEYS, **contract.duckdb_schema()},
        f"Tabblad '{name}' van alle zorggroep-aanleveringen (template v1.0).",
    )


ZORGGROEP = Bron(
    name="zorggroep",
    label="Zorggroep",
    suffix=".xlsx",
    check=check_zorggroep,
    read=read_zorggroep_workbook,
    identify=identify,
    describe=describe,
    raw_fingerprint=key_fingerprint,
    tables=tuple(_table(name) for name in TABLES),
    to_raw=to_raw,
    write_sample=lambda sample, out_dir: write_zorggroep(sample.world, out_dir, sample.progress),
    kinds=frozenset({"excel", "duckdb"}),
    rejected_identity=rejected_workbook_identity,
    write_flawed_sample=write_flawed_zorggroep,
)
