"""Binary bodies, files, upgraded connections and body-less responses read clearly."""

from __future__ import annotations

import pytest
from bs4 import Tag

from conftest import CASES_DIR, SiteBuild, build_site
from pagecheck import codes, section

CASE = CASES_DIR / "09-binary-and-hijacked-responses"
OPERATIONS = [
    "ContainerExport", "PutContainerArchive", "ContainerAttach", "ImageGetAll", "ContainerDelete",
]


@pytest.fixture(scope="module")
def binary_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build_site(tmp_path_factory.mktemp("binary"), CASE / "specs", strict=False)


@pytest.fixture(scope="module")
def area(binary_site: SiteBuild) -> Tag:
    assert binary_site.ok, binary_site.output
    return binary_site.content()


def _responses(area: Tag, operation_id: str) -> dict[str, Tag]:
    operation = section(area, f"operation/{operation_id}")
    return {
        row.select_one(".apiref-status__code").get_text(strip=True): row
        for row in operation.select(".apiref-response")
    }


def test_binary_build_succeeds(binary_site: SiteBuild) -> None:
    assert binary_site.ok, binary_site.output
    assert "Traceback" not in binary_site.output


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_binary_operation_ids_exist(area: Tag, operation_id: str) -> None:
    assert area.find(id=f"operation/{operation_id}") is not None


def test_export_is_binary_octet_stream(area: Tag) -> None:
    assert "application/octet-stream" in codes(section(area, "operation/ContainerExport"))
    row = _responses(area, "ContainerExport")["200"]
    text = row.get_text(" ")
    assert "binary" in text
    assert "object" not in text
    assert "{}" not in text


def test_archive_body_is_binary(area: Tag) -> None:
    operation = section(area, "operation/PutContainerArchive")
    media = codes(operation.select_one(".apiref-media"))
    assert "application/x-tar" in media
    assert "application/octet-stream" in media
    body = operation.select_one(".apiref-typeline")
    assert "binary" in body.get_text()


def test_attach_lists_upgrade_and_stream(area: Tag) -> None:
    rows = _responses(area, "ContainerAttach")
    assert "switched protocols" in rows["101"].get_text()
    assert "no upgrade requested" in rows["200"].get_text()
    media = codes(section(area, "operation/ContainerAttach"))
    assert "application/vnd.docker.raw-stream" in media
    assert "application/vnd.docker.multiplexed-stream" in media


def test_image_get_all_is_tar_file(area: Tag) -> None:
    operation = section(area, "operation/ImageGetAll")
    assert "application/x-tar" in codes(operation)
    assert "binary" in _responses(area, "ImageGetAll")["200"].get_text()


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_no_json_example_for_binary(area: Tag, operation_id: str) -> None:
    operation = section(area, f"operation/{operation_id}")
    assert operation.select("pre.language-json") == []


def test_delete_204_has_no_body(area: Tag) -> None:
    row = _responses(area, "ContainerDelete")["204"]
    assert "removed" in row.get_text()
    assert row.select(".apiref-typeline") == []
    assert section(area, "operation/ContainerDelete").select(".apiref-media") == []
