"""The version matrix and the version history in real MkDocs builds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, BuildResult, broken_links, build_site

SMALL_SPECS = DATA / "small-specs"
ANCHOR_SLUGS = DATA / "anchor-slugs"
MATRIX_PAGE = "# Engine API\n\n## API version matrix\n\n<!-- apiref:version-matrix -->\n"


def matrix_rows(result: BuildResult) -> list[list]:
    page = result.page("engine/api/")
    table = page.select_one("article table")
    assert table is not None, "no table on /engine/api/"
    return [row.find_all("td") for row in table.select("tbody tr")]


def assert_matrix_consistent(result: BuildResult) -> None:
    """Every row's link text names the version its links point at, and every link resolves."""
    rows = matrix_rows(result)
    assert len(rows) == 26
    for engine, api, changes in rows:
        version = api.get_text().strip()
        link = api.find("a")
        if link is not None:
            assert link["href"].rstrip("/").endswith(f"v{version}"), (engine.get_text(), link)
        anchor = changes.find("a")["href"].split("#")[1]
        assert anchor == "v" + version.replace(".", "") + "-api-changes"
    page_file = result.site_dir / "engine/api/index.html"
    assert broken_links(result.site_dir, page_file, "article table a[href]") == []


def test_project_matrix_rows_and_links(project_site: BuildResult) -> None:
    assert_matrix_consistent(project_site)


def test_project_matrix_fixes_hand_written_errors(project_site: BuildResult) -> None:
    values = {row[0].get_text().strip(): row[1].get_text().strip() for row in matrix_rows(project_site)}
    assert values["17.03"] == "1.26"
    assert values["1.13"] == "1.25"
    assert values["26.1"] == "1.45"
    assert values["1.12"] == "1.24"


def test_project_deprecated_list_generated(project_site: BuildResult) -> None:
    page = project_site.page("engine/api/")
    section = page.find(id="deprecated-api-versions")
    text = section.find_next("p").get_text()
    assert "API versions before v1.24" in text


@pytest.mark.real
def test_real_matrix_rows_and_links(real_site: BuildResult) -> None:
    assert_matrix_consistent(real_site)


@pytest.mark.real
def test_real_history_has_anchor_per_version(real_site: BuildResult) -> None:
    page = real_site.page("engine/api/version-history/")
    ids = {element["id"] for element in page.select("h2[id]")}
    for minor in range(24, 46):
        assert f"v1{minor}-api-changes" in ids


@pytest.mark.real
def test_real_history_links_reference_pages(real_site: BuildResult) -> None:
    page_file = real_site.site_dir / "engine/api/version-history/index.html"
    assert broken_links(real_site.site_dir, page_file, "article a[href]") == []


def test_bad_version_data_fails_build(tmp_path: Path) -> None:
    data = tmp_path / "versions.yaml"
    data.write_text('- engine: "26.1"\n  api: "1.4x"\n', encoding="utf-8")
    result = build_site(
        tmp_path, SMALL_SPECS, docs={"engine/api/index.md": MATRIX_PAGE},
        version_matrix="versions.yaml",
    )
    assert result.returncode != 0
    assert "versions.yaml:2" in result.output
    assert "1.4x" in result.output
    assert "Traceback" not in result.output


def test_missing_field_fails_build(tmp_path: Path) -> None:
    data = tmp_path / "versions.yaml"
    data.write_text('- engine: "26.1"\n- engine: "26.0"\n  api: "1.45"\n', encoding="utf-8")
    result = build_site(tmp_path, SMALL_SPECS, version_matrix="versions.yaml")
    assert result.returncode != 0
    assert "versions.yaml:1" in result.output
    assert "api" in result.output


def test_row_without_spec_fails_build(tmp_path: Path) -> None:
    data = tmp_path / "versions.yaml"
    data.write_text('- engine: "27.0"\n  api: "1.46"\n- engine: "26.1"\n  api: "1.45"\n')
    result = build_site(tmp_path, SMALL_SPECS, version_matrix="versions.yaml")
    assert result.returncode != 0
    assert "27.0" in result.output
    assert "1.46" in result.output
    assert "v1.46.yaml" in result.output


