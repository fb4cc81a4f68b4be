"""Repeated dashboard requests answered from disk, without Superset's per-request work.

A cached chart-data request still costs 28-40 ms of Superset's own Python (the dataset through
the ORM, the request schema, the security checks), and opening a dashboard adds its metadata
calls, up to 245 ms each; on two cores twenty readers queue behind each other
(docs/operations.md, "Serving under load"). This WSGI middleware (``ADDITIONAL_MIDDLEWARE`` in
superset_config.py) keeps the answers Superset gave and gives them again, in under a
millisecond, only where Superset would give the same answer to the same question:

- **What.** Chart data, JSON results and not forced: ``POST /api/v1/chart/data`` and the
  legacy ``POST /superset/explore_json/`` that the country map uses; and a dashboard's
  metadata (``GET /api/v1/dashboard/<id>``, ``/charts``, ``/datasets``). Answers 200 only,
  without their cookies. Only browser sessions (the signed session cookie, checked as Flask
  checks it); requests with an API token, a guest token or no session pass through.
- **For whom.** Chart data of a *viewer* (a user without the Admin or Beheer role, in no
  group) on a physical dataset without row-level security and without templates (which could
  name the user), which the viewer's roles may read (the endpoint's permission, ``can_read``
  on Chart or ``can_explore_json`` on Superset, and ``datasource_access`` on the dataset or
  ``all_datasource_access``), is shared by all such viewers: Superset answers each of them
  alike (the same rights check, the same capmon_security query check, no row filter). Only
  answers Superset computed *for a viewer* go there, so a question a viewer would be refused
  (an administrator's own SQL) is never answered from it. Everything else is kept per user:
  that user gets again what that user got.
- **Until when.** Each answer belongs to one publication of the serving DB (as the result
  cache, capmon_cache.py) and to one *metadata version*: triggers on every table of
  Superset's metadata (``install_version_triggers``; not the action log and other per-request
  bookkeeping) count every change, so a role, permission, row-level-security rule, dataset,
  chart or dashboard changed, or a user deactivated, starts an empty set. An answer is stored
  only when neither changed while Superset computed it, and kept at most ``MAX_AGE_S``.
- **Who asked.** A request answered here is written to Superset's action log as Superset
  would log it (user, action, dashboard, chart, the payload): the log stays the record of who
  looked at what.

Answers are files, shared by every gunicorn worker, in one folder per publication and
metadata version (``<SUPERSET_HOME>/cache/antwoorden``); folders of earlier ones are removed.
Every answer carries ``X-Capmon-Antwoordcache: hit``, ``miss`` (computed by Superset, stored)
or ``bypass`` (passed through, not stored). ``CAPMON_SUPERSET_ANTWOORDCACHE=0`` turns it off.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import struct
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from capmon_cache import publication_token
from capmon_security import TRUSTED_ROLES

HEADER = "X-Capmon-Antwoordcache"
CHART_DATA = "/api/v1/chart/data"
EXPLORE_JSON = "/superset/explore_json/"
# Per endpoint: the permission Superset checks, the content type of the question, the action
# Superset writes to its log.
_CHART_ENDPOINTS = {
    CHART_DATA: (("can_read", "Chart"), ("application/json",), "ChartDataRestApi.data"),
    EXPLORE_JSON: (
        ("can_explore_json", "Superset"),
        ("application/x-www-form-urlencoded", "multipart/form-data"),
        "Superset.explore_json",
    ),
}
# A dashboard by id or slug (slugs here: lowercase words and hyphens), not the API's own
# endpoints beside them (export, import, related, ...; _info and favorite_status have "_").
_DASHBOARD_METADATA = re.compile(
    r"^/api/v1/dashboard/(?!(?:export|import|related|permalink)/?$)([0-9a-z-]+)"
    r"(/charts|/datasets)?/?$"
)
MAX_AGE_S = 3600  # e.g. "changed 2 hours ago" in a dashboard's metadata goes out of date
MAX_REQUEST_BYTES = 1 << 20
MAX_ANSWER_BYTES = 16 << 20
MAX_ENTRIES = 20_000  # per folder: viewers' filter choices cannot fill the disk
# Written on every request or by SQL Lab; none of them decides who sees what.
NOT_COUNTED = frozenset(
    {"logs", "key_value", "keyvalue", "cache_keys", "query", "tab_state", "table_schema"}
)
_NOT_REPLAYED = frozenset(
    {
        "set-cookie",
        "content-length",
        "date",
        "server",
        "connection",
        "keep-alive",
        "transfer-encoding",
    }
)
# The actions Superset logs for these endpoints (the action log's ``action`` column).
_ACTIONS = {
    "": "DashboardRestApi.get",
    "/charts": "DashboardRestApi.get_charts",
    "/datasets": "DashboardRestApi.get_datasets",
}

logger = logging.getLogger(__name__)


def install_version_triggers(metadata_db: Path) -> int:
    """Count every change to Superset's metadata in ``capmon_versie``; returns the version.

    Installed (idempotently) by every server process as it starts, after Superset's
    migrations, which may add or recreate tables without our triggers: a trigger that had to
    be made counts as a change, so no answer from before it is given again.
    """
    connection = sqlite3.connect(metadata_db, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS capmon_versie "
            "(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)"
        )
        connection.execute("INSERT OR IGNORE INTO capmon_versie VALUES (1, 0)")
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if name not in NOT_COUNTED and name != "capmon_versie"
        ]
        made = 0
        for table in tables:
            # A login updates ab_user (last_login, login_count): only who is active counts.
            events = (
                ("INSERT", "DELETE", "UPDATE OF active")
                if table == "ab_user"
                else ("INSERT", "UPDATE", "DELETE")
            )
            for event in events:
                name = f"capmon_versie_{table}_{event.split()[0].lower()}"
                made += not connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
                ).fetchone()
                connection.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "{name}" AFTER {event} ON "{table}" '
                    "BEGIN UPDATE capmon_versie SET n = n + 1 WHERE id = 1; END"
                )
        if made:
            connection.execute("UPDATE capmon_versie SET n = n + 1 WHERE id = 1")
        (version,) = connection.execute("SELECT n FROM capmon_versie").fetchone()
        connection.execute("COMMIT")
        return version
    finally:
        connection.close()


@dataclass(frozen=True)
class Request:
    """What decides an answer, read from the WSGI environ (and the body, put back)."""

    method: str
    path: str
    query: str
    body: bytes
    form: dict[str, list[str]]  # explore_json's form fields (url-encoded or multipart)
    question: bytes  # what the key takes of the body
    user_id: int
    variant: str  # Accept-Encoding, Accept-Language, the session's locale
    referrer: str | None


@dataclass(frozen=True)
class Entry:
    folder: Path
    key: str
    pool: str
    action: str
    log_payload: dict[str, Any]


class Metadata:
    """Reads of Superset's metadata, remembered per metadata version (one connection per
    thread; SQLite in WAL mode, so never waiting for a writer)."""

    def __init__(self, metadata_db: Path) -> None:
        self._db = metadata_db
        self._local = threading.local()
        self._lock = threading.Lock()
        self._version = -1
        self._remembered: dict[tuple, Any] = {}

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._db, timeout=30, check_same_thread=False)
            self._local.connection = connection
        return connection

    def version(self) -> int:
        (version,) = self._connection().execute("SELECT n FROM capmon_versie").fetchone()
        return version

    def _remember(self, version: int, key: tuple, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if version != self._version:
                self._version, self._remembered = version, {}
            if key in self._remembered:
                return self._remembered[key]
        value = compute()
        with self._lock:
            if version == self._version:
                self._remembered[key] = value
        return value

    def is_viewer(self, version: int, user_id: int) -> bool:
        """Active, with roles, none of them trusted, in no group (a group's roles would
        count too, and are not read here)."""

        def compute() -> bool:
            db = self._connection()
            row = db.execute("SELECT active FROM ab_user WHERE id = ?", (user_id,)).fetchone()
            if not row or not row[0]:
                return False
            roles = {
                name
                for (name,) in db.execute(
                    "SELECT r.name FROM ab_user_role ur JOIN ab_role r ON r.id = ur.role_id "
                    "WHERE ur.user_id = ?",
                    (user_id,),
                )
            }
            try:
                (groups,) = db.execute(
                    "SELECT count(*) FROM ab_user_group WHERE user_id = ?", (user_id,)
                ).fetchone()
            except sqlite3.OperationalError:  # a Flask-AppBuilder without groups
                groups = 0
            return bool(roles) and not roles & TRUSTED_ROLES and groups == 0

        return self._remember(version, ("viewer", user_id), compute)

    def shares_chart_data(
        self, version: int, user_id: int, dataset_id: int, permission: tuple[str, str]
    ) -> bool:
        """May this viewer's chart data on this dataset, asked at an endpoint that needs
        ``permission``, come from the viewers' shared pool?"""

        def compute() -> bool:
            db = self._connection()
            row = db.execute(
                "SELECT perm, coalesce(trim(sql), '') = '' FROM tables WHERE id = ?",
                (dataset_id,),
            ).fetchone()
            if not row or not row[1]:
                return False  # unknown, or a virtual dataset (its SQL may use the user)
            (filters,) = db.execute(
                "SELECT count(*) FROM rls_filter_tables WHERE table_id = ?", (dataset_id,)
            ).fetchone()
            # A template in a metric, calculated column or predicate may name the user.
            (templated,) = db.execute(
                "SELECT count(*) FROM ("
                " SELECT expression AS text FROM sql_metrics WHERE table_id = :id"
                " UNION ALL SELECT expression FROM table_columns WHERE table_id = :id"
                " UNION ALL SELECT coalesce(fetch_values_predicate, '') || coalesce(extra, '')"
                "  || coalesce(template_params, '') FROM tables WHERE id = :id"
                ") WHERE instr(text, '{{') > 0 OR instr(text, '{%') > 0",
                {"id": dataset_id},
            ).fetchone()
            if filters or templated:
                return False
            granted = (
                "SELECT count(*) FROM ab_user_role ur "
                "JOIN ab_permission_view_role pvr ON pvr.role_id = ur.role_id "
                "JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id "
                "JOIN ab_permission p ON p.id = pv.permission_id "
                "JOIN ab_view_menu v ON v.id = pv.view_menu_id "
                "WHERE ur.user_id = ? AND "
            )
            (may_ask,) = db.execute(
                granted + "p.name = ? AND v.name = ?", (user_id, *permission)
            ).fetchone()
            (reads_dataset,) = db.execute(
                granted + "((p.name = 'datasource_access' AND v.name = ?) OR "
                "(p.name = 'all_datasource_access' AND v.name = 'all_datasource_access'))",
                (user_id, row[0]),
            ).fetchone()
            return bool(may_ask and reads_dataset)

        return self.is_viewer(version, user_id) and self._remember(
            version, ("shares", user_id, dataset_id, permission), compute
        )


