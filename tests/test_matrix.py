"""Tests for the version data, the version matrix and the checks on its links."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from apiref.anchors import heading_anchor, heading_ids
from apiref.errors import InputErrors
from apiref.matrix import (
    MatrixLinks,
    VersionData,
    check_changelog_anchors,
    check_specs,
    insert_deprecated_versions,
    insert_version_matrix,
    load_version_data,
    parse_version_data,
    render_deprecated_versions,
    render_matrix,
)

DATA = Path(__file__).parent / "data"
VERSION_DATA = DATA / "version-data"
ANCHOR_SLUGS = DATA / "anchor-slugs"
INTEGRITY = DATA / "matrix-integrity"
PROJECT_DATA = Path(__file__).parent.parent / "specs" / "engine-versions.yaml"


def load(name: str) -> VersionData:
    return load_version_data(VERSION_DATA / name, label=f"data/{name}")


def load_errors(name: str) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        load(name)
    return [str(error) for error in caught.value.errors]


def matrix_rows(data: VersionData, links: MatrixLinks | None = None) -> list[list]:
    """Render the matrix to HTML and return each body row's cells as BeautifulSoup tags."""
    html = markdown.markdown(render_matrix(data, links), extensions=["tables"])
    table = BeautifulSoup(html, "lxml").find("table")
    return [row.find_all("td") for row in table.find("tbody").find_all("tr")]


# The project's own version data -------------------------------------------------------------


def test_project_data_has_all_releases() -> None:
    """The project's data file lists every release from 26.1 down to 1.12."""
    data = load_version_data(PROJECT_DATA)
    assert len(data.releases) == 26
    assert data.releases[0].engine == "26.1"
    assert data.releases[-1].engine == "1.12"
    assert data.warnings == []
    assert data.minimum_api == "1.24"


def test_project_data_fixes_hand_written_errors() -> None:
    """17.03 serves 1.26 and 1.13 serves 1.25, and their links match."""
    data = load_version_data(PROJECT_DATA)
    by_engine = {release.engine: release.api for release in data.releases}
    assert by_engine["17.03"] == "1.26"
    assert by_engine["17.03.1"] == "1.27"
    assert by_engine["1.13.1"] == "1.26"
    assert by_engine["1.13"] == "1.25"
    rows = {cells[0].get_text(): cells for cells in matrix_rows(data)}
    assert rows["17.03"][1].a["href"] == "/engine/api/v1.26/"
    assert rows["1.13"][1].a["href"] == "/engine/api/v1.25/"


def test_project_matrix_link_text_matches_href() -> None:
    """Every API link's text is the version inside its href."""
    data = load_version_data(PROJECT_DATA)
    rows = matrix_rows(data)
    assert len(rows) == 26
    for cells in rows:
        link = cells[1].a
        assert link is not None, cells[0].get_text()
        assert link["href"] == f"/engine/api/v{link.get_text()}/"
        anchor = link.get_text().replace(".", "")
        assert cells[2].a["href"] == f"/engine/api/version-history/#v{anchor}-api-changes"


def test_project_deprecated_list() -> None:
    """The deprecated-versions list names the minimum and links each archive."""
    data = load_version_data(PROJECT_DATA)
    html = markdown.markdown(render_deprecated_versions(data))
    soup = BeautifulSoup(html, "lxml")
    assert "API versions before v1.24 are" in soup.get_text()
    links = {link.get_text(): link["href"] for link in soup.find_all("a")}
    assert links["deprecated"] == "/engine/deprecated/#deprecate-legacy-api-versions"
    assert links["Documentation for API versions 1.23 and before"].endswith("v25.0.0/docs/api")
    assert "Documentation for API versions 1.17 and before" in links


# Parsing and ordering -----------------------------------------------------------------------


def test_numeric_order_is_accepted() -> None:
    """27.0 > 26.1 > 26.0 > 17.04 > 17.03.1 > 17.03 > 1.10 > 1.9 is newest first."""
    data = load("ordered.yaml")
    engines = [release.engine for release in data.releases]
    assert engines == ["27.0", "26.1", "26.0", "17.04", "17.03.1", "17.03", "1.10", "1.9"]


def test_text_order_is_rejected() -> None:
    """1.9 above 1.10 is out of order, because versions compare as numbers."""
    errors = load_errors("text-order.yaml")
    assert len(errors) == 1
    assert errors[0].startswith("data/text-order.yaml:4:")
    assert "engine 1.10 is listed after 1.9" in errors[0]


def test_case_data_in_text_order_is_rejected() -> None:
    """The unordered case file fails on its first out-of-order row."""
    path = INTEGRITY / "data" / "engine_versions.yaml"
    with pytest.raises(InputErrors) as caught:
        load_version_data(path, label="engine_versions.yaml")
    first = str(caught.value.errors[0])
    assert first.startswith("engine_versions.yaml:11:")
    assert "engine 17.03.1 is listed after 1.9" in first


def test_newer_engine_with_older_api_is_rejected() -> None:
    """An engine cannot serve a higher API version than a newer engine."""
    errors = load_errors("api-order.yaml")
    assert len(errors) == 1
    assert errors[0].startswith("data/api-order.yaml:4:")
    assert "engine 26.0 serves API 1.45" in errors[0]


