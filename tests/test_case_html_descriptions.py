"""HTML in spec text is made inert while its Markdown still renders."""

from __future__ import annotations

import pytest
from bs4 import Tag

from conftest import CASES_DIR, SiteBuild, build_site
from pagecheck import active_content, codes, normalised_url, section

CASE = CASES_DIR / "04-html-in-descriptions"


@pytest.fixture(scope="module")
def html_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build_site(tmp_path_factory.mktemp("html"), CASE / "specs", strict=False)


@pytest.fixture(scope="module")
def area(html_site: SiteBuild) -> Tag:
    assert html_site.ok, html_site.output
    return html_site.content()


def test_hostile_descriptions_do_not_fail_build(html_site: SiteBuild) -> None:
    assert html_site.ok, html_site.output


@pytest.mark.parametrize("name", ["script", "iframe", "object", "embed", "style", "form"])
def test_no_active_element(area: Tag, name: str) -> None:
    assert area.find_all(name) == []


def test_no_event_handler_attribute(area: Tag) -> None:
    handlers = [
        (element.name, attribute)
        for element in area.find_all(True)
        for attribute in element.attrs
        if attribute.lower().startswith("on")
    ]
    assert handlers == []


def test_no_script_url(area: Tag) -> None:
    urls = [
        element.get(attribute)
        for element in area.find_all(True)
        for attribute in ("href", "src")
        if element.get(attribute) is not None
    ]
    assert urls, "the page has no links at all"
    for url in urls:
        assert not normalised_url(url).startswith(("javascript:", "data:text/html")), url


def test_nothing_active_at_all(area: Tag) -> None:
    assert active_content(area) == []


def test_summary_is_plain_text(area: Tag) -> None:
    heading = section(area, "operation/ContainerStop").find("h3")
    assert heading.find("b") is None
    assert "Stop <b>now</b>" in heading.get_text()
    assert "Stop &lt;b&gt;now&lt;/b&gt;" in str(heading)


def test_code_keeps_angle_brackets(area: Tag) -> None:
    assert "container:<name|id>" in codes(section(area, "operation/ContainerStop"))


def test_emphasis_renders(area: Tag) -> None:
    assert "important" in [strong.get_text() for strong in area.find_all("strong")]


def test_table_renders(area: Tag) -> None:
    table = area.select_one(".apiref-intro table")
    assert table is not None
    assert [cell.get_text(strip=True) for cell in table.find_all("th")] == ["Column", "Meaning"]


def test_https_link_kept(area: Tag) -> None:
    links = [link for link in area.find_all("a") if link.get_text() == "guide"]
    assert [link.get("href") for link in links] == ["https://docs.example.com/guide"]
