"""Tests for aliases, redirect maps, their checks, stub pages and server rules."""

from __future__ import annotations

import functools
import http.server
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from apiref.errors import InputErrors
from apiref.redirects import (
    PageInfo,
    RedirectSet,
    VersionAliases,
    check,
    collect,
    html_ids,
    load_map_file,
    parse_map,
)
from apiref.stubs import (
    STUB_MARKER,
    nginx_map,
    render_stub,
    write_server_rules,
    write_stubs,
)
from apiref.urlpaths import PathError, normalize_path, relative_url

SITE_URL = "https://docs.example.com/"


# Inputs that mirror the reported cases --------------------------------------------------------


def stub_case_pages(use_directory_urls: bool = True) -> list[PageInfo]:
    """An API landing page with two aliases, and an SDK page with '## Go SDK'."""
    if use_directory_urls:
        api_url, sdk_url = "engine/api/", "engine/api/sdk/"
    else:
        api_url, sdk_url = "engine/api/index.html", "engine/api/sdk.html"
    return [
        PageInfo(
            "engine/api/index.md",
            api_url,
            ["/engine/reference/api/", "/reference/api/docker_remote_api/"],
            file="docs/engine/api/index.md",
            title="Engine API",
        ),
        PageInfo("engine/api/sdk.md", sdk_url, file="docs/engine/api/sdk.md", title="SDKs"),
    ]


STUB_CASE_MAP = {
    "engine/userguide/api.md": "engine/api/index.md",
    "engine/sdk-legacy.md": "engine/api/sdk.md#go-sdk",
}


def stub_case(use_directory_urls: bool = True) -> RedirectSet:
    entries, report = parse_map(STUB_CASE_MAP, "mkdocs.yml")
    assert report.errors == []
    redirects, report = collect(
        stub_case_pages(use_directory_urls), entries, use_directory_urls=use_directory_urls
    )
    assert report.errors == []
    return redirects


def chain_case_pages() -> list[PageInfo]:
    """A page with a self-alias, a page with an alias, an index page and a guide."""
    return [
        PageInfo("engine/install.md", "engine/install/", ["/engine/install/"],
                 file="docs/engine/install.md"),
        PageInfo("engine/api/sdk.md", "engine/api/sdk/", ["/engine/sdk/"],
                 file="docs/engine/api/sdk.md"),
        PageInfo("engine/api/index.md", "engine/api/", file="docs/engine/api/index.md"),
        PageInfo("engine/guide.md", "engine/guide/", file="docs/engine/guide.md"),
    ]


def messages(errors) -> str:
    return "\n".join(str(error) for error in errors)


# Aliases and redirect maps ------------------------------------------------------------------


def test_alias_leads_to_its_page():
    redirects = stub_case()
    redirect = redirects.lookup("/engine/reference/api/")
    assert redirect is not None
    assert redirect.target == "/engine/api/"
    assert redirect.fragment is None


def test_markdown_map_entry_becomes_url_path():
    redirect = stub_case().lookup("engine/userguide/api.md")
    assert redirect is not None
    assert redirect.path == "/engine/userguide/api/"
    assert redirect.target == "/engine/api/"


def test_map_target_with_fragment_is_accepted():
    redirects = stub_case()
    redirect = redirects.lookup("/engine/sdk-legacy/")
    assert redirect is not None
    assert redirect.target_with_fragment == "/engine/api/sdk/#go-sdk"
    report = check(redirects, ids_by_url={"engine/api/sdk/": {"go-sdk", "python-sdk"}})
    assert report.errors == []
    assert report.warnings == []


def test_target_fragment_missing_on_page_warns():
    report = check(stub_case(), ids_by_url={"engine/api/sdk/": {"sdks", "python-sdk"}})
    assert report.errors == []
    assert len(report.warnings) == 1
    assert "'#go-sdk'" in str(report.warnings[0])
    assert "engine/sdk-legacy.md" in str(report.warnings[0])


