"""Cross-version facts: first versions, renames and changes, on small specs written here and
on a sample of the real specs (checked against the YAML files themselves)."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from apiref.curl import curl_command
from apiref.lineage import Lineage, page_anchors, parent_anchor
from apiref.loader import discover
from apiref.render import PageLinks, render_reference
from apiref.schema import MISSING
from apiref.specs import load_spec


def base_spec(version: str) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": "Test API", "version": version},
        "basePath": f"/v{version}",
        "tags": [{"name": "Container"}],
        "paths": {
            "/containers/json": {
                "get": {
                    "operationId": "ContainerList",
                    "tags": ["Container"],
                    "summary": "List containers",
                    "parameters": [{"name": "all", "in": "query", "type": "boolean"}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {"type": "array", "items": {"$ref": "#/definitions/Box"}},
                        }
                    },
                }
            },
            "/containers/{id}/archive": {
                "get": {
                    "operationId": "ContainerGetArchive",
                    "tags": ["Container"],
                    "summary": "Get an archive",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "string"}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
        "definitions": {
            "Box": {"type": "object", "properties": {"Id": {"type": "string"}}},
        },
    }


def series() -> dict[str, dict[str, Any]]:
    """Four versions: 1.40 base; 1.41 adds a parameter, a property and an operation;
    1.42 renames the archive operation; 1.43 changes a summary only."""
    v40 = base_spec("1.40")
    v41 = copy.deepcopy(v40)
    v41["info"]["version"] = "1.41"
    v41["basePath"] = "/v1.41"
    list_op = v41["paths"]["/containers/json"]["get"]
    list_op["parameters"].append({"name": "size", "in": "query", "type": "boolean"})
    v41["definitions"]["Box"]["properties"]["State"] = {
        "type": "object",
        "properties": {"Running": {"type": "boolean"}},
    }
    v41["paths"]["/containers/prune"] = {
        "post": {
            "operationId": "ContainerPrune",
            "tags": ["Container"],
            "summary": "Delete stopped containers",
            "parameters": [{"name": "filters", "in": "query", "type": "string"}],
            "responses": {"200": {"description": "ok"}},
        }
    }
    v42 = copy.deepcopy(v41)
    v42["info"]["version"] = "1.42"
    v42["basePath"] = "/v1.42"
    v42["paths"]["/containers/{id}/archive"]["get"]["operationId"] = "ContainerArchive"
    v43 = copy.deepcopy(v42)
    v43["info"]["version"] = "1.43"
    v43["basePath"] = "/v1.43"
    v43["paths"]["/containers/prune"]["post"]["summary"] = "Remove stopped containers"
    return {"1.40": v40, "1.41": v41, "1.42": v42, "1.43": v43}


@pytest.fixture(scope="module")
def small_specs(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("lineage-specs")
    for version, document in series().items():
        (folder / f"v{version}.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    specs = {source.version: load_spec(source) for source in discover(folder).sources}
    return {str(version): spec for version, spec in specs.items()}


@pytest.fixture(scope="module")
def small_lineage(small_specs) -> Lineage:
    return Lineage.from_specs({spec.version: spec for spec in small_specs.values()})


def test_operation_added_after_oldest(small_specs, small_lineage: Lineage) -> None:
    version = small_specs["1.43"].version
    assert str(small_lineage.added_in(version, "operation/ContainerPrune")) == "1.41"
    assert small_lineage.added_in(version, "operation/ContainerList") is None


def test_parameter_and_property_added(small_specs, small_lineage: Lineage) -> None:
    version = small_specs["1.43"].version
    size = "operation/ContainerList/parameter/size"
    assert str(small_lineage.added_in(version, size)) == "1.41"
    assert small_lineage.added_in(version, "operation/ContainerList/parameter/all") is None
    assert str(small_lineage.added_in(version, "definition/Box/State")) == "1.41"


def test_parts_of_new_element_carry_no_badge(small_specs, small_lineage: Lineage) -> None:
    version = small_specs["1.43"].version
    assert small_lineage.added_in(version, "operation/ContainerPrune/parameter/filters") is None
    assert small_lineage.added_in(version, "definition/Box/State/Running") is None


def test_renamed_operation_keeps_history(small_specs, small_lineage: Lineage) -> None:
    newest = small_specs["1.43"].version
    oldest = small_specs["1.40"].version
    assert small_lineage.added_in(newest, "operation/ContainerArchive") is None
    assert small_lineage.added_in(newest, "operation/ContainerArchive/parameter/id") is None
    aliases = small_lineage.former_ids(oldest)
    assert aliases["operation/ContainerArchive"] == "operation/ContainerGetArchive"


def test_changed_versions(small_specs, small_lineage: Lineage) -> None:
    version = small_specs["1.43"].version
    assert [str(v) for v in small_lineage.changes(version, "ContainerList")] == ["1.41"]
    assert [str(v) for v in small_lineage.changes(version, "ContainerPrune")] == ["1.43"]


def test_parent_anchor_skips_grouping_segments() -> None:
    assert parent_anchor("operation/X/parameter/all") == "operation/X"
    assert parent_anchor("operation/X/body/Config") == "operation/X"
    assert parent_anchor("operation/X/response/200/Id") == "operation/X"
    assert parent_anchor("definition/Box/Ports/[]/IP") == "definition/Box/Ports"
    assert parent_anchor("definition/Box") is None


def test_page_ids_match_lineage_anchors(small_specs, small_lineage: Lineage) -> None:
    spec = small_specs["1.43"]
    rendered = render_reference(spec, facts=small_lineage.facts(spec))
    soup = BeautifulSoup(rendered.html, "lxml")
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    missing = [value for value in page_anchors(spec) if value not in set(ids)]
    assert missing == []


def test_page_shows_badges_and_change_links(small_specs, small_lineage: Lineage) -> None:
    spec = small_specs["1.41"]
    links = PageLinks(versions=[(v, f"../v{v}/") for v in ("1.43", "1.42", "1.41", "1.40")])
    rendered = render_reference(spec, links, facts=small_lineage.facts(spec))
    soup = BeautifulSoup(rendered.html, "lxml")
    prune = soup.find(id="operation/ContainerPrune").find_parent("section")
    assert prune.select_one(".apiref-badge--added").get_text() == "Added in API v1.41"
    later = [a["href"] for a in prune.select(".apiref-changes a")]
    assert later == ["../v1.43/#operation/ContainerPrune"]
    assert "after this version" in prune.select_one(".apiref-changes").get_text()
    size = soup.find(id="operation/ContainerList/parameter/size")
    assert size.select_one(".apiref-badge--added").get_text() == "Added in API v1.41"
    assert size.select_one("a.headerlink")["href"] == "#operation/ContainerList/parameter/size"


def test_page_script_aliases_renamed_operations(small_specs, small_lineage: Lineage) -> None:
    spec = small_specs["1.40"]
    html_text = render_reference(spec, facts=small_lineage.facts(spec)).html
    root = BeautifulSoup(html_text, "lxml").select_one(".apiref")
    aliases = yaml.safe_load(root["data-fragment-aliases"])
    assert aliases["operation/ContainerArchive"] == "operation/ContainerGetArchive"


# curl ---------------------------------------------------------------------------------------


def test_curl_fills_required_parameters(small_specs) -> None:
    operation = small_specs["1.43"].operation("ContainerArchive")
    command = curl_command(operation, "/v1.43")
    assert command.splitlines()[0] == "curl --unix-socket /var/run/iechor.sock \\"
    assert command.splitlines()[-1].strip() == '"http://localhost/v1.43/containers/<id>/archive"'


def test_page_curl_has_base_path(small_specs) -> None:
    # The page renders operations with a stand-in for the base path and fills it in last.
    for version in ("1.42", "1.43"):
        spec = small_specs[version]
        root = BeautifulSoup(render_reference(spec).html, "lxml")
        section = root.find(id="operation/ContainerArchive").parent
        command = section.select_one("details.apiref-curl pre").get_text()
        assert command.splitlines()[-1].strip() == (
            f'"http://localhost/v{version}/containers/<id>/archive"'
        )
        assert "\ue000" not in root.get_text()


def test_curl_sends_json_body(small_specs) -> None:
    operation = small_specs["1.43"].operation("ContainerPrune")
    command = curl_command(operation, "/v1.43", {"Name": "it's"})
    assert "-X POST" in command
    assert '-H "Content-Type: application/json"' in command
    assert "'\\''" in command
    assert curl_command(operation, "/v1.43", MISSING).count("-d") == 0


# Real specs ---------------------------------------------------------------------------------

#: Operations checked on the real v1.45 page: old ones, ones added later and a renamed one.
REAL_SAMPLE = [
    "ContainerList", "ContainerCreate", "ContainerArchive", "ContainerPrune", "ImageBuild",
    "BuildPrune", "Session", "SystemPingHead", "VolumeUpdate", "ContainerAttachWebsocket",
    "PluginEnable", "SwarmInit", "ConfigCreate", "SecretCreate", "ImagePrune",
]


def raw_operations(path: Path) -> dict[str, dict[str, Any]]:
    """operationId -> {route: (method, path), names: parameter names}, read with PyYAML."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = {}
    for route, methods in document["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "operationId" in operation:
                # The body parameter is shown as the request body, not in a parameter list.
                parameters = operation.get("parameters") or []
                names = [p.get("name") for p in parameters if p.get("in") != "body"]
                found[operation["operationId"]] = {"route": (method, route), "names": names}
    return found


@pytest.fixture(scope="module")
def real_raw(real_specs_dir: Path) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    paths = sorted(real_specs_dir.glob("v1.*.yaml"), key=lambda p: int(p.stem.split(".")[1]))
    return [(path.stem[1:], raw_operations(path)) for path in paths]


def expected_first(raw, operation_id: str) -> str:
    """The first version of an operation by the YAML: the run of versions up to v1.45 that
    have it under this id, or under the id its method and path had before a rename."""
    route = raw[-1][1][operation_id]["route"]
    first = raw[-1][0]
    for version, operations in reversed(raw[:-1]):
        routes = {info["route"] for info in operations.values()}
        if operation_id not in operations and route not in routes:
            break
        first = version
    return first


def test_real_added_in_matches_specs(real_site, real_raw) -> None:
    soup = real_site.page("engine/api/v1.45/")
    oldest = real_raw[0][0]
    badges_seen = 0
    for operation_id in REAL_SAMPLE:
        heading = soup.find(id=f"operation/{operation_id}")
        assert heading is not None, f"{operation_id} is not on the v1.45 page"
        section = heading.find_parent("section")
        badge = section.select_one(".apiref-endpoint .apiref-badge--added")
        first = expected_first(real_raw, operation_id)
        if first == oldest:
            assert badge is None, f"{operation_id} exists since v{oldest} but shows {badge}"
        else:
            assert badge is not None, f"{operation_id} first appears in v{first}; no badge"
            assert badge.get_text() == f"Added in API v{first}", operation_id
            badges_seen += 1
    assert badges_seen >= 4


def test_real_parameter_badges_match_specs(real_site, real_raw) -> None:
    soup = real_site.page("engine/api/v1.45/")
    checked = 0
    for operation_id in REAL_SAMPLE:
        op_first = expected_first(real_raw, operation_id)
        for name in real_raw[-1][1][operation_id]["names"]:
            item = soup.find(id=f"operation/{operation_id}/parameter/{name}")
            assert item is not None, f"no id for parameter {name} of {operation_id}"
            first = real_raw[-1][0]
            for version, operations in reversed(real_raw[:-1]):
                same = operations.get(operation_id) or next(
                    (info for info in operations.values()
                     if info["route"] == real_raw[-1][1][operation_id]["route"]),
                    None,
                )
                if same is None or name not in same["names"]:
                    break
                first = version
            badge = item.select_one(".apiref-prop__head .apiref-badge--added")
            if first == op_first:
                assert badge is None, f"{operation_id} {name}: badge {badge} but first v{first}"
            else:
                assert badge is not None, f"{operation_id} {name} first in v{first}; no badge"
                assert badge.get_text() == f"Added in API v{first}", f"{operation_id} {name}"
            checked += 1
    assert checked >= 20


def test_real_changes_link_to_versions_that_differ(real_site, real_specs_dir: Path) -> None:
    soup = real_site.page("engine/api/v1.45/")
    documents: dict[str, Any] = {}

    def operation_in(version: str, operation_id: str) -> Any:
        if version not in documents:
            path = real_specs_dir / f"v{version}.yaml"
            documents[version] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for methods in documents[version]["paths"].values():
            for operation in methods.values():
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return operation
        return None

    for operation_id in ["ContainerList", "ImageBuild", "SystemPingHead", "VolumeUpdate"]:
        section = soup.find(id=f"operation/{operation_id}").find_parent("section")
        for link in section.select(".apiref-changes a"):
            version = re.fullmatch(r"v(1\.\d+)", link.get_text()).group(1)
            assert html.unescape(link["href"]).endswith(f"/v{version}/#operation/{operation_id}")
            minor = int(version.split(".")[1])
            before, after = operation_in(f"1.{minor - 1}", operation_id), operation_in(
                version, operation_id
            )
            assert before is not None, f"{operation_id} changed in v{version} but is new there"
            # The page counts a change in a definition expanded in the body or response, so
            # an equal operation object is allowed only when it references a definition.
            if before == after:
                assert "$ref" in yaml.safe_dump(after), f"{operation_id} v{version} is unchanged"
