"""``capmon``: the command line of the Capaciteitsmonitor huisartsenzorg."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.paths import PROJECT_ROOT, data_paths

DAGSTER_PORT = 3000
SUPERSET_PORT = 8088
PORTAAL_PORT = 8090
RUN_LOG = "laatste_run.log"
PRIVATE_UMASK = 0o077


def _sources_present(sources: Path, names: tuple[str, ...]) -> bool:
    return any(any((sources / name).glob("*")) for name in names if (sources / name).exists())


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration import bronnen
    from orchestration.bronnen.voorbeeld import generate

    out = Path(args.out) if args.out else data_paths().sources
    if args.if_empty and _sources_present(out, bronnen.names()):
        print(f"Bronbestanden staan al in {out}; niets gegenereerd.")
        return 0
    for name in bronnen.names():
        shutil.rmtree(out / name, ignore_errors=True)
    # Flawed sample submissions go to the inbox of the data folder, unless the sources are
    # written elsewhere (--out) or they are not wanted.
    inbox = None if args.out or getattr(args, "zonder_afgekeurd", False) else data_paths().inbox
    # Above scale 1 the world brings its population into the data folder
    # (orchestration/referentie/geschaald.py); sources written elsewhere leave it alone.
    referentie = None if args.out else data_paths().referentie
    if args.out and args.scale > 1:
        print(
            f"Let op: met --out wordt geen bevolking x {args.scale:g} geschreven; een run op "
            "deze bronnen meet ze tegen de echte CBS-bevolking."
        )
    started = time.monotonic()
    summary = generate(
        out,
        scale=args.scale,
        seed=args.seed,
        progress=True,
        inbox_dir=inbox,
        referentie_dir=referentie,
    )
    print(
        f"Voorbeeldbronnen (schaal {args.scale:g}, seed {args.seed}) geschreven naar {out} "
        f"in {time.monotonic() - started:.1f} s"
    )
    print(summary)
    return 0


LOCK_BUSY_EXIT = 3
INTERRUPTED_EXIT = 130


def _interrupt_on_termination() -> None:
    """SIGTERM and SIGHUP stop a run as Ctrl-C does.

    Dagster then interrupts the running step (dagster-dbt stops dbt) and records the run as
    ended; a plain SIGTERM would kill the process mid-step and leave its run STARTED.
    """

    def interrupt(signum: int, frame: object) -> None:
        signal.raise_signal(signal.SIGINT)

    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, interrupt)


def _fail_dead_runs(instance) -> None:
    from orchestration.runs import fail_runs_of_dead_processes

    marked = fail_runs_of_dead_processes(instance)
    if marked:
        print(
            f"{len(marked)} run(s) van een afgebroken proces als mislukt gemarkeerd: "
            f"{', '.join(run_id[:8] for run_id in marked)}",
            flush=True,
        )


def _interrupted(result) -> bool:
    """Whether Dagster ended the run on Ctrl-C/SIGTERM (it records that as a run failure)."""
    from dagster import DagsterEventType
    from dagster._core.events import RunFailureReason

    return any(
        event.event_type == DagsterEventType.RUN_FAILURE
        and getattr(event.event_specific_data, "failure_reason", None)
        == RunFailureReason.UNEXPECTED_TERMINATION
        for event in result.all_events
    )


def cmd_run(args: argparse.Namespace) -> int:
    from orchestration.lock import DataFolderBusy, data_folder_lock

    paths = data_paths()
    try:
        with data_folder_lock(paths.root, "capmon run"):
            return _run_locked(paths)
    except DataFolderBusy as busy:
        print(busy)
        return LOCK_BUSY_EXIT


def _run_locked(paths) -> int:
    from orchestration.pipeline import persistent_instance, run_full_refresh
    from orchestration.runs import process_tags

    started = time.monotonic()
    print(f"Volledige verversing van {paths.root} ...", flush=True)
    instance = persistent_instance()
    _fail_dead_runs(instance)
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    run_log = paths.warehouse / RUN_LOG
    _interrupt_on_termination()
    # dbt prints a line per model and test; they go to the log, the steps to the terminal.
    try:
        with run_log.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
            result = run_full_refresh(instance=instance, tags=process_tags())
    except KeyboardInterrupt:
        result = None
    if result is None or _interrupted(result):
        print("\nAfgebroken; de dashboards tonen nog de vorige publicatie.")
        return INTERRUPTED_EXIT
    took = time.monotonic() - started
    checks = result.get_asset_check_evaluations()
    failed_checks = [c for c in checks if not c.passed]
    built = len(result.get_asset_materialization_events())
    print(
        f"\n{built} assets gebouwd, {len(checks)} controles ({len(failed_checks)} niet "
        f"geslaagd) in {took:.1f} s."
    )
    published = any(
        e.asset_key.to_user_string() == "serving/marts"
        for e in result.get_asset_materialization_events()
    )
    if result.success and not failed_checks:
        if published:
            print(f"Gepubliceerd: {paths.serving_db}")
        else:
            print("Niets nieuws om te publiceren; de dashboards tonen de vorige publicatie.")
        return 0
    print("De run is niet geslaagd; de dashboards tonen nog de vorige publicatie.")
    print(f"Volledige uitvoer van dbt: {run_log}")
    return 1


def cmd_provision(args: argparse.Namespace) -> int:
    from orchestration import superset_launcher

    paths = data_paths()
    superset_launcher.provision(paths.serving_db, paths.superset_home)
    return 0


def _start_dagster(port: int) -> list[subprocess.Popen]:
    """The Dagster UI and the daemon that runs the schedule and the sensors, on one instance
    and one code server (orchestration/code_server.py: runs start from a warm process).

    Like Superset, they run in their own session: Ctrl-C reaches only `capmon`, which then
    stops every service itself (see cmd_serve) and can tell a stop from a crash.
    """
    from orchestration import code_server
    from orchestration.dagster_ui import webserver_command
    from orchestration.pipeline import persistent_instance

    # Runs left STARTED by a killed process would block the daemon's queue from the start.
    instance = persistent_instance()
    _fail_dead_runs(instance)
    server, location = code_server.serve(Path(instance.root_directory), start_new_session=True)
    bin_dir = Path(sys.executable).parent
    return [
        server,
        subprocess.Popen(
            webserver_command(port, location),
            cwd=PROJECT_ROOT,
            start_new_session=True,
        ),
        subprocess.Popen(
            [str(bin_dir / "dagster-daemon"), "run", *location],
            cwd=PROJECT_ROOT,
            start_new_session=True,
        ),
    ]


def _start_portaal(port: int) -> subprocess.Popen:
    """The Aanleverportaal (docs/aanleverportaal.md) in its own session, like the others."""
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.portaal.server", "--port", str(port)],
        cwd=PROJECT_ROOT,
        start_new_session=True,
    )


def _portaal_lines(port: int) -> list[str]:
    from orchestration.portaal.accounts import PASSWORD_ENV_PREFIX, SECRETS_FILE

    secrets_file = data_paths().root / "portaal" / SECRETS_FILE
    # Never a password: terminal output ends up in logs and screenshots.
    return [
        f" Aanleverportaal:        http://127.0.0.1:{port}/",
        "   inloggen met de organisatiecode (bijv. ZG001); de wachtwoorden staan in "
        f"{secrets_file} (of {PASSWORD_ENV_PREFIX}<CODE>)",
    ]


def cmd_portaal(args: argparse.Namespace) -> int:
    """Only the Aanleverportaal, in the foreground."""
    from orchestration.portaal.server import serve

    for line in _portaal_lines(args.port):
        print(line, flush=True)
    try:
        serve(data_paths(), host=args.host, port=args.port)
    except KeyboardInterrupt:
        print("\nStoppen ...")
    return 0


def _stop_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_serve(args: argparse.Namespace) -> int:
    from orchestration import superset_launcher, superset_warmup

    paths = data_paths()
    if not paths.serving_db.exists():
        print(f"Er is nog geen serving-database ({paths.serving_db}); draai eerst `capmon run`.")
        return 1
    # The services run in sessions of their own; a closed terminal or `kill` must stop them
    # as Ctrl-C does, not leave them running without us. SIGINT too: started in the
    # background of a script (`make up &`), it is ignored from the start, and Python then
    # never turns it into KeyboardInterrupt.
    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _stop_as_interrupt)
    processes = [
        superset_warmup.serve(paths.superset_home, port=args.superset_port),
        _start_portaal(args.portaal_port),
    ]
    try:
        # While Superset starts: the UI and the daemon wait for the code server's definitions.
        processes += _start_dagster(args.dagster_port)
        superset_launcher.wait_until_healthy(f"http://127.0.0.1:{args.superset_port}/health", 180)
        superset_launcher.ensure_secrets(paths.superset_home)
        print("\n" + "=" * 64)
        print(f" Superset (dashboards):  http://127.0.0.1:{args.superset_port}/")
        # Never the password itself: terminal output ends up in logs and screenshots.
        print(
            "   inloggen als admin; het wachtwoord staat in "
            f"{paths.superset_home / 'secrets.json'} (of CAPMON_ADMIN_PASSWORD)"
        )
        for line in superset_launcher.access_summary(paths.superset_home):
            print(f"   {line}")
        print(f" Dagster (pijplijnen):   http://127.0.0.1:{args.dagster_port}/ (alleen lezen)")
        for line in _portaal_lines(args.portaal_port):
            print(line)
        print(" Stoppen: Ctrl-C")
        print("=" * 64 + "\n", flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        print(
            "Een van de diensten is gestopt; de andere worden ook gestopt. Logboek van "
            f"Superset: {paths.superset_home / superset_launcher.LOG_FILE}"
        )
        return 1
    except RuntimeError as error:  # the code server stopped; its output is above
        print(error)
        return 1
    except TimeoutError as error:
        print(f"{error}\nLogboek: {paths.superset_home / superset_launcher.LOG_FILE}")
        return 1
    except KeyboardInterrupt:
        print("\nStoppen ...")
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def cmd_up(args: argparse.Namespace) -> int:
    steps = [
        (
            "Voorbeeldbronnen",
            lambda: cmd_generate(argparse.Namespace(out=None, scale=1.0, seed=2025, if_empty=True)),
        ),
        ("Pijplijn", lambda: cmd_run(args)),
        ("Superset inrichten", lambda: cmd_provision(args)),
    ]
    for label, step in steps:
        started = time.monotonic()
        print(f"\n=== {label} ===", flush=True)
        code = step()
        print(f"=== {label}: {time.monotonic() - started:.1f} s ===", flush=True)
        if code:
            return code
    return cmd_serve(args)


def cmd_template(args: argparse.Namespace) -> int:
    from orchestration.bronnen.zorggroep.dictionary import markdown
    from orchestration.bronnen.zorggroep.template import write_template

    if args.docs:
        target = PROJECT_ROOT / "docs" / "uitwisselstandaard.md"
        target.write_text(markdown(), encoding="utf-8")
        print(f"Gegevenswoordenboek geschreven: {target}")
        return 0
    path = write_template(Path(args.path))
    print(f"Leeg template geschreven: {path}")
    return 0


def _source_of(path: Path, given: str | None) -> str | None:
    from orchestration import bronnen

    if given:
        return given
    found = bronnen.recognise(path)
    return found.name if found else None


def _previous(source: str):
    """The previous period's patients from the data folder's archive and sample files, when
    there are any, so that `capmon check` gives the ``patienten_sprong`` warning too
    (orchestration/inname/previous.py; the build DB is the pipeline's, never opened here)."""
    from orchestration.inname.previous import previous_from_archive

    paths = data_paths()
    if not any(folder.is_dir() for folder in (paths.archive / source, paths.sources / source)):
        return None
    return previous_from_archive(paths)


def cmd_check(args: argparse.Namespace) -> int:
    """Check a file with the intake's own rules, without touching any warehouse."""
    from orchestration import bronnen
    from orchestration.bronnen.bron import wrong_type_hint
    from orchestration.inname.report import lines, summary, write_html, write_json

    path = Path(args.file)
    if not path.is_file():
        print(f"Bestand niet gevonden: {path}")
        return 2
    source = _source_of(path, args.bron)
    if source is None:
        hint = wrong_type_hint(path)
        if hint:
            print(f"{path.name}: {hint}.")
        else:
            print(f"Onbekende bron voor {path.name}: geef --bron {{{','.join(bronnen.names())}}}.")
        return 2
    # The pandas rule engine, as at intake: the same problems as the GX suites (the parity
    # test in tests/unit/test_intake_corpus.py), without starting GX: well under a second.
    # In a synthetic world's data folder, its scaled maximums, as its intake applies them.
    bron = bronnen.by_name(source).in_folder(data_paths())
    checked = bron.check(path, previous=_previous(source), engine="pandas")
    for line in lines(checked.problems):
        print(f"- {line}")
    report = Path(args.rapport) if args.rapport else path.with_name(path.name + ".rapport.html")
    write_html(report, path.name, checked.problems)
    write_json(report.with_suffix(".json"), path.name, checked.problems, {"bron": source})
    print(summary(path.name, checked.problems))
    print(f"Rapport: {report}")
    return 1 if checked.errors else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Put files in the inbox and run what the sensor would run, here and now."""
    from orchestration.lock import DataFolderBusy, data_folder_lock

    try:
        with data_folder_lock(data_paths().root, "capmon ingest"):
            return _ingest_locked(args)
    except DataFolderBusy as busy:
        print(busy)
        return LOCK_BUSY_EXIT


def _ingest_locked(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.defs.inname.assets import INTAKE_TAG
    from orchestration.defs.jobs import FULL_REFRESH_JOB
    from orchestration.pipeline import QUIET_CONSOLE, persistent_instance
    from orchestration.runs import process_tags

    paths = data_paths()
    placed = []
    for name in args.paths:
        path = Path(name)
        source = _source_of(path, args.bron)
        if not path.is_file() or source is None:
            print(f"Overgeslagen: {path} (geen bestand, of onbekende bron; gebruik --bron)")
            continue
        inbox = paths.inbox / source
        inbox.mkdir(parents=True, exist_ok=True)
        target = inbox / path.name
        (shutil.move if args.verplaats else shutil.copy2)(path, target)
        placed.append(target.name)
    if not placed:
        return 2
    from orchestration.definitions import build_defs

    started = time.monotonic()
    job = build_defs(paths.root).resolve_job_def(FULL_REFRESH_JOB)
    instance = persistent_instance()
    _fail_dead_runs(instance)
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    with (
        (paths.warehouse / RUN_LOG).open("w", encoding="utf-8") as log,
        contextlib.redirect_stdout(log),
    ):
        result = job.execute_in_process(
            run_config=QUIET_CONSOLE,
            instance=instance,
            tags={INTAKE_TAG: "capmon ingest", **process_tags()},
            raise_on_error=False,
        )
    conn = duckdb.connect(str(paths.build_db), read_only=True)
    try:
        rows = conn.execute(
            "SELECT id, bron, bestandsnaam, status, aantal_fouten, aantal_waarschuwingen, "
            "rapport_pad FROM meta.aanleveringen ORDER BY id DESC LIMIT ?",
            [len(placed)],
        ).fetchall()
    finally:
        conn.close()
    for row in reversed(rows):
        print(f"#{row[0]} {row[1]} {row[2]}: {row[3]} ({row[4]} fouten, {row[5]} waarschuwingen)")
        if row[6]:
            print(f"    rapport: {row[6]}")
    published = any(
        e.asset_key.path == ["serving", "marts"] for e in result.get_asset_materialization_events()
    )
    print(
        f"{'Gepubliceerd' if published else 'Niet opnieuw gepubliceerd'} "
        f"({time.monotonic() - started:.1f} s)."
    )
    failed = not result.success or any(not c.passed for c in result.get_asset_check_evaluations())
    rejected = any(row[3] == "afgekeurd" for row in rows)
    return 1 if failed or rejected else 0


def cmd_catalogus(args: argparse.Namespace) -> int:
    from orchestration.catalogue import ANALYSE, write

    serving_db = data_paths().serving_db
    if serving_db.exists():
        print(f"Spanningsindex-analyse uit {serving_db} naar {ANALYSE}")
    else:
        print(f"Geen serving-DB ({serving_db}): de bewaarde {ANALYSE.name} blijft staan")
    print(f"Metriekcatalogus geschreven: {write(serving_db=serving_db)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from orchestration import bronnen

    sources = bronnen.names()
    parser = argparse.ArgumentParser(
        prog="capmon", description="Capaciteitsmonitor huisartsenzorg: pijplijn en dashboards."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    generate = sub.add_parser("generate", help="schrijf synthetische voorbeeldbronnen")
    generate.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="volume-factor (standaard 1); boven 1 krijgt de wereld ook zoveel keer de "
        "CBS-bevolking, als synthetische benchmarkdata in data/referentie",
    )
    generate.add_argument("--seed", type=int, default=2025, help="startwaarde van het toeval")
    generate.add_argument("--out", help="map voor de bronnen (standaard data/sources)")
    generate.add_argument(
        "--if-empty", action="store_true", help="alleen als er nog geen bronbestanden zijn"
    )
    generate.add_argument(
        "--zonder-afgekeurd",
        action="store_true",
        help="geen voorbeeldaanleveringen met fouten in data/inbox/zorggroep zetten",
    )
    generate.set_defaults(func=cmd_generate)

    sub.add_parser("run", help="alle assets bouwen, controleren en publiceren").set_defaults(
        func=cmd_run
    )
    sub.add_parser(
        "provision", help="Superset inrichten (migreren, admin, dashboards, rollen en gebruikers)"
    ).set_defaults(func=cmd_provision)
    sub.add_parser(
        "catalogus", help="schrijf docs/metriekcatalogus.md uit de dbt-YAML van de marts"
    ).set_defaults(func=cmd_catalogus)
    for name, func, text in (
        ("serve", cmd_serve, "Superset, de Dagster-UI en het Aanleverportaal starten"),
        ("up", cmd_up, "alles: genereren, bouwen, inrichten, starten"),
    ):
        command = sub.add_parser(name, help=text)
        command.add_argument("--superset-port", type=int, default=SUPERSET_PORT)
        command.add_argument("--dagster-port", type=int, default=DAGSTER_PORT)
        command.add_argument("--portaal-port", type=int, default=PORTAAL_PORT)
        command.set_defaults(func=func)

    portaal = sub.add_parser("portaal", help="alleen het Aanleverportaal starten")
    portaal.add_argument("--host", default="127.0.0.1", help="standaard alleen deze machine")
    portaal.add_argument("--port", type=int, default=PORTAAL_PORT)
    portaal.set_defaults(func=cmd_portaal)

    template = sub.add_parser("template", help="leeg uitwisseltemplate (v1.0) schrijven")
    template.add_argument("path", nargs="?", default="aanlevering_template_v1.0.xlsx")
    template.add_argument(
        "--docs", action="store_true", help="docs/uitwisselstandaard.md opnieuw schrijven"
    )
    template.set_defaults(func=cmd_template)

    check = sub.add_parser("check", help="een bestand lokaal controleren met de inname-regels")
    check.add_argument("file")
    check.add_argument("--bron", choices=sources, help="standaard: afgeleid van extensie en inhoud")
    check.add_argument("--rapport", help="pad van het HTML-rapport (standaard naast het bestand)")
    check.set_defaults(func=cmd_check)

    ingest = sub.add_parser("ingest", help="bestanden innemen, laden en publiceren")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument(
        "--bron", choices=sources, help="standaard: afgeleid van extensie en inhoud"
    )
    ingest.add_argument(
        "--verplaats", action="store_true", help="verplaatsen in plaats van kopiëren"
    )
    ingest.set_defaults(func=cmd_ingest)
    return parser


def main(argv: list[str] | None = None) -> int:
    from orchestration.paths import make_private

    args = build_parser().parse_args(argv)
    # The data folder holds pseudonymised practice data, the pseudonym key and Superset's
    # secrets: everything capmon and the services it starts create is for this user only.
    os.umask(PRIVATE_UMASK)
    make_private(data_paths().root)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
