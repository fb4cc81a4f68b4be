"""Import the dashboard bundle, overwriting every object it defines.

Runs in the Superset environment (``.venv-superset/bin/python superset/import_bundle.py
BUNDLE.zip USERNAME``), started by ``capmon provision``. Superset's own
``import-dashboards`` keeps existing databases, datasets and charts as they are, so a
changed chart in the repository would never reach an installed Superset; the assets
importer treats the bundle as the source of truth, which is what dashboards-as-code needs.
"""

import sys
import zipfile


def main(bundle_path: str, username: str) -> None:
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from flask import g
        from superset import security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle

        g.user = security_manager.find_user(username=username)
        with zipfile.ZipFile(bundle_path) as bundle:
            contents = get_contents_from_bundle(bundle)
        ImportAssetsCommand(contents).run()
        print(f"{len(contents)} bestanden uit {bundle_path} geïmporteerd")


if __name__ == "__main__":
    main(*sys.argv[1:3])
