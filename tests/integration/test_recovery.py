"""A refresh that is killed recovers by itself: real `capmon run` processes, real kills.

One data folder (a small generated data set) is built once and then abused in order:
a second run next to a running one, kills at several points of a run (kill -9 early, during
dbt and during publish, SIGTERM during dbt), each followed by a run that must succeed with
no manual step, once started by hand (`capmon run`) and once the way the Dagster daemon
starts it (queued in the instance, launched by `dagster-daemon`). Through all of it the
serving DB must stay the last good publication.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration import code_server
from orchestration.lock import holder, is_locked
from orchestration.paths import PROJECT_ROOT, DataPaths
from orchestration.priority import DEFAULT_NICE, current_nice
from orchestration.runs import NICE_TAG, PID_TAG

pytestmark = pytest.mark.integration

RUN_TIMEOUT = 25 * 60
# Small: the module runs about four full refreshes and a few partial ones.
SCALE = os.environ.get("CAPMON_RECOVERY_SCALE", "0.25")
BIN = Path(sys.executable).parent


def _env(root: Path) -> dict[str, str]:
    env = {**os.environ, "CAPMON_DATA_DIR": str(root), "DAGSTER_HOME": str(root / "dagster_home")}
    env.pop("CAPMON_DBT_PARENT", None)
    return env


class Capmon:
    """`capmon <args>` as a child process whose output lines are collected as they come."""

    def __init__(self, root: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", *args],
            env=_env(root),
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._new: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            self._new.put(line)
        self._new.put(None)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, start: str, timeout: float = RUN_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._new.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"capmon ended before {start!r}:\n{self.output}")
            if line.startswith(start):
                return
        pytest.fail(f"no line {start!r} within {timeout} s:\n{self.output}")

    def finish(self, timeout: float = RUN_TIMEOUT) -> int:
        code = self.process.wait(timeout=timeout)
        deadline = time.monotonic() + 10
        while self._new.get() is not None and time.monotonic() < deadline:
            pass
        return code


def capmon(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *args],
        env=_env(root),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append((int(stat.parent.name), cmdline))
    return found


def _parent_command(pid: int) -> str:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return Path(f"/proc/{fields[1]}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_until(condition, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"{what}: not within {timeout} s")


def _publication(paths: DataPaths) -> tuple[str, dict[str, int]]:
    """The serving DB's run id and its row counts; opening it proves it is whole."""
    conn = duckdb.connect(str(paths.serving_db), read_only=True)
    try:
        run_id, names = conn.execute("SELECT run_id, tabellen FROM meta.publicatie").fetchone()
        counts = {
            name: conn.execute(f"SELECT count(*) FROM marts.{name}").fetchone()[0]
            for name in names.split(",")
        }
    finally:
        conn.close()
    return run_id, counts


@contextmanager
def _instance(paths: DataPaths) -> Iterator[DagsterInstance]:
    """The instance, opened as capmon opens it: whatever it creates is private (umask)."""
    previous = os.umask(0o077)
    try:
        with DagsterInstance.from_config(str(paths.dagster_home)) as instance:
            yield instance
    finally:
        os.umask(previous)


