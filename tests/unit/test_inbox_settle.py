"""The inbox sensor takes a file once it is no longer being written (SETTLE_SECONDS), and
waits for a young file within its tick rather than until the next one."""

import os
import threading
import time

from orchestration.inname.process import SETTLE_SECONDS, settled


def _aged(path, seconds: float):
    path.write_bytes(b"x")
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_an_old_file_is_taken(tmp_path):
    old = _aged(tmp_path / "oud.xlsx", 60)
    assert settled([old]) == [old]


def test_a_young_file_is_waited_for_within_the_tick(tmp_path):
    young = _aged(tmp_path / "jong.xlsx", SETTLE_SECONDS / 2)
    old = _aged(tmp_path / "oud.xlsx", 60)
    assert settled([old, young]) == [old, young]


def test_a_file_still_being_written_waits_for_the_next_tick(tmp_path):
    growing = _aged(tmp_path / "groeit.xlsx", SETTLE_SECONDS / 2)
    old = _aged(tmp_path / "oud.xlsx", 60)

    def write_more():
        time.sleep(SETTLE_SECONDS / 4)
        with growing.open("ab") as handle:
            handle.write(b"meer")

    writer = threading.Thread(target=write_more)
    writer.start()
    try:
        assert settled([old, growing]) == [old]
    finally:
        writer.join()


def test_no_files_no_wait(tmp_path):
    assert settled([]) == []
