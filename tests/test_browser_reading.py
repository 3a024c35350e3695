"""Reading the real reference site in headless Chromium: the version switcher, deep links,
"Added in" badges, the site search and both colour schemes.

The site is built once a session from the upstream spec folder set in IECHOR_API_SPECS and
served by ``http.server`` on 127.0.0.1. The tests skip when that folder, Playwright or
Chromium is missing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import BuildResult

pytestmark = [pytest.mark.browser, pytest.mark.real]

#: Where the screenshots for a visual check go.
SCREENSHOTS = Path(os.environ.get("APIREF_SCREENSHOTS", "/tmp"))


@pytest.fixture(scope="session")
def server(real_site_origin: str) -> str:
    """The base URL of the real site served on 127.0.0.1, with a trailing slash."""
    return real_site_origin.rstrip("/") + "/"


@pytest.fixture(scope="session")
def browser(chromium):
    """Headless Chromium from the shared fixture, which skips when it or Playwright is missing."""
    return chromium


def local_only(context) -> None:
    """Abort every request that leaves 127.0.0.1, such as the theme's web fonts."""
    context.route(
        re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort()
    )


@pytest.fixture()
def page(browser, server: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    local_only(context)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


def scroll_to(tab, element_id: str) -> None:
    """Scroll the element to the top of the window the way a reader would: until it stays.

    Bodies near the window are laid out only when they come near it (content-visibility),
    so one jump can be pushed away by a body above it that gets its real height.
    """
    tab.evaluate(
        """async (id) => {
            const element = document.getElementById(id);
            const pause = () => new Promise((resolve) => setTimeout(resolve, 100));
            const atTop = () => {
                const top = element.getBoundingClientRect().top;
                const margin = parseFloat(getComputedStyle(element).scrollMarginTop) || 0;
                return Math.abs(top - margin) <= 2;
            };
            for (let attempt = 0; attempt < 20; attempt++) {
                element.scrollIntoView();
                await pause();
                if (atTop()) {
                    await pause();
                    if (atTop()) return;
                }
            }
            throw new Error(`${id} does not stay at the top of the window`);
        }""",
        element_id,
    )


def in_view(tab, element_id: str) -> bool:
    """Whether the element with ``element_id`` comes to the top half of the window within 5 s
    and stays there for 300 ms.

    The page's script may move it there a few frames after loading (see ``scroll_to``).
    """
    return tab.evaluate(
        """async (id) => {
            const inTopHalf = () => {
                const element = document.getElementById(id);
                if (!element) return false;
                const box = element.getBoundingClientRect();
                return box.top >= 0 && box.top < window.innerHeight / 2;
            };
            const start = performance.now();
            let since = null;
            while (performance.now() - start < 5000) {
                if (!inTopHalf()) {
                    since = null;
                } else if (since === null) {
                    since = performance.now();
                } else if (performance.now() - since >= 300) {
                    return true;
                }
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            return false;
        }""",
        element_id,
    )


def first_version_with(specs_dir: Path, operation_id: str) -> str:
    """Find the first spec file that declares ``operation_id``, reading the YAML itself."""
    versions = sorted(
        (path for path in specs_dir.glob("v1.*.yaml")),
        key=lambda path: int(path.stem.split(".")[1]),
    )
    for path in versions:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for methods in document["paths"].values():
            for operation in methods.values():
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return path.stem[1:]
    raise AssertionError(f"no spec declares {operation_id}")


# Version switcher ---------------------------------------------------------------------------


def test_switcher_keeps_operation_in_older_version(page, server: str) -> None:
    page.goto(server + "engine/api/v1.45/#operation/ContainerLogs")
    page.select_option(".apiref-switcher select", label="v1.30")
    page.wait_for_url(re.compile(r"/engine/api/v1\.30/"))
    page.wait_for_load_state("load")
    assert page.evaluate("document.querySelector('.apiref').dataset.apiVersion") == "1.30"
    assert page.evaluate("decodeURIComponent(location.hash)") == "#operation/ContainerLogs"
    assert in_view(page, "operation/ContainerLogs")
    assert page.locator(".apiref-notice").is_hidden()


def test_switcher_keeps_place_after_scrolling(page, server: str) -> None:
    page.goto(server + "engine/api/v1.45/")
    scroll_to(page, "operation/ImageBuild")
    page.select_option(".apiref-switcher select", label="v1.30")
    page.wait_for_url(re.compile(r"/engine/api/v1\.30/"))
    page.wait_for_load_state("load")
    assert in_view(page, "operation/ImageBuild")


def test_switcher_notice_for_missing_operation(page, server: str, real_specs_dir: Path) -> None:
    assert first_version_with(real_specs_dir, "VolumeUpdate") == "1.42"
    page.goto(server + "engine/api/v1.45/#operation/VolumeUpdate")
    page.select_option(".apiref-switcher select", label="v1.30")
    page.wait_for_url(re.compile(r"/engine/api/v1\.30/"))
    notice = page.locator(".apiref-notice")
    notice.wait_for(state="visible")
    text = notice.inner_text()
    assert "VolumeUpdate" in text
    assert "v1.30" in text
    assert "v1.45" in text
    assert "?from=" not in page.url


def test_plain_version_links_remain_without_script(browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    local_only(context)
    tab = context.new_page()
    tab.goto(server + "engine/api/v1.45/")
    links = tab.locator(".apiref-versions a[data-version]")
    assert links.count() == 22
    assert links.first.is_visible()
    context.close()


# Deep links ---------------------------------------------------------------------------------


def test_deep_link_exact_without_script(browser, server: str) -> None:
    # Without script, nothing corrects the landing, so every body is laid out at once.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    local_only(context)
    tab = context.new_page()
    tab.goto(server + "engine/api/v1.30/#operation/ContainerLogs", wait_until="load")
    heading = tab.locator("[id='operation/ContainerLogs']")
    box = heading.bounding_box()
    margin = tab.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('operation/ContainerLogs'))"
        ".scrollMarginTop)"
    )
    body = tab.locator(".apiref-op__body").first
    assert body.evaluate("(element) => getComputedStyle(element).contentVisibility") == "visible"
    assert box is not None
    assert abs(box["y"] - margin) <= 2
    context.close()


