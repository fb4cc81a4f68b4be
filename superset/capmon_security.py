"""What a viewer may ask Superset, beyond its role's permissions.

Loaded by superset_config.py (``CUSTOM_SECURITY_MANAGER``). A viewer is
any user without the ``Admin`` or ``Beheer`` role: ``Landelijk`` and the ``Regio …`` roles.

Three rules, each closing a way around the datasets' own protection (README, "Users and
access"):

1. **No SQL of their own.** A viewer's chart-data request (``/api/v1/chart/data``, legacy
   ``/superset/explore_json/``, samples, drill-to-detail) may name the dataset's columns and
   saved metrics only: an ad-hoc SQL expression is accepted only when it is exactly a column
   name (what the front end sends for an x-axis), and free ``where``/``having`` clauses,
   SQL metrics and annotation layers (which run other charts' queries) are refused. Superset
   pastes such expressions into its WHERE clause unparenthesised, so ``TRUE OR col`` with
   ``IS NULL`` would otherwise turn ``X OR col IS NULL AND (<row-level security>)`` into
   ``X OR (…)``: all rows. It also keeps viewers' text away from the Jinja renderer.
2. **No browsing around the datasets.** The database API (schemas, tables, ``select_star``,
   ``table_metadata``), the owner/role pickers (every user's name and e-mail, every role),
   the user and role lists, exports (their ZIP holds the database definition with the server
   path) and changing the own profile or password (the demo accounts are shared) answer 403.
3. **No passwords in the action log.** Superset's event logger stores each logged request's
   form and JSON body; ``scrub`` blanks secrets first (used by capmon_actielog.py, the
   ``EVENT_LOGGER``).
"""

from __future__ import annotations

import re
from typing import Any

from flask import has_request_context, request
from superset.errors import ErrorLevel, SupersetError, SupersetErrorType
from superset.exceptions import SupersetSecurityException
from superset.security import SupersetSecurityManager

TRUSTED_ROLES = frozenset({"Admin", "Beheer"})

# (methods or None for all, path pattern): requests a viewer is refused whatever its role's
# permissions say. Paths as Superset 6.1 / Flask-AppBuilder 5 route them.
_BLOCKED_FOR_VIEWERS: tuple[tuple[frozenset[str] | None, re.Pattern[str]], ...] = tuple(
    (methods, re.compile(pattern))
    for methods, pattern in (
        (None, r"^/api/v1/database(/|$)"),
        (None, r"^/api/v1/[a-z_]+/related/"),
        (None, r"^/api/v1/[a-z_]+/distinct/"),
        (None, r"^/api/v1/[a-z_]+/export/"),
        (None, r"^/api/v1/assets/export"),
        (None, r"^/api/v1/security/(users|roles|permissions|groups|permissions-resources)"),
        (frozenset({"PUT", "POST", "PATCH", "DELETE"}), r"^/api/v1/me/?$"),
        (
            None,
            r"^/(users|roles|groups|resetmypassword|resetpassword|userinfoeditview|"
            r"register|registeruser|registeruserdbview|list_users|list_roles|list_groups)(/|$)",
        ),
    )
)

# Keys of a chart-data query's ``extras`` that carry no SQL; ``where`` and ``having`` do.
_SAFE_EXTRAS = frozenset(
    {
        "time_grain_sqla",
        "relative_start",
        "relative_end",
        "instant_time_comparison_range",
        "time_range_endpoints",
    }
)
_SIMPLE_AGGREGATES = frozenset({"SUM", "AVG", "MIN", "MAX", "COUNT", "COUNT_DISTINCT"})
# Words in a logged payload's keys whose values are never stored.
_SECRET_KEY = re.compile(r"pass(word)?|wachtwoord|secret|token", re.IGNORECASE)


def _refusal(message: str) -> SupersetSecurityException:
    return SupersetSecurityException(
        SupersetError(
            error_type=SupersetErrorType.QUERY_SECURITY_ACCESS_ERROR,
            message=message,
            level=ErrorLevel.ERROR,
        )
    )


