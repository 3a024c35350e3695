"""Tests for the changelog parser and the version-history page."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from apiref.anchors import heading_ids
from apiref.compare import load_spec
from apiref.errors import InputErrors
from apiref.history import (
    Changelog,
    HistoryLinks,
    check_changelog_versions,
    compare_consecutive,
    load_changelog,
    render_history_page,
)
from apiref.matrix import MatrixLinks, check_changelog_anchors, load_version_data

DATA = Path(__file__).parent / "data"
HISTORY = DATA / "history"
COMPARE = DATA / "compare"


def load(name: str) -> Changelog:
    return load_changelog(HISTORY / name, label=f"specs/{name}")


def load_errors(name: str) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        load(name)
    return [str(error) for error in caught.value.errors]


def render_html(page: str) -> BeautifulSoup:
    html = markdown.markdown(page, extensions=["toc", "meta", "fenced_code"])
    return BeautifulSoup(html, "lxml")


# Parsing ------------------------------------------------------------------------------------


def test_changelog_entries_and_front_matter() -> None:
    changelog = load("CHANGELOG.md")
    assert changelog.front_matter["title"] == "Widget API version history"
    assert [entry.version for entry in changelog.entries] == ["1.45", "1.44", "1.43"]
    assert [entry.line for entry in changelog.entries] == [8, 20, 24]


def test_capital_v_and_level_three_headings_are_versions() -> None:
    """Upstream writes some headings as "## V1.39 API changes" or at level 3."""
    changelog = load("CHANGELOG.md")
    assert changelog.entry("1.44") is not None
    assert changelog.entry("1.43") is not None
    assert "Written at level 3" in changelog.entry("1.43").body


def test_entry_body_keeps_subheadings_and_code() -> None:
    body = load("CHANGELOG.md").entry("1.45").body
    assert body.startswith("* `POST /widgets/prune` is a new endpoint.")
    assert "### Deprecated" in body
    assert "## not a heading: this line is inside a code block" in body
    assert "This comment comes before" not in body


def test_malformed_headings_name_file_line_text() -> None:
    errors = load_errors("malformed-heading.md")
    assert len(errors) == 2
    assert errors[0].startswith("specs/malformed-heading.md:9:")
    assert "'## v1.4x API changes'" in errors[0]
    assert errors[1].startswith("specs/malformed-heading.md:13:")
    assert "'## Release notes'" in errors[1]


def test_missing_heading_names_file_and_version() -> None:
    changelog = load("missing-heading.md")
    errors = [str(error) for error in check_changelog_versions(changelog, ["1.43", "1.44", "1.45"])]
    assert len(errors) == 1
    assert errors[0].startswith("specs/missing-heading.md:")
    assert "API version 1.44" in errors[0]
    assert "'## v1.44 API changes'" in errors[0]


def test_duplicate_heading_is_rejected() -> None:
    errors = load_errors("duplicate-heading.md")
    duplicates = [error for error in errors if "duplicate heading" in error]
    assert len(duplicates) == 1
    assert duplicates[0].startswith("specs/duplicate-heading.md:9:")
    assert "v1.45, already on line 1" in duplicates[0]


def test_versions_out_of_order_compare_numerically() -> None:
    errors = load_errors("out-of-order.md")
    assert len(errors) == 1
    assert errors[0].startswith("specs/out-of-order.md:5:")
    assert "v1.10 is listed after v1.9" in errors[0]


# The generated page -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def history_page() -> str:
    changelog = load("CHANGELOG.md")
    specs = [load_spec(COMPARE / f"v{version}.yaml", version) for version in ("1.44", "1.45")]
    return render_history_page(
        changelog,
        reference_versions=["1.44", "1.45"],
        changes=compare_consecutive(specs),
    )


def test_page_headings_have_stable_ids(history_page: str) -> None:
    ids = heading_ids(history_page)
    assert {"v145-api-changes", "v144-api-changes", "v143-api-changes"} <= ids


def test_page_headings_are_normalised(history_page: str) -> None:
    """Every version gets "## v1.NN API changes", whatever the changelog wrote."""
    assert "## v1.44 API changes\n" in history_page
    assert "## v1.43 API changes\n" in history_page
    assert "V1.44" not in history_page
    assert "### v1.43" not in history_page


def test_page_links_reference_only_where_one_exists(history_page: str) -> None:
    soup = render_html(history_page)
    links = {link.get_text(): link["href"] for link in soup.find_all("a")}
    assert links["API v1.45 reference"] == "/engine/api/v1.45/"
    assert links["API v1.44 reference"] == "/engine/api/v1.44/"
    assert "API v1.43 reference" not in links


def test_page_lists_computed_changes(history_page: str) -> None:
    soup = render_html(history_page)
    heading = soup.find(id="changes-in-the-spec-since-v144")
    assert heading is not None
    assert heading.get_text() == "Changes in the spec since v1.44"
    listing = heading.find_next_sibling("ul")
    hrefs = [link["href"] for link in listing.find_all("a")]
    assert "/engine/api/v1.45/#operation/WidgetPrune" in hrefs
    assert "/engine/api/v1.44/#operation/WidgetPolish" in hrefs
    assert soup.find(id="changes-in-the-spec-since-v143") is None


def test_page_keeps_notes_and_title(history_page: str) -> None:
    assert history_page.startswith("---\ntitle: Widget API version history\n")
    soup = render_html(history_page)
    assert soup.h1.get_text() == "Widget API version history"
    assert "is a new endpoint." in soup.get_text()
    code = soup.find("code", class_="language-console")
    assert code is not None
    assert code.get_text().strip() == "## not a heading: this line is inside a code block"


def test_page_filters_versions() -> None:
    page = render_history_page(load("CHANGELOG.md"), versions=["1.44"])
    ids = heading_ids(page)
    assert "v144-api-changes" in ids
    assert "v145-api-changes" not in ids


def test_page_links_use_patterns() -> None:
    links = HistoryLinks(reference_url="reference/{api}/", base_url="../")
    page = render_history_page(load("CHANGELOG.md"), ["1.45"], links=links)
    assert "[API v1.45 reference](../reference/1.45/)" in page


def test_matrix_anchors_exist_on_generated_page() -> None:
    """Each changelog link of the matrix lands on a heading of the generated page."""
    data = load_version_data(DATA / "version-data" / "ordered.yaml")
    page = render_history_page(load("CHANGELOG.md"))
    ids = heading_ids(page)
    errors = check_changelog_anchors(data, ids, "version-history.md", MatrixLinks())
    missing = {str(error).split("'")[1] for error in errors}
    # The test changelog covers 1.43 to 1.45, so only the older rows' anchors are missing.
    assert missing == {
        "v146-api-changes",
        "v128-api-changes",
        "v127-api-changes",
        "v126-api-changes",
        "v122-api-changes",
        "v121-api-changes",
    }