def test_map_source_with_fragment_is_rejected():
    entries, _ = parse_map({"engine/old.md#section": "engine/api/index.md"},
                           "mkdocs-bad-source.yml")
    _, report = collect(stub_case_pages(), entries)
    text = messages(report.errors)
    assert len(report.errors) == 1
    assert "engine/old.md#section" in text
    assert "sources cannot contain '#'" in text
    assert "mkdocs-bad-source.yml" in text


def test_self_alias_warns_and_writes_no_stub():
    redirects, report = collect(chain_case_pages())
    assert report.errors == []
    assert len(report.warnings) == 1
    warning = str(report.warnings[0])
    assert "engine/install.md" in warning
    assert "/engine/install/" in warning
    assert redirects.lookup("/engine/install/") is None


def test_alias_on_real_page_url_is_rejected():
    pages = [
        PageInfo("engine/api/sdk.md", "engine/api/sdk/", ["/engine/api"]),
        PageInfo("engine/api/index.md", "engine/api/"),
    ]
    redirects, report = collect(pages)
    assert report.errors == []
    errors = check(redirects).errors
    assert len(errors) == 1
    assert "engine/api/sdk.md" in str(errors[0])
    assert "'/engine/api'" in str(errors[0])
    assert "engine/api/index.md" in str(errors[0])


def test_alias_differing_only_in_case_is_rejected():
    pages = [
        PageInfo("engine/api/sdk.md", "engine/api/sdk/", ["/Engine/API/"]),
        PageInfo("engine/api/index.md", "engine/api/"),
    ]
    redirects, _ = collect(pages)
    errors = check(redirects).errors
    assert len(errors) == 1
    assert "/Engine/API/" in str(errors[0])
    assert "engine/api/index.md" in str(errors[0])
    assert "letter case" in str(errors[0])


def test_alias_claimed_by_two_pages_names_both():
    pages = [PageInfo("a.md", "a/", ["/old/"]), PageInfo("b.md", "b/", ["/old/"])]
    _, report = collect(pages)
    assert len(report.errors) == 1
    assert "a.md" in str(report.errors[0])
    assert "b.md" in str(report.errors[0])
    assert "/old/" in str(report.errors[0])


def test_aliases_differing_in_case_for_two_targets_clash():
    pages = [PageInfo("a.md", "a/", ["/Old/"]), PageInfo("b.md", "b/", ["/old/"])]
    _, report = collect(pages)
    assert len(report.errors) == 1
    assert "'/Old/' (a.md)" in str(report.errors[0])


def test_same_target_claimed_twice_is_accepted():
    pages = [PageInfo("a.md", "a/", ["/old/"])]
    entries, _ = parse_map({"/old/": "/a/", "/old": "a.md"}, "redirects/site.yml")
    redirects, report = collect(pages, entries)
    assert report.errors == []
    assert len(redirects) == 1


def test_collision_case_reports_every_problem():
    pages = [
        PageInfo("a.md", "a/", ["/old/"]),
        PageInfo("b.md", "b/", ["/old/"]),
        PageInfo("engine/api/sdk.md", "engine/api/sdk/", ["/engine/api", "/Engine/API/"]),
        PageInfo("engine/api/index.md", "engine/api/"),
    ]
    redirects, report = collect(pages)
    report.extend(check(redirects))
    assert len(report.errors) == 3
    with pytest.raises(InputErrors) as raised:
        report.raise_for_errors()
    assert "3 input errors" in str(raised.value)


def test_chain_is_flattened_to_final_target(caplog):
    entries, _ = parse_map({"develop/sdk.md": "engine/sdk.md"}, "mkdocs.yml")
    with caplog.at_level(logging.INFO):
        redirects, report = collect(chain_case_pages(), entries)
    assert report.errors == []
    redirect = redirects.lookup("develop/sdk.md")
    assert redirect is not None
    assert redirect.target == "/engine/api/sdk/"
    assert redirect.chain == ("/engine/sdk/",)
    assert "flattened" in caplog.text
    assert check(redirects).errors == []


def test_loop_names_members():
    entries, _ = parse_map({"x.md": "y.md", "y.md": "x.md"}, "mkdocs.yml")
    _, report = collect([PageInfo("index.md", "./")], entries)
    assert len(report.errors) == 1
    text = str(report.errors[0])
    assert "loop" in text
    assert "'x.md'" in text
    assert "'y.md'" in text


