"""Users, roles and row-level security of the Capaciteitsmonitor, as code.

Runs in the Superset environment, started by ``capmon provision`` in two steps:

``python superset/provision_access.py beheerder ACCESS.json``
    before the bundle import: the admin user (created, or password and role reset).
``python superset/provision_access.py toegang SERVING_DB ACCESS.json``
    after the bundle import: the roles, the demo users and the row-level security.

ACCESS.json (written by the launcher, mode 600, deleted afterwards) holds the users and
their passwords, so that no password ever appears on a command line (``ps`` shows those).

ACCESS.json also says which datasets are published (``datasets``: the ``publiek`` and
``praktijkniveau`` keys of superset/bundle/datasets/, orchestration/superset_bundle.py).

The roles:

- ``Landelijk``: read-only (Superset's Gamma without its write, export, profile and
  password permissions) with ``datasource_access`` on the published datasets only, never on
  the database or a schema; the practice-level dataset returns it no rows.
- ``Regio <azw_regio_naam>``, one per AZW region in ``marts.dim_gemeente`` (a name that
  already starts with "Regio " is not doubled): like Landelijk, and the practice-level rows
  of its own region.
- ``Beheer``: data engineers; Alpha plus SQL Lab and the whole serving database, no
  row-level security.

Practice rows pass two barriers. The practice-level dataset is virtual: its SQL (written
here, ``praktijk_sql``) keeps the rows of the AZW regions whose roles the user holds, decided
server-side from the user's roles, inside a subquery that no filter of a request can widen.
Row-level security per role (``azw_regio_code = '<code>'``, ``1 = 0`` for Landelijk) applies
on top. Neither viewer role has SQL Lab, and superset/capmon_security.py refuses SQL of a
viewer's own in chart requests. Everything is brought exactly to the state described here on
every run (no duplicates, no leftovers).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

LANDELIJK_ROL = "Landelijk"
REGIO_ROL_PREFIX = "Regio "
BEHEER_ROL = "Beheer"
# The mart with practice-level rows; viewers reach it only through the virtual dataset(s)
# marked ``praktijkniveau`` in the bundle, never as a table.
PRAKTIJK_TABEL = "marts.fct_praktijk_signalen"
RLS_NAAM_PREFIX = "Praktijkrijen "
RLS_GROUP_KEY = "azw_regio"  # filters with one group key are OR-ed: roles add regions
DEMO_PREFIX = "demo_"

# Gamma's permissions that write or administer something. A viewer keeps the rest, among
# which the writes that only store their own UI state (filter state, permalinks, profile).
_SCHRIJF_RECHTEN = {
    "can_write",
    "can_add",
    "can_edit",
    "can_delete",
    "muldelete",
    "can_bulk_create",
    "can_tag",
    "can_delete_embedded",
    "can_put_chart_customizations",
    "can_invalidate",
    # Exports (a ZIP with the database definition shows the server path) and the shared
    # demo accounts' own profile and password.
    "can_export",
    "resetmypassword",
    "userinfoedit",
}
_UI_STATUS_VIEWS = {
    "DashboardFilterStateRestApi",
    "DashboardPermalinkRestApi",
    "ExploreFormDataRestApi",
    "ExplorePermalinkRestApi",
}
# Views a viewer needs none of (in Gamma by Superset's default rules): SQL Lab's CSV
# export, pending self-registrations, the row-level security list page, the database API
# (schemas, tables, select_star, table_metadata), changing the own profile or password.
_VIEWER_UITGESLOTEN_VIEWS = {
    "SQLLab",
    "UserRegistrationsRestAPI",
    "RowLevelSecurity",
    "Database",
    "ResetMyPasswordView",
    "UserInfoEditView",
    "ResetPasswordView",
}


def regio_rol(azw_regio_naam: str) -> str:
    """The role of an AZW region: "Regio <naam>", without doubling ("Regio Zwolle")."""
    if azw_regio_naam.startswith(REGIO_ROL_PREFIX):
        return azw_regio_naam
    return f"{REGIO_ROL_PREFIX}{azw_regio_naam}"


class ToegangError(RuntimeError):
    """The metadata or the input does not allow provisioning; the message says why."""


def _lees_toegang(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _regios(serving_db: str) -> dict[str, str]:
    """AZW region code -> name, from the serving DB's gemeente dimension."""
    import duckdb

    with duckdb.connect(serving_db, read_only=True) as con:
        rows = con.execute(
            "select distinct azw_regio_code, azw_regio_naam from marts.dim_gemeente "
            "where azw_regio_code is not null order by azw_regio_code"
        ).fetchall()
    regios: dict[str, str] = {}
    for code, naam in rows:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", code):
            raise ToegangError(f"Onverwachte AZW-regiocode {code!r} in marts.dim_gemeente.")
        if code in regios:
            raise ToegangError(f"AZW-regio {code} heeft meer dan één naam in marts.dim_gemeente.")
        regios[code] = naam
    if len(set(regios.values())) != len(regios):
        raise ToegangError("Twee AZW-regio's in marts.dim_gemeente hebben dezelfde naam.")
    if not regios:
        raise ToegangError(f"Geen AZW-regio's in marts.dim_gemeente van {serving_db}.")
    return regios


