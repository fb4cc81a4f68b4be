"""Superset's chart-result cache, tied to one publication of the serving DB.

Loaded by ``DATA_CACHE_CONFIG`` in superset_config.py (next to this file, on sys.path there).
Every entry lives in a folder named after the publication it was computed from
(``publication_token``: the serving file's inode, modification time and size, which the
atomic rename of a publication changes). A lookup only ever sees the folder of the
publication on disk at that moment, so a dashboard never shows figures of an older
publication, whatever the timing; nothing has to be emptied for that.

The one race: a query that starts before a publication and finishes after it. Its result
is stored only if the publication it looked up under is still the current one, so a result
of the old file never lands in the new folder. Superset looks up (``get``) and stores
(``set``) a chart's result on one thread of one gunicorn worker, so the lookup's publication
is remembered per thread. A forced query (``force=true``: no lookup first) is not stored.

All gunicorn workers share the folders on disk, so one worker's result serves the others.
``orchestration/warehouse/publish.py`` (``prune_result_cache``) removes the folders of older
publications after each publication; it computes the same token (a test keeps the two equal).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from flask_caching.backends.base import BaseCache
from flask_caching.backends.filesystemcache import FileSystemCache


def publication_token(serving_db: Path) -> str:
    """Names one publication of ``serving_db``; "geen" while there is none."""
    try:
        stat = os.stat(serving_db)
    except FileNotFoundError:
        return "geen"
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


class PublicatieCache(BaseCache):
    """A FileSystemCache per publication; see the module docstring."""

    def __init__(
        self, cache_dir: str, serving_db: str, threshold: int = 10_000, default_timeout: int = 300
    ) -> None:
        super().__init__(default_timeout=default_timeout)
        self._root = Path(cache_dir)
        self._serving_db = Path(serving_db) if serving_db else None
        self._threshold = threshold
        self._caches: dict[str, FileSystemCache] = {}
        self._lock = threading.Lock()
        self._looked_up = threading.local()

    @classmethod
    def factory(cls, app: Any, config: dict, args: list, kwargs: dict) -> PublicatieCache:
        return cls(
            config["CACHE_DIR"],
            config.get("CAPMON_SERVING_DB", ""),
            threshold=config.get("CACHE_THRESHOLD", 10_000),
            default_timeout=config.get("CACHE_DEFAULT_TIMEOUT", 300),
        )

    def _token(self) -> str:
        return publication_token(self._serving_db) if self._serving_db else "onbekend"

    def _cache(self, token: str) -> FileSystemCache:
        with self._lock:
            cache = self._caches.get(token)
            if cache is None:
                cache = FileSystemCache(
                    str(self._root / token),
                    threshold=self._threshold,
                    default_timeout=self.default_timeout,
                )
                self._caches = {token: cache}  # older publications are never read again
            return cache

    def _seen(self) -> dict[str, str]:
        if not hasattr(self._looked_up, "keys"):
            self._looked_up.keys = {}
        return self._looked_up.keys

    def get(self, key: str) -> Any:
        token = self._token()
        seen = self._seen()
        if len(seen) > 256:  # lookups that hit are never stored; keep the memory bounded
            seen.clear()
        seen[key] = token
        return self._cache(token).get(key)

    def has(self, key: str) -> bool:
        return self._cache(self._token()).has(key)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        looked_up = self._seen().pop(key, None)
        token = self._token()
        if looked_up != token:
            return False  # computed while a publication swapped the file, or forced
        cache = self._cache(token)
        # The folder goes when someone empties the cache (bench/dashboards.py's cold runs):
        # make it again rather than stop caching.
        (self._root / token).mkdir(parents=True, exist_ok=True)
        return cache.set(key, value, timeout=timeout)

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return self.set(key, value, timeout) if not self.has(key) else False

    def delete(self, key: str) -> bool:
        return self._cache(self._token()).delete(key)

    def clear(self) -> bool:
        return self._cache(self._token()).clear()