def test_changelog_missing_heading_fails_build(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SMALL_SPECS, specs)
    (specs / "CHANGELOG.md").write_text(
        "---\ntitle: History\n---\n\n## v1.45 API changes\n\n* Something changed.\n",
        encoding="utf-8",
    )
    result = build_site(tmp_path, specs)
    assert result.returncode != 0
    assert "CHANGELOG.md" in result.output
    assert "1.44" in result.output


def test_excluded_history_page_still_checked(tmp_path: Path) -> None:
    # The anchors are checked on the converted page, or at the end of a build without it.
    specs = tmp_path / "specs"
    (tmp_path / "versions.yaml").write_text(
        '- engine: "26.1"\n  api: "1.45"\n- engine: "26.0"\n  api: "1.44"\n', encoding="utf-8"
    )
    shutil.copytree(SMALL_SPECS, specs)
    # A hand-written history page in docs/ whose v1.45 heading has an id of its own.
    history = (
        "# History\n\n## v1.45 API changes {#changes-145}\n\n* Something changed.\n\n"
        "## v1.44 API changes\n\n* Something else changed.\n"
    )
    extensions = [{"toc": {"permalink": True}}, "tables", "attr_list"]
    for exclude in ("", "engine/api/version-history.md\n"):
        result = build_site(
            tmp_path,
            specs,
            docs={"engine/api/version-history.md": history},
            config={"exclude_docs": exclude, "markdown_extensions": extensions},
            version_matrix="versions.yaml",
        )
        assert result.returncode != 0, exclude
        assert "no heading with id 'v145-api-changes'" in result.output, exclude
        assert "the page has" not in result.output, exclude


def test_changelog_generates_history_page(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SMALL_SPECS, specs)
    (specs / "CHANGELOG.md").write_text(
        "---\ntitle: History\n---\n\n## v1.45 API changes\n\n* New endpoints.\n\n"
        "## v1.44 API changes\n\n* First version.\n",
        encoding="utf-8",
    )
    result = build_site(tmp_path, specs)
    assert result.returncode == 0, result.output
    page = result.page("engine/api/version-history/")
    assert page.find(id="v145-api-changes") is not None
    assert page.find(id="v144-api-changes") is not None
    computed = page.find(id="v145-api-changes").find_next("ul").find_next("ul")
    assert "ContainerCreate" in computed.get_text() or "/containers/create" in computed.get_text()


def _anchor_slug_site(tmp_path: Path, strict: bool, **config) -> BuildResult:
    docs = {
        name: (ANCHOR_SLUGS / "docs" / name).read_text(encoding="utf-8")
        for name in ("engine/api/index.md", "engine/api/version-history.md")
    }
    shutil.copytree(ANCHOR_SLUGS / "data", tmp_path / "data")
    return build_site(
        tmp_path, ANCHOR_SLUGS / "specs", docs=docs, strict=strict, latest_page="",
        version_matrix="data/engine_versions.yaml", config=config,
    )


def test_anchor_trap_reported_in_strict_build(tmp_path: Path) -> None:
    result = _anchor_slug_site(tmp_path, strict=True)
    assert result.returncode != 0
    assert "version-history.md" in result.output
    assert "1.24" in result.output
    assert "v124-api-changes" in result.output


def test_anchor_slugs_follow_toc_separator(tmp_path: Path) -> None:
    result = _anchor_slug_site(
        tmp_path, strict=False,
        markdown_extensions=[{"toc": {"permalink": True, "separator": "_"}}, "tables"],
    )
    assert result.returncode == 0, result.output
    history = result.page("engine/api/version-history/")
    assert history.find(id="v145_api_changes") is not None
    hrefs = [a["href"] for a in result.page("engine/api/").select("article table a")]
    assert any(re.search(r"version-history/#v145_api_changes$", href) for href in hrefs)
    assert not any("v145-api-changes" in href for href in hrefs)
