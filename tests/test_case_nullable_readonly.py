"""x-nullable and readOnly get visible markers, and read-only fields stay out of requests."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import CASES_DIR, SiteBuild, build_site
from pagecheck import badges, prop, prop_names, section

CASE = CASES_DIR / "08-x-nullable-and-readonly"


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> Tag:
    site = build_site(tmp_path_factory.mktemp("nullable"), CASE / "specs", strict=False)
    assert site.ok, site.output
    return site.content()


def _part(operation: Tag, start: str, end: str | None) -> Tag:
    html = str(operation)
    begin = html.index(start)
    finish = html.index(end, begin) if end else len(html)
    return BeautifulSoup(html[begin:finish], "lxml")


def _examples(part: Tag) -> list[object]:
    return [json.loads(code.get_text()) for code in part.select("pre.language-json")]


def test_nullable_true_marked(area: Tag) -> None:
    assert "nullable" in badges(prop(section(area, "definition/ServiceSpec"), "Mode"))


@pytest.mark.parametrize("name", ["Replicas", "Name"])
def test_not_nullable_unmarked(area: Tag, name: str) -> None:
    assert "nullable" not in badges(prop(section(area, "definition/ServiceSpec"), name))


@pytest.mark.parametrize("name", ["ID", "CreatedAt"])
def test_create_response_read_only_marked(area: Tag, name: str) -> None:
    response = _part(section(area, "operation/ServiceCreate"), "Responses", None)
    assert "read-only" in badges(prop(response, name))


def test_update_body_id_not_writable(area: Tag) -> None:
    body = _part(section(area, "operation/ServiceUpdate"), "Request body", "Responses")
    if "ID" in prop_names(body):
        assert "read-only" in badges(prop(body, "ID"))


def test_update_body_name_plain(area: Tag) -> None:
    body = _part(section(area, "operation/ServiceUpdate"), "Request body", "Responses")
    assert badges(prop(body, "Name")) == []


def test_update_request_example_omits_id(area: Tag) -> None:
    body = _part(section(area, "operation/ServiceUpdate"), "Request body", "Responses")
    examples = _examples(body)
    assert examples, "no generated request example"
    assert "ID" not in examples[0]
    assert "Name" in examples[0]


def test_create_response_example_has_id(area: Tag) -> None:
    response = _part(section(area, "operation/ServiceCreate"), "Responses", None)
    examples = _examples(response)
    assert examples, "no generated response example"
    assert "ID" in examples[0]


def test_extension_keys_not_printed(area: Tag) -> None:
    # The spec's title names both keys, so only the operations and definitions are searched.
    text = " ".join(part.get_text(" ") for part in area.select(".apiref-tag, .apiref-definitions"))
    assert "x-nullable" not in text
    assert "readOnly" not in text
    assert "True" not in text
