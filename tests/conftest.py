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
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


#: Test-local aliases of the module paths above.
TESTS_DIR = DATA.parent
PLUGINS_DIR = ROOT / "plugins"
CASES_DIR = DATA / "cases"

#: Seconds a single build may take before the test fails; a hang is a failure, not a wait.
BUILD_TIMEOUT = 600


@dataclass
class BuildResult:
    """A finished ``mkdocs build``: exit status, combined output and the site folder."""

    returncode: int
    output: str
    site_dir: Path
    #: Folder of mkdocs.yml, docs/ and the spec folder of a small site.
    project_dir: Path | None = None

    @property
    def ok(self) -> bool:
        """Whether the build exited with status 0."""
        return self.returncode == 0

    @property
    def warnings(self) -> list[str]:
        """The lines logged at WARNING level."""
        return [line for line in self.output.splitlines() if line.startswith("WARNING")]

    def page_path(self, url: str = "engine/api/v1.45/") -> Path:
        """Return the HTML file of the page published at a site URL."""
        path = self.site_dir / url.strip("/")
        return path / "index.html" if url.endswith("/") or url == "" else path

    def page(self, url: str) -> BeautifulSoup:
        """Parse the built page at a site URL such as ``engine/api/v1.45/``."""
        return BeautifulSoup(self.page_path(url).read_text(encoding="utf-8"), "lxml")

    def soup(self, url: str = "engine/api/v1.45/") -> BeautifulSoup:
        """Parse a built page; the v1.45 reference page by default."""
        return self.page(url)

    def content(self, url: str = "engine/api/v1.45/") -> Tag:
        """Return the API content area (``div.apiref``) of a reference page."""
        area = self.page(url).select_one("div.apiref")
        assert area is not None, f"no div.apiref on {url}"
        return area


#: Alias used by the robustness tests.
SiteBuild = BuildResult


def run_mkdocs(
    config_file: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    env: dict[str, str] | None = None,
    timeout: float = BUILD_TIMEOUT,
) -> BuildResult:
    """Run ``mkdocs build`` in a child process, as a user would.

    This worktree's ``plugins/`` comes first on the import path. A build that runs longer
    than ``timeout`` seconds raises ``subprocess.TimeoutExpired``.
    """
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    child_env = {
        key: value for key, value in os.environ.items() if key != "IECHOR_API_SPECS"
    }
    child_env["NO_MKDOCS_2_WARNING"] = "1"
    child_env["PYTHONPATH"] = os.pathsep.join(
        [str(PLUGINS_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    child_env.update(env or {})
    completed = subprocess.run(
        command, capture_output=True, text=True, env=child_env, cwd=config_file.parent,
        timeout=timeout,
    )
    return BuildResult(
        completed.returncode, completed.stdout + completed.stderr, site_dir, config_file.parent
    )


def build_site(
    tmp_path: Path,
    specs_dir: Path | None = None,
    *,
    docs: dict[str, str] | None = None,
    strict: bool = True,
    config: dict[str, Any] | None = None,
    timeout: float = BUILD_TIMEOUT,
    **options: Any,
) -> BuildResult:
    """Build a small site in ``tmp_path`` with the apiref plugin.

    Calling it again with the same ``tmp_path`` builds the same project again, over the
    site folder of the first build.

    Args:
        tmp_path: folder for mkdocs.yml, docs/ and site/.
        specs_dir: the spec folder (the plugin's ``specs_dir``).
        docs: extra Markdown pages, by path below docs/.
        strict: pass ``--strict``.
        config: extra top-level mkdocs.yml settings; a ``site_dir`` here replaces site/.
        timeout: seconds before the build counts as hung.
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
    site_dir = tmp_path / settings.get("site_dir", "site")
    return run_mkdocs(config_file, site_dir, strict=strict, timeout=timeout)


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


#: A valid Swagger 2.0 spec with one operation; format with ``version="1.45"``.
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


# Browser tests -------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium from Debian's package, driven by Playwright; skips when missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need Playwright for Python"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def serve_folder(folder: Path):
    """Serve ``folder`` over HTTP on 127.0.0.1; returns ``(origin, stop)``."""
    import functools
    import http.server
    import threading

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (the base class's signature)
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # A browser may drop a connection when a test closes its page.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join()

    return f"http://127.0.0.1:{server.server_address[1]}", stop


@pytest.fixture(scope="session")
def real_site_origin(real_site: BuildResult):
    """The real site served on 127.0.0.1 for the whole session."""
    origin, stop = serve_folder(real_site.site_dir)
    yield origin
    stop()
