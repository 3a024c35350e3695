"""Legacy URLs of the real site, opened in headless Chromium, end on the current page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.real]


def front_matter_aliases(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path} has no front matter"
    return list(yaml.safe_load(text[4 : text.index("\n---", 4)])["aliases"])


API_INDEX_ALIASES = front_matter_aliases(ROOT / "docs/engine/api/index.md")


def settle(chromium, url: str, expected_path: str) -> str:
    """Open ``url`` and wait until the browser is on ``expected_path``; return the final URL."""
    page = chromium.new_page()
    try:
        page.goto(url)
        page.wait_for_url(lambda current: urlsplit(current).path == expected_path, timeout=15000)
        page.wait_for_load_state("domcontentloaded")
        return page.url
    finally:
        page.close()


def test_api_index_has_22_aliases() -> None:
    assert len(API_INDEX_ALIASES) == 22


@pytest.mark.parametrize("alias", API_INDEX_ALIASES)
def test_api_index_alias_lands_on_page(chromium, real_site_origin: str, alias: str) -> None:
    final = settle(chromium, real_site_origin + alias, "/engine/api/")
    assert urlsplit(final).path == "/engine/api/"


def test_v124_aliases_land_on_v124(chromium, real_site_origin: str, real_specs_dir: Path) -> None:
    aliases = front_matter_aliases(real_specs_dir / "v1.24.md")
    assert aliases
    for alias in aliases:
        final = settle(chromium, real_site_origin + alias, "/engine/api/v1.24/")
        assert urlsplit(final).path == "/engine/api/v1.24/"


def test_alias_with_fragment_lands_on_operation(chromium, real_site_origin: str) -> None:
    page = chromium.new_page()
    try:
        page.goto(real_site_origin + "/engine/reference/api/#operation/ContainerList")
        page.wait_for_url(lambda current: urlsplit(current).path == "/engine/api/", timeout=15000)
        assert urlsplit(page.url).fragment == "operation/ContainerList"
    finally:
        page.close()


def test_version_alias_with_fragment_lands_on_operation(chromium, real_site_origin: str) -> None:
    page = chromium.new_page()
    try:
        page.goto(
            real_site_origin + "/engine/reference/api/iechor_remote_api_v1.45/#operation/ContainerList"
        )
        page.wait_for_url(
            lambda current: urlsplit(current).path == "/engine/api/v1.45/", timeout=15000
        )
        target = page.locator('[id="operation/ContainerList"]')
        target.wait_for(state="attached")
        assert target.is_visible()
        assert page.evaluate(
            "() => { const r = document.getElementById('operation/ContainerList')"
            ".getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; }"
        )
    finally:
        page.close()
