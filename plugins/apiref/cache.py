"""On-disk cache of checked specs and rendered pages, keyed by content hashes.

A key is the SHA-256 of everything that shapes a value: the spec file's bytes, the options
that reach the renderer, and the ``code_digest`` of this package (its Python modules and
templates). Editing a spec, an option or a template, or upgrading the package, therefore
misses the cache instead of serving stale HTML. Entries are pickles written atomically (a temporary
file renamed into place), so two builds sharing a folder never read a half-written entry.

The cache only stores results of successful loads and renders. A file that has errors is
read and checked again on every build, so its errors are reported every time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).parent

#: Bumped when the layout of cache entries changes.
CACHE_FORMAT = 1


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash the package version, its Python modules and its templates.

    Any change to the code that loads or renders a spec changes every key.
    """
    digest = hashlib.sha256(f"apiref {__version__} format {CACHE_FORMAT}".encode())
    files = sorted(PACKAGE_DIR.glob("*.py")) + sorted((PACKAGE_DIR / "templates").rglob("*"))
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def make_key(kind: str, *parts: Any) -> str:
    """Build a key from a kind (``spec``, ``page``...) and values that ``repr`` spells fully.

    ``parts`` must be built from str, bytes, numbers, bools, None, tuples, lists and dicts, whose
    ``repr`` is a faithful spelling of the value.
    """
    digest = hashlib.sha256(kind.encode())
    digest.update(code_digest().encode())
    digest.update(repr(parts).encode())
    return f"{kind}-{digest.hexdigest()}"


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, or of nothing when it cannot be read.

    An unreadable file gets a key that never matches a stored entry of a readable one, and
    the load that follows reports the error.
    """
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


class BuildCache:
    """A folder of pickled values, one file per key.

    Reading a missing, truncated or foreign entry returns None, so a damaged cache costs a
    rebuild of that entry and never fails the build.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0
        #: Keys looked up or stored through this object, which ``prune`` keeps.
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.pickle"

    def has(self, key: str) -> bool:
        """Check that an entry for ``key`` exists; it may still fail to load."""
        self.used.add(key)
        return self._path(key).is_file()

    def get(self, key: str) -> Any | None:
        """Return the value stored under ``key``, or None."""
        self.used.add(key)
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            # The cache folder is written by this package only, like a build output folder.
            value = pickle.loads(data)  # noqa: S301
        except Exception as error:  # noqa: BLE001 - any damage means "not cached"
            log.debug("Ignoring damaged cache entry %s: %s", path, error)
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``; a cache that cannot be written is skipped with a log."""
        self.used.add(key)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self._path(key))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            log.warning("Cannot write the cache entry %s in %s: %s", key, self.directory, error)

    def prune(self, keep: set[str]) -> int:
        """Delete the entries whose key is not in ``keep``; return how many were deleted.

        Called after a successful build with the keys that build used, so entries of edited
        or removed specs do not pile up while ``mkdocs serve`` rebuilds.
        """
        removed = 0
        try:
            entries = list(self.directory.glob("*.pickle"))
        except OSError:
            return 0
        for path in entries:
            if path.stem not in keep:
                try:
                    path.unlink()
                except OSError:
                    continue
                removed += 1
        return removed