def test_entry_pointing_at_itself_is_a_loop():
    entries, _ = parse_map({"/x/": "/x/"}, "redirects/site.yml")
    _, report = collect([], entries)
    assert len(report.errors) == 1
    assert "loop" in str(report.errors[0])


def test_loop_behind_chain_is_reported_once():
    entries, _ = parse_map({"/a/": "/b/", "/b/": "/c/", "/c/": "/b/"}, "redirects/site.yml")
    _, report = collect([], entries)
    assert len(report.errors) == 1
    assert "'/b/' -> '/c/' -> '/b/'" in str(report.errors[0])


def test_missing_target_is_rejected():
    entries, _ = parse_map({"/old/": "/nowhere/", "gone.md": "missing.md"}, "redirects/a.yml")
    redirects, report = collect([PageInfo("index.md", "./")], entries)
    assert report.errors == []
    errors = check(redirects).errors
    assert len(errors) == 2
    assert "'/nowhere/'" in messages(errors)
    assert "does not exist" in messages(errors)


def test_target_may_be_static_file():
    entries, _ = parse_map({"/spec/": "/engine/api/v1.45.yaml"}, "redirects/a.yml")
    redirects, _ = collect([], entries)
    assert check(redirects, real_urls=["engine/api/v1.45.yaml"]).errors == []


def test_external_target_skips_existence_check():
    entries, _ = parse_map({"/moved/": "https://other.example.org/api/"}, "redirects/a.yml")
    redirects, report = collect([], entries)
    assert report.errors == []
    assert check(redirects).errors == []
    assert redirects.lookup("/moved/").is_external


def test_relative_alias_is_rejected():
    _, report = collect([PageInfo("a.md", "a/", ["engine/old/"])])
    assert len(report.errors) == 1
    assert "not site-absolute" in str(report.errors[0])
    assert "a.md (#/aliases/0)" in str(report.errors[0])


# Each row: path as written, a word the error must contain.
BAD_PATHS = [
    ("/../etc/", "'..' segment"),
    ("/a/%2e%2e/b/", "'..' segment"),
    ("/a/%2E%2E", "'..' segment"),
    ("/a/./b/", "'.' segment"),
    ("/a\\b/", "backslash"),
    ("/a/%5cb/", "backslash"),
    ("/a\x00b/", "control character"),
    ("/a/%00/", "control character"),
    ("/a b/", "a space"),
    ('/a"b/', "double quote"),
    ("/a'b/", "single quote"),
    ("/a<b>/", "'<'"),
    ("/a/%2fb/", "encoded '/'"),
    ("/a%zz/", "'%XX' escape"),
    ("/a?x=1", "query"),
    ("/a//b/", "empty segment"),
    ("/a#b", "cannot contain '#'"),
]


@pytest.mark.parametrize(("raw", "reason"), BAD_PATHS)
def test_unsafe_alias_is_rejected(raw, reason):
    _, report = collect([PageInfo("a.md", "a/", [raw])])
    assert len(report.errors) == 1
    assert reason in str(report.errors[0])


def test_every_bad_alias_is_reported():
    _, report = collect([PageInfo("a.md", "a/", [raw for raw, _ in BAD_PATHS])])
    assert len(report.errors) == len(BAD_PATHS)


def test_non_ascii_alias_is_percent_encoded():
    assert normalize_path("/café/") == "/caf%C3%A9/"
    assert normalize_path("/caf%c3%a9") == "/caf%C3%A9/"


def test_path_without_slash_gets_one():
    assert normalize_path("/engine/api") == "/engine/api/"
    assert normalize_path("/engine/api/v1.45") == "/engine/api/v1.45/"
    assert normalize_path("/foo/bar.html") == "/foo/bar.html"


def test_markdown_source_outside_docs_is_rejected():
    entries, _ = parse_map({"../outside.md": "/a/"}, "redirects/a.yml")
    _, report = collect([PageInfo("a.md", "a/")], entries)
    assert len(report.errors) == 1
    assert "outside the docs folder" in str(report.errors[0])


