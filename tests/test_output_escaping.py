"""Spec text reaches the page title, nav, TOC, ids and content as text, never as markup."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import TESTS_DIR, SiteBuild, build_site
from pagecheck import active_content, normalised_url

HOSTILE_SPECS = TESTS_DIR / "data" / "hostile"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    site = build_site(tmp_path_factory.mktemp("hostile"), HOSTILE_SPECS, nav_section="API", strict=False)
    assert site.ok, site.output
    return site


@pytest.fixture(scope="module")
def page(hostile_site: SiteBuild) -> BeautifulSoup:
    return hostile_site.soup()


def test_hostile_content_area_is_inert(hostile_site: SiteBuild) -> None:
    assert active_content(hostile_site.content()) == []


def test_no_script_from_spec_on_page(page: BeautifulSoup) -> None:
    scripts = [script.get_text() + str(script.get("src")) for script in page.find_all("script")]
    assert scripts, "the theme's scripts are missing"
    assert [script for script in scripts if "alert" in script] == []


def test_no_event_handler_on_page(page: BeautifulSoup) -> None:
    handlers = [
        f"<{element.name} {name}>"
        for element in page.find_all(True)
        for name in element.attrs
        if name.lower().startswith("on")
    ]
    assert handlers == []


def test_no_script_url_on_page(page: BeautifulSoup) -> None:
    for element in page.find_all(True):
        for name in ("href", "src", "action"):
            value = element.get(name)
            if value is not None:
                assert not normalised_url(value).startswith("javascript:"), value


def test_no_spec_element_on_page(page: BeautifulSoup) -> None:
    # The theme has its own forms, inputs and icons, so only the spec's are looked for.
    assert page.find_all("iframe") == []
    assert [form for form in page.find_all("form") if "evil" in str(form.get("action"))] == []
    assert page.find_all("input", attrs={"name": "x"}) == []
    assert [img for img in page.find_all("img") if img.get("src") == "x"] == []


def test_page_title_is_literal(page: BeautifulSoup) -> None:
    title = page.find("title").get_text()
    assert title.startswith("Engine </title><script>alert('title')</script>")
    assert "&lt;script&gt;alert('entity')" in title


def test_toc_titles_are_literal(page: BeautifulSoup) -> None:
    links = page.select("nav.md-nav--secondary a.md-nav__link")
    texts = [link.get_text(" ", strip=True) for link in links]
    assert "Summary <script>alert('summary')</script>" in texts
    assert "Shown <img src=x onerror=alert('display')>" in texts
    assert "Section <img src=x onerror=alert('section')>" in texts


def test_toc_links_match_ids(page: BeautifulSoup) -> None:
    ids = {element.get("id") for element in page.find_all(id=True)}
    links = page.select("nav.md-nav--secondary a.md-nav__link")
    assert links
    for link in links:
        assert link.get("href")[1:] in ids, link.get("href")


def test_operation_id_kept_as_id(page: BeautifulSoup) -> None:
    assert page.find(id="operation/Op\"><script>alert('opid')</script>") is not None


def test_definition_name_kept_as_id(page: BeautifulSoup) -> None:
    assert page.find(id="definition/Thing<script>alert('defref')</script>") is not None
