"""Build a site into a staging folder and move it into place only when the build succeeds.

A failed build then leaves the previous site folder as it was, instead of half-written. The
staging folder sits beside the site folder, so the final move is a rename on one file system.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


class WarningCounter(logging.Handler):
    """Counts WARNING and higher records, to know whether a strict build will abort."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class SiteSwap:
    """A staging folder that replaces ``target`` on ``commit``, or is deleted on ``discard``."""

    target: Path
    staging: Path
    warnings: WarningCounter = field(default_factory=WarningCounter)

    @classmethod
    def start(cls, target: Path) -> SiteSwap:
        """Create the staging folder beside ``target`` and start counting warnings."""
        target = target.absolute()
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
        swap = cls(target, staging)
        logging.getLogger("mkdocs").addHandler(swap.warnings)
        return swap

    def commit(self) -> None:
        """Put the staging folder in place of ``target``.

        The old site is renamed aside first and deleted last, so ``target`` is missing only
        between two renames. If the second rename fails, the old site is put back.

        Raises:
            OSError: a rename failed; ``target`` is then as it was.
        """
        self._stop_counting()
        old: Path | None = None
        if self.target.exists() or self.target.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=self.target.parent))
            os.rmdir(old)
            os.replace(self.target, old)
        try:
            os.replace(self.staging, self.target)
        except OSError:
            if old is not None:
                os.replace(old, self.target)
            raise
        if old is not None:
            _remove(old)
        # mkdtemp makes the folder private; give it the permissions a new folder gets.
        os.chmod(self.target, 0o777 & ~_umask())

    def discard(self) -> None:
        """Delete the staging folder and leave ``target`` untouched."""
        self._stop_counting()
        _remove(self.staging)

    def _stop_counting(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
