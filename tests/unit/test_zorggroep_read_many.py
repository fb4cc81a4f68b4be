"""All workbooks in one go (the load path) give what each workbook on its own gives."""

from __future__ import annotations

import pandas as pd
import pytest

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


def _corpus_with_valid_workbooks(tmp_path):
    """Every broken workbook of the corpus, then three valid ones, which take the one-go way;
    the last one without vacancies (a sheet with only its header)."""
    paths = []
    for i, (make, *_) in enumerate(CORPUS.values()):
        folder = tmp_path / str(i)
        folder.mkdir()
        paths.append(make(folder))
    for i in range(3):
        folder = tmp_path / f"geldig{i}"
        folder.mkdir()
        rows = {**ROWS, "vacatures": []} if i == 2 else ROWS
        paths.append(build(folder, meta={**META, "zorggroep_code": f"ZG00{i}"}, rows=rows))
    return paths


def test_the_whole_corpus_in_one_go_equals_each_file_alone(tmp_path):
    paths = _corpus_with_valid_workbooks(tmp_path)
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


def test_shared_out_over_processes_equals_one_process(tmp_path, monkeypatch):
    from orchestration.bronnen.zorggroep import read

    paths = _corpus_with_valid_workbooks(tmp_path)
    in_place = read._read_share(paths)
    # Three shares: this process reads one, two interpreters of their own the others.
    monkeypatch.setattr(read, "BYTES_PER_WORKER", 1)
    monkeypatch.setattr(read.os, "cpu_count", lambda: 3)
    shared = read.read_zorggroep_many(paths)
    assert len(shared) == len(paths)
    for together, alone in zip(shared, in_place, strict=True):
        _same(together, alone)
        if isinstance(alone, Submission):
            for sheet, table in alone.tables.items():
                # The sender's column letters, which problems name, come back too.
                assert together.tables[sheet].attrs == table.attrs != {}
    assert sum(isinstance(r, SourceFileError) for r in shared) == len(CORPUS)


def test_a_share_that_cannot_be_read_fails_the_whole_read(tmp_path, monkeypatch):
    from orchestration.bronnen.zorggroep import read

    paths = _corpus_with_valid_workbooks(tmp_path)
    monkeypatch.setattr(read, "BYTES_PER_WORKER", 1)
    monkeypatch.setattr(read.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(read.sys, "executable", "/bin/false")
    with pytest.raises(RuntimeError, match="zorggroep-werkmappen is mislukt"):
        read.read_zorggroep_many(paths)
