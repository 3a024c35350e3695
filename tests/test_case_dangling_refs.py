"""Dangling references and wrongly shaped specs fail the build with one line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES_DIR, SiteBuild, build_site

CASE = CASES_DIR / "03-dangling-refs-and-bad-input"


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build_site(tmp_path_factory.mktemp("dangling"), CASE / "specs", strict=False)


def _lines_about(build: SiteBuild, file_name: str) -> list[str]:
    return [line for line in build.output.splitlines() if f"{file_name}:" in line]


def test_broken_specs_fail_build(broken_build: SiteBuild) -> None:
    assert not broken_build.ok


def test_broken_specs_print_no_traceback(broken_build: SiteBuild) -> None:
    assert not any(line.startswith("Traceback") for line in broken_build.output.splitlines())
    assert "Traceback" not in broken_build.output


def test_missing_definition_names_file_and_place(broken_build: SiteBuild) -> None:
    lines = [line for line in _lines_about(broken_build, "v1.45.yaml") if "Missing" in line]
    assert len(lines) == 1, broken_build.output
    assert "#/definitions/Missing" in lines[0]
    assert "#/paths/~1containers~1json/get/responses/200/schema" in lines[0]


def test_every_dangling_ref_reported(broken_build: SiteBuild) -> None:
    lines = _lines_about(broken_build, "v1.45.yaml")
    assert any("#/definitions/string" in line for line in lines)
    assert any("#/definitions/ContainerSummary/properties/Command" in line for line in lines)


def test_parameters_mapping_needs_list(broken_build: SiteBuild) -> None:
    lines = _lines_about(broken_build, "v1.46.yaml")
    assert len(lines) == 1, broken_build.output
    assert "#/paths/~1ping/get/parameters" in lines[0]
    assert "must be a list" in lines[0]


def test_external_ref_names_file_and_key(broken_build: SiteBuild) -> None:
    lines = _lines_about(broken_build, "v1.47.yaml")
    assert len(lines) == 1, broken_build.output
    assert "common.yaml" in lines[0]
    assert "#/definitions/Gone" in lines[0]


def test_not_a_spec_says_so(broken_build: SiteBuild) -> None:
    lines = _lines_about(broken_build, "v1.48.yaml")
    assert len(lines) == 1, broken_build.output
    assert "neither Swagger 2.0 nor OpenAPI 3.x" in lines[0]


def test_no_page_written_for_broken_specs(broken_build: SiteBuild) -> None:
    assert not broken_build.page_path().exists()


@pytest.mark.parametrize("version", ["1.44", "1.49"])
def test_valid_swagger_and_openapi_build(tmp_path: Path, version: str) -> None:
    site = build_site(tmp_path, CASE / "specs-ok", strict=False)
    assert site.ok, site.output
    assert "undefined" not in site.output
    assert site.content(f"engine/api/v{version}/").find(id="operation/SystemPing") is not None