def _runs_of_pid(paths: DataPaths, pid: int):
    with _instance(paths) as instance:
        return [run for run in instance.get_runs() if run.tags.get(PID_TAG) == str(pid)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> DataPaths:
    # A folder built before (by this module) may be given to re-run single tests quickly.
    if os.environ.get("CAPMON_RECOVERY_DIR"):
        paths = DataPaths(Path(os.environ["CAPMON_RECOVERY_DIR"]))
        assert paths.serving_db.exists()
        return paths
    root = tmp_path_factory.mktemp("herstel")
    made = capmon(root, "generate", "--scale", SCALE, "--seed", "7", "--zonder-afgekeurd")
    assert made.returncode == 0, made.stdout + made.stderr
    built = capmon(root, "run")
    assert built.returncode == 0, built.stdout + built.stderr
    return DataPaths(root)


def _as_capmon_serve(*command) -> list[str]:
    return ["sh", "-c", 'umask 077 && exec "$@"', "sh", *map(str, command)]


def _kill_during_dbt(paths: DataPaths, how: signal.Signals) -> tuple[Capmon, int]:
    """Start a run, wait until `dbt build` is busy, send ``how`` to capmon; return dbt's pid."""
    run = Capmon(paths.root, "run")
    run.wait_for_line("▶ capmon_dbt_models")
    dbt = _wait_until(
        lambda: [pid for pid, cmd in _children(run.process.pid) if " build" in cmd],
        300,
        "dbt build started",
    )[0]
    time.sleep(5)  # well inside the build: models written, the build DB locked by dbt
    assert _alive(dbt)
    run.process.send_signal(how)
    return run, dbt


def test_second_run_is_refused_in_dutch_and_a_kill_early_leaves_nothing_behind(folder):
    before = _publication(folder)
    first = Capmon(folder.root, "run")
    first.wait_for_line("▶ ")
    assert is_locked(folder.root) and holder(folder.root)["pid"] == first.process.pid

    second = capmon(folder.root, "run")
    assert second.returncode == 3, second.stdout + second.stderr
    assert (
        f"Er loopt al een verversing (pid {first.process.pid}, capmon run, gestart "
        in second.stdout
    )
    assert "wacht tot die klaar is" in second.stdout
    ingest = capmon(folder.root, "ingest", str(next(folder.sources.glob("nivel/*.csv"))))
    assert ingest.returncode == 3 and "Er loopt al een verversing" in ingest.stdout

    first.process.kill()
    assert first.finish() == -signal.SIGKILL
    assert not is_locked(folder.root)  # the kernel dropped the lock with the process
    runs = _runs_of_pid(folder, first.process.pid)
    assert [run.status for run in runs] == [DagsterRunStatus.STARTED]  # until someone looks
    assert _publication(folder) == before


def test_kill_9_during_dbt_takes_dbt_down_and_the_next_capmon_run_succeeds(folder):
    before = _publication(folder)
    run, dbt = _kill_during_dbt(folder, signal.SIGKILL)
    assert run.finish() == -signal.SIGKILL
    _wait_until(lambda: not _alive(dbt), 10, "dbt ended with its parent")
    # The build DB's lock went with dbt: it opens read-write at once.
    duckdb.connect(str(folder.build_db)).close()
    assert _publication(folder) == before

    again = capmon(folder.root, "run")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "als mislukt gemarkeerd" in again.stdout
    run_id, counts = _publication(folder)
    assert run_id != before[0] and counts == before[1]
    for pid in (run.process.pid,):
        [dead] = _runs_of_pid(folder, pid)
        assert dead.status == DagsterRunStatus.FAILURE
    with _instance(folder) as instance:
        stuck = instance.get_runs(
            filters=RunsFilter(statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING])
        )
        assert stuck == []
        [event] = [
            e
            for e in instance.all_logs(dead.run_id)
            if e.dagster_event and e.dagster_event.event_type_value == "PIPELINE_FAILURE"
        ]
        assert "bestaat niet meer" in event.dagster_event.message


