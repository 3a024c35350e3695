"""End-to-end tests: real `mkdocs build` runs of small sites with aliases and redirect maps."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from apiref.stubs import STUB_MARKER

CASES = Path(__file__).parent / "data" / "redirect-cases"
PLUGINS = Path(__file__).parent.parent / "plugins"


@dataclass
class Build:
    returncode: int
    output: str
    site: Path


def mkdocs_build(tmp_path: Path, case: str, config: str = "mkdocs.yml") -> Build:
    """Copy a case site into ``tmp_path`` and build it with this worktree's plugin."""
    project = tmp_path / "project"
    shutil.copytree(CASES / case, project)
    site = tmp_path / "site"
    environment = {**os.environ, "PYTHONPATH": str(PLUGINS), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / config), "-d", str(site)],
        capture_output=True, text=True, env=environment, timeout=300, check=False,
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


def read_html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def is_stub(path: Path) -> bool:
    meta = read_html(path).find("meta", attrs={"name": "generator"})
    return meta is not None and meta.get("content") == STUB_MARKER


def refresh_url(path: Path) -> str:
    content = read_html(path).find("meta", attrs={"http-equiv": "refresh"})["content"]
    return content.partition("url=")[2]


def test_build_writes_stub_for_alias(tmp_path):
    build = mkdocs_build(tmp_path, "stub-fragment-query")
    assert build.returncode == 0, build.output
    stub = build.site / "engine/reference/api/index.html"
    assert is_stub(stub)
    assert refresh_url(stub) == "../../api/"
    canonical = read_html(stub).find("link", rel="canonical")["href"]
    assert canonical == "https://docs.example.com/engine/api/"


def test_build_accepts_map_target_with_fragment(tmp_path):
    build = mkdocs_build(tmp_path, "stub-fragment-query")
    assert build.returncode == 0, build.output
    assert "does not exist" not in build.output
    assert "go-sdk" not in build.output
    stub = build.site / "engine/sdk-legacy/index.html"
    assert refresh_url(stub) == "../api/sdk/#go-sdk"


def test_build_warns_about_missing_target_fragment(tmp_path):
    project_case = tmp_path / "case"
    shutil.copytree(CASES / "stub-fragment-query", project_case)
    config = project_case / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("#go-sdk", "#rust-sdk"), "utf-8")
    build = mkdocs_build(tmp_path, project_case)
    assert build.returncode == 0, build.output
    assert "WARNING" in build.output
    assert "'#rust-sdk'" in build.output


def test_build_rejects_map_source_with_fragment(tmp_path):
    build = mkdocs_build(tmp_path, "stub-fragment-query", "mkdocs-bad-source.yml")
    assert build.returncode != 0
    assert "engine/old.md#section" in build.output
    assert "sources cannot contain '#'" in build.output


def test_search_index_has_no_stub(tmp_path):
    build = mkdocs_build(tmp_path, "stub-fragment-query")
    index = json.loads((build.site / "search/search_index.json").read_text("utf-8"))
    locations = {entry["location"].partition("#")[0] for entry in index["docs"]}
    stubs = {entry["from"].lstrip("/") for entry in
             json.loads((build.site / "redirects.json").read_text("utf-8"))["redirects"]}
    assert stubs
    assert locations.isdisjoint(stubs)


def test_build_keeps_real_page_on_self_alias(tmp_path):
    build = mkdocs_build(tmp_path, "alias-collisions/ok")
    assert build.returncode == 0, build.output
    page = build.site / "engine/install/index.html"
    assert not is_stub(page)
    assert read_html(page).find("h1").get_text(strip=True).startswith("Install the engine")
    assert "WARNING" in build.output
    assert "engine/install.md" in build.output
    assert "'/engine/install/'" in build.output


def test_build_flattens_chain(tmp_path):
    build = mkdocs_build(tmp_path, "alias-collisions/ok")
    assert refresh_url(build.site / "engine/sdk/index.html") == "../api/sdk/"
    assert refresh_url(build.site / "develop/sdk/index.html") == "../../engine/api/sdk/"


def test_build_points_link_at_final_page(tmp_path):
    build = mkdocs_build(tmp_path, "alias-collisions/ok")
    link = read_html(build.site / "engine/guide/index.html").find("a", string="SDKs")
    assert link["href"] == "../api/sdk/"
    assert "not found" not in build.output


def test_build_fails_on_collisions(tmp_path):
    build = mkdocs_build(tmp_path, "alias-collisions/collide")
    assert build.returncode != 0
    assert "engine/api/sdk.md" in build.output
    assert "'/engine/api'" in build.output
    assert "engine/api/index.md" in build.output
    assert "'/Engine/API/'" in build.output
    assert "a.md" in build.output
    assert "b.md" in build.output
    assert "'/old/'" in build.output


def test_failed_build_writes_no_stub_over_page(tmp_path):
    build = mkdocs_build(tmp_path, "alias-collisions/collide")
    assert build.returncode != 0
    api_page = build.site / "engine/api/index.html"
    assert not (api_page.exists() and is_stub(api_page))


def test_build_fails_on_loop(tmp_path):
    build = mkdocs_build(tmp_path, "alias-collisions/loop")
    assert build.returncode != 0
    assert "loop" in build.output
    assert "'x.md'" in build.output
    assert "'y.md'" in build.output


def test_build_writes_version_aliases(tmp_path):
    build = mkdocs_build(tmp_path, "version-aliases")
    assert build.returncode == 0, build.output
    for version in ("1.45", "1.46"):
        stub = build.site / f"engine/reference/api/docker_remote_api_v{version}/index.html"
        assert refresh_url(stub) == f"../../../api/v{version}/"
    assert refresh_url(build.site / "engine/api/latest/index.html") == "../v1.46/"
    assert (build.site / "engine/api/v1.45/index.html").is_file()
    assert not (build.site / "engine/api/v145").exists()


def test_build_without_directory_urls(tmp_path):
    project_case = tmp_path / "case"
    shutil.copytree(CASES / "stub-fragment-query", project_case)
    config = project_case / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("use_directory_urls: true", "use_directory_urls: false"),
        "utf-8",
    )
    build = mkdocs_build(tmp_path, project_case)
    assert build.returncode == 0, build.output
    assert refresh_url(build.site / "engine/userguide/api.html") == "../api/index.html"
    assert refresh_url(build.site / "engine/sdk-legacy.html") == "api/sdk.html#go-sdk"
    assert refresh_url(build.site / "engine/reference/api/index.html") == "../../api/index.html"