class QueryShape:
    """Checks that a query names only the dataset's own columns and metrics."""

    def __init__(self, datasource: Any) -> None:
        self.columns = set(datasource.column_names)
        self.metrics = {metric.metric_name for metric in datasource.metrics}
        self.name = getattr(datasource, "table_name", "?")

    def column(self, ref: Any) -> bool:
        if isinstance(ref, str):
            return ref in self.columns
        if isinstance(ref, dict):
            if ref.get("expressionType") not in (None, "SQL"):
                return False
            expression = ref.get("sqlExpression")
            if expression is None:
                expression = ref.get("column_name")
            return isinstance(expression, str) and expression in self.columns
        return False

    def metric(self, ref: Any) -> bool:
        if isinstance(ref, str):
            return ref in self.metrics
        if isinstance(ref, dict) and ref.get("expressionType") == "SIMPLE":
            column = ref.get("column") or {}
            return (
                ref.get("aggregate") in _SIMPLE_AGGREGATES
                and isinstance(column, dict)
                and column.get("column_name") in self.columns
            )
        return False

    def problems(self, query: dict[str, Any]) -> list[str]:
        """What in a query (a QueryObject's fields, or a legacy viz's query_obj) is not allowed."""
        found = []
        for key in ("columns", "groupby", "series_columns"):
            found += [f"{key}: {ref!r}" for ref in query.get(key) or [] if not self.column(ref)]
        found += [f"metrics: {ref!r}" for ref in query.get("metrics") or [] if not self.metric(ref)]
        for item in query.get("filter") or query.get("filters") or []:
            # deck.gl charts filter on a saved metric's name (``IS NOT NULL``): admin-written SQL.
            col = item.get("col") if isinstance(item, dict) else None
            if not (self.column(col) or (isinstance(col, str) and col in self.metrics)):
                found.append(f"filter: {item!r}")
        for item in query.get("orderby") or []:
            ref = item[0] if isinstance(item, list | tuple) and item else item
            if not (self.column(ref) or self.metric(ref)):
                found.append(f"orderby: {item!r}")
        for key in ("series_limit_metric", "timeseries_limit_metric"):
            ref = query.get(key)
            if ref and not (self.metric(ref) or self.column(ref)):
                found.append(f"{key}: {ref!r}")
        granularity = query.get("granularity")
        if granularity and not self.column(granularity):
            found.append(f"granularity: {granularity!r}")
        extras = query.get("extras") or {}
        for key, value in extras.items():
            if key not in _SAFE_EXTRAS and value not in (None, "", [], {}):
                found.append(f"extras.{key}: {value!r}")
        if query.get("annotation_layers"):
            found.append("annotation_layers")
        return found


class CapmonSecurityManager(SupersetSecurityManager):
    def is_viewer(self) -> bool:
        """Anyone without Admin or Beheer (anonymous users included)."""
        return not {role.name for role in self.get_user_roles()} & TRUSTED_ROLES

    def has_access(self, permission_name: str, view_name: str) -> bool:
        if has_request_context() and self._blocked_request() and self.is_viewer():
            return False
        return super().has_access(permission_name, view_name)

    @staticmethod
    def _blocked_request() -> bool:
        return any(
            (methods is None or request.method in methods) and pattern.search(request.path)
            for methods, pattern in _BLOCKED_FOR_VIEWERS
        )

    def raise_for_access(self, *args: Any, **kwargs: Any) -> None:
        super().raise_for_access(*args, **kwargs)
        query_context, viz = kwargs.get("query_context"), kwargs.get("viz")
        if (query_context is None and viz is None) or not self.is_viewer():
            return
        checks = []
        if query_context is not None:
            for query in query_context.queries:
                datasource = query.datasource or query_context.datasource
                checks.append((QueryShape(datasource), vars(query)))
        if viz is not None:
            try:
                query_obj = viz.query_obj()
            except Exception as error:  # noqa: BLE001  (refuse what cannot be checked)
                raise _refusal(
                    f"Deze grafiekvraag kan niet worden gecontroleerd: {error}"
                ) from None
            checks.append((QueryShape(viz.datasource), query_obj))
        for shape, query in checks:
            if problems := shape.problems(query):
                raise _refusal(
                    "Alleen de kolommen en maten van de dataset zijn toegestaan, geen eigen "
                    f"SQL ({shape.name}: {'; '.join(problems)[:300]})."
                )

    def register_views(self) -> None:
        """Superset limits the login page; limit the API's login (and refresh) the same way."""
        super().register_views()
        if not self.is_auth_limited:
            return
        from flask_appbuilder.security.api import SecurityApi

        for view in self.appbuilder.baseviews:
            if isinstance(view, SecurityApi) and getattr(view, "blueprint", None) is not None:
                self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)


def scrub(value: Any) -> Any:
    """A copy of a logged payload with every secret-looking key's value blanked."""
    if isinstance(value, dict):
        return {
            key: "***" if isinstance(key, str) and _SECRET_KEY.search(key) else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value
