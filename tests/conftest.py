"""Shared fixtures: real ``mkdocs build`` runs into a temporary project, and their pages.

``build_site`` writes a small ``mkdocs.yml`` (theme material, plugins search and apiref) into
a project folder, runs ``python -m mkdocs build`` there in a subprocess with this worktree's
``plugins/`` first on the import path, and returns a ``SiteBuild`` with the completed process
and the site folder. Pages are parsed with BeautifulSoup and lxml.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

TESTS_DIR = Path(__file__).parent
PLUGINS_DIR = TESTS_DIR.parent / "plugins"
CASES_DIR = TESTS_DIR / "data" / "cases"

#: Seconds a single build may take before the test fails; a hang is a failure, not a wait.
BUILD_TIMEOUT = 120


@dataclass
class SiteBuild:
    """A finished ``mkdocs build``: its process and the folder it built into."""

    process: subprocess.CompletedProcess[str]
    site_dir: Path
    project_dir: Path

    @property
    def ok(self) -> bool:
        """Whether the build exited with status 0."""
        return self.process.returncode == 0

    @property
    def output(self) -> str:
        """Everything the build printed, stdout then stderr."""
        return self.process.stdout + self.process.stderr

    @property
    def warnings(self) -> list[str]:
        """The lines logged at WARNING level."""
        return [line for line in self.output.splitlines() if line.startswith("WARNING")]

    @property
    def errors(self) -> list[str]:
        """The lines logged at ERROR level."""
        return [line for line in self.output.splitlines() if line.startswith("ERROR")]

    def page_path(self, url: str = "engine/api/v1.45/") -> Path:
        """Return the HTML file of the page published at ``url``."""
        path = self.site_dir / url
        return path / "index.html" if url.endswith("/") or not url else path

    def soup(self, url: str = "engine/api/v1.45/") -> BeautifulSoup:
        """Parse the page published at ``url``."""
        return BeautifulSoup(self.page_path(url).read_text(encoding="utf-8"), "lxml")

    def content(self, url: str = "engine/api/v1.45/") -> Tag:
        """Return the API content area (``div.apiref``) of a reference page."""
        area = self.soup(url).select_one("div.apiref")
        assert area is not None, f"no div.apiref on {url}"
        return area


def build_site(
    project_dir: Path,
    specs_dir: Path | None,
    *,
    docs: dict[str, str] | None = None,
    config: dict[str, Any] | None = None,
    strict: bool = False,
    timeout: float = BUILD_TIMEOUT,
    **options: Any,
) -> SiteBuild:
    """Build a site with the apiref plugin and return the finished build.

    Args:
        project_dir: folder for ``mkdocs.yml``, ``docs/`` and ``site/``; reused if it exists,
            so a second call builds the same project again.
        specs_dir: the plugin's ``specs_dir``; None leaves the option unset.
        docs: extra Markdown pages, source path -> text (``index.md`` exists by default).
        config: top-level ``mkdocs.yml`` keys that replace the defaults.
        strict: run with ``--strict``.
        timeout: seconds before the build counts as hung (``subprocess.TimeoutExpired``).
        **options: apiref plugin options; ``nav_section`` defaults to ``""``.
    """
    docs_dir = project_dir / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    index = docs_dir / "index.md"
    if not index.exists():
        index.write_text("# Home\n", encoding="utf-8")
    for src_uri, text in (docs or {}).items():
        path = docs_dir / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    plugin_options: dict[str, Any] = {"nav_section": ""}
    if specs_dir is not None:
        plugin_options["specs_dir"] = str(specs_dir)
    plugin_options.update(options)
    settings: dict[str, Any] = {
        "site_name": "Test site",
        "theme": {"name": "material"},
        "plugins": ["search", {"apiref": plugin_options}],
    }
    settings.update(config or {})
    (project_dir / "mkdocs.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PLUGINS_DIR), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("IECHOR_API_SPECS", None)
    command = [sys.executable, "-m", "mkdocs", "build"] + (["--strict"] if strict else [])
    process = subprocess.run(
        command,
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    site_dir = Path(settings.get("site_dir", "site"))
    return SiteBuild(process, project_dir / site_dir, project_dir)


@pytest.fixture
def site_builder() -> Callable[..., SiteBuild]:
    """The ``build_site`` function, for tests that prefer a fixture to an import."""
    return build_site


@pytest.fixture
def cases_dir() -> Path:
    """The folder of reported failure cases, one sub-folder of input files per case."""
    return CASES_DIR


def write_spec(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` as the spec file ``folder/name`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_SPEC = """\
swagger: "2.0"
info:
  title: Minimal
  version: "{version}"
paths:
  /_ping:
    get:
      operationId: SystemPing
      summary: Ping the server
      responses:
        "200":
          description: OK
"""
