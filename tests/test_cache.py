"""Tests for the build cache, the worker processes and the fragment memo.

Each of them only skips work, so every test compares output against a build or render that
did the work, byte for byte.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from apiref import render, site as site_module
from apiref.cache import BuildCache, make_key
from apiref.loader import discover
from apiref.page_cache import CACHED_PAGE_MARKER
from apiref.parallel import WorkerPool
from apiref.site import ReferenceSite, SiteOptions
from apiref.specs import load_spec

PROJECT_SPECS = Path(__file__).parent.parent / "specs"
VERSIONS = ("1.43", "1.44", "1.45")
REAL_SPECS = os.environ.get("IECHOR_API_SPECS")


def make_site(root: Path, **options: object) -> Path:
    """Write a small MkDocs project with three project specs; return its mkdocs.yml."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    specs = root / "specs"
    specs.mkdir()
    for version in VERSIONS:
        shutil.copyfile(PROJECT_SPECS / f"v{version}.yaml", specs / f"v{version}.yaml")
    lines = ["site_name: Cache test", "theme: mkdocs", "plugins:", "  - apiref:"]
    lines.append("      specs_dir: specs")
    for name, value in options.items():
        lines.append(f"      {name}: {str(value).lower() if isinstance(value, bool) else value}")
    config = root / "mkdocs.yml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def build_site(config_file: Path, out: Path) -> None:
    config = load_config(str(config_file), site_dir=str(out))
    build(config)


def reference_pages(out: Path) -> dict[str, bytes]:
    """Return the bytes of every generated reference page, by path below ``out``."""
    pages = {}
    for version in (*VERSIONS, "latest"):
        name = "latest" if version == "latest" else f"v{version}"
        path = out / "engine" / "api" / name / "index.html"
        pages[path.relative_to(out).as_posix()] = path.read_bytes()
    return pages


class RenderCounter:
    """Count calls of ``render_reference`` made through ``apiref.site``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.versions: list[str] = []
        original = site_module.render_reference

        def counting(spec, *args, **kwargs):
            self.versions.append(str(spec.version))
            return original(spec, *args, **kwargs)

        monkeypatch.setattr(site_module, "render_reference", counting)


# Builds ----------------------------------------------------------------------------------------


def test_cached_builds_match_uncached_build(tmp_path: Path) -> None:
    plain = make_site(tmp_path / "plain", cache=False, workers=1)
    cached = make_site(tmp_path / "cached", workers=2)
    build_site(plain, tmp_path / "out-plain")
    build_site(cached, tmp_path / "out-cold")
    build_site(cached, tmp_path / "out-warm")
    expected = reference_pages(tmp_path / "out-plain")
    assert reference_pages(tmp_path / "out-cold") == expected
    assert reference_pages(tmp_path / "out-warm") == expected
    assert not (tmp_path / "plain" / ".cache").exists()
    assert list((tmp_path / "cached" / ".cache" / "apiref").glob("page-*.pickle"))


def test_warm_build_renders_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_site(tmp_path / "site", workers=1)
    build_site(config, tmp_path / "out-cold")
    counter = RenderCounter(monkeypatch)
    build_site(config, tmp_path / "out-warm")
    assert counter.versions == []


def test_changed_spec_rerenders_only_that_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path / "site", workers=1)
    build_site(config, tmp_path / "out-cold")
    spec = tmp_path / "site" / "specs" / "v1.44.yaml"
    text = spec.read_text(encoding="utf-8")
    marker = "Cache test marker: edited description"
    edited = text.replace("description: |", f"description: |\n    {marker}", 1)
    assert edited != text
    spec.write_text(edited, encoding="utf-8")
    counter = RenderCounter(monkeypatch)
    build_site(config, tmp_path / "out-edited")
    assert counter.versions == ["1.44"]
    html = (tmp_path / "out-edited" / "engine/api/v1.44/index.html").read_text(encoding="utf-8")
    assert marker in BeautifulSoup(html, "lxml").get_text()


def test_changed_option_misses_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_site(tmp_path / "site", workers=1)
    build_site(config, tmp_path / "out-cold")
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text + "      fragment_aliases:\n        operation/Old: operation/ContainerList\n",
        encoding="utf-8",
    )
    counter = RenderCounter(monkeypatch)
    build_site(config, tmp_path / "out-aliases")
    assert sorted(counter.versions) == ["1.43", "1.44", "1.45", "1.45"]


def test_damaged_cache_entries_are_rebuilt(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site", workers=1)
    build_site(config, tmp_path / "out-cold")
    entries = list((tmp_path / "site" / ".cache" / "apiref").glob("*.pickle"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    build_site(config, tmp_path / "out-damaged")
    assert reference_pages(tmp_path / "out-damaged") == reference_pages(tmp_path / "out-cold")


def test_invalid_spec_fails_every_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_site(tmp_path / "site", workers=2)
    (tmp_path / "site" / "specs" / "v1.44.yaml").write_text(
        "swagger: '2.0'\npaths: [not, a, mapping]\n", encoding="utf-8"
    )
    for attempt in ("first", "second"):
        caplog.clear()
        with pytest.raises(Abort):
            build_site(config, tmp_path / f"out-{attempt}")
        assert "v1.44.yaml:2 (#/paths)" in caplog.text


def test_unused_entries_are_pruned(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site", workers=1)
    cache_dir = tmp_path / "site" / ".cache" / "apiref"
    build_site(config, tmp_path / "out-cold")
    stale = cache_dir / f"{make_key('page', 'removed spec')}.pickle"
    stale.write_bytes(b"")
    kept = sorted(path.name for path in cache_dir.glob("*.pickle") if path != stale)
    build_site(config, tmp_path / "out-warm")
    assert not stale.exists()
    assert sorted(path.name for path in cache_dir.glob("*.pickle")) == kept


def test_cache_dir_option_moves_cache(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site", cache_dir="build-cache", workers=1)
    build_site(config, tmp_path / "out")
    assert list((tmp_path / "site" / "build-cache").glob("spec-*.pickle"))
    assert not (tmp_path / "site" / ".cache").exists()


def search_site(root: Path, *, cache: bool) -> Path:
    """Write a Material project with the site search over every version; return its mkdocs.yml."""
    config = make_site(root, cache=cache, workers=1, search="all")
    text = config.read_text(encoding="utf-8")
    text = text.replace("theme: mkdocs", "theme: material").replace(
        "plugins:\n", "plugins:\n  - search\n"
    )
    config.write_text(text, encoding="utf-8")
    return config


class ParseCounter:
    """Count the pages that Material's search plugin parses, by the size of their HTML."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from material.plugins.search import plugin as search_plugin

        self.sizes: list[int] = []
        original = search_plugin.Parser

        counter = self

        class CountingParser(original):
            def feed(self, data: str) -> None:
                counter.sizes.append(len(data))
                super().feed(data)

        monkeypatch.setattr(search_plugin, "Parser", CountingParser)


