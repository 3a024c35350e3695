"""Tests for the comparison of two spec versions, on small specs written for them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from apiref.compare import (
    Change,
    SpecDocument,
    changes_to_json,
    compare_specs,
    load_spec,
    render_changes_markdown,
)
from apiref.errors import InputError

DATA = Path(__file__).parent / "data" / "compare"
SCRIPT = Path(__file__).parent.parent / "scripts" / "api-diff"


@pytest.fixture(scope="module")
def changes() -> list[Change]:
    old = load_spec(DATA / "v1.44.yaml", "1.44")
    new = load_spec(DATA / "v1.45.yaml", "1.45")
    return compare_specs(old, new)


def find(changes: list[Change], kind: str, element: str, subject: str, name: str = "") -> Change:
    matches = [
        change
        for change in changes
        if (change.kind, change.element, change.subject, change.name)
        == (kind, element, subject, name)
    ]
    assert len(matches) == 1, (kind, element, subject, name, changes)
    return matches[0]


# (kind, element, subject, name, version whose page documents it, anchor on that page)
EXPECTED = {
    ("added", "operation", "POST /widgets/prune", "", "1.45", "operation/WidgetPrune"),
    ("removed", "operation", "POST /widgets/{id}/polish", "", "1.44", "operation/WidgetPolish"),
    ("added", "query parameter", "GET /widgets/json", "label", "1.45", "operation/WidgetList"),
    ("removed", "query parameter", "GET /widgets/json", "legacy", "1.44", "operation/WidgetList"),
    ("changed", "query parameter", "GET /widgets/json", "all", "1.45", "operation/WidgetList"),
    ("changed", "query parameter", "GET /widgets/json", "limit", "1.45", "operation/WidgetList"),
    ("changed", "query parameter", "GET /widgets/json", "sort", "1.45", "operation/WidgetList"),
    ("changed", "query parameter", "GET /widgets/json", "retries", "1.45", "operation/WidgetList"),
    ("removed", "response property", "GET /widgets/json", "VirtualSize", "1.44",
     "operation/WidgetList"),
    ("added", "response property", "GET /widgets/{name}/json", "Labels", "1.45",
     "operation/WidgetInspect"),
    ("added", "request body property", "POST /widgets/create", "Labels", "1.45",
     "operation/WidgetCreate"),
    ("added", "request body property", "POST /widgets/create", "NetworkingConfig", "1.45",
     "operation/WidgetCreate"),
    ("added", "response property", "POST /widgets/create", "Warnings", "1.45",
     "operation/WidgetCreate"),
    ("added", "definition", "WidgetStatus", "", "1.45", "definition/WidgetStatus"),
    ("removed", "definition", "Retired", "", "1.44", "definition/Retired"),
    ("added", "property", "WidgetConfig", "Labels", "1.45", "definition/WidgetConfig"),
    ("changed", "property", "WidgetConfig", "Color", "1.45", "definition/WidgetConfig"),
    ("added", "property", "Widget", "Labels", "1.45", "definition/Widget"),
    ("changed", "property", "Widget", "Color", "1.45", "definition/Widget"),
    ("changed", "property", "Widget", "Size", "1.45", "definition/Widget"),
    ("removed", "property", "WidgetSummary", "VirtualSize", "1.44", "definition/WidgetSummary"),
    ("added", "property", "Mount", "VolumeOptions.Subpath", "1.45", "definition/Mount"),
}


def test_compare_finds_exactly_the_changes(changes: list[Change]) -> None:
    """Every change in the test specs is found, and nothing else."""
    found = {
        (change.kind, change.element, change.subject, change.name, change.version, change.anchor)
        for change in changes
    }
    assert found - EXPECTED == set()
    assert EXPECTED - found == set()
    assert len(changes) == len(EXPECTED)


def test_renamed_path_parameter_is_same_operation(changes: list[Change]) -> None:
    """/widgets/{id}/json and /widgets/{name}/json are one operation, with no param change."""
    subjects = {change.subject for change in changes if change.element == "path parameter"}
    assert subjects == set()
    assert not [change for change in changes if "WidgetInspect" in change.subject]


def test_inline_object_moved_to_definition_is_no_change(changes: list[Change]) -> None:
    """Widget.Status moved from an inline object to WidgetStatus with the same properties."""
    widget = [change.name for change in changes if change.subject == "Widget"]
    assert not [name for name in widget if name.startswith("Status")]


def test_default_change_keeps_false_and_zero_apart(changes: list[Change]) -> None:
    change = find(changes, "changed", "query parameter", "GET /widgets/json", "limit")
    assert change.detail == "default changed from 0 to false"


def test_default_change(changes: list[Change]) -> None:
    change = find(changes, "changed", "query parameter", "GET /widgets/json", "all")
    assert change.detail == "default changed from false to true"


def test_enum_values_added_and_removed(changes: list[Change]) -> None:
    change = find(changes, "changed", "query parameter", "GET /widgets/json", "sort")
    assert "enum values added: \"updated\"" in change.detail
    assert "enum values removed: \"size\"" in change.detail


def test_type_and_required_changes(changes: list[Change]) -> None:
    change = find(changes, "changed", "query parameter", "GET /widgets/json", "retries")
    assert "type changed from string to integer" in change.detail
    assert "now required" in change.detail


def test_definition_property_type_change(changes: list[Change]) -> None:
    change = find(changes, "changed", "property", "Widget", "Size")
    assert change.detail == "type changed from integer to string"


def test_operation_change_names_operation_id(changes: list[Change]) -> None:
    change = find(changes, "removed", "operation", "POST /widgets/{id}/polish")
    assert change.operation_id == "WidgetPolish"
    assert change.target() == "engine/api/v1.44/#operation/WidgetPolish"


def test_target_uses_reference_pattern(changes: list[Change]) -> None:
    change = find(changes, "added", "definition", "WidgetStatus")
    assert change.target("reference/{api}/") == "reference/1.45/#definition/WidgetStatus"


def test_markdown_links_each_change(changes: list[Change]) -> None:
    """The rendered list has one item per change, each linking its target."""
    text = render_changes_markdown(changes, base_url="/")
    soup = BeautifulSoup(markdown.markdown(text), "lxml")
    items = soup.find_all("li")
    assert len(items) == len(changes)
    hrefs = {item.a["href"] for item in items}
    assert "/engine/api/v1.45/#operation/WidgetPrune" in hrefs
    assert "/engine/api/v1.44/#operation/WidgetPolish" in hrefs
    assert "/engine/api/v1.45/#definition/Mount" in hrefs
    prune = next(item for item in items if "WidgetPrune" in item.a["href"])
    assert prune.get_text() == "Added operation POST /widgets/prune (WidgetPrune)."


def test_no_changes_renders_nothing() -> None:
    spec = load_spec(DATA / "v1.45.yaml", "1.45")
    assert compare_specs(spec, spec) == []
    assert render_changes_markdown([]) == ""


def test_json_output_has_targets(changes: list[Change]) -> None:
    document = changes_to_json(changes)
    assert len(document) == len(changes)
    first = document[0]
    assert set(first) >= {"kind", "element", "subject", "name", "version", "anchor", "target"}
    json.dumps(document)


def test_reference_cycles_terminate() -> None:
    """allOf branches that refer to each other and looping $ref chains are cut, not followed."""
    spec = load_spec(DATA / "cycle.yaml", "1.46")
    empty = SpecDocument("1.45", {"swagger": "2.0", "paths": {}, "definitions": {}}, "empty.yaml")
    changes = compare_specs(empty, spec)
    added = {(change.element, change.subject, change.name) for change in changes}
    assert ("operation", "GET /loop", "") in added
    assert ("definition", "Ping", "") in added
    assert ("definition", "Alias", "") in added
    again = compare_specs(spec, spec)
    assert again == []


def test_dangling_ref_names_file_and_pointer() -> None:
    old = load_spec(DATA / "dangling.yaml", "1.45", label="specs/v1.45.yaml")
    new = load_spec(DATA / "dangling.yaml", "1.46", label="specs/v1.46.yaml")
    with pytest.raises(InputError) as caught:
        compare_specs(old, new)
    message = str(caught.value)
    assert message.startswith("specs/v1.45.yaml (#/paths/~1broken/get")
    assert "'#/definitions/Missing' points at nothing" in message


def test_openapi3_bodies_and_schemas() -> None:
    """OpenAPI 3 request bodies, responses and components/schemas are compared too."""

    def spec(version: str, properties: dict) -> SpecDocument:
        body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/W"}}}}
        data = {
            "openapi": "3.0.3",
            "paths": {
                "/w": {
                    "post": {
                        "operationId": "WCreate",
                        "requestBody": body,
                        "responses": {"200": {"description": "ok", **body}},
                    }
                }
            },
            "components": {"schemas": {"W": {"type": "object", "properties": properties}}},
        }
        return SpecDocument(version, data, f"v{version}.yaml")

    old = spec("1.0", {"A": {"type": "string"}})
    new = spec("1.1", {"A": {"type": "string"}, "B": {"type": "integer"}})
    found = {(change.element, change.subject, change.name) for change in compare_specs(old, new)}
    assert found == {
        ("request body property", "POST /w", "B"),
        ("response property", "POST /w", "B"),
        ("property", "W", "B"),
    }


# The api-diff script ------------------------------------------------------------------------


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_script_prints_markdown() -> None:
    result = run_script("--specs", str(DATA), "1.44", "1.45")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Changes in the API from v1.44 to v1.45")
    assert "Added operation [`POST /widgets/prune`]" in result.stdout


def test_script_prints_json() -> None:
    result = run_script("--specs", str(DATA), "--format", "json", "v1.44", "1.45")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["old"] == "1.44"
    assert document["new"] == "1.45"
    assert len(document["changes"]) == len(EXPECTED)


def test_script_reports_missing_version() -> None:
    result = run_script("--specs", str(DATA), "1.44", "1.99")
    assert result.returncode == 1
    assert "no spec for API version 1.99" in result.stderr


def test_script_rejects_invalid_version() -> None:
    result = run_script("--specs", str(DATA), "1.4x", "1.45")
    assert result.returncode == 2
    assert "invalid API version '1.4x'" in result.stderr
