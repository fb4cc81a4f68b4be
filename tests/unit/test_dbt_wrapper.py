"""orchestration/bin/dbt: a session of its own, and an interrupt that always ends the process.

A stand-in for dbt (a script named by CAPMON_DBT, as the dbt asset sets it) takes dbt's
place, so the wrapper's own handling is what is under test.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

WRAPPER = Path(__file__).resolve().parents[2] / "orchestration" / "bin" / "dbt"

# The line is printed inside the try: the test interrupts as soon as it reads it, and an
# interrupt between the print and the try would end the stand-in by the signal itself (-2).
STAND_IN = """
import os, sys, time
try:
    print(os.getpid(), os.getsid(0), sys.argv[1:], flush=True)
    time.sleep(60)
except KeyboardInterrupt:
    if "--hangs" in sys.argv:
        time.sleep(60)  # as dbt waiting on a worker thread that does not end
    sys.exit(2)
"""


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    stand_in = tmp_path / "dbt"
    stand_in.write_text(STAND_IN)
    env = {
        **os.environ,
        "CAPMON_DBT": str(stand_in),
        "CAPMON_DBT_INTERRUPT_GRACE": "1",
        "CAPMON_DBT_PARENT": str(os.getpid()),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    process = subprocess.Popen(
        [str(WRAPPER), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    return process, process.stdout.readline()


@pytest.mark.parametrize(("args", "code"), [(["build"], 2), (["build", "--hangs"], 130)])
def test_an_interrupt_ends_dbt_by_itself_or_by_the_deadline(tmp_path, args, code):
    process, first_line = _start(tmp_path, *args)
    assert str(args) in first_line, process.stderr.read()
    process.send_signal(signal.SIGINT)
    # 2 is the stand-in's own exit: one that ends on the interrupt is not cut short.
    assert process.wait(timeout=30) == code


def test_dbt_runs_in_a_session_of_its_own(tmp_path):
    process, first_line = _start(tmp_path, "build")
    pid, sid = first_line.split()[:2]
    process.kill()
    process.wait()
    assert pid == sid == str(process.pid)
    assert int(sid) != os.getsid(0)
