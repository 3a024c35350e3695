"""ReDoc-style ids (operation/<operationId>, tag/<name>) and warnings for links that miss."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest import CASES_DIR, SiteBuild, build_site
from pagecheck import section

CASE = CASES_DIR / "05-operation-deep-links"
IDS = [
    "operation/ContainerList", "operation/ContainerInspect", "operation/ContainerAttach",
    "operation/ContainerLogs", "operation/Plugin.Upgrade", "operation/Image/Push",
    "tag/Container",
]


@pytest.fixture(scope="module")
def links_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    site = build_site(tmp_path_factory.mktemp("links"), CASE / "specs", strict=False)
    assert site.ok, site.output
    return site


@pytest.fixture(scope="module")
def page(links_site: SiteBuild) -> BeautifulSoup:
    return links_site.soup()


@pytest.mark.parametrize("element_id", IDS)
def test_redoc_id_present(page: BeautifulSoup, element_id: str) -> None:
    assert page.find(id=element_id) is not None


def test_fragment_links_resolve(page: BeautifulSoup) -> None:
    ids = {element.get("id") for element in page.find_all(id=True)}
    hrefs = [
        unquote(link.get("href"))
        for link in page.find_all("a", href=True)
        if link.get("href").startswith(("#operation/", "#tag/"))
    ]
    assert len(hrefs) > len(IDS)
    broken = [href for href in hrefs if href[1:] not in ids and href != "#operation/ContainerPrune"]
    assert broken == []


def test_inspect_link_in_description(page: BeautifulSoup) -> None:
    description = section(page, "operation/ContainerList").select_one(".apiref-description")
    links = [link for link in description.find_all("a") if link.get_text() == "inspect endpoint"]
    assert [link.get("href") for link in links] == ["#operation/ContainerInspect"]


def test_missing_operation_warned(links_site: SiteBuild) -> None:
    warnings = [line for line in links_site.warnings if "ContainerPrune" in line]
    assert len(warnings) == 1, links_site.output
    assert "v1.45.yaml" in warnings[0]
    assert "ContainerLogs" in warnings[0]


def test_todo_link_warned(links_site: SiteBuild) -> None:
    warnings = [line for line in links_site.warnings if "'#TODO'" in line]
    assert len(warnings) == 1, links_site.output
    assert "v1.45.yaml" in warnings[0]


def test_missing_operation_fails_strict(tmp_path) -> None:
    site = build_site(tmp_path, CASE / "specs", strict=True)
    assert not site.ok
    assert "ContainerPrune" in site.output


def test_ids_stable_across_versions(links_site: SiteBuild) -> None:
    assert links_site.soup("engine/api/v1.44/").find(id="operation/ContainerList") is not None