def test_sigterm_during_dbt_stops_dbt_and_ends_the_run(folder):
    before = _publication(folder)
    run, dbt = _kill_during_dbt(folder, signal.SIGTERM)
    code = run.finish(timeout=120)
    assert code == 130, run.output
    assert "Afgebroken" in run.output
    assert not _alive(dbt)
    [ended] = _runs_of_pid(folder, run.process.pid)
    assert ended.status in {DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
    assert _publication(folder) == before
    assert not is_locked(folder.root)


def test_kill_9_during_publish_keeps_the_last_publication_and_the_daemon_run_succeeds(folder):
    before = _publication(folder)
    run = Capmon(folder.root, "run")
    run.wait_for_line("▶ serving/marts")
    staging = folder.serving_db.with_name(f".{folder.serving_db.name}.nieuw")
    _wait_until(staging.exists, 60, "publication under way", interval=0.005)
    run.process.kill()
    assert run.finish() == -signal.SIGKILL
    assert _publication(folder) == before

    # Queued as the schedule, a sensor or the UI queue it; launched by the daemon. Both with
    # the umask `capmon serve` gives the services it starts.
    launched = subprocess.run(
        _as_capmon_serve(BIN / "dagster", "job", "launch", "-m", "orchestration.definitions")
        + ["-j", "volledige_verversing"],
        env=_env(folder.root),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert launched.returncode == 0, launched.stdout + launched.stderr
    with _instance(folder) as instance:
        [queued] = instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.QUEUED]))
        assert instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED]))
    # The code server and the daemon as `capmon serve` starts them: the run is forked from
    # the code server's warm process (orchestration/code_server.py).
    quiet = dict(env=_env(folder.root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server, location = code_server.serve(
        folder.dagster_home, **quiet, umask=0o077, start_new_session=True
    )
    daemon = subprocess.Popen(
        _as_capmon_serve(BIN / "dagster-daemon", "run", *location),
        **quiet,
        cwd=PROJECT_ROOT,
        start_new_session=True,
    )
    try:

        def worker():
            with _instance(folder) as instance:
                return instance.get_run_by_id(queued.run_id).tags.get(PID_TAG)

        # Forked from the code server's process that imported the definitions before any
        # run, not a fresh interpreter importing them again (orchestration/code_server.py).
        pid = int(_wait_until(worker, RUN_TIMEOUT, "the run worker's pid", 0.2))
        assert "multiprocessing.forkserver" in _parent_command(pid)

        def finished():
            with _instance(folder) as instance:
                status = instance.get_run_by_id(queued.run_id).status
            return (
                status if status in {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE} else None
            )

        assert _wait_until(finished, RUN_TIMEOUT, "queued run done", 5) == DagsterRunStatus.SUCCESS
    finally:
        for service in (daemon, server):
            os.killpg(service.pid, signal.SIGINT)
            try:
                service.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(service.pid, signal.SIGKILL)
    [dead] = _runs_of_pid(folder, run.process.pid)
    assert dead.status == DagsterRunStatus.FAILURE
    run_id, counts = _publication(folder)
    assert run_id == queued.run_id and counts == before[1]
    assert not staging.exists()
    # The daemon's run gave viewers the CPU first; a run started by hand keeps its priority
    # (orchestration/priority.py).
    with _instance(folder) as instance:
        daemon_run = instance.get_run_by_id(queued.run_id)
    assert daemon_run.tags[NICE_TAG] == str(max(DEFAULT_NICE, current_nice()))
    assert dead.tags[NICE_TAG] == str(current_nice())


def test_a_failed_run_prints_its_root_cause(folder):
    before = _publication(folder)
    blocker = duckdb.connect(str(folder.build_db))  # as an orphaned dbt used to hold it
    try:
        failed = capmon(folder.root, "run")
    finally:
        blocker.close()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "MISLUKT" in failed.stdout
    assert "Oorzaak:" in failed.stdout
    assert "Could not set lock" in failed.stdout
    assert f"PID {os.getpid()}" in failed.stdout
    assert _publication(folder) == before


def test_the_data_folder_is_private(folder):
    for path in [folder.root, *folder.root.rglob("*")]:
        if path.is_symlink():
            continue
        assert path.stat().st_mode & 0o077 == 0, f"{path}: {oct(path.stat().st_mode)}"


def test_an_existing_data_folder_is_made_private(tmp_path):
    root = tmp_path / "data"
    (root / "warehouse").mkdir(parents=True)
    (root / "warehouse" / "serving.duckdb").write_text("x")
    for path, mode in ((root, 0o755), (root / "warehouse", 0o755)):
        path.chmod(mode)
    (root / "warehouse" / "serving.duckdb").chmod(0o644)
    done = capmon(root, "check", str(tmp_path / "bestaat-niet.xlsx"))
    assert done.returncode == 2  # the command itself did nothing
    assert root.stat().st_mode & 0o777 == 0o700
    assert (root / "warehouse").stat().st_mode & 0o777 == 0o700
    assert (root / "warehouse" / "serving.duckdb").stat().st_mode & 0o777 == 0o600