def test_invalid_api_version_names_file_line_value() -> None:
    errors = load_errors("bad-api-version.yaml")
    assert len(errors) == 1
    assert errors[0].startswith("data/bad-api-version.yaml:4:")
    assert "'1.4x'" in errors[0]


def test_missing_field_names_file_line_field() -> None:
    errors = load_errors("missing-field.yaml")
    assert len(errors) == 1
    assert errors[0].startswith("data/missing-field.yaml:3:")
    assert "release (engine 26.0) is missing the field 'api'" in errors[0]


def test_duplicate_release_names_both_lines() -> None:
    errors = load_errors("duplicate.yaml")
    assert len(errors) == 1
    assert errors[0].startswith("data/duplicate.yaml:5:")
    assert "duplicate release: engine 26.0" in errors[0]
    assert "line 3" in errors[0]


def test_invalid_yaml_names_line() -> None:
    errors = load_errors("invalid-yaml.yaml")
    assert len(errors) == 1
    assert re.match(r"data/invalid-yaml\.yaml:\d+: invalid YAML", errors[0])


def test_deprecated_false_below_minimum_is_rejected() -> None:
    errors = load_errors("contradicts-minimum.yaml")
    assert len(errors) == 1
    assert errors[0].startswith("data/contradicts-minimum.yaml:5:")
    assert "API 1.23, below minimum_api 1.24" in errors[0]


def test_unknown_field_is_rejected() -> None:
    text = '- engine: "26.1"\n  api: "1.45"\n  deprecate: true\n'
    with pytest.raises(InputErrors) as caught:
        parse_version_data(text, "versions.yaml")
    message = str(caught.value.errors[0])
    assert message.startswith("versions.yaml:3:")
    assert "unknown field 'deprecate'" in message


def test_unquoted_versions_keep_their_text() -> None:
    """YAML would read 1.10 as the float 1.1; the source text is kept instead."""
    data = parse_version_data("- engine: 1.10\n  api: 1.22\n", "versions.yaml")
    assert data.releases[0].engine == "1.10"
    assert data.releases[0].api == "1.22"


def test_below_minimum_is_deprecated() -> None:
    data = load("full.yaml")
    deprecated = {release.engine: release.deprecated for release in data.releases}
    assert deprecated == {"26.1": False, "1.12": False, "1.11": True}


# Rendering ----------------------------------------------------------------------------------


def test_prefixed_api_version_is_normalised_with_warning() -> None:
    """V1.46 becomes 1.46, with a warning naming the row, and no href contains /V1."""
    data = load("ordered.yaml")
    assert data.releases[0].api == "1.46"
    assert len(data.warnings) == 1
    warning = str(data.warnings[0])
    assert warning.startswith("data/ordered.yaml:3:")
    assert "'V1.46' read as '1.46'" in warning
    table = render_matrix(data)
    assert "/V1." not in table
    assert "[1.46](/engine/api/v1.46/)" in table


def test_deprecated_rows_have_plain_api_and_changelog_link() -> None:
    data = load("ordered.yaml")
    rows = {cells[0].get_text(): cells for cells in matrix_rows(data)}
    for engine in ("17.04", "17.03.1", "17.03", "1.10", "1.9"):
        assert rows[engine][1].find("a") is None, engine
        assert rows[engine][2].a is not None, engine
    assert rows["1.9"][1].get_text() == "1.21"
    assert rows["1.9"][2].a["href"] == "/engine/api/version-history/#v121-api-changes"
    assert rows["26.1"][1].a["href"] == "/engine/api/v1.45/"


def test_link_patterns_and_base_url() -> None:
    links = MatrixLinks(
        reference_url="reference/{api}/",
        changelog_url="history/",
        base_url="../",
    )
    rows = matrix_rows(load("ordered.yaml"), links)
    assert rows[0][1].a["href"] == "../reference/1.46/"
    assert rows[0][2].a["href"] == "../history/#v146-api-changes"


def test_pattern_without_placeholder_is_rejected() -> None:
    with pytest.raises(ValueError, match="must contain"):
        MatrixLinks(reference_url="engine/api/latest/")


def test_marker_is_replaced_with_matrix() -> None:
    page = (ANCHOR_SLUGS / "docs" / "engine" / "api" / "index.md").read_text()
    data = load_version_data(ANCHOR_SLUGS / "data" / "engine_versions.yaml")
    result = insert_version_matrix(page, data)
    assert "apiref:version-matrix" not in result
    html = markdown.markdown(result, extensions=["tables", "meta"])
    soup = BeautifulSoup(html, "lxml")
    assert soup.find("table") is not None
    engines = [row.td.get_text() for row in soup.find("tbody").find_all("tr")]
    assert engines == ["27.3", "27.0", "26.1", "26.0", "1.12"]


def test_marker_in_code_block_is_kept() -> None:
    page = "Write this line:\n\n```\n<!-- apiref:version-matrix -->\n```\n"
    result = insert_version_matrix(page, load("full.yaml"))
    assert result == page


