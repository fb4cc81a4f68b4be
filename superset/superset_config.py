"""Superset configuration for the Capaciteitsmonitor huisartsenzorg.

Loaded by Superset through ``SUPERSET_CONFIG_PATH``, which ``orchestration.superset_launcher``
sets together with ``SUPERSET_HOME`` (the folder for Superset's own metadata) and
``SUPERSET_SECRET_KEY``. Only what differs from Superset's defaults is set here.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

# --- secrets and storage ------------------------------------------------------------------

SECRET_KEY = os.environ.get("SUPERSET_SECRET_KEY", "")
if not SECRET_KEY:
    # Superset would otherwise fall back to a public default key and refuse to start with a
    # less helpful message; say what to do instead.
    raise RuntimeError(
        "SUPERSET_SECRET_KEY is niet gezet. Start Superset via `capmon provision` / "
        "`capmon serve` (die maken een sleutel aan in <superset-home>/secrets.json) of zet "
        "de variabele zelf."
    )

# The launcher sets SUPERSET_HOME (Superset itself also uses it for DATA_DIR); the default
# matches data_paths().superset_home so a hand-started `superset` finds the same metadata.
SUPERSET_HOME = Path(
    os.environ.get("SUPERSET_HOME", Path(__file__).resolve().parents[1] / "data" / "superset")
)
DATA_DIR = str(SUPERSET_HOME)
SQLALCHEMY_DATABASE_URI = f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false"


@event.listens_for(Engine, "connect")
def _sqlite_for_concurrent_viewers(dbapi_connection: object, connection_record: object) -> None:
    """Superset's metadata in SQLite, set up for many requests at once.

    Superset's action log writes three rows per chart-data request, each its own commit. In
    SQLite's default rollback journal every commit waits for the disk (~20 ms here, a third of
    a cached request) while holding the one write lock that every gunicorn worker and thread
    queues for. In WAL mode readers never wait for that writer, and with synchronous=NORMAL a
    commit waits for the disk only at checkpoints: an application crash loses nothing, a power
    cut at most the last commits (action-log rows; dashboards are provisioned from the
    repository). Only SQLite connections: the serving DB (DuckDB) shares this event.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


# SQLAlchemy 1.4 opens and closes a new SQLite connection per request (NullPool); closing the
# last connection of a WAL database checkpoints and removes the log, ~15 ms each time. A small
# pool per worker keeps them open (check_same_thread=false above lets threads share them).
SQLALCHEMY_ENGINE_OPTIONS = {"poolclass": QueuePool, "pool_size": 8, "max_overflow": 8}


# Chart results are cached on disk, shared by every gunicorn worker, so a dashboard opened
# again does not query again: on a 2-core machine a dashboard's dozen queries otherwise queue
# behind each other. Each entry belongs to one publication of the serving DB
# (superset/capmon_cache.py): a lookup only sees results computed from the file that is
# published at that moment, so no viewer ever gets figures of an older publication, and the
# results of the new one are computed once and then shared (the launcher warms them after
# every publication, orchestration/superset_launcher.py). The publish step removes older
# publications' folders (orchestration/warehouse/publish.py, prune_result_cache;
# DataPaths.dashboard_cache is this CACHE_DIR). Hence the long timeout: an entry can only go
# out of date with a publication, never with time. Keys include the row-level-security
# clauses and, for the practice dataset, the user's roles (current_user_roles()), so roles
# never share rows. The serving DB's path comes from the launcher (CAPMON_SERVING_DB) or from
# the file `capmon provision` leaves in SUPERSET_HOME.
_SERVING_DB_FILE = SUPERSET_HOME / "serving_db.txt"
CAPMON_SERVING_DB = os.environ.get("CAPMON_SERVING_DB") or (
    _SERVING_DB_FILE.read_text(encoding="utf-8").strip() if _SERVING_DB_FILE.exists() else ""
)
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "capmon_cache.PublicatieCache",
    "CACHE_DIR": str(SUPERSET_HOME / "cache" / "resultaten"),
    "CAPMON_SERVING_DB": CAPMON_SERVING_DB,
    "CACHE_DEFAULT_TIMEOUT": 7 * 24 * 3600,
    "CACHE_THRESHOLD": 10_000,
}

# Responses are compressed by Flask-Compress, which offers browsers zstd (level 3) first.
# Clients that accept only gzip (scripts, older browsers, the serving benchmark) got level 6:
# for the gemeente map's 340 KB of chart data about 15 ms of a worker's time, against about
# 4 ms at level 1, for a response about a quarter larger (measured on the sample world).
COMPRESS_LEVEL = 1

# --- presentation -------------------------------------------------------------------------