def test_source_that_is_neither_path_nor_markdown_is_rejected():
    entries, _ = parse_map({"engine/old/": "/a/"}, "redirects/a.yml")
    _, report = collect([PageInfo("a.md", "a/")], entries)
    assert len(report.errors) == 1
    assert "site-absolute" in str(report.errors[0])


def test_relative_url_of_target():
    assert relative_url("/engine/reference/api/", "/engine/api/") == "../../api/"
    assert relative_url("/foo/bar.html", "/engine/api/") == "../engine/api/"
    assert relative_url("/a/", "/") == "../"
    assert relative_url("/a/b/", "/a/") == "../"


# Redirect map files -------------------------------------------------------------------------


def test_map_file_errors_name_file_and_line(tmp_path):
    map_file = tmp_path / "site.yml"
    map_file.write_text(
        "/old/: /a/\n"
        "/older/:\n"
        "  to: /a/\n"
        "  fragments: {old-anchor: ''}\n"
        "/oldest/: [1, 2]\n",
        encoding="utf-8",
    )
    entries, report = load_map_file(map_file, "redirects/site.yml")
    assert [entry.source for entry in entries] == ["/old/"]
    assert len(report.errors) == 2
    assert str(report.errors[0]).startswith("redirects/site.yml:2 (#/~1older~1)")
    assert str(report.errors[1]).startswith("redirects/site.yml:5 (#/~1oldest~1)")


def test_map_file_with_invalid_yaml_names_line(tmp_path):
    map_file = tmp_path / "broken.yaml"
    map_file.write_text("/old/: /a/\n/new/: [unclosed\n", encoding="utf-8")
    _, report = load_map_file(map_file, "redirects/broken.yaml")
    assert len(report.errors) == 1
    assert str(report.errors[0]).startswith("redirects/broken.yaml:")
    assert "invalid YAML" in str(report.errors[0])


def test_map_that_is_a_list_is_rejected():
    _, report = parse_map(["/old/", "/new/"], "redirects/list.yml")
    assert len(report.errors) == 1
    assert "mapping" in str(report.errors[0])


def test_map_entry_with_unknown_key_is_rejected():
    _, report = parse_map({"/old/": {"to": "/a/", "code": 302}}, "redirects/a.yml")
    assert len(report.errors) == 1
    assert "code" in str(report.errors[0])


def test_fragment_map_rewrites_reader_fragment(tmp_path):
    map_file = tmp_path / "api.yml"
    map_file.write_text(
        "/engine/reference/api/docker_remote_api_v1.24/:\n"
        "  to: /engine/api/v1.24/\n"
        "  fragments:\n"
        "    inspect-a-container: operation/ContainerInspect\n",
        encoding="utf-8",
    )
    entries, report = load_map_file(map_file)
    assert report.errors == []
    redirects, _ = collect([PageInfo("engine/api/v1.24.md", "engine/api/v1.24/")], entries)
    redirect = redirects.lookup("/engine/reference/api/docker_remote_api_v1.24/")
    assert redirect.fragment_for("inspect-a-container") == "operation/ContainerInspect"
    assert redirect.fragment_for("operation/ContainerList") == "operation/ContainerList"
    assert redirect.fragment_for(None) is None


def test_fragment_map_value_missing_on_page_warns():
    entries, _ = parse_map(
        {"/old/": {"to": "/a/", "fragments": {"x": "operation/Gone"}}}, "redirects/a.yml"
    )
    redirects, _ = collect([PageInfo("a.md", "a/")], entries)
    report = check(redirects, ids_by_url={"a/": {"operation/Here"}})
    assert len(report.warnings) == 1
    assert "operation/Gone" in str(report.warnings[0])