def test_deprecated_marker_is_replaced() -> None:
    page = "# API\n\n<!--  apiref:deprecated-versions  -->\n\nEnd.\n"
    result = insert_deprecated_versions(page, load("full.yaml"))
    assert "apiref:deprecated-versions" not in result
    assert "API versions before v1.24 are [deprecated](" in result
    assert result.endswith("End.\n")


def test_deprecated_marker_without_minimum_is_an_error() -> None:
    page = "<!-- apiref:deprecated-versions -->\n"
    data = load("ordered.yaml")
    with pytest.raises(Exception, match="minimum_api is not set"):
        insert_deprecated_versions(page, data)


# Checks -------------------------------------------------------------------------------------


def test_row_without_spec_names_engine_api_and_path() -> None:
    data = load("missing-spec.yaml")
    have = [path.stem.removeprefix("v") for path in (INTEGRITY / "specs").glob("v*.yaml")]
    errors = [str(error) for error in check_specs(data, have)]
    assert len(errors) == 1
    assert errors[0].startswith("data/missing-spec.yaml:2:")
    assert "engine 27.3" in errors[0]
    assert "API 1.47" in errors[0]
    assert "specs/v1.47.yaml" in errors[0]


def test_deprecated_row_needs_no_spec() -> None:
    data = load("missing-spec.yaml")
    errors = check_specs(data, ["1.45", "1.46", "1.47"])
    assert errors == []


def test_changelog_anchor_with_extra_words_is_reported() -> None:
    """A heading "v1.24 API changes (Docker 1.12)" does not have the id the matrix links."""
    page_file = "engine/api/version-history.md"
    page = (ANCHOR_SLUGS / "docs" / page_file).read_text()
    data = load_version_data(ANCHOR_SLUGS / "data" / "engine_versions.yaml")
    errors = [str(error) for error in check_changelog_anchors(data, heading_ids(page), page_file)]
    assert len(errors) == 1
    assert errors[0].startswith("engine/api/version-history.md:")
    assert "'v124-api-changes'" in errors[0]
    assert "API version 1.24" in errors[0]
    assert "'v124-api-changes-docker-112'" in errors[0]


def test_every_changelog_link_resolves() -> None:
    page = (INTEGRITY / "docs" / "engine" / "api" / "version-history.md").read_text()
    ids = heading_ids(page)
    data = load("ordered.yaml")
    for cells in matrix_rows(data):
        href = cells[2].a["href"]
        assert href.split("#")[1] in ids, href
    assert check_changelog_anchors(data, ids, "version-history.md") == []


def test_underscore_separator_anchors() -> None:
    """With the toc separator "_", the matrix links #v145_api_changes and the page has it."""
    page = (ANCHOR_SLUGS / "docs" / "engine" / "api" / "version-history.md").read_text()
    ids = heading_ids(page, ["toc"], {"toc": {"separator": "_"}})
    data = load_version_data(ANCHOR_SLUGS / "data" / "engine_versions.yaml")
    links = MatrixLinks(separator="_")
    rows = {cells[0].get_text(): cells for cells in matrix_rows(data, links)}
    assert rows["26.1"][2].a["href"] == "/engine/api/version-history/#v145_api_changes"
    assert "v145_api_changes" in ids
    errors = check_changelog_anchors(data, ids, "version-history.md", links)
    assert len(errors) == 1
    assert "'v124_api_changes'" in str(errors[0])


def test_default_anchor_rows() -> None:
    data = load_version_data(ANCHOR_SLUGS / "data" / "engine_versions.yaml")
    rows = {cells[0].get_text(): cells for cells in matrix_rows(data)}
    expected = {
        "27.3": "v147-api-changes",
        "27.0": "v146-api-changes",
        "26.1": "v145-api-changes",
        "26.0": "v145-api-changes",
    }
    for engine, anchor in expected.items():
        assert rows[engine][2].a["href"] == f"/engine/api/version-history/#{anchor}"


# Anchors ------------------------------------------------------------------------------------

# (heading text, separator, expected id)
ANCHOR_CASES = [
    ("v1.45 API changes", "-", "v145-api-changes"),
    ("v1.45 API changes", "_", "v145_api_changes"),
    ("V1.39 API changes", "-", "v139-api-changes"),
    ("v1.24 API changes (Docker 1.12)", "-", "v124-api-changes-docker-112"),
]


@pytest.mark.parametrize(("heading", "separator", "expected"), ANCHOR_CASES)
def test_heading_anchor_matches_toc(heading: str, separator: str, expected: str) -> None:
    assert heading_anchor(heading, separator=separator) == expected
    rendered = heading_ids(f"## {heading}\n", ["toc"], {"toc": {"separator": separator}})
    assert rendered == {expected}


def test_heading_anchor_uses_given_slugify() -> None:
    def keep_dots(text: str, separator: str) -> str:
        return text.lower().replace(" ", separator)

    assert heading_anchor("v1.45 API changes", keep_dots, "-") == "v1.45-api-changes"
    ids = heading_ids("## v1.45 API changes\n", ["toc"], {"toc": {"slugify": keep_dots}})
    assert ids == {"v1.45-api-changes"}
