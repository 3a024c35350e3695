"""Schemas that contain themselves: through a property, array items, map values, allOf."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES_DIR, SiteBuild, build_site
from pagecheck import prop, prop_names, section

CASE = CASES_DIR / "01-circular-refs"


@pytest.fixture(scope="module")
def circular_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build_site(tmp_path_factory.mktemp("circular"), CASE / "specs", strict=False)


def _head_links(site: SiteBuild, definition: str, name: str) -> list[str]:
    item = prop(section(site.content(), f"definition/{definition}"), name)
    head = item.select_one(".apiref-prop__head")
    return [link.get("href") for link in head.find_all("a")]


def test_circular_build_succeeds(circular_site: SiteBuild) -> None:
    assert circular_site.ok, circular_site.output
    assert "RecursionError" not in circular_site.output


def test_circular_operation_id_present(circular_site: SiteBuild) -> None:
    assert circular_site.content().find(id="operation/NodeTree") is not None


def test_tree_node_rendered_once(circular_site: SiteBuild) -> None:
    assert len(circular_site.soup().find_all(id="definition/TreeNode")) == 1


@pytest.mark.parametrize("name", ["Parent", "Children", "Labels"])
def test_tree_node_self_reference_is_link(circular_site: SiteBuild, name: str) -> None:
    assert "#definition/TreeNode" in _head_links(circular_site, "TreeNode", name)


def test_circular_page_is_small(circular_site: SiteBuild) -> None:
    assert circular_site.page_path().stat().st_size < 200_000


def test_daily_schedule_merges_all_of(circular_site: SiteBuild) -> None:
    names = prop_names(section(circular_site.content(), "definition/DailySchedule"))
    assert "Hour" in names
    assert "Next" in names


def test_daily_schedule_next_links_back(circular_site: SiteBuild) -> None:
    assert "#definition/DailySchedule" in _head_links(circular_site, "DailySchedule", "Next")


def test_all_of_loop_is_one_clear_error(tmp_path: Path) -> None:
    site = build_site(tmp_path, CASE / "specs-bad", timeout=60, strict=False)
    assert not site.ok
    assert "Traceback" not in site.output
    messages = [line for line in site.output.splitlines() if "LoopA" in line]
    assert len(messages) == 1, site.output
    message = messages[0]
    assert str(Path("specs-bad") / "v1.46.yaml") in message
    assert "LoopB" in message
    assert "allOf" in message