def test_fragments_compose_through_chain():
    entries, _ = parse_map(
        {
            "/first/": {"to": "/second/#old-b", "fragments": {"a": "b"}},
            "/second/": {"to": "/page/", "fragments": {"b": "c", "old-b": "new-b"}},
        },
        "redirects/a.yml",
    )
    redirects, report = collect([PageInfo("page.md", "page/")], entries)
    assert report.errors == []
    redirect = redirects.lookup("/first/")
    # Following the hops one by one: no fragment -> '#old-b' at /second/ -> '#new-b'.
    assert redirect.fragment_for(None) == "new-b"
    assert redirect.fragment_for("a") == "c"
    assert redirect.fragment_for("b") == "c"
    assert redirect.fragment_for("z") == "z"


# Version aliases ----------------------------------------------------------------------------


def version_pages(versions) -> list[PageInfo]:
    return [PageInfo(f"engine/api/v{version}.md", f"engine/api/v{version}/")
            for version in versions]


def test_version_aliases_cover_every_version_and_latest():
    versions = ["1.9", "1.10", "1.45", "1.46"]
    pattern = VersionAliases(
        page="engine/api/v{api}/",
        versions=versions,
        aliases=["engine/reference/api/docker_remote_api_v{api}/"],
        latest="engine/api/latest/",
    )
    redirects, report = collect(version_pages(versions), patterns=[pattern])
    assert report.errors == []
    assert check(redirects).errors == []
    for version in versions:
        redirect = redirects.lookup(f"/engine/reference/api/docker_remote_api_v{version}/")
        assert redirect.target == f"/engine/api/v{version}/"
    assert redirects.lookup("/engine/api/latest/").target == "/engine/api/v1.46/"


def test_latest_alias_orders_versions_numerically():
    pattern = VersionAliases(page="engine/api/v{api}/", versions=["1.10", "1.9"],
                             latest="/engine/api/latest/")
    redirects, _ = collect(version_pages(["1.9", "1.10"]), patterns=[pattern])
    assert redirects.lookup("/engine/api/latest/").target == "/engine/api/v1.10/"


def test_version_alias_without_placeholder_is_rejected():
    pattern = VersionAliases(page="engine/api/v{api}/", versions=["1.45"],
                             aliases=["engine/reference/api/"])
    _, report = collect(version_pages(["1.45"]), patterns=[pattern])
    assert len(report.errors) == 1
    assert "{api}" in str(report.errors[0])


def test_version_alias_for_version_without_page_is_rejected():
    pattern = VersionAliases(page="engine/api/v{api}/", versions=["1.45", "1.47"],
                             aliases=["engine/reference/api/docker_remote_api_v{api}/"])
    redirects, _ = collect(version_pages(["1.45"]), patterns=[pattern])
    errors = check(redirects).errors
    assert len(errors) == 1
    assert "/engine/api/v1.47/" in str(errors[0])


# Links in pages -----------------------------------------------------------------------------


def test_link_to_redirect_source_points_at_final_page():
    entries, _ = parse_map({"develop/sdk.md": "engine/sdk.md"}, "mkdocs.yml")
    redirects, _ = collect(chain_case_pages(), entries)
    assert redirects.rewrite_link("../develop/sdk.md", "engine/guide.md") == "api/sdk.md"
    assert redirects.rewrite_link("../develop/sdk.md#go", "engine/guide.md") == "api/sdk.md#go"
    assert redirects.rewrite_link("/engine/sdk/", "engine/guide.md") == "api/sdk.md"
    assert redirects.rewrite_link("api/index.md", "engine/guide.md") is None
    assert redirects.rewrite_link("https://example.com/develop/sdk.md", "x.md") is None


def test_link_gets_target_fragment_unless_it_has_one():
    redirects = stub_case()
    assert redirects.rewrite_link("sdk-legacy.md", "engine/index.md") == "api/sdk.md#go-sdk"
    assert redirects.rewrite_link("sdk-legacy.md#python-sdk", "engine/index.md") == \
        "api/sdk.md#python-sdk"


def test_html_ids_reads_id_attributes():
    html = '<h2 id="go-sdk">Go</h2><div id="operation/ContainerList"></div><a name="old">'
    assert html_ids(html) == {"go-sdk", "operation/ContainerList", "old"}


# Stub pages ---------------------------------------------------------------------------------


