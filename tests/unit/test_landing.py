"""Many files' rows stamped with their lineage at once, as each file's alone would be."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from orchestration.warehouse.landing import with_lineage_many
from orchestration.warehouse.lineage import FileLineage


def _lineage(name: str, loaded: datetime) -> FileLineage:
    return FileLineage(Path("/in") / name, name[0] * 64, 10, loaded)


def test_each_row_carries_its_own_files_lineage_row_number_and_values():
    first, second, empty = (
        _lineage("a.xlsx", datetime(2025, 1, 1, 9)),
        _lineage("b.xlsx", datetime(2025, 1, 2, 9)),
        _lineage("c.xlsx", datetime(2025, 1, 3, 9)),
    )
    parts = [
        (pd.DataFrame({"fte": [0.5, 1.0]}, index=[4, 9]), first, [6, 11]),
        (pd.DataFrame({"fte": [], "x": []}).drop(columns="x"), empty, []),
        (pd.DataFrame({"fte": [0.8]}), second, [2]),
    ]
    stamped = with_lineage_many(parts, {"zorggroep_code": ["ZG001", "ZG003", "ZG002"]})
    expected = pd.DataFrame(
        {
            "fte": [0.5, 1.0, 0.8],
            "_bronbestand": ["a.xlsx", "a.xlsx", "b.xlsx"],
            "_sha256": ["a" * 64, "a" * 64, "b" * 64],
            "_bronrij": [6, 11, 2],
            "_geladen_op": pd.to_datetime(
                ["2025-01-01 09:00", "2025-01-01 09:00", "2025-01-02 09:00"]
            ),
            "zorggroep_code": ["ZG001", "ZG001", "ZG002"],
        }
    )
    pd.testing.assert_frame_equal(stamped, expected, check_like=True)
