"""Reference pages built by MkDocs: small specs written for the tests, the project's own
specs and the upstream specs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import DATA, BuildResult, broken_links, build_site

SMALL_SPECS = DATA / "small-specs"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = build_site(tmp_path_factory.mktemp("small"), SMALL_SPECS)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def small_page(small_site: BuildResult) -> BeautifulSoup:
    return small_site.page("engine/api/v1.45/")


def section(page: BeautifulSoup, anchor: str):
    """Return the section whose heading has the id ``anchor`` (headings carry the ids, so
    that the site search indexes one entry per heading)."""
    element = page.find(id=anchor)
    assert element is not None, f"no element with id {anchor}"
    parent = element.find_parent("section")
    assert parent is not None, f"the element with id {anchor} is in no section"
    assert parent.get("data-context") == anchor, f"{anchor} heads no section"
    return parent


def operation(page: BeautifulSoup, operation_id: str):
    return section(page, f"operation/{operation_id}")


def definition(page: BeautifulSoup, name: str):
    return section(page, f"definition/{name}")


def prop(container, name: str):
    """Return the property or parameter item whose name is ``name``."""
    for item in container.select("li.apiref-prop"):
        head = item.select_one(".apiref-prop__name")
        if head is not None and head.get_text() == name:
            return item
    raise AssertionError(f"no property {name!r}")


# Small specs ---------------------------------------------------------------------------------


def test_small_site_has_one_page_per_version(small_site: BuildResult) -> None:
    assert (small_site.site_dir / "engine/api/v1.44/index.html").is_file()
    assert (small_site.site_dir / "engine/api/v1.45/index.html").is_file()
    assert (small_site.site_dir / "engine/api/latest/index.html").is_file()


def test_latest_page_shows_newest_version(small_site: BuildResult) -> None:
    latest = small_site.page("engine/api/latest/")
    assert latest.select_one("div.apiref")["data-api-version"] == "1.45"


def test_spec_download_is_the_source_file(small_site: BuildResult) -> None:
    download = small_site.site_dir / "engine/api/v1.45.yaml"
    assert download.read_bytes() == (SMALL_SPECS / "v1.45.yaml").read_bytes()
    page = small_site.page("engine/api/v1.45/")
    link = page.select_one("a.apiref-download")
    assert link["href"] == "../v1.45.yaml"


def test_info_sections_have_section_ids(small_page: BeautifulSoup) -> None:
    errors = section(small_page, "section/Errors")
    assert errors is not None
    assert "page not found" in errors.select_one("pre.apiref-code").get_text()
    auth = section(small_page, "section/Authentication")
    assert auth.find("table") is not None
    assert len(auth.select("ul > li")) == 2


def test_intro_markdown_rendered(small_page: BeautifulSoup) -> None:
    intro = small_page.select_one(".apiref-intro")
    assert intro.find("strong").get_text() == "bold"
    assert intro.find("a")["href"] == "#section/Authentication"


def test_operations_grouped_under_tags(small_page: BeautifulSoup) -> None:
    containers = section(small_page, "tag/Container")
    images = section(small_page, "tag/Image")
    assert containers.find("h2").get_text().startswith("Containers")
    assert containers.find(id="operation/ContainerList") is not None
    assert images.find(id="operation/ImageList") is not None
    assert containers.find(id="operation/ImageList") is None


def test_operation_shows_method_path_and_summary(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerList")
    assert op.find("h3").get_text().startswith("List containers")
    assert op.select_one(".apiref-method").get_text() == "GET"
    assert op.select_one(".apiref-path").get_text() == "/containers/json"


def test_description_link_to_operation(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerList")
    link = op.select_one(".apiref-description a")
    assert link.get_text() == "inspect endpoint"
    assert link["href"] == "#operation/ContainerInspect"


def test_falsy_defaults_are_shown(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerList")
    assert prop(op, "all").select_one(".apiref-default code").get_text() == "false"
    assert prop(op, "limit").select_one(".apiref-default code").get_text() == "0"


def test_enum_lists_values_and_marks_default(small_page: BeautifulSoup) -> None:
    status = prop(operation(small_page, "ContainerList"), "status")
    values = [code.get_text() for code in status.select(".apiref-enum code")]
    assert values == ["created", "running", "exited"]
    assert "(default)" in status.select_one(".apiref-enum").get_text()


def test_path_level_parameter_is_inherited(small_page: BeautifulSoup) -> None:
    for operation_id in ("ContainerInspect", "ContainerDelete"):
        op = operation(small_page, operation_id)
        item = prop(op, "id")
        assert item.select_one(".apiref-badge--required") is not None


def test_header_parameter_listed(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerCreate")
    headings = [h.get_text() for h in op.select("h4")]
    assert "Header parameters" in headings
    assert prop(op, "X-Registry-Auth") is not None


def test_request_body_merges_all_of(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerCreate")
    names = [n.get_text() for n in op.select(".apiref-prop__name")]
    assert "Image" in names
    assert "Tty" in names
    assert "HostConfig" in names
    assert prop(op, "Image").select_one(".apiref-badge--required") is not None
    assert prop(op, "HostConfig").select_one("a")["href"] == "#definition/HostConfig"


def test_all_of_definition_keeps_both_sides(small_page: BeautifulSoup) -> None:
    host = definition(small_page, "HostConfig")
    names = [n.get_text() for n in host.select(".apiref-prop__name")]
    assert names == ["Memory", "NetworkMode"]
    assert "host-side settings" in host.get_text()
    assert prop(host, "Memory").select_one(".apiref-default code").get_text() == "0"


def test_response_headers_and_examples(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerList")
    assert prop(op, "X-Total-Count") is not None
    example = op.select_one("details.apiref-example-block pre.apiref-code").get_text()
    assert '"Id": "8dfafdbc3a40"' in example
    statuses = [s.get_text() for s in op.select(".apiref-status__code")]
    assert statuses == ["200", "500"]


def test_generated_response_example(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerCreate")
    summaries = [s.get_text() for s in op.select("details.apiref-example-block summary")]
    assert any("generated" in text for text in summaries)


def test_binary_response_is_not_json(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerExport")
    assert "application/x-tar" in op.select_one(".apiref-media").get_text()
    assert "binary" in op.select_one(".apiref-response .apiref-type").get_text()
    assert op.select("details.apiref-example-block") == []


def test_response_without_schema(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ContainerDelete")
    response = op.select_one(".apiref-response")
    assert response.select_one(".apiref-status__code").get_text() == "204"
    assert "no error" in response.get_text()
    assert response.select_one(".apiref-type") is None


def test_recursive_definition_rendered_once(small_page: BeautifulSoup) -> None:
    assert len(small_page.select('[id="definition/TreeNode"]')) == 1
    tree = definition(small_page, "TreeNode")
    links = [a["href"] for a in tree.select(".apiref-prop__head a:not(.headerlink)")]
    assert links == ["#definition/TreeNode", "#definition/TreeNode"]


def test_nullable_and_read_only_markers(small_page: BeautifulSoup) -> None:
    summary = definition(small_page, "ContainerSummary")
    assert prop(summary, "State").select_one(".apiref-badge--nullable") is not None
    assert prop(summary, "Id").select_one(".apiref-badge--nullable") is None
    assert prop(summary, "Id").select_one(".apiref-badge--readonly") is not None
    assert "x-nullable" not in summary.get_text()


def test_deprecated_operation_marked(small_page: BeautifulSoup) -> None:
    op = operation(small_page, "ImageList")
    assert op.select_one(".apiref-endpoint .apiref-badge--deprecated") is not None


def test_page_toc_lists_tags_and_operations(small_page: BeautifulSoup) -> None:
    toc_links = [a["href"] for a in small_page.select("nav.md-nav--secondary a.md-nav__link")]
    assert "#tag/Container" in toc_links
    assert "#operation/ContainerList" in toc_links
    assert "#section/Errors" in toc_links


def test_bodies_follow_their_headings(small_page: BeautifulSoup) -> None:
    # The headings sit outside the lazily laid out bodies (content-visibility in apiref.css).
    blocks = small_page.select("section.apiref-op, section.apiref-definition")
    assert blocks
    for block in blocks:
        children = block.find_all(recursive=False)
        kind = block["class"][0]
        assert [child.name for child in children] == ["h3", "div"], block["data-context"]
        assert children[0]["id"] == block["data-context"]
        assert children[1]["class"] == [f"{kind}__body"], block["data-context"]


def test_code_blocks_are_bare_pre(small_page: BeautifulSoup) -> None:
    # Material measures every "pre > code" block on load; the reference content has none.
    content = small_page.select_one(".apiref")
    blocks = content.select("pre")
    assert blocks
    assert content.select("pre > code") == []
    assert all("apiref-code" in block["class"] for block in blocks)


def test_every_fragment_link_resolves(small_site: BuildResult) -> None:
    page_file = small_site.site_dir / "engine/api/v1.45/index.html"
    assert broken_links(small_site.site_dir, page_file) == []


def test_generated_page_never_replaces_real_page(tmp_path: Path) -> None:
    result = build_site(
        tmp_path, SMALL_SPECS, docs={"engine/api/v1.45/index.md": "# Hand-written\n"}
    )
    assert result.returncode != 0
    assert "engine/api/v1.45/index.md" in result.output
    assert "Traceback" not in result.output


# Markdown leaks ------------------------------------------------------------------------------

LEAK_PATTERNS = (re.compile(r"```"), re.compile(r"\*\*\S"))


def markdown_leaks(page: BeautifulSoup) -> list[str]:
    """Return the text fragments of the API content that still hold Markdown syntax."""
    content = page.select_one("div.apiref")
    for code in content.select("code, pre"):
        code.decompose()
    text = content.get_text(" ")
    return [pattern.pattern for pattern in LEAK_PATTERNS if pattern.search(text)]


def test_no_markdown_leaks_small(small_page: BeautifulSoup) -> None:
    assert markdown_leaks(BeautifulSoup(str(small_page), "lxml")) == []


# The project's own specs ---------------------------------------------------------------------


def spec_inventory(path: Path) -> tuple[list[str], list[str]]:
    """Read a spec with PyYAML alone: its operationIds and definition names."""
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    operation_ids = [
        operation["operationId"]
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in METHODS
    ]
    return operation_ids, list(document.get("definitions") or {})


def assert_pages_match_specs(result: BuildResult, specs_dir: Path) -> int:
    checked = 0
    for spec_file in sorted(specs_dir.glob("v1.*.yaml")):
        version = spec_file.stem
        page = result.page(f"engine/api/{version}/")
        ids = {element["id"] for element in page.select("div.apiref [id]")}
        operation_ids, definitions = spec_inventory(spec_file)
        missing_ops = [op for op in operation_ids if f"operation/{op}" not in ids]
        missing_defs = [name for name in definitions if f"definition/{name}" not in ids]
        assert missing_ops == [], f"{version}: operations without an element: {missing_ops}"
        assert missing_defs == [], f"{version}: definitions without an element: {missing_defs}"
        assert len(page.select("section.apiref-op")) == len(operation_ids)
        assert len(page.select("section.apiref-definition")) == len(definitions)
        assert markdown_leaks(page) == [], f"{version}: Markdown syntax in the text"
        checked += 1
    return checked


def test_project_site_pages_match_specs(project_site: BuildResult) -> None:
    assert assert_pages_match_specs(project_site, Path(__file__).parent.parent / "specs") == 21


def test_project_site_v124_markdown_page(project_site: BuildResult) -> None:
    page = project_site.page("engine/api/v1.24/")
    headings = [h.get_text() for h in page.select("article h2")]
    assert any("Brief introduction" in text for text in headings)


def test_project_api_index_links_resolve(project_site: BuildResult) -> None:
    page_file = project_site.site_dir / "engine/api/index.html"
    assert broken_links(project_site.site_dir, page_file, "article a[href]") == []


# The upstream specs --------------------------------------------------------------------------


@pytest.mark.real
def test_real_site_has_22_reference_pages(real_site: BuildResult) -> None:
    pages = sorted(path.parent.name for path in real_site.site_dir.glob("engine/api/v1.*/index.html"))
    assert pages == [f"v1.{minor}" for minor in range(24, 46)]


@pytest.mark.real
def test_real_site_pages_match_specs(real_site: BuildResult, real_specs_dir: Path) -> None:
    assert assert_pages_match_specs(real_site, real_specs_dir) == 21


@pytest.mark.real
def test_real_site_api_index_links_resolve(real_site: BuildResult) -> None:
    page_file = real_site.site_dir / "engine/api/index.html"
    assert broken_links(real_site.site_dir, page_file, "article a[href]") == []


@pytest.mark.real
def test_real_v145_fragment_links_resolve(real_site: BuildResult) -> None:
    page_file = real_site.site_dir / "engine/api/v1.45/index.html"
    assert broken_links(real_site.site_dir, page_file, "div.apiref a[href^='#']") == []