def parse_stub(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def refresh_url(soup: BeautifulSoup) -> str:
    content = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    delay, _, url = content.partition(";")
    assert delay == "0"
    return url.strip().removeprefix("url=")


def test_stub_has_canonical_refresh_title_and_link():
    redirect = stub_case().lookup("/engine/reference/api/")
    soup = parse_stub(render_stub(redirect, SITE_URL))
    assert soup.find("link", rel="canonical")["href"] == "https://docs.example.com/engine/api/"
    assert refresh_url(soup) == "../../api/"
    assert soup.title.string == "Redirecting to Engine API"
    assert soup.body.find("a")["href"] == "../../api/"
    assert soup.find("meta", attrs={"name": "generator"})["content"] == STUB_MARKER


def test_stub_is_not_marked_noindex():
    soup = parse_stub(render_stub(stub_case().lookup("/engine/reference/api/"), SITE_URL))
    assert soup.find("meta", attrs={"name": "robots"}) is None


def test_stub_with_target_fragment_links_with_fragment():
    soup = parse_stub(render_stub(stub_case().lookup("/engine/sdk-legacy/"), SITE_URL))
    assert refresh_url(soup) == "../api/sdk/#go-sdk"
    assert soup.body.find("a")["href"] == "../api/sdk/#go-sdk"
    assert soup.find("link", rel="canonical")["href"] == "https://docs.example.com/engine/api/sdk/"


def test_stub_script_data_cannot_close_script():
    entries, _ = parse_map(
        {"/old/": {"to": "/a/", "fragments": {"x": "</script><b>"}}}, "redirects/a.yml"
    )
    redirects, _ = collect([PageInfo("a.md", "a/")], entries)
    text = render_stub(redirects.lookup("/old/"), SITE_URL)
    assert "</script><b>" not in text


def test_stub_without_directory_urls_targets_html_file(tmp_path):
    redirects = stub_case(use_directory_urls=False)
    redirect = redirects.lookup("engine/userguide/api.md")
    assert redirect.path == "/engine/userguide/api.html"
    assert redirect.target == "/engine/api/index.html"
    write_stubs(redirects, tmp_path, SITE_URL)
    soup = parse_stub((tmp_path / "engine/userguide/api.html").read_text(encoding="utf-8"))
    assert refresh_url(soup) == "../api/index.html"
    alias_stub = parse_stub((tmp_path / "engine/reference/api/index.html").read_text("utf-8"))
    assert refresh_url(alias_stub) == "../../api/index.html"


def test_write_stubs_creates_files(tmp_path):
    written = write_stubs(stub_case(), tmp_path, SITE_URL)
    names = sorted(path.relative_to(tmp_path.resolve()).as_posix() for path in written)
    assert names == [
        "engine/reference/api/index.html",
        "engine/sdk-legacy/index.html",
        "engine/userguide/api/index.html",
        "reference/api/docker_remote_api/index.html",
    ]


def test_non_ascii_alias_stub_file_is_decoded(tmp_path):
    redirects, _ = collect([PageInfo("a.md", "a/", ["/café/", "/foo/bar.html"])])
    write_stubs(redirects, tmp_path)
    assert (tmp_path / "café" / "index.html").is_file()
    assert (tmp_path / "foo" / "bar.html").is_file()


def test_stub_never_overwrites_real_page(tmp_path):
    page = tmp_path / "engine/reference/api/index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<h1>Real page</h1>", encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        write_stubs(stub_case(), tmp_path, SITE_URL)
    assert "not written by apiref" in str(raised.value)
    assert "/engine/reference/api/" in str(raised.value)
    assert page.read_text(encoding="utf-8") == "<h1>Real page</h1>"
    assert not (tmp_path / "engine/sdk-legacy/index.html").exists()


def test_stub_replaces_own_stub(tmp_path):
    write_stubs(stub_case(), tmp_path, SITE_URL)
    written = write_stubs(stub_case(), tmp_path, "https://other.example.com/")
    assert len(written) == 4
    text = (tmp_path / "engine/reference/api/index.html").read_text(encoding="utf-8")
    assert "https://other.example.com/engine/api/" in text


def test_stub_never_follows_link_out_of_site(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    (site / "engine").mkdir(parents=True)
    os.symlink(outside, site / "engine" / "reference")
    with pytest.raises(InputErrors) as raised:
        write_stubs(stub_case(), site, SITE_URL)
    assert "outside the site folder" in str(raised.value)
    assert list(outside.iterdir()) == []


def test_stub_path_climbing_out_is_rejected_at_write(tmp_path):
    # A RedirectSet built by hand skips collect's path checks; write_stubs checks again.
    redirects, _ = collect([PageInfo("a.md", "a/", ["/old/"])])
    good = redirects.lookup("/old/")
    evil = type(good)(**{**good.__dict__, "path": "/../escaped/"})
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(InputErrors) as raised:
        write_stubs(RedirectSet({evil.path: evil}, redirects.pages), site)
    assert "outside the site folder" in str(raised.value)
    assert not (tmp_path / "escaped").exists()


# Server rules -------------------------------------------------------------------------------


def parse_netlify(text: str) -> dict[str, str]:
    rules = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        source, target, status = line.split()
        assert status == "301"
        rules[source] = target
    return rules


def parse_nginx(text: str) -> dict[str, str]:
    body = text[text.index("map $uri $apiref_redirect {"):]
    return dict(re.findall(r'^\s+"([^"]*)" "([^"]*)";$', body, flags=re.MULTILINE))


def stub_targets(site: Path, base: str) -> dict[str, str]:
    """Follow each stub's meta refresh: served path -> absolute target path with fragment."""
    targets = {}
    for stub in site.rglob("*.html"):
        relative = stub.relative_to(site).as_posix()
        served = base + relative.removesuffix("index.html")
        url = urljoin("http://site" + served, refresh_url(parse_stub(stub.read_text("utf-8"))))
        parts = urlsplit(url)
        targets[unquote(served)] = parts.path + (f"#{parts.fragment}" if parts.fragment else "")
    return targets


@pytest.mark.parametrize("site_url", ["https://docs.example.com/", "https://example.com/docs/"])
def test_server_rules_agree_with_stubs(tmp_path, site_url):
    base = urlsplit(site_url).path
    redirects = stub_case()
    write_stubs(redirects, tmp_path, site_url)
    write_server_rules(redirects, tmp_path, site_url)
    from_stubs = stub_targets(tmp_path, base)
    netlify = parse_netlify((tmp_path / "_redirects").read_text(encoding="utf-8"))
    nginx = parse_nginx((tmp_path / "nginx-redirects.conf").read_text(encoding="utf-8"))
    without_fragment = {path: target for path, target in from_stubs.items() if "#" not in target}
    assert netlify == without_fragment
    assert nginx == without_fragment
    assert len(without_fragment) == 3


def test_target_with_fragment_is_left_to_stub(tmp_path):
    redirects = stub_case()
    write_server_rules(redirects, tmp_path, SITE_URL)
    text = (tmp_path / "_redirects").read_text(encoding="utf-8")
    assert "# /engine/sdk-legacy/ is left to its stub page" in text
    assert "/engine/sdk-legacy/" not in parse_netlify(text)


def test_redirects_json_lists_every_redirect(tmp_path):
    write_server_rules(stub_case(), tmp_path, SITE_URL)
    document = json.loads((tmp_path / "redirects.json").read_text(encoding="utf-8"))
    pairs = {entry["from"]: entry["to"] for entry in document["redirects"]}
    assert pairs == {
        "/engine/reference/api/": "/engine/api/",
        "/engine/sdk-legacy/": "/engine/api/sdk/#go-sdk",
        "/engine/userguide/api/": "/engine/api/",
        "/reference/api/docker_remote_api/": "/engine/api/",
    }


def test_nginx_keys_are_decoded_paths():
    redirects, _ = collect([PageInfo("a.md", "a/", ["/café/"])])
    assert parse_nginx(nginx_map(redirects)) == {"/café/": "/a/"}


def test_foreign_redirects_file_is_not_overwritten(tmp_path):
    (tmp_path / "_redirects").write_text("/x /y 302\n", encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        write_server_rules(stub_case(), tmp_path, SITE_URL)
    assert "_redirects" in str(raised.value)
    assert (tmp_path / "_redirects").read_text(encoding="utf-8") == "/x /y 302\n"
    assert not (tmp_path / "redirects.json").exists()


def test_normalize_path_error_is_path_error():
    with pytest.raises(PathError):
        normalize_path("relative/")


# Stub behaviour in a browser ----------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser(chromium):
    """Headless Chromium from the shared session fixture (one Playwright instance per run)."""
    return chromium


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # The browser may close a connection (a favicon request, say) when a test closes its
        # context; that is no test failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture
def served_dir(tmp_path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1; yields the folder and the server's origin."""
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build_site(folder: Path, use_directory_urls: bool) -> None:
    """Write target pages and the stubs of the stub case, served under the base path /docs/."""
    site = folder / "docs"
    for page in stub_case_pages(use_directory_urls):
        served = site / page.url
        file = served / "index.html" if page.url.endswith("/") else served
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"<h1>{page.title}</h1><h2 id='go-sdk'>Go SDK</h2>", encoding="utf-8")
    redirects = stub_case(use_directory_urls)
    write_stubs(redirects, site, "https://docs.example.com/docs/")


def open_and_settle(browser, url: str, expected_path: str, javascript: bool = True) -> str:
    context = browser.new_context(java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_url(lambda current: urlsplit(current).path == expected_path, timeout=10000)
        return page.url
    finally:
        context.close()


# Each row: use_directory_urls, served path of the API page.
URL_MODES = [(True, "/docs/engine/api/"), (False, "/docs/engine/api/index.html")]


@pytest.mark.browser
@pytest.mark.parametrize(("use_directory_urls", "api_path"), URL_MODES)
def test_browser_keeps_query_and_fragment(browser, served_dir, use_directory_urls, api_path):
    folder, origin = served_dir
    build_site(folder, use_directory_urls)
    start = f"{origin}/docs/engine/reference/api/?tab=go#operation/ContainerList"
    final = open_and_settle(browser, start, api_path)
    assert final == f"{origin}{api_path}?tab=go#operation/ContainerList"


@pytest.mark.browser
@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_browser_uses_target_fragment(browser, served_dir, use_directory_urls):
    folder, origin = served_dir
    build_site(folder, use_directory_urls)
    legacy = "engine/sdk-legacy/" if use_directory_urls else "engine/sdk-legacy.html"
    sdk_path = "/docs/engine/api/sdk/" if use_directory_urls else "/docs/engine/api/sdk.html"
    final = open_and_settle(browser, f"{origin}/docs/{legacy}", sdk_path)
    assert final == f"{origin}{sdk_path}#go-sdk"


@pytest.mark.browser
def test_browser_reader_fragment_wins(browser, served_dir):
    folder, origin = served_dir
    build_site(folder, True)
    final = open_and_settle(
        browser, f"{origin}/docs/engine/sdk-legacy/?v=2#python-sdk", "/docs/engine/api/sdk/"
    )
    assert final == f"{origin}/docs/engine/api/sdk/?v=2#python-sdk"


@pytest.mark.browser
def test_browser_applies_fragment_map(browser, served_dir):
    folder, origin = served_dir
    (folder / "a").mkdir()
    (folder / "a" / "index.html").write_text("<h1>A</h1>", encoding="utf-8")
    entries, _ = parse_map(
        {"/old/": {"to": "/a/", "fragments": {"inspect-a-container": "operation/Inspect"}}},
        "redirects/a.yml",
    )
    redirects, _ = collect([PageInfo("a.md", "a/")], entries)
    write_stubs(redirects, folder)
    final = open_and_settle(browser, f"{origin}/old/#inspect-a-container", "/a/")
    assert final == f"{origin}/a/#operation/Inspect"


@pytest.mark.browser
def test_browser_without_script_follows_refresh(browser, served_dir):
    folder, origin = served_dir
    build_site(folder, True)
    final = open_and_settle(browser, f"{origin}/docs/engine/reference/api/?tab=go",
                            "/docs/engine/api/", javascript=False)
    assert final == f"{origin}/docs/engine/api/"