def test_lazy_bodies_with_script(page, server: str) -> None:
    page.goto(server + "engine/api/v1.30/#operation/ContainerLogs")
    body = page.locator(".apiref-op__body").first
    assert body.evaluate("(element) => getComputedStyle(element).contentVisibility") == "auto"
    assert in_view(page, "operation/ContainerLogs")


def test_copy_button_copies_example(browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    local_only(context)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(server + "engine/api/v1.45/#operation/ContainerList")
    section = tab.locator("section[data-context='operation/ContainerList']")
    summary = section.locator("details.apiref-curl > summary")
    summary.focus()
    summary.press("Enter")
    button = section.locator("details.apiref-curl .apiref-copy")
    button.click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("curl --unix-socket")
    assert copied.rstrip().endswith('"http://localhost/v1.45/containers/json"')
    assert button.inner_text() == "Copied"
    context.close()


@pytest.mark.parametrize(
    ("fragment", "element_id"),
    [
        ("operation/ContainerList", "operation/ContainerList"),
        ("/operation/ContainerList", "operation/ContainerList"),
        ("tag/Container", "tag/Container"),
        ("/tag/Container", "tag/Container"),
        ("tag/Container/operation/ContainerList", "operation/ContainerList"),
        ("/tag/Container/operation/ContainerList", "operation/ContainerList"),
        ("tag/Container/paths/~1containers~1json/get", "operation/ContainerList"),
        ("section/Authentication", "section/Authentication"),
        ("/section/Authentication", "section/Authentication"),
        ("operation/PostPluginsEnable", "operation/PluginEnable"),
        ("operation/ContainerList/parameter/all", "operation/ContainerList/parameter/all"),
    ],
)
def test_deep_link_lands_on_element(page, server: str, fragment: str, element_id: str) -> None:
    page.goto(server + "engine/api/v1.45/#" + fragment)
    page.wait_for_function(
        "(id) => decodeURIComponent(location.hash) === '#' + id", arg=element_id
    )
    assert in_view(page, element_id)


def test_renamed_operation_found_in_older_version(page, server: str) -> None:
    page.goto(server + "engine/api/v1.25/#operation/ContainerArchive")
    page.wait_for_function(
        "() => decodeURIComponent(location.hash) === '#operation/ContainerGetArchive'"
    )
    assert in_view(page, "operation/ContainerGetArchive")


def test_unknown_property_falls_back_to_definition(page, server: str) -> None:
    page.goto(server + "engine/api/v1.45/#definition/ContainerConfig/NoSuchField")
    page.wait_for_function(
        "() => decodeURIComponent(location.hash) === '#definition/ContainerConfig'"
    )
    assert in_view(page, "definition/ContainerConfig")
    assert "NoSuchField" in page.locator(".apiref-notice").inner_text()


# Cross-version facts ------------------------------------------------------------------------


def test_added_in_badge_on_real_operation(page, server: str, real_specs_dir: Path) -> None:
    first = first_version_with(real_specs_dir, "VolumeUpdate")
    page.goto(server + "engine/api/v1.45/#operation/VolumeUpdate")
    section = page.locator('section[data-context="operation/VolumeUpdate"]')
    badge = section.locator(".apiref-endpoint .apiref-badge--added")
    assert badge.inner_text() == f"Added in API v{first}"
    assert badge.is_visible()


# Search -------------------------------------------------------------------------------------


def search(tab, server: str, query: str) -> list[str]:
    """Type ``query`` into Material's search box and return the result links, in order."""
    tab.goto(server + "engine/api/")
    box = tab.locator("input.md-search__input")
    box.click()
    # The search worker loads the index first; a query typed before that finds nothing.
    tab.wait_for_function(
        "() => !/Initializing/i.test(document.querySelector('.md-search-result__meta')"
        ".textContent)",
        timeout=30000,
    )
    # Material's search reacts to key events, which fill() does not send.
    box.press_sequentially(query, delay=20)
    tab.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)
    return tab.eval_on_selector_all(
        ".md-search-result__item > a, .md-search-result__item details a",
        "links => links.map(link => link.getAttribute('href'))",
    )


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("ContainerList", "#operation/ContainerList"),
        ("containerlist", "#operation/ContainerList"),
        ("/containers/{id}/logs", "#operation/ContainerLogs"),
        ("Delete unused images", "#operation/ImagePrune"),
    ],
)
def test_search_lists_operation(page, server: str, query: str, fragment: str) -> None:
    links = search(page, server, query)
    operation_links = [urlsplit(link) for link in links if "#operation/" in link]
    assert operation_links, f"no operation among the results for {query!r}: {links}"
    first = operation_links[0]
    assert first.path == "/engine/api/v1.45/"
    assert "#" + first.fragment == fragment


def test_search_result_screenshot(page, server: str) -> None:
    search(page, server, "/containers/{id}/logs")
    page.screenshot(path=str(SCREENSHOTS / "reading-search.png"))
    assert (SCREENSHOTS / "reading-search.png").stat().st_size > 0


# Colour schemes -----------------------------------------------------------------------------


def test_colour_scheme_toggle(page, server: str) -> None:
    page.goto(server + "engine/api/v1.45/#operation/ContainerCreate")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.screenshot(path=str(SCREENSHOTS / "reading-light.png"))
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function(f"() => {scheme} === 'slate'")
    scroll_to(page, "operation/ContainerCreate")
    page.screenshot(path=str(SCREENSHOTS / "reading-dark.png"))
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function(f"() => {scheme} === 'default'")
