"""Run crafted practice queries through Superset's own query builder, one barrier at a time.

Runs in the Superset environment (``.venv-superset/bin/python``), started by
test_access.py with the test server's environment; prints one JSON object. The REST API
cannot show the practice dataset's own barrier on its own, because CapmonSecurityManager
refuses crafted requests before any SQL is built. Here each query goes straight to
``SqlaTable.query`` as a demo user, so what stops it is only:

- ``dataset``: the dataset's SQL (own region from the user's roles), row-level security off;
- ``dataset+rls``: that SQL with row-level security on (what the server runs);
- ``rls_only``: the raw table (``select * from marts.fct_praktijk_signalen``) with row-level
  security on, Superset's protection before issue 9: the control, which must leak.

The dataset object is detached from the session first, so the control's SQL is never
stored in Superset's metadata.

Usage: practice_barrier_probe.py DATASET USERS_JSON ATTACKS_JSON
"""

from __future__ import annotations

import contextlib
import json
import sys
from unittest import mock


def main(dataset_name: str, usernames: list[str], attacks: dict[str, dict]) -> dict:
    from superset.app import create_app

    app = create_app()
    results: dict[str, dict] = {}
    with app.app_context(), app.test_request_context():
        from flask import g
        from superset import db
        from superset import security_manager as sm
        from superset.connectors.sqla.models import SqlaTable

        dataset = db.session.query(SqlaTable).filter_by(table_name=dataset_name).one()
        dataset_sql = dataset.sql
        # Detached, so that the control's SQL below can never be flushed to the metadata DB
        # (Superset commits its session while querying, e.g. for the action log).
        _ = (dataset.columns, dataset.metrics, dataset.database)
        db.session.expunge(dataset)
        raw_sql = "select * from marts.fct_praktijk_signalen"
        modes = {
            "dataset": (dataset_sql, False),
            "dataset+rls": (dataset_sql, True),
            "rls_only": (raw_sql, True),
        }
        for username in usernames:
            g.user = sm.find_user(username=username)
            for attack_name, attack in attacks.items():
                for mode, (sql, rls) in modes.items():
                    dataset.sql = sql
                    no_rls = (
                        contextlib.nullcontext()
                        if rls
                        else mock.patch.object(
                            SqlaTable, "get_sqla_row_level_filters", return_value=[]
                        )
                    )
                    query_obj = {
                        "columns": ["azw_regio_code", "praktijk_agb"],
                        "metrics": [],
                        "filter": [],
                        "extras": {},
                        "is_timeseries": False,
                        "granularity": None,
                        "from_dttm": None,
                        "to_dttm": None,
                        "row_limit": 100000,
                        **attack,
                    }
                    key = f"{username}|{attack_name}|{mode}"
                    try:
                        with no_rls:
                            result = dataset.query(query_obj)
                    except Exception as error:  # noqa: BLE001  (a refusal is an outcome)
                        results[key] = {"refused": str(error)[:200]}
                        continue
                    if result.df is None or result.error_message:
                        results[key] = {"refused": str(result.error_message)[:200]}
                        continue
                    codes = result.df["azw_regio_code"].tolist()
                    results[key] = {
                        "rows": len(codes),
                        "regions": sorted({str(code) for code in codes}),
                    }
        dataset.sql = dataset_sql
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]))))
