"""Reading the sources and `capmon check`, next to their floor, in one run.

    .venv/bin/python bench/lezen.py --scale 1            # generates the sample first
    .venv/bin/python bench/lezen.py --bron /tmp/bench_src # or: capmon generate --out ...

For each source it times the load path (``read_source_files`` with the source's reader:
every check, typed rows) against the floor, the raw library read alone: python-calamine on
every sheet of every workbook, DuckDB ``read_csv`` / ``read_json`` of the files into pandas.
For the zorggroep workbooks it also times openpyxl's read-only reading, what the reader
used before. Then `capmon check` on the workbook closest to 16 KB, in this process after its
imports, median of ``--herhaal`` runs. Figures depend on the machine's load: the load
average is printed with them (issue 12; docs/inname.md).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def timed(work, repeat: int = 1) -> float:
    """Median wall time of ``repeat`` runs of ``work()``."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def floor_calamine(paths: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    for path in paths:
        with CalamineWorkbook.from_path(str(path)) as book:
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def openpyxl_read(paths: list[Path]) -> None:
    from openpyxl import load_workbook

    for path in paths:
        book = load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        book.close()


def floor_duckdb(query: str, paths: list[Path]) -> None:
    import duckdb

    with duckdb.connect() as conn:
        conn.execute(query, [[str(p) for p in paths]]).df()


CSV_FLOOR = "SELECT * FROM read_csv(?, delim=';', header=true, all_varchar=true)"
JSON_FLOOR = "SELECT * FROM read_json(?, format='newline_delimited')"


def load(paths: list[Path], reader, label: str):
    from orchestration.warehouse.source_files import read_source_files

    def run():
        with contextlib.redirect_stderr(io.StringIO()):  # the progress bar
            return read_source_files(paths, "*", reader, label)

    return run


def check_time(workbook: Path, repeat: int) -> float:
    from orchestration.cli import main

    report = Path(tempfile.mkdtemp(prefix="capmon-bench-check-")) / "rapport.html"
    argv = ["check", str(workbook), "--rapport", str(report)]

    def run() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            main(argv)

    try:
        run()  # imports and first-use caches are not part of the figure
        return timed(run, repeat)
    finally:
        shutil.rmtree(report.parent, ignore_errors=True)


def check_16kb(root: Path, repeat: int) -> dict:
    """`capmon check` on the zorggroep workbook of ``root`` closest to 16 KB (median of
    ``repeat`` runs, after imports) and its floor: calamine reading every sheet of it."""
    workbooks = sorted((root / "zorggroep").glob("*.xlsx"))
    target = min(workbooks, key=lambda p: abs(p.stat().st_size - 16_000))
    return {
        "workbook": target.name,
        "bytes": target.stat().st_size,
        "seconds": check_time(target, repeat),
        "floor_s": timed(lambda: floor_calamine([target]), repeat),
    }


def measure(root: Path, n: int):
    from orchestration.bronnen.nivel.read import read_nivel_csv
    from orchestration.bronnen.stagebureau.read import read_stagebureau_jsonl
    from orchestration.bronnen.zorggroep.read import read_zorggroep_workbook

    workbooks = sorted((root / "zorggroep").glob("*.xlsx"))
    csvs = sorted((root / "nivel").glob("*.csv"))
    jsonls = sorted((root / "stagebureau").glob("*.jsonl"))
    slow = max(1, n // 3)  # the whole-corpus figures take seconds each

    rows = [
        (
            f"{len(workbooks)} zorggroep-werkmappen",
            timed(load(workbooks, read_zorggroep_workbook, "Zorggroep"), slow),
            timed(lambda: floor_calamine(workbooks), slow),
        ),
        (
            f"{len(csvs)} Nivel-CSV's",
            timed(load(csvs, read_nivel_csv, "Nivel"), n),
            timed(lambda: floor_duckdb(CSV_FLOOR, csvs), n),
        ),
        (
            f"{len(jsonls)} stagebureau-JSONL",
            timed(load(jsonls, read_stagebureau_jsonl, "Stagebureau"), n),
            timed(lambda: floor_duckdb(JSON_FLOOR, jsonls), n),
        ),
    ]
    before = timed(lambda: openpyxl_read(workbooks), 1)
    check = check_16kb(root, n)
    return rows, before, (check["workbook"], check["bytes"]), check["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--bron", help="map met zorggroep/, nivel/, stagebureau/ (anders gegenereerd)"
    )
    parser.add_argument("--herhaal", type=int, default=5, help="metingen per cijfer (mediaan)")
    args = parser.parse_args()

    if args.bron:
        root = Path(args.bron)
    else:
        from orchestration.bronnen.voorbeeld import generate

        root = Path(tempfile.mkdtemp(prefix="capmon-bench-lezen-"))
        with contextlib.redirect_stdout(io.StringIO()):
            generate(root, scale=args.scale, seed=2025, progress=False)
    try:
        rows, before, target, check = measure(root, args.herhaal)
    finally:
        if not args.bron:
            shutil.rmtree(root, ignore_errors=True)

    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"bronnen: {root}  (kernen: {os.cpu_count()}, belasting 1/5/15 min: {load_average})")
    print(f"{'stap':<28} {'nu (s)':>9} {'vloer (s)':>10} {'verhouding':>11}")
    for step, now, floor in rows:
        print(f"{step:<28} {now:>9.3f} {floor:>10.3f} {now / floor:>10.1f}x")
    print(f"{'  openpyxl alleen lezen':<28} {before:>9.3f} {'':>10} {before / rows[0][2]:>10.1f}x")
    print(
        f"capmon check {target[0]} ({target[1] / 1000:.0f} KB, na imports, "
        f"mediaan van {args.herhaal}): {check:.3f} s (doel ≤ 1 s)"
    )


if __name__ == "__main__":
    main()
