"""allOf composition keeps every member's properties, and a discriminator lists sub-types."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import CASES_DIR, SiteBuild, build_site
from pagecheck import badges, codes, own_text, prop, prop_names, section

CASE = CASES_DIR / "02-allof-discriminator"


@pytest.fixture(scope="module")
def allof_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    site = build_site(tmp_path_factory.mktemp("allof"), CASE / "specs", strict=False)
    assert site.ok, site.output
    return site


@pytest.fixture(scope="module")
def area(allof_site: SiteBuild) -> Tag:
    return allof_site.content()


def _request_body(area: Tag) -> Tag:
    """Return the part of ContainerCreate between 'Request body' and 'Responses'."""
    operation = section(area, "operation/ContainerCreate")
    html = str(operation)
    start = html.index("Request body")
    end = html.index("Responses", start)
    return BeautifulSoup(html[start:end], "lxml")


def test_create_body_lists_all_members(area: Tag) -> None:
    names = prop_names(_request_body(area))
    assert "Image" in names
    assert "Tty" in names
    assert "HostConfig" in names


def test_create_body_image_required(area: Tag) -> None:
    assert "required" in badges(prop(_request_body(area), "Image"))


def test_host_config_lists_both_parts(area: Tag) -> None:
    names = prop_names(section(area, "definition/HostConfig"))
    assert "Memory" in names
    assert "NetworkMode" in names


def test_host_config_never_empty_object(area: Tag) -> None:
    assert "{}" not in section(area, "definition/HostConfig").get_text()


def test_host_config_keeps_own_description(area: Tag) -> None:
    assert "host-side settings" in section(area, "definition/HostConfig").get_text()


def test_memory_default_zero(area: Tag) -> None:
    item = prop(section(area, "definition/HostConfig"), "Memory")
    assert "Default: 0" in own_text(item)


def test_tty_default_false(area: Tag) -> None:
    item = prop(_request_body(area), "Tty")
    assert "Default: false" in own_text(item)


def test_event_names_discriminator(area: Tag) -> None:
    event = section(area, "definition/Event")
    assert "Kind" in codes(event.select_one(".apiref-discriminator"))


def test_event_links_sub_types(area: Tag) -> None:
    event = section(area, "definition/Event").select_one(".apiref-discriminator")
    hrefs = [link.get("href") for link in event.find_all("a")]
    assert "#definition/StartEvent" in hrefs
    assert "#definition/StopEvent" in hrefs


def test_start_event_properties(area: Tag) -> None:
    names = prop_names(section(area, "definition/StartEvent"))
    assert "Kind" in names
    assert "StartedAt" in names
    assert "ExitCode" not in names


def test_stop_event_properties(area: Tag) -> None:
    names = prop_names(section(area, "definition/StopEvent"))
    assert "Kind" in names
    assert "ExitCode" in names
    assert "StartedAt" not in names