def _chart_question(request: Request) -> tuple[int | None, dict[str, Any]] | None:
    """The dataset a chart-data question reads, and what the action log keeps of it; None
    for what is not plain chart data (forced, another format, samples, the query's SQL)."""
    if request.path == CHART_DATA:
        question = json.loads(request.body)
        datasource = question.get("datasource") or {}
        if (
            datasource.get("type") != "table"
            or not str(datasource.get("id", "")).isdigit()
            or question.get("force")
            or question.get("result_format", "json") != "json"
            or question.get("result_type", "full") not in ("full", "results")
        ):
            return None
        form_data = question.get("form_data") or {}
        return int(datasource["id"]), {
            "path": request.path,
            "dashboard_id": form_data.get("dashboardId"),
            "slice_id": form_data.get("slice_id"),
            **question,
        }
    # The legacy endpoint: form_data in the body and the URL (the URL's wins, as in
    # Superset's get_form_data); any other parameter asks for CSV, SQL, samples or force.
    args = urllib.parse.parse_qs(request.query, strict_parsing=bool(request.query))
    if set(request.form) != {"form_data"} or not set(args) <= {"form_data", "dashboard_id"}:
        return None
    form_data = json.loads(request.form["form_data"][0])
    if "form_data" in args:
        form_data.update(json.loads(args["form_data"][0]))
    dataset, _, kind = str(form_data.get("datasource", "")).partition("__")
    # Without a dataset of its own the question takes its saved chart's: kept per user.
    dataset_id = int(dataset) if kind == "table" and dataset.isdigit() else None
    return dataset_id, {
        "path": request.path,
        "dashboard_id": (args.get("dashboard_id") or [None])[0],
        "slice_id": form_data.get("slice_id"),
        "form_data": form_data,
    }


