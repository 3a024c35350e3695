"""Check the comparison against the upstream spec folder named by IECHOR_API_SPECS.

Each fact below is stated in the upstream changelog notes of the version it names. The
comparison of that version's spec with the previous one must find it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from apiref.compare import Change, SpecDocument, compare_specs, load_spec
from apiref.history import check_changelog_versions, load_changelog

pytestmark = pytest.mark.real

SPECS_DIR = Path(os.environ.get("IECHOR_API_SPECS", ""))
if not os.environ.get("IECHOR_API_SPECS") or not (SPECS_DIR / "v1.45.yaml").is_file():
    pytest.skip(
        "set IECHOR_API_SPECS to the upstream spec folder (with v1.25.yaml ... v1.45.yaml)",
        allow_module_level=True,
    )

VERSIONS = [f"1.{minor}" for minor in range(25, 46)]


@pytest.fixture(scope="module")
def specs() -> dict[str, SpecDocument]:
    return {version: load_spec(SPECS_DIR / f"v{version}.yaml", version) for version in VERSIONS}


@pytest.fixture(scope="module")
def changes(specs: dict[str, SpecDocument]) -> dict[str, list[Change]]:
    """The changes of each version since the one before it."""
    return {new: compare_specs(specs[old], specs[new]) for old, new in zip(VERSIONS, VERSIONS[1:])}


def facts(changes: list[Change]) -> set[tuple[str, str, str, str]]:
    return {(change.kind, change.element, change.subject, change.name) for change in changes}


# (API version, kind, element, subject, name): each stated in that version's upstream notes.
UPSTREAM_FACTS = [
    # v1.30: "GET /distribution/(name)/json is a new endpoint"
    ("1.30", "added", "operation", "GET /distribution/{name}/json", ""),
    # v1.31: "POST /session is a new endpoint"
    ("1.31", "added", "operation", "POST /session", ""),
    # v1.31: "GET /networks/(id or name) now takes an optional query parameter scope"
    ("1.31", "added", "query parameter", "GET /networks/{id}", "scope"),
    # v1.42: "Added a new PUT /volumes{name} endpoint to update cluster volumes"
    ("1.42", "added", "operation", "PUT /volumes/{name}", ""),
    # v1.42: "POST /containers/{id}/stop ... now accept a signal query parameter"
    ("1.42", "added", "query parameter", "POST /containers/{id}/stop", "signal"),
    # v1.42: "GET /images/json now accepts query parameter shared-size"
    ("1.42", "added", "query parameter", "GET /images/json", "shared-size"),
    # v1.44: "GET /info now includes a CDISpecDirs field"
    ("1.44", "added", "response property", "GET /info", "CDISpecDirs"),
    ("1.44", "added", "property", "SystemInfo", "CDISpecDirs"),
    # v1.44: "POST /containers/create now accepts a HealthConfig.StartInterval"
    ("1.44", "added", "property", "HealthConfig", "StartInterval"),
    # v1.44: "The VirtualSize field in the GET /images/{name}/json ... is now omitted"
    ("1.44", "removed", "response property", "GET /images/{name}/json", "VirtualSize"),
    # v1.44: "BindOptions.ReadOnlyNonRecursive and BindOptions.ReadOnlyForceRecursive"
    ("1.44", "added", "property", "Mount", "BindOptions.ReadOnlyNonRecursive"),
    ("1.44", "added", "property", "Mount", "BindOptions.ReadOnlyForceRecursive"),
    # v1.45: "POST /containers/create now supports VolumeOptions.Subpath"
    ("1.45", "added", "property", "Mount", "VolumeOptions.Subpath"),
    # v1.45: "GET /images/{name}/json no longer includes the Container and ContainerConfig"
    ("1.45", "removed", "response property", "GET /images/{name}/json", "Container"),
    ("1.45", "removed", "response property", "GET /images/{name}/json", "ContainerConfig"),
]


@pytest.mark.parametrize(("version", "kind", "element", "subject", "name"), UPSTREAM_FACTS)
def test_upstream_fact_is_found(
    changes: dict[str, list[Change]],
    version: str,
    kind: str,
    element: str,
    subject: str,
    name: str,
) -> None:
    assert (kind, element, subject, name) in facts(changes[version])


def test_removal_links_previous_version(changes: dict[str, list[Change]]) -> None:
    removed = [
        change
        for change in changes["1.45"]
        if change.kind == "removed" and change.name == "ContainerConfig"
    ]
    assert removed
    for change in removed:
        assert change.target().startswith("engine/api/v1.44/#")


def test_v145_changes_match_notes(changes: dict[str, list[Change]]) -> None:
    """v1.45 notes name Subpath and the removed Container fields; the spec changed nothing else."""
    subjects = {(change.subject, change.name) for change in changes["1.45"]}
    assert subjects == {
        ("GET /images/{name}/json", "Container"),
        ("GET /images/{name}/json", "ContainerConfig"),
        ("ImageInspect", "Container"),
        ("ImageInspect", "ContainerConfig"),
        ("Mount", "VolumeOptions.Subpath"),
    }


def test_comparing_all_pairs_is_fast(specs: dict[str, SpecDocument]) -> None:
    """Twenty consecutive pairs of 260-430 KB specs compare in well under two seconds."""
    # Fresh documents, so that nothing cached by the other tests is reused.
    fresh = {
        version: SpecDocument(version, spec.data, spec.file) for version, spec in specs.items()
    }
    started = time.perf_counter()
    for old, new in zip(VERSIONS, VERSIONS[1:]):
        compare_specs(fresh[old], fresh[new])
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0


def test_changelog_covers_every_spec() -> None:
    changelog = load_changelog(SPECS_DIR / "CHANGELOG.md")
    assert check_changelog_versions(changelog, ["1.24", *VERSIONS]) == []
