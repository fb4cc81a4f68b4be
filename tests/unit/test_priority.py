"""Background work yields the CPU to readers, and only the thread that asks for it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from orchestration.priority import NICE_ENV, current_nice, yield_to_readers


def _in_a_thread(before: int | None = None) -> dict:
    """Yield in a new thread (a thread's nice value is its own on Linux); report what the
    thread and a process it then starts run at."""
    seen: dict = {}

    def work() -> None:
        try:
            if before is not None:
                os.setpriority(os.PRIO_PROCESS, 0, before)
            seen["thread"] = yield_to_readers()
            seen["child"] = int(
                subprocess.run(
                    [sys.executable, "-c", "import os; print(os.getpriority(os.PRIO_PROCESS, 0))"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
        except Exception as error:  # noqa: BLE001 - reported to the test below
            seen["error"] = error

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return seen


def test_the_yielding_thread_and_what_it_starts_run_at_nice_10_the_caller_does_not(monkeypatch):
    monkeypatch.delenv(NICE_ENV, raising=False)
    caller = current_nice()
    seen = _in_a_thread()
    expected = max(10, caller)
    assert seen == {"thread": expected, "child": expected}
    assert current_nice() == caller


def test_zero_turns_it_off_and_a_lower_priority_is_never_raised(monkeypatch):
    caller = current_nice()
    monkeypatch.setenv(NICE_ENV, "0")
    assert _in_a_thread() == {"thread": caller, "child": caller}
    monkeypatch.setenv(NICE_ENV, "5")
    lowest = max(15, caller)
    assert _in_a_thread(before=lowest) == {"thread": lowest, "child": lowest}


@pytest.mark.parametrize("value", ["tien", "-5", "20", "²"])
def test_a_bad_setting_is_named(monkeypatch, value):
    monkeypatch.setenv(NICE_ENV, value)
    with pytest.raises(ValueError, match=f"{NICE_ENV}='{value}'"):
        yield_to_readers()
