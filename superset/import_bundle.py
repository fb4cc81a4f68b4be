"""Import the dashboard bundle, overwriting every object it defines.

Runs in the Superset environment (``.venv-superset/bin/python superset/import_bundle.py
BUNDLE.zip USERNAME``), started by ``capmon provision``. Superset's own
``import-dashboards`` keeps existing databases, datasets and charts as they are, so a
changed chart in the repository would never reach an installed Superset; the assets
importer treats the bundle as the source of truth, which is what dashboards-as-code needs.
"""

import json
import sys
import zipfile


def set_filter_scopes(dashboards) -> None:
    """Each native filter applies to the dashboard's charts minus its excluded ones.

    The importer maps the chart ids of ``scope.excluded`` but not those of
    ``chartsInScope``, which the front end uses to decide what a filter reaches.
    """
    for dashboard in dashboards:
        metadata = json.loads(dashboard.json_metadata or "{}")
        chart_ids = sorted(chart.id for chart in dashboard.slices)
        for native_filter in metadata.get("native_filter_configuration", []):
            excluded = set(native_filter.get("scope", {}).get("excluded", []))
            native_filter["chartsInScope"] = [i for i in chart_ids if i not in excluded]
        dashboard.json_metadata = json.dumps(metadata)


def importeer(bundle_path: str, username: str) -> None:
    """Import the bundle as ``username``; inside a Superset app context."""
    from flask import g
    from superset import db, security_manager
    from superset.commands.importers.v1.assets import ImportAssetsCommand
    from superset.commands.importers.v1.utils import get_contents_from_bundle
    from superset.models.dashboard import Dashboard

    g.user = security_manager.find_user(username=username)
    with zipfile.ZipFile(bundle_path) as bundle:
        contents = get_contents_from_bundle(bundle)
    ImportAssetsCommand(contents).run()
    set_filter_scopes(db.session.query(Dashboard).all())
    db.session.commit()
    print(f"{len(contents)} bestanden uit {bundle_path} geïmporteerd")


def main(bundle_path: str, username: str) -> None:
    from superset.app import create_app

    with create_app().app_context():
        importeer(bundle_path, username)


if __name__ == "__main__":
    main(*sys.argv[1:3])
