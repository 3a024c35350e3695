"""Check the benchmark script: its quick mode end to end, and the helpers behind its figures.

The checks are that every figure is measured and written and that the helpers find what
they look for in real browsers and real spec files, not how fast anything is.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from apiref.history import check_changelog_versions, load_changelog
from apiref.loader import discover
from conftest import serve_folder

ROOT = Path(__file__).parent.parent
EXPECTED_FIGURES = (
    "Floor: parse",
    "Baseline: mkdocs build",
    "Cold build (empty cache)",
    "Warm rebuild (nothing changed)",
    "Rebuild after v1.45.yaml changed",
    "Peak memory",
    "v1.45 page, gzip",
    "Whole site",
    "Search index",
    "Cold build, test data of 12 versions",
    "Cold build, test data of 24 versions",
)


def load_benchmark():
    """Import scripts/benchmark.py, which is a script and not part of a package."""
    if "benchmark" in sys.modules:
        return sys.modules["benchmark"]
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs, because its dataclasses look their module up there.
    sys.modules["benchmark"] = module
    spec.loader.exec_module(module)
    return module


def test_benchmark_quick_mode_writes_table(tmp_path: Path) -> None:
    output = tmp_path / "BENCHMARKS.md"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    table = output.read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    for figure in EXPECTED_FIGURES:
        assert any(row.startswith(f"| {figure}") for row in rows), figure
    assert "- Machine: " in table
    assert "--quick" in table
    scaling = next(row for row in rows if row.startswith("| Cold build, test data of 24"))
    assert " x 12 versions |" in scaling
    assert scaling.endswith("| yes |") or scaling.endswith("| no |"), scaling
    assert "- Scaling test data: the specs v1.34 to v1.45" in table


def test_scaling_specs_pass_plugin_checks(tmp_path: Path) -> None:
    benchmark = load_benchmark()
    folder = tmp_path / "specs"
    versions = benchmark.write_scaling_specs(ROOT / "specs", folder, 3, 7)
    assert versions == ["1.43", "1.44", "1.45", "1.46", "1.47", "1.48", "1.49"]
    found = discover(folder)
    assert [str(version) for version in found.versions] == versions
    for version in versions:
        document = yaml.safe_load((folder / f"v{version}.yaml").read_text(encoding="utf-8"))
        assert document["info"]["version"] == version
    copy = (folder / "v1.46.yaml").read_text(encoding="utf-8")
    original = (ROOT / "specs" / "v1.43.yaml").read_text(encoding="utf-8")
    assert copy == original.replace('  version: "1.43"', '  version: "1.46"', 1)
    changelog = load_changelog(found.changelog)
    assert [entry.version for entry in changelog.entries] == versions[::-1]
    assert check_changelog_versions(changelog, versions) == []


def test_scaling_version_data_lists_test_versions(tmp_path: Path) -> None:
    benchmark = load_benchmark()
    project = benchmark.copy_project(tmp_path / "site", reference_pages=True, cache_dir=None)
    benchmark.write_scaling_version_data(project, ["1.50", "1.51"])
    data = yaml.safe_load((project / "specs" / "engine-versions.yaml").read_text("utf-8"))
    assert data["minimum_api"] == "1.50"
    assert data["releases"] == [
        {"engine": "101.51", "api": "1.51"},
        {"engine": "101.50", "api": "1.50"},
    ]


@pytest.mark.browser
def test_local_redoc_bundle_loads_as_module(tmp_path: Path, chromium) -> None:
    benchmark = load_benchmark()
    cdn = "https://cdn.example/redoc/v3.0.1/bundles/redoc.standalone.js"
    chunks = tmp_path / "prefix" / "node_modules" / "@redocly" / "cli" / "lib" / "chunks"
    chunks.mkdir(parents=True)
    (chunks / "redoc.standalone.js").write_text(
        "export function hydrate(element) { element.dataset.hydrated = 'yes'; }\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    # The shape of the script that `redocly build-docs` writes into its pages.
    (out / "v1.45.html").write_text(
        f'<link rel="modulepreload" href="{cdn}">\n<div id="redoc"></div>\n'
        f'<script type="module">import {{ hydrate }} from "{cdn}";\n'
        "hydrate(document.getElementById('redoc'));</script>\n",
        encoding="utf-8",
    )
    assert benchmark.use_local_redoc_bundle(tmp_path / "prefix", out) == cdn
    origin, stop = serve_folder(out)
    page = chromium.new_page()
    try:
        page.goto(f"{origin}/v1.45.html")
        page.wait_for_selector("#redoc[data-hydrated=yes]", state="attached", timeout=10_000)
    finally:
        page.close()
        stop()


@pytest.mark.browser
def test_in_view_script_finds_heading(chromium) -> None:
    benchmark = load_benchmark()
    page = chromium.new_page(viewport={"width": 800, "height": 600})
    try:
        page.set_content(
            '<div data-section-id="/container/containerlist"><h2>List containers</h2></div>'
            '<div style="height: 3000px"></div>'
            '<h3 id="operation/ContainerCreate">Create a container</h3>'
        )
        top_heading = page.evaluate(benchmark.IN_VIEW_SCRIPT, "/container/containerlist")
        below = page.evaluate(benchmark.IN_VIEW_SCRIPT, "operation/ContainerCreate")
        missing = page.evaluate(benchmark.IN_VIEW_SCRIPT, "operation/ImageList")
        page.evaluate("document.getElementById('operation/ContainerCreate').scrollIntoView()")
        scrolled = page.evaluate(benchmark.IN_VIEW_SCRIPT, "operation/ContainerCreate")
    finally:
        page.close()
    # The script returns performance.now() when the heading is in view, false otherwise.
    assert top_heading is not False
    assert top_heading > 0
    assert below is False
    assert missing is False
    assert scrolled is not False
    assert scrolled > 0
