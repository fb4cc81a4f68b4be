"""Every provisioning step of ``capmon provision`` in one Superset process.

Runs in the Superset environment (``.venv-superset/bin/python superset/provision.py
SERVING_DB TOEGANG.json BUNDLE.zip USERNAME``). Each of the steps used to be a process of its
own, and each paid Superset's start-up (about 8 s on a 2-core machine) again; here the app is
made once. The steps are those of ``superset db upgrade``, ``superset init``,
``provision_access.py beheerder``, ``import_bundle.py`` and ``provision_access.py toegang``, in
that order (the import needs the admin user, the access step needs the imported datasets).
"""

import sys
import time
from pathlib import Path

# The sibling scripts, importable whatever the working folder is.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _stap(label: str, stap, *args) -> None:
    started = time.monotonic()
    stap(*args)
    print(f"[capmon] {label}: klaar ({time.monotonic() - started:.1f} s)", flush=True)


def _rollen_en_rechten() -> None:
    from superset import appbuilder, db, security_manager

    appbuilder.add_permissions(update_perms=True)
    security_manager.sync_role_definitions()
    db.session.commit()


def main(serving_db: str, toegang_path: str, bundle_path: str, username: str) -> None:
    import flask_migrate
    from import_bundle import importeer
    from provision_access import ToegangError, beheerder, toegang
    from superset.app import create_app

    with create_app().app_context():
        try:
            _stap("Metadata-database bijwerken", flask_migrate.upgrade)
            _stap("Rollen en rechten", _rollen_en_rechten)
            _stap("Beheerder", beheerder, toegang_path)
            _stap("Dashboards importeren", importeer, bundle_path, username)
            _stap("Rollen, demo-gebruikers en rijbeveiliging", toegang, serving_db, toegang_path)
        except ToegangError as error:
            raise SystemExit(f"FOUT: {error}") from None


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("gebruik: provision.py SERVING_DB TOEGANG.json BUNDLE.zip GEBRUIKER")
    main(*sys.argv[1:])
