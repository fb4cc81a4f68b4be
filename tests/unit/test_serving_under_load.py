"""Serving under load (docs/operations.md): the web server's size, the publication-tied
result cache and the load benchmark's arithmetic."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

from orchestration import superset_launcher
from orchestration.paths import PROJECT_ROOT, SUPERSET_DIR
from orchestration.superset_launcher import ServerSize, SupersetError, server_size
from orchestration.warehouse.publish import prune_result_cache, publication_token


def _bench_serving():
    path = PROJECT_ROOT / "bench" / "serving.py"
    spec = importlib.util.spec_from_file_location("bench_serving", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("cores", "workers"), [(None, 2), (1, 2), (2, 2), (4, 4), (6, 6), (64, 8)])
def test_one_worker_per_core_at_least_two_at_most_eight(cores, workers):
    assert server_size(cores, {}) == ServerSize(workers=workers, threads=8, timeout_s=120)


def test_the_environment_overrides_each_setting():
    environ = {
        "CAPMON_SUPERSET_WORKERS": "3",
        "CAPMON_SUPERSET_THREADS": " 16 ",
        "CAPMON_SUPERSET_TIMEOUT": "",
    }
    assert server_size(2, environ) == ServerSize(workers=3, threads=16, timeout_s=120)


@pytest.mark.parametrize("value", ["0", "-2", "veel", "2.5"])
def test_a_bad_override_is_refused_with_its_name(value):
    with pytest.raises(SupersetError, match="CAPMON_SUPERSET_WORKERS"):
        server_size(2, {"CAPMON_SUPERSET_WORKERS": value})


def test_gunicorn_gets_the_size_and_listens_only_on_localhost(tmp_path):
    command = superset_launcher.gunicorn_command(tmp_path / "gunicorn", 8123, ServerSize(3, 5, 60))
    assert "--bind=127.0.0.1:8123" in command
    assert {"--workers=3", "--threads=5", "--timeout=60", "--worker-class=gthread"} <= set(command)


def test_prune_keeps_only_the_current_publications_results(tmp_path):
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(b"eerste")
    cache = tmp_path / "cache"
    old = cache / publication_token(serving)
    old.mkdir(parents=True)
    (old / "resultaat").write_bytes(b"oud")
    (cache / "los_bestand").write_bytes(b"x")

    staging = tmp_path / ".serving.duckdb.nieuw"
    staging.write_bytes(b"tweede publicatie")
    os.replace(staging, serving)  # as publish_marts swaps it in
    new = cache / publication_token(serving)
    assert new != old
    new.mkdir()
    (new / "resultaat").write_bytes(b"nieuw")

    assert prune_result_cache(cache, serving) == 2
    assert sorted(p.name for p in cache.iterdir()) == [new.name]
    assert (new / "resultaat").read_bytes() == b"nieuw"


def test_no_serving_db_is_a_publication_of_its_own(tmp_path):
    assert publication_token(tmp_path / "ontbreekt.duckdb") == "geen"


# The cache backend runs in Superset's environment (flask-caching); it is exercised there, on
# real files, by a script that prints what it saw.
_CACHE_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from capmon_cache import PublicatieCache, publication_token
    root, serving = Path(sys.argv[2]), Path(sys.argv[3])

    def swap(content):
        staging = serving.with_name(".nieuw")
        staging.write_bytes(content)
        os.replace(staging, serving)

    seen = {"token": publication_token(serving)}
    worker_a = PublicatieCache(str(root), str(serving), default_timeout=600)
    worker_b = PublicatieCache(str(root), str(serving), default_timeout=600)
    seen["first_lookup"] = worker_a.get("k")
    worker_a.set("k", "uit publicatie 1")
    seen["other_worker"] = worker_b.get("k")
    swap(b"publicatie 2")
    seen["after_swap"] = worker_a.get("k")
    worker_a.set("k", "uit publicatie 2")
    seen["after_store"] = worker_b.get("k")
    # A query looked up before a swap and stored after it: never stored.
    worker_a.get("q")
    swap(b"publicatie 3, langer")
    seen["late_store"] = worker_a.set("q", "uit publicatie 2, te laat")
    seen["late_lookup"] = worker_b.get("q")
    # A forced query (stored without a lookup) is not stored either.
    seen["forced_store"] = worker_a.set("f", "geforceerd")
    # Emptied from outside (bench/dashboards.py's cold runs): caching goes on.
    import shutil
    shutil.rmtree(root)
    worker_a.get("k2")
    seen["store_after_emptying"] = worker_a.set("k2", "weer")
    seen["lookup_after_emptying"] = worker_b.get("k2")
    print(json.dumps(seen))
    """
)


def test_results_are_shared_by_workers_and_never_outlive_their_publication(tmp_path):
    python = superset_launcher.superset_bin("python")
    if not python.exists():
        pytest.fail("The Superset environment is missing; run `make setup`.")
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(b"publicatie 1")
    script = tmp_path / "probe.py"
    script.write_text(_CACHE_SCRIPT)
    output = subprocess.run(
        [str(python), str(script), str(SUPERSET_DIR), str(tmp_path / "cache"), str(serving)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seen = json.loads(output.strip().splitlines()[-1])
    assert seen["token"] != "geen"
    assert seen["first_lookup"] is None
    assert seen["other_worker"] == "uit publicatie 1"
    assert seen["after_swap"] is None
    assert seen["after_store"] == "uit publicatie 2"
    assert seen["late_store"] is False and seen["late_lookup"] is None
    assert seen["forced_store"] is False
    assert seen["store_after_emptying"] is True
    assert seen["lookup_after_emptying"] == "weer"


def test_both_environments_name_a_publication_alike(tmp_path):
    """Else the publish step would prune the folder Superset is reading."""
    python = superset_launcher.superset_bin("python")
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(b"publicatie")
    code = (
        f"import sys; sys.path.insert(0, {str(SUPERSET_DIR)!r}); "
        f"from capmon_cache import publication_token; print(publication_token({str(serving)!r}))"
    )
    output = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == publication_token(serving) != "geen"


def test_percentile_is_nearest_rank():
    percentile = _bench_serving().percentile
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.5) == 50.0
    assert percentile([3.0, 1.0, 2.0], 1.0) == 3.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) != percentile([], 0.5)  # NaN


def test_think_time_is_a_range_of_seconds():
    bench = _bench_serving()
    assert bench.parse_think("5-15") == (5.0, 15.0)
    assert bench.parse_think("2") == (2.0, 2.0)
    with pytest.raises(Exception, match="think time"):
        bench.parse_think("9-3")
