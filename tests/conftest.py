"""Shared fixtures: real MkDocs builds of small sites, of the project site and of the real
site built from the upstream spec folder named by IECHOR_API_SPECS."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class BuildResult:
    """A finished ``mkdocs build``: exit status, combined output and the site folder."""

    returncode: int
    output: str
    site_dir: Path

    def page(self, url: str) -> BeautifulSoup:
        """Parse the built page at a site URL such as ``engine/api/v1.45/``."""
        path = self.site_dir / url.strip("/")
        if url.endswith("/") or url == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def run_mkdocs(
    config_file: Path, site_dir: Path, *, strict: bool = True, env: dict[str, str] | None = None
) -> BuildResult:
    """Run ``mkdocs build`` in a child process, as a user would."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    child_env = {
        key: value for key, value in os.environ.items() if key != "IECHOR_API_SPECS"
    }
    child_env["NO_MKDOCS_2_WARNING"] = "1"
    child_env.update(env or {})
    completed = subprocess.run(
        command, capture_output=True, text=True, env=child_env, cwd=config_file.parent,
        timeout=600,
    )
    return BuildResult(completed.returncode, completed.stdout + completed.stderr, site_dir)


def build_site(
    tmp_path: Path,
    specs_dir: Path | None = None,
    *,
    docs: dict[str, str] | None = None,
    strict: bool = True,
    config: dict[str, Any] | None = None,
    **options: Any,
) -> BuildResult:
    """Build a small site in ``tmp_path`` with the apiref plugin.

    Args:
        tmp_path: folder for mkdocs.yml, docs/ and site/.
        specs_dir: the spec folder (the plugin's ``specs_dir``).
        docs: extra Markdown pages, by path below docs/.
        strict: pass ``--strict``.
        config: extra top-level mkdocs.yml settings.
        **options: the plugin's options.
    """
    docs_dir = tmp_path / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    pages = {"index.md": "# Home\n"}
    pages.update(docs or {})
    for name, text in pages.items():
        path = docs_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    plugin_options: dict[str, Any] = {"nav_section": ""}
    if specs_dir is not None:
        plugin_options["specs_dir"] = str(specs_dir)
    plugin_options.update(options)
    settings: dict[str, Any] = {
        "site_name": "Test site",
        "site_url": "https://docs.example.com/",
        "theme": {"name": "material"},
        "markdown_extensions": [{"toc": {"permalink": True}}, "tables"],
        "plugins": ["search", {"apiref": plugin_options}],
    }
    settings.update(config or {})
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return run_mkdocs(config_file, tmp_path / "site", strict=strict)


@pytest.fixture(scope="session")
def real_specs_dir() -> Path:
    """The upstream spec folder named by IECHOR_API_SPECS; skips the test when it is unset."""
    value = os.environ.get("IECHOR_API_SPECS")
    if not value:
        pytest.skip("IECHOR_API_SPECS is not set; set it to the upstream spec folder "
                    "(for example ../shared/engine-api) to run the tests on the real specs")
    path = Path(value).resolve()
    if not (path / "v1.45.yaml").is_file():
        pytest.skip(f"IECHOR_API_SPECS={value} holds no v1.45.yaml; the upstream spec folder "
                    "is missing")
    return path


@pytest.fixture(scope="session")
def real_site(real_specs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The project site built with --strict from the upstream spec folder (once a session)."""
    site_dir = tmp_path_factory.mktemp("real-site") / "site"
    result = run_mkdocs(
        ROOT / "mkdocs.yml", site_dir, env={"IECHOR_API_SPECS": str(real_specs_dir)}
    )
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The project site built with --strict from the project's own specs/ (once a session)."""
    site_dir = tmp_path_factory.mktemp("project-site") / "site"
    result = run_mkdocs(ROOT / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.output
    return result


def _resolve_href(site_dir: Path, page_file: Path, href: str) -> tuple[Path | None, str]:
    """Map a link on a built page to the file it opens and its fragment."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(href)
    fragment = unquote(parts.fragment)
    if not parts.path:
        return page_file, fragment
    if parts.path.startswith("/"):
        target = site_dir / unquote(parts.path).lstrip("/")
    else:
        target = (page_file.parent / unquote(parts.path)).resolve()
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, fragment


def broken_links(site_dir: Path, page_file: Path, selector: str = "a[href]") -> list[str]:
    """List the links on a built page whose file or ``#fragment`` id does not exist.

    Links with a scheme (``https:``, ``mailto:``) are not followed.
    """
    from urllib.parse import urlsplit

    soup = BeautifulSoup(page_file.read_text(encoding="utf-8"), "lxml")
    problems = []
    parsed: dict[Path, set[str]] = {}
    for anchor in soup.select(selector):
        href = anchor["href"]
        if urlsplit(href).scheme:
            continue
        target, fragment = _resolve_href(site_dir, page_file, href)
        if target is None or not target.is_file():
            problems.append(f"{href}: no file {target}")
            continue
        if fragment and target.suffix == ".html":
            if target not in parsed:
                target_soup = BeautifulSoup(target.read_text(encoding="utf-8"), "lxml")
                parsed[target] = {tag["id"] for tag in target_soup.select("[id]")}
            if fragment not in parsed[target]:
                problems.append(f"{href}: no id '{fragment}' in {target.name}")
    return problems
