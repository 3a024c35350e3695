"""The build writes only inside the site folder, never over real pages, and never half-way."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import MINIMAL_SPEC, SiteBuild, build_site, write_spec


@pytest.fixture
def specs_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    write_spec(folder, "v1.45.yaml", MINIMAL_SPEC.format(version="1.45"))
    return folder


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _leftovers(project: Path) -> list[str]:
    return sorted(path.name for path in project.iterdir() if path.name.startswith(".site"))


def _assert_rejected(site: SiteBuild, *pieces: str) -> None:
    assert not site.ok
    assert "Traceback" not in site.output
    for piece in pieces:
        assert piece in site.output, site.output


@pytest.mark.parametrize(
    "src_uri", ["engine/api/v1.45/index.md", "engine/api/v1.45.md", "engine/api/v1.45.yaml"]
)
def test_real_file_not_replaced(tmp_path: Path, specs_dir: Path, src_uri: str) -> None:
    site = build_site(tmp_path, specs_dir, docs={src_uri: "# Hand-written\n"}, strict=False)
    _assert_rejected(site, f"'{src_uri}'", "would replace the real file")
    assert (tmp_path / "docs" / src_uri).read_text() == "# Hand-written\n"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("version_page", "../outside/v{api}/"),
        ("version_page", "/tmp/outside/v{api}/"),
        ("version_page", "engine/../../outside/v{api}/"),
        ("download", "../outside/v{api}{suffix}"),
        ("download", "/tmp/outside/v{api}{suffix}"),
        ("latest_page", "../outside/latest/"),
        ("latest_page", "https://example.com/latest/"),
    ],
)
def test_path_outside_site_rejected(
    tmp_path: Path, specs_dir: Path, option: str, value: str
) -> None:
    site = build_site(tmp_path, specs_dir, **{option: value}, strict=False)
    _assert_rejected(site, f"option '{option}'", "outside the site folder")
    assert not (tmp_path / "outside").exists()
    assert not (tmp_path.parent / "outside").exists()


@pytest.mark.parametrize(
    ("option", "value", "piece"),
    [
        ("version_page", "engine/api/reference/", "no '{api}' placeholder"),
        ("version_page", "engine/api/v{api}/{version}/", "not a valid pattern"),
        ("download", "engine/api/v{api}{suffix", "not a valid pattern"),
        ("download", "engine/api/v{api}.md", "would be published as a page"),
    ],
)
def test_bad_pattern_rejected(
    tmp_path: Path, specs_dir: Path, option: str, value: str, piece: str
) -> None:
    site = build_site(tmp_path, specs_dir, **{option: value}, strict=False)
    _assert_rejected(site, f"option '{option}'", piece)


def test_site_dir_over_specs_rejected(tmp_path: Path, specs_dir: Path) -> None:
    before = _snapshot(specs_dir)
    site = build_site(tmp_path, specs_dir, config={"site_dir": str(specs_dir)}, strict=False)
    _assert_rejected(site, "contains the spec folder")
    assert _snapshot(specs_dir) == before


def test_site_dir_inside_specs_rejected(tmp_path: Path, specs_dir: Path) -> None:
    site = build_site(tmp_path, specs_dir, config={"site_dir": str(specs_dir / "site")}, strict=False)
    _assert_rejected(site, "is inside the spec folder")
    assert not (specs_dir / "site").exists()


def test_failed_build_keeps_old_site(tmp_path: Path, specs_dir: Path) -> None:
    first = build_site(tmp_path, specs_dir, strict=False)
    assert first.ok, first.output
    before = _snapshot(first.site_dir)
    assert "engine/api/v1.45/index.html" in before

    write_spec(specs_dir, "v1.45.yaml", MINIMAL_SPEC.format(version="1.45") + "  bad: [\n")
    second = build_site(tmp_path, specs_dir, strict=False)
    assert not second.ok
    assert _snapshot(first.site_dir) == before
    assert _leftovers(tmp_path) == []


def test_strict_build_with_warnings_keeps_old_site(tmp_path: Path, specs_dir: Path) -> None:
    first = build_site(tmp_path, specs_dir, strict=True)
    assert first.ok, first.output
    before = _snapshot(first.site_dir)

    linked = MINIMAL_SPEC.format(version="1.45").replace(
        "summary: Ping the server", "summary: Ping\n      description: See [x](#operation/Gone)."
    )
    write_spec(specs_dir, "v1.45.yaml", linked)
    second = build_site(tmp_path, specs_dir, strict=True)
    assert not second.ok
    assert "operation/Gone" in second.output
    assert _snapshot(first.site_dir) == before
    assert _leftovers(tmp_path) == []


def test_good_build_replaces_whole_site(tmp_path: Path, specs_dir: Path) -> None:
    first = build_site(tmp_path, specs_dir, docs={"old.md": "# Old page\n"}, strict=False)
    assert first.ok, first.output
    assert (first.site_dir / "old" / "index.html").exists()

    (tmp_path / "docs" / "old.md").unlink()
    write_spec(specs_dir, "v1.46.yaml", MINIMAL_SPEC.format(version="1.46"))
    second = build_site(tmp_path, specs_dir, strict=False)
    assert second.ok, second.output
    assert second.page_path("engine/api/v1.46/").exists()
    assert not (second.site_dir / "old").exists()
    assert _leftovers(tmp_path) == []
