"""Defaults and examples of false, 0 and "" are shown; enums of any length are listed."""

from __future__ import annotations

import json

import pytest
from bs4 import Tag

from conftest import CASES_DIR, SiteBuild, build_site
from pagecheck import badges, codes, own_text, prop, section

CASE = CASES_DIR / "07-falsy-defaults-and-enums"


@pytest.fixture(scope="module")
def falsy_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    site = build_site(tmp_path_factory.mktemp("falsy"), CASE / "specs", strict=False)
    assert site.ok, site.output
    return site


@pytest.fixture(scope="module")
def operation(falsy_site: SiteBuild) -> Tag:
    return section(falsy_site.content(), "operation/ContainerList")


@pytest.fixture(scope="module")
def summary(falsy_site: SiteBuild) -> Tag:
    return section(falsy_site.content(), "definition/ContainerSummary")


def _default(item: Tag) -> str | None:
    line = item.select_one(".apiref-default")
    return line.find("code").get_text() if line is not None else None


@pytest.mark.parametrize(
    ("name", "expected"),
    [("all", "false"), ("limit", "0"), ("filters", '""'), ("signal", "SIGKILL")],
)
def test_parameter_default_shown(operation: Tag, name: str, expected: str) -> None:
    assert _default(prop(operation, name)) == expected


def test_parameter_without_default(operation: Tag) -> None:
    item = prop(operation, "stream")
    assert _default(item) is None
    assert "Default" not in own_text(item)


def test_single_value_enum_listed(operation: Tag) -> None:
    assert "linux" in codes(prop(operation, "platform").select_one(".apiref-enum"))


def test_enum_marks_default(operation: Tag) -> None:
    enum = prop(operation, "condition").select_one(".apiref-enum")
    assert codes(enum) == ["not-running", "next-exit", "removed"]
    marked = [mark.find_previous_sibling("code").get_text() for mark in enum.find_all("em")]
    assert marked == ["not-running"]


def test_long_enum_lists_all_values(operation: Tag) -> None:
    values = codes(prop(operation, "status").select_one(".apiref-enum"))
    assert values == [f"state-{number:02d}" for number in range(1, 31)]


def test_restart_count_example_zero(summary: Tag) -> None:
    example = prop(summary, "RestartCount").select_one(".apiref-example")
    assert example.find("code").get_text() == "0"


def test_auto_remove_default_and_example(summary: Tag) -> None:
    item = prop(summary, "AutoRemove")
    assert _default(item) == "false"
    assert item.select_one(".apiref-example").find("code").get_text() == "false"


def test_generated_example_keeps_falsy_values(operation: Tag) -> None:
    blocks = [
        json.loads(code.get_text())
        for code in operation.select("pre.language-json")
    ]
    assert blocks, "no generated example"
    entry = blocks[0][0]
    assert entry["RestartCount"] == 0
    assert entry["AutoRemove"] is False


def test_nullable_false_has_no_marker(summary: Tag) -> None:
    item = prop(summary, "Id")
    assert "nullable" not in badges(item)
    assert "False" not in own_text(item)
    assert "nullable" not in own_text(item).lower()