def _flask_app(wsgi_app: Any) -> Any:
    """The Flask app under Superset's middlewares (each keeps the next one as ``app``)."""
    seen = wsgi_app
    for _ in range(10):
        owner = getattr(seen, "__self__", None)
        if owner is not None and hasattr(owner, "session_interface"):
            return owner
        seen = getattr(seen, "app", None)
        if seen is None:
            break
    return None


class AntwoordCache:
    """The middleware; see the module docstring."""

    def __init__(
        self,
        wsgi_app: Callable,
        *,
        metadata_db: str | Path,
        serving_db: str | Path,
        folder: str | Path,
        actielog: Any = None,
    ) -> None:
        self.wsgi_app = wsgi_app
        self._flask = _flask_app(wsgi_app)
        self._serving_db = Path(serving_db) if serving_db else None
        self._root = Path(folder)
        self._metadata_db = Path(metadata_db)
        self._metadata = Metadata(self._metadata_db)
        self._actielog = actielog
        self._current = ""
        self._stored = 0
        if self._flask is None or self._serving_db is None:
            logger.warning("Antwoordcache uit: geen Flask-app of geen serving-DB gevonden")
            self._flask = None
        else:
            try:
                install_version_triggers(self._metadata_db)
            except sqlite3.Error:  # e.g. a command run before the metadata exists
                logger.warning("Antwoordcache uit: versietellers niet geplaatst", exc_info=True)
                self._flask = None

    # --- WSGI ---------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            request = self._request(environ)
        except Exception:  # anything unexpected: Superset answers as without this cache
            logger.exception("Antwoordcache: verzoek niet gelezen")
            request = None
        if request is None:
            return self._pass(environ, start_response)
        try:
            before = self._state()
            entry = self._entry(request, before)
        except Exception:
            logger.exception("Antwoordcache: sleutel niet bepaald")
            entry = None
        if entry is None:
            return self._pass(environ, start_response)
        started = time.perf_counter()
        answer = self._read(entry)
        if answer is not None:
            status, headers, body = answer
            start_response(status, [*headers, ("Content-Length", str(len(body))), (HEADER, "hit")])
            self._log(request, entry, started)
            return [body]
        return self._compute(environ, start_response, entry, before)

    def _pass(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def with_header(status: str, headers: list, exc_info: Any = None) -> Any:
            return start_response(status, [*headers, (HEADER, "bypass")], exc_info)

        return self.wsgi_app(environ, with_header)

    def _compute(
        self, environ: dict, start_response: Callable, entry: Entry, before: str
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list, exc_info: Any = None) -> Callable:
            seen["status"], seen["headers"] = status, headers
            if exc_info is not None:
                seen["exc_info"] = exc_info
            return lambda data: seen.setdefault("written", []).append(data)

        result = self.wsgi_app(environ, capture)
        try:
            body = b"".join([*seen.get("written", []), *result])
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = seen["status"], seen["headers"]
        stored = (
            status.startswith("200 ")
            and len(body) <= MAX_ANSWER_BYTES
            and self._state() == before  # no publication, no metadata change meanwhile
            and self._store(entry, status, headers, body)
        )
        replayed = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(
            status,
            [
                *replayed,
                ("Content-Length", str(len(body))),
                (HEADER, "miss" if stored else "bypass"),
            ],
            seen.get("exc_info"),
        )
        return [body]

    # --- what a request is ------------------------------------------------------------------

    def _request(self, environ: dict) -> Request | None:
        if self._flask is None or self._serving_db is None:
            return None
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        if not (
            (method == "POST" and path in _CHART_ENDPOINTS)
            or (method == "GET" and _DASHBOARD_METADATA.match(path))
        ):
            return None
        if environ.get("HTTP_AUTHORIZATION") or environ.get("HTTP_X_GUESTTOKEN"):
            return None
        body = b""
        if method == "POST":
            content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip()
            if content_type not in _CHART_ENDPOINTS[path][1]:
                return None
            try:
                length = int(environ.get("CONTENT_LENGTH") or "")
            except ValueError:
                return None  # chunked or unknown: leave the stream to Superset
            if length > MAX_REQUEST_BYTES:
                return None
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
        from werkzeug.wrappers import Request as WerkzeugRequest

        form: dict[str, list[str]] = {}
        if path == EXPLORE_JSON:
            parsed = WerkzeugRequest({**environ, "wsgi.input": io.BytesIO(body)})
            if parsed.files:
                return None
            form = {key: parsed.form.getlist(key) for key in parsed.form}
            # A multipart body has a new boundary on every request: the key takes the fields.
            question = json.dumps(form, sort_keys=True).encode()
        else:
            question = body

        session = self._flask.session_interface.open_session(self._flask, WerkzeugRequest(environ))
        user_id = (session or {}).get("_user_id")
        if not user_id or not str(user_id).isdigit():
            return None
        variant = "|".join(
            (
                environ.get("HTTP_ACCEPT_ENCODING", ""),
                environ.get("HTTP_ACCEPT_LANGUAGE", ""),
                str(session.get("locale", "")),
            )
        )
        return Request(
            method,
            path,
            environ.get("QUERY_STRING", ""),
            body,
            form,
            question,
            int(user_id),
            variant,
            environ.get("HTTP_REFERER"),
        )

    def _state(self) -> str:
        """The publication and metadata version answers now belong to."""
        return f"{publication_token(self._serving_db)}-v{self._metadata.version()}"

    def _entry(self, request: Request, state: str) -> Entry | None:
        version = int(state.rsplit("-v", 1)[1])
        if request.method == "GET":
            match = _DASHBOARD_METADATA.match(request.path)
            pool = f"gebruiker-{request.user_id}"
            action = _ACTIONS[match.group(2) or ""]
            payload: dict[str, Any] = {"path": request.path, "dashboard_id": match.group(1)}
        else:
            try:
                question = _chart_question(request)
            except (ValueError, TypeError, AttributeError):
                return None
            if question is None:
                return None
            dataset_id, payload = question
            permission, _, action = _CHART_ENDPOINTS[request.path]
            shared = dataset_id is not None and self._metadata.shares_chart_data(
                version, request.user_id, dataset_id, permission
            )
            pool = "kijkers" if shared else f"gebruiker-{request.user_id}"
        key = hashlib.sha256(
            b"\0".join(
                part.encode() if isinstance(part, str) else part
                for part in (
                    pool,
                    request.method,
                    request.path,
                    request.query,
                    request.variant,
                    request.question,
                )
            )
        ).hexdigest()
        self._prune_others(state)
        return Entry(self._root / state, key, pool, action, payload)

    # --- the files -----------------------------------------------------------------------

    def _prune_others(self, state: str) -> None:
        if state == self._current:
            return
        self._current = state
        if self._root.is_dir():
            for folder in self._root.iterdir():
                if folder.name != state:
                    shutil.rmtree(folder, ignore_errors=True)

    def _read(self, entry: Entry) -> tuple[str, list, bytes] | None:
        path = entry.folder / entry.key
        try:
            with open(path, "rb") as handle:
                if time.time() - os.fstat(handle.fileno()).st_mtime > MAX_AGE_S:
                    return None
                (length,) = struct.unpack(">I", handle.read(4))
                head = json.loads(handle.read(length))
                body = handle.read()
        except (FileNotFoundError, struct.error, ValueError):
            return None
        return head["status"], [tuple(h) for h in head["headers"]], body

    def _store(self, entry: Entry, status: str, headers: list, body: bytes) -> bool:
        entry.folder.mkdir(parents=True, exist_ok=True)
        self._stored += 1
        if self._stored % 256 == 0 and len(os.listdir(entry.folder)) >= MAX_ENTRIES:
            return False
        kept = [[k, v] for k, v in headers if k.lower() not in _NOT_REPLAYED]
        head = json.dumps({"status": status, "headers": kept}).encode()
        staging = entry.folder / f".{entry.key}.{os.getpid()}.{threading.get_ident()}"
        staging.write_bytes(struct.pack(">I", len(head)) + head + body)
        os.replace(staging, entry.folder / entry.key)
        return True

    # --- the action log ----------------------------------------------------------------------

    def _log(self, request: Request, entry: Entry, started: float) -> None:
        if self._actielog is None:
            return
        payload = entry.log_payload
        try:
            with self._flask.app_context():
                self._actielog.log(
                    request.user_id,
                    entry.action,
                    _number(payload.get("dashboard_id")),
                    int((time.perf_counter() - started) * 1000),
                    _number(payload.get("slice_id")),
                    request.referrer,
                    records=[{**payload, "antwoordcache": entry.pool}],
                )
        except Exception:  # as Superset's own logger: a failed log write never breaks serving
            logger.exception("Antwoordcache: actielog niet bijgewerkt")


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, int) or str(value or "").isdigit() else None