def _zet_gebruiker(sm, spec: dict, rollen: list) -> str:
    """Create the user or bring it in line: names, e-mail, exactly these roles, password."""
    from flask import current_app
    from werkzeug.security import generate_password_hash

    username = spec["username"]
    user = sm.find_user(username=username)
    if user is None:
        user = sm.add_user(
            username,
            spec["first_name"],
            spec["last_name"],
            spec["email"],
            rollen,
            password=spec["password"],
        )
        if not user:
            raise ToegangError(
                f"Gebruiker {username} kon niet worden aangemaakt (e-mailadres "
                f"{spec['email']} al in gebruik?)."
            )
        return "aangemaakt"
    user.first_name = spec["first_name"]
    user.last_name = spec["last_name"]
    user.email = spec["email"]
    user.active = True
    user.roles = rollen
    user.password = generate_password_hash(
        password=spec["password"],
        method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
        salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
    )
    return "bijgewerkt"


def beheerder(toegang_path: str) -> None:
    from superset import db
    from superset import security_manager as sm

    spec = _lees_toegang(toegang_path)["admin"]
    admin = sm.find_role(sm.auth_role_admin)
    if admin is None:
        raise ToegangError("De rol Admin ontbreekt; draai eerst `superset init`.")
    status = _zet_gebruiker(sm, spec, [admin])
    db.session.commit()
    print(f"Beheerder {spec['username']} {status}")


def praktijk_sql(regios: dict[str, str]) -> str:
    """The practice dataset's SQL: the rows of every AZW region whose role the user holds.

    ``current_user_roles()`` is Superset's Jinja macro (it also puts the roles in the cache
    key); role names are written as JSON strings, which Jinja reads as string literals. Beheer
    and Admin see every practice, like in SQL Lab; any other user none.
    """
    rollen = ",\n".join(
        f"    {json.dumps(regio_rol(naam))}: {json.dumps(code)}"
        for code, naam in sorted(regios.items())
    )
    beheer = json.dumps([BEHEER_ROL, "Admin"])
    return (
        "{%- set regio_per_rol = {\n" + rollen + "\n} -%}\n"
        "{%- set rollen = current_user_roles() or [] -%}\n"
        f"select * from {PRAKTIJK_TABEL}\n"
        "where azw_regio_code in (\n"
        "    '-'{% for rol in rollen if rol in regio_per_rol %}, "
        "'{{ regio_per_rol[rol] }}'{% endfor %}\n"
        ")"
        "{% for rol in rollen if rol in " + beheer + " %}{% if loop.first %} or true{% endif %}"
        "{% endfor %}\n"
    )


def _viewer_rechten(sm, dataset_rechten: list) -> list:
    gamma = sm.find_role("Gamma")
    if gamma is None:
        raise ToegangError("De rol Gamma ontbreekt; draai eerst `superset init`.")
    rechten = [
        pvm
        for pvm in gamma.permissions
        if pvm.view_menu.name not in _VIEWER_UITGESLOTEN_VIEWS
        and (pvm.permission.name not in _SCHRIJF_RECHTEN or pvm.view_menu.name in _UI_STATUS_VIEWS)
    ]
    return [*rechten, *dataset_rechten]


def _beheer_rechten(sm, database_access) -> list:
    rechten: dict[int, object] = {}
    for naam in ("Alpha", "sql_lab"):
        rol = sm.find_role(naam)
        if rol is None:
            raise ToegangError(f"De rol {naam} ontbreekt; draai eerst `superset init`.")
        rechten.update((pvm.id, pvm) for pvm in rol.permissions)
    rechten[database_access.id] = database_access
    return list(rechten.values())


def _datasets(db, SqlaTable, database, namen: list[str]) -> list:  # noqa: N803
    """The datasets of the serving database with these names; all must exist."""
    datasets = (
        db.session.query(SqlaTable)
        .filter(SqlaTable.database_id == database.id, SqlaTable.table_name.in_(namen))
        .all()
    )
    ontbrekend = sorted(set(namen) - {dataset.table_name for dataset in datasets})
    if ontbrekend:
        raise ToegangError(
            f"Dataset(s) ontbreken in Superset, dus kan de toegang niet worden ingesteld: "
            f"{', '.join(ontbrekend)} (horen in superset/bundle/datasets/)."
        )
    return datasets