APP_NAME = "Capaciteitsmonitor huisartsenzorg"
# Dutch first; English stays selectable because Superset's Dutch translation is incomplete.
BABEL_DEFAULT_LOCALE = "nl"
LANGUAGES = {
    "nl": {"flag": "nl", "name": "Nederlands"},
    "en": {"flag": "us", "name": "English"},
}
# Dutch number notation in charts: 14.300 fte, 0,23.
D3_FORMAT = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}
CURRENCIES = ["EUR"]

# --- no internet ----------------------------------------------------------------------------

# The machines running this have no internet. A Content-Security-Policy with only our own
# origin keeps the browser from trying (and waiting for) the usage pixel, map tiles and web
# fonts that Superset's default policy allows.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
MAPBOX_API_KEY = ""
# The deck.gl map of gemeenten draws its own polygons (CBS boundaries in the mart); a base map
# would need tiles from the internet, which the CSP above blocks. Offer only the OSM tiles,
# which show where a network allows, instead of Mapbox styles that need a key.
DECKGL_BASE_MAP = [["tile://https://tile.openstreetmap.org/{z}/{x}/{y}.png", "OpenStreetMap"]]

# Feature flags: Superset 6 defaults already include native dashboard filters and
# cross-filters; nothing here needs thumbnails, alerts or Celery. Jinja templating is on for
# one reason: the practice-level dataset's SQL (written by superset/provision_access.py)
# selects the viewer's own region from the viewer's roles, server-side. Viewers cannot write
# SQL of their own (CapmonSecurityManager below), so no template of theirs is ever rendered.
FEATURE_FLAGS: dict[str, bool] = {"ENABLE_TEMPLATE_PROCESSING": True}

# --- security ---------------------------------------------------------------------------------

# CSRF stays on for the browser forms; the REST API authenticates with a bearer token from
# /api/v1/security/login, and state-changing API calls fetch /api/v1/security/csrf_token/.
WTF_CSRF_ENABLED = True
SESSION_COOKIE_SAMESITE = "Lax"
# Served on 127.0.0.1 only; no proxy in front.
ENABLE_PROXY_FIX = False

# Login attempts are limited per client address and user name, on the login page and on
# the API's /api/v1/security/login alike (CapmonSecurityManager.register_views): enough for a
# person mistyping, not for guessing a shared demo password. Flask-Limiter keeps the counts in
# memory, per gunicorn worker, so with two workers a client gets at most twice this.
RATELIMIT_ENABLED = True
RATELIMIT_APPLICATION = None  # no limit on ordinary requests (dashboards fire many at once)
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = "10 per minute"


def _login_sleutel() -> str:
    from flask import request
    from flask_limiter.util import get_remote_address

    if request.is_json:
        naam = (request.get_json(silent=True) or {}).get("username", "")
    else:
        naam = request.form.get("username", "")
    return f"{get_remote_address()}|{str(naam).strip().lower()}"


RATELIMIT_KEY_FUNC = _login_sleutel

# Self-registration and e-mail password recovery stay off (Flask-AppBuilder's defaults).
AUTH_USER_REGISTRATION = False

# What viewers may ask and reach beyond Superset's permissions: superset/capmon_security.py,
# next to this file (Superset loads this file by path, so its folder is not on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from capmon_actielog import GebundeldActielog  # noqa: E402
from capmon_security import CapmonSecurityManager  # noqa: E402

CUSTOM_SECURITY_MANAGER = CapmonSecurityManager
# Superset's action log stores each logged request's form and JSON body; this one blanks
# every password (and token) in it first, e.g. of PUT /api/v1/me/ or a user created by the
# admin in the UI, and writes the rows beside the requests, once a second, instead of
# committing inside every request (superset/capmon_actielog.py).
EVENT_LOGGER = GebundeldActielog()

# Answers Superset already gave are given again from disk where Superset would give the same
# answer to the same question: a viewer's chart data on a public dataset, and per user the
# rest; tied to one publication and one version of these permissions and definitions
# (superset/capmon_antwoorden.py; docs/operations.md, "Serving under load").
if os.environ.get("CAPMON_SUPERSET_ANTWOORDCACHE", "1") != "0":
    from functools import partial

    from capmon_antwoorden import AntwoordCache  # noqa: E402

    ADDITIONAL_MIDDLEWARE = [
        partial(
            AntwoordCache,
            metadata_db=SUPERSET_HOME / "superset.db",
            serving_db=CAPMON_SERVING_DB,
            folder=SUPERSET_HOME / "cache" / "antwoorden",  # DataPaths.answer_cache
            actielog=EVENT_LOGGER,
        )
    ]
