"""All workbooks in one go (the load path) give what each workbook on its own gives."""

from __future__ import annotations

import pandas as pd

from orchestration.bronnen.zorggroep.read import (
    Submission,
    _cells,
    read_zorggroep_many,
    read_zorggroep_workbook,
)
from orchestration.warehouse.errors import SourceFileError
from tests.unit.test_intake_corpus import CORPUS, build
from tests.unit.test_zorggroep_workbook import META, ROWS


def _alone(path):
    try:
        return read_zorggroep_workbook(path)
    except SourceFileError as error:
        return error


def _same(together, alone) -> None:
    assert type(together) is type(alone)
    if isinstance(alone, SourceFileError):
        assert together.problems == alone.problems
        return
    assert together.meta == alone.meta
    assert together.tables.keys() == alone.tables.keys()
    for sheet in alone.tables:
        pd.testing.assert_frame_equal(together.tables[sheet], alone.tables[sheet])


def test_the_whole_corpus_in_one_go_equals_each_file_alone(tmp_path):
    paths = []
    for i, (make, *_) in enumerate(CORPUS.values()):
        folder = tmp_path / str(i)
        folder.mkdir()
        paths.append(make(folder))
    for i in range(3):  # valid workbooks among the broken ones, taking the one-go way
        folder = tmp_path / f"geldig{i}"
        folder.mkdir()
        # The last one without vacancies: a sheet with only its header.
        rows = {**ROWS, "vacatures": []} if i == 2 else ROWS
        paths.append(build(folder, meta={**META, "zorggroep_code": f"ZG00{i}"}, rows=rows))
    assert all(_cells(path) is not None for path in paths[-3:])
    results = read_zorggroep_many(paths)
    for path, together in zip(paths, results, strict=True):
        _same(together, _alone(path))
    assert [type(r) for r in results[-3:]] == [Submission] * 3
    assert results[-1].tables["vacatures"].empty
    assert sum(isinstance(r, SourceFileError) for r in results) == len(CORPUS)


def test_the_same_practice_in_two_workbooks_is_no_duplicate_key(tmp_path, monkeypatch):
    # Each file is its own table: the key holds within a workbook, not across the corpus,
    # so both stay on the one-go way (reading a file alone is not allowed here).
    from orchestration.bronnen.zorggroep import read as read_many

    def alone(path):
        raise AssertionError(f"{path.name} left the one-go way")

    monkeypatch.setattr(read_many, "read_zorggroep_workbook", alone)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = build(tmp_path / "a")
    second = build(tmp_path / "b", name="ZG001_2026-Q1.xlsx", meta={**META, "periode": "2026-Q1"})
    results = read_zorggroep_many([first, second])
    assert [type(r) for r in results] == [Submission, Submission]
    assert (results[1].tables["praktijken"].index + 2).tolist() == [2]