def toegang(serving_db: str, toegang_path: str) -> None:
    from superset import db
    from superset import security_manager as sm
    from superset.connectors.sqla.models import RowLevelSecurityFilter, SqlaTable
    from superset.models.core import Database
    from superset.utils.core import RowLevelSecurityFilterType

    config = _lees_toegang(toegang_path)
    regios = _regios(serving_db)

    database = db.session.query(Database).filter_by(database_name=config["database_name"]).first()
    if database is None:
        raise ToegangError(f"Database {config['database_name']!r} ontbreekt in Superset.")
    database_access = sm.add_permission_view_menu("database_access", database.perm)

    publiek = _datasets(db, SqlaTable, database, config["datasets"]["publiek"])
    datasets = _datasets(db, SqlaTable, database, config["datasets"]["praktijkniveau"])
    if not datasets:
        raise ToegangError("De bundel heeft geen dataset met praktijkniveau: true.")
    for dataset in datasets:
        if not dataset.sql:
            raise ToegangError(
                f"Dataset {dataset.table_name} met praktijkrijen moet virtueel zijn (sql), "
                "zodat de eigen regio al in de dataset zelf wordt gekozen."
            )
        dataset.sql = praktijk_sql(regios)
    dataset_rechten = [
        sm.add_permission_view_menu("datasource_access", dataset.perm)
        for dataset in [*publiek, *datasets]
    ]

    # Roles: viewer roles with their row-level security clause, and Beheer.
    viewer_clausules = {LANDELIJK_ROL: "1 = 0"}
    viewer_clausules.update(
        {regio_rol(naam): f"azw_regio_code = '{code}'" for code, naam in regios.items()}
    )
    viewer_rechten = _viewer_rechten(sm, dataset_rechten)
    rollen = {}
    for naam in viewer_clausules:
        rol = sm.add_role(naam)
        rol.permissions = list(viewer_rechten)
        rollen[naam] = rol
    beheer = sm.add_role(BEHEER_ROL)
    beheer.permissions = _beheer_rechten(sm, database_access)
    rollen[BEHEER_ROL] = beheer

    # A region that disappeared from dim_gemeente keeps its role (users may still hold it)
    # but loses every permission: without its filter it would otherwise see all practices.
    vervallen = [
        rol
        for rol in db.session.query(sm.role_model).all()
        if rol.name.startswith(REGIO_ROL_PREFIX) and rol.name not in viewer_clausules
    ]
    for rol in vervallen:
        rol.permissions = []

    # Row-level security: one filter per viewer role, on every practice-level dataset.
    filters = {f"{RLS_NAAM_PREFIX}{naam}": naam for naam in viewer_clausules}
    for bestaand in db.session.query(RowLevelSecurityFilter).all():
        if bestaand.name.startswith(RLS_NAAM_PREFIX) and bestaand.name not in filters:
            db.session.delete(bestaand)
    for filter_naam, rol_naam in filters.items():
        rls = db.session.query(RowLevelSecurityFilter).filter_by(name=filter_naam).one_or_none()
        if rls is None:
            rls = RowLevelSecurityFilter(name=filter_naam)
            db.session.add(rls)
        rls.description = (
            f"Praktijkrijen voor rol {rol_naam}; ingesteld door capmon provision "
            "(wijzigingen in de UI worden bij de volgende inrichting teruggezet)."
        )
        rls.filter_type = RowLevelSecurityFilterType.REGULAR.value
        rls.group_key = RLS_GROUP_KEY
        rls.clause = viewer_clausules[rol_naam]
        rls.roles = [rollen[rol_naam]]
        rls.tables = list(datasets)

    # Demo users: exactly their one role, the current password.
    gewenst = set()
    for spec in config["demo_users"]:
        rol_naam = spec["rol"]
        if rol_naam not in viewer_clausules:
            raise ToegangError(
                f"Demo-gebruiker {spec['username']}: rol {rol_naam!r} bestaat niet (AZW-regio's "
                f"in marts.dim_gemeente: {', '.join(sorted(regios.values()))})."
            )
        code = spec.get("azw_regio_code")
        if code is not None and rol_naam != regio_rol(regios.get(code, "")):
            raise ToegangError(
                f"Demo-gebruiker {spec['username']}: AZW-regio {code} hoort niet bij {rol_naam!r}."
            )
        _zet_gebruiker(sm, spec, [rollen[rol_naam]])
        gewenst.add(spec["username"])
    # Demo users of an earlier configuration can no longer log in.
    for user in db.session.query(sm.user_model).all():
        if user.username.startswith(DEMO_PREFIX) and user.username not in gewenst:
            user.active = False

    db.session.commit()
    print(
        f"Rollen: {LANDELIJK_ROL}, {BEHEER_ROL} en {len(regios)} regiorollen; "
        f"{len(publiek)} gepubliceerde datasets; rijbeveiliging ({len(filters)} filters) op "
        f"{', '.join(d.table_name for d in datasets)}; "
        f"demo-gebruikers: {', '.join(sorted(gewenst))}"
        + (f"; rechten ingetrokken van {', '.join(r.name for r in vervallen)}" if vervallen else "")
    )


def main(argv: list[str]) -> None:
    commands = {"beheerder": (beheerder, 1), "toegang": (toegang, 2)}
    if not argv or argv[0] not in commands or len(argv) - 1 != commands[argv[0]][1]:
        raise SystemExit(
            "gebruik: provision_access.py beheerder TOEGANG.json | toegang SERVING_DB TOEGANG.json"
        )
    command, _ = commands[argv[0]]

    from superset.app import create_app

    app = create_app()
    with app.app_context():
        try:
            command(*argv[1:])
        except ToegangError as error:
            raise SystemExit(f"FOUT: {error}") from None


if __name__ == "__main__":
    main(sys.argv[1:])
