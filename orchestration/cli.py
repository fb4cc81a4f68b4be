"""``capmon``: the command line of the Capaciteitsmonitor huisartsenzorg."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.paths import PROJECT_ROOT, data_paths

SOURCES = ("nivel", "zorggroep", "stagebureau")
DAGSTER_PORT = 3000
SUPERSET_PORT = 8088
RUN_LOG = "laatste_run.log"


def _sources_present(sources: Path) -> bool:
    return any(any((sources / name).glob("*")) for name in SOURCES if (sources / name).exists())


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.synthetic import generate

    out = Path(args.out) if args.out else data_paths().sources
    if args.if_empty and _sources_present(out):
        print(f"Bronbestanden staan al in {out}; niets gegenereerd.")
        return 0
    for name in SOURCES:
        shutil.rmtree(out / name, ignore_errors=True)
    started = time.monotonic()
    summary = generate(out, scale=args.scale, seed=args.seed, progress=True)
    print(
        f"Voorbeeldbronnen (schaal {args.scale:g}, seed {args.seed}) geschreven naar {out} "
        f"in {time.monotonic() - started:.1f} s"
    )
    print(summary)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from orchestration.pipeline import persistent_instance, run_full_refresh

    paths = data_paths()
    started = time.monotonic()
    print(f"Volledige verversing van {paths.root} ...", flush=True)
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    run_log = paths.warehouse / RUN_LOG
    # dbt prints a line per model and test; they go to the log, the steps to the terminal.
    with run_log.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        result = run_full_refresh(instance=persistent_instance())
    took = time.monotonic() - started
    checks = result.get_asset_check_evaluations()
    failed_checks = [c for c in checks if not c.passed]
    built = len(result.get_asset_materialization_events())
    print(
        f"\n{built} assets gebouwd, {len(checks)} controles ({len(failed_checks)} niet "
        f"geslaagd) in {took:.1f} s."
    )
    if result.success and not failed_checks:
        print(f"Gepubliceerd: {data_paths().serving_db}")
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
    """The Dagster UI and the daemon that runs the monthly schedule, on one instance.

    Like Superset, they run in their own session: Ctrl-C reaches only `capmon`, which then
    stops every service itself (see cmd_serve) and can tell a stop from a crash.
    """
    from orchestration.pipeline import persistent_instance

    persistent_instance()
    bin_dir = Path(sys.executable).parent
    location = ["-m", "orchestration.definitions"]
    return [
        subprocess.Popen(
            [str(bin_dir / "dagster-webserver"), *location, "-h", "127.0.0.1", "-p", str(port)],
            cwd=PROJECT_ROOT,
            start_new_session=True,
        ),
        subprocess.Popen(
            [str(bin_dir / "dagster-daemon"), "run", *location],
            cwd=PROJECT_ROOT,
            start_new_session=True,
        ),
    ]


def _stop_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_serve(args: argparse.Namespace) -> int:
    from orchestration import superset_launcher

    paths = data_paths()
    if not paths.serving_db.exists():
        print(f"Er is nog geen serving-database ({paths.serving_db}); draai eerst `capmon run`.")
        return 1
    # The services run in sessions of their own; a closed terminal or `kill` must stop them
    # as Ctrl-C does, not leave them running without us.
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _stop_as_interrupt)
    processes = [
        *_start_dagster(args.dagster_port),
        superset_launcher.start_server(paths.superset_home, port=args.superset_port),
    ]
    try:
        superset_launcher.wait_until_healthy(f"http://127.0.0.1:{args.superset_port}/health", 180)
        secrets = superset_launcher.ensure_secrets(paths.superset_home)
        print("\n" + "=" * 64)
        print(f" Superset (dashboards):  http://127.0.0.1:{args.superset_port}/")
        print(f"   inloggen als admin, wachtwoord: {secrets['admin_password']}")
        print(f"   (staat in {paths.superset_home / 'secrets.json'})")
        print(f" Dagster (pijplijnen):   http://127.0.0.1:{args.dagster_port}/")
        print(" Stoppen: Ctrl-C")
        print("=" * 64 + "\n", flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        print(
            "Een van de diensten is gestopt; de andere worden ook gestopt. Logboek van "
            f"Superset: {paths.superset_home / superset_launcher.LOG_FILE}"
        )
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capmon", description="Capaciteitsmonitor huisartsenzorg: pijplijn en dashboards."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    generate = sub.add_parser("generate", help="schrijf synthetische voorbeeldbronnen")
    generate.add_argument("--scale", type=float, default=1.0, help="volume-factor (standaard 1)")
    generate.add_argument("--seed", type=int, default=2025, help="startwaarde van het toeval")
    generate.add_argument("--out", help="map voor de bronnen (standaard data/sources)")
    generate.add_argument(
        "--if-empty", action="store_true", help="alleen als er nog geen bronbestanden zijn"
    )
    generate.set_defaults(func=cmd_generate)

    sub.add_parser("run", help="alle assets bouwen, controleren en publiceren").set_defaults(
        func=cmd_run
    )
    sub.add_parser(
        "provision", help="Superset inrichten (migreren, admin, dashboards)"
    ).set_defaults(func=cmd_provision)
    for name, func, text in (
        ("serve", cmd_serve, "Superset en de Dagster-UI starten"),
        ("up", cmd_up, "alles: genereren, bouwen, inrichten, starten"),
    ):
        command = sub.add_parser(name, help=text)
        command.add_argument("--superset-port", type=int, default=SUPERSET_PORT)
        command.add_argument("--dagster-port", type=int, default=DAGSTER_PORT)
        command.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