def test_warm_build_reuses_search_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = search_site(tmp_path / "plain", cache=False)
    cached = search_site(tmp_path / "cached", cache=True)
    build_site(plain, tmp_path / "out-plain")
    build_site(cached, tmp_path / "out-cold")
    counter = ParseCounter(monkeypatch)
    build_site(cached, tmp_path / "out-warm")
    expected = (tmp_path / "out-plain" / "search" / "search_index.json").read_bytes()
    assert b"ContainerList" in expected
    assert (tmp_path / "out-cold" / "search" / "search_index.json").read_bytes() == expected
    assert (tmp_path / "out-warm" / "search" / "search_index.json").read_bytes() == expected
    assert counter.sizes == []


def test_edited_page_is_indexed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = search_site(tmp_path / "site", cache=True)
    build_site(config, tmp_path / "out-cold")
    home = tmp_path / "site" / "docs" / "index.md"
    home.write_text("# Home\n\nSearchable edit marker\n", encoding="utf-8")
    counter = ParseCounter(monkeypatch)
    build_site(config, tmp_path / "out-edited")
    index = (tmp_path / "out-edited" / "search" / "search_index.json").read_text("utf-8")
    assert "Searchable edit marker" in index
    assert len(counter.sizes) == 1


class ConvertCounter:
    """Count the Markdown conversions of whole pages, by source path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from mkdocs.structure.pages import Page

        self.pages: list[str] = []
        original = Page.render
        counter = self

        def counting(page, config, files):
            if page.markdown != CACHED_PAGE_MARKER:
                counter.pages.append(page.file.src_uri)
            return original(page, config, files)

        monkeypatch.setattr(Page, "render", counting)


def markdown_site(root: Path, *, cache: bool, note: str = "") -> Path:
    """Write a project with a Markdown reference (v1.24.md) and a changelog; return mkdocs.yml."""
    config = make_site(root, cache=cache, workers=1)
    specs = root / "specs"
    text = (PROJECT_SPECS / "v1.24.md").read_text(encoding="utf-8")
    (specs / "v1.24.md").write_text(text + note, encoding="utf-8")
    shutil.copyfile(PROJECT_SPECS / "CHANGELOG.md", specs / "CHANGELOG.md")
    return config


def test_warm_build_reuses_markdown_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = markdown_site(tmp_path / "plain", cache=False)
    cached = markdown_site(tmp_path / "cached", cache=True)
    build_site(plain, tmp_path / "out-plain")
    build_site(cached, tmp_path / "out-cold")
    counter = ConvertCounter(monkeypatch)
    build_site(cached, tmp_path / "out-warm")
    history = "engine/api/version-history/index.html"
    markdown_page = "engine/api/v1.24/index.html"
    for page in (history, markdown_page):
        expected = (tmp_path / "out-plain" / page).read_bytes()
        assert (tmp_path / "out-cold" / page).read_bytes() == expected, page
        assert (tmp_path / "out-warm" / page).read_bytes() == expected, page
    # The reference pages from YAML specs are a one-line placeholder until page_content.
    assert "index.md" in counter.pages
    assert "engine/api/version-history.md" not in counter.pages
    assert "engine/api/v1.24/index.md" not in counter.pages
    assert "engine/api/v1.45/index.md" in counter.pages


def test_conversion_with_warning_not_reused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    note = "\n\nSee [the old page](no-such-page.md).\n"
    config = markdown_site(tmp_path / "site", cache=True, note=note)
    for attempt in ("first", "second"):
        caplog.clear()
        build_site(config, tmp_path / f"out-{attempt}")
        assert "no-such-page.md" in caplog.text, attempt


# Site and worker pool --------------------------------------------------------------------------


def test_worker_pool_matches_one_process() -> None:
    options = SiteOptions(specs_dir=PROJECT_SPECS)
    results = {}
    for workers in (1, 2):
        site = ReferenceSite.load(options, pool=WorkerPool(workers))
        try:
            site.prerender()
            results[workers] = {
                page.src_uri: site.render(page).html
                for page in site.pages
                if page.source.kind == "spec"
            }
        finally:
            site.close()
    assert results[1] == results[2]
    assert len(results[1]) == len([s for s in discover(PROJECT_SPECS).sources if s.kind == "spec"]) + 1


def test_cached_spec_loads_lazily(tmp_path: Path) -> None:
    options = SiteOptions(specs_dir=PROJECT_SPECS)
    cache = BuildCache(tmp_path / "cache")
    first = ReferenceSite.load(options, cache=cache)
    second = ReferenceSite.load(options, cache=BuildCache(tmp_path / "cache"))
    version = first.versions[-1]
    assert second.specs._specs == {}
    assert second.specs[version].operations == first.specs[version].operations
    assert second.titles == first.titles


def test_cache_get_missing_entry_returns_none(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    assert cache.get(make_key("page", "nothing")) is None


def test_cache_round_trips_value(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    key = make_key("page", "value")
    cache.put(key, {"html": "<p>x</p>"})
    assert BuildCache(tmp_path / "cache").get(key) == {"html": "<p>x</p>"}


# Fragment memo ---------------------------------------------------------------------------------


class NoMemo:
    def __call__(self, macro, *args, **kwargs):
        return macro(*args, **kwargs)


def render_all(specs_dir: Path, memo: object, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setitem(render.environment().globals, "memo", memo)
    sources = [source for source in discover(specs_dir).sources if source.kind == "spec"]
    return [render.render_reference(load_spec(source)).html for source in sources]


def test_fragment_memo_keeps_project_html(monkeypatch: pytest.MonkeyPatch) -> None:
    memo = render.FragmentMemo()
    with_memo = render_all(PROJECT_SPECS, memo, monkeypatch)
    without = render_all(PROJECT_SPECS, NoMemo(), monkeypatch)
    assert memo.hits > 0
    for version_html, expected in zip(with_memo, without):
        assert version_html == expected


@pytest.mark.real
@pytest.mark.skipif(not REAL_SPECS, reason="set IECHOR_API_SPECS to the upstream spec folder")
def test_fragment_memo_keeps_upstream_html(monkeypatch: pytest.MonkeyPatch) -> None:
    memo = render.FragmentMemo()
    with_memo = render_all(Path(REAL_SPECS), memo, monkeypatch)
    without = render_all(Path(REAL_SPECS), NoMemo(), monkeypatch)
    assert memo.hits > 0
    for version_html, expected in zip(with_memo, without):
        assert version_html == expected
