"""The version matrix and the deprecated-versions list, and the checks on their links.

Both are rendered from the version data (see ``version_data``). Link text and href are
built from the same normalised API version, so a row cannot show one version and link
another. The checks list the promises the matrix makes but the site does not keep: a current
row whose API version has no spec, and a changelog link to a heading that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .anchors import DEFAULT_SEPARATOR, Slugify, heading_anchor, iter_markdown_lines
from .errors import InputError
from .version_data import (
    ArchivedDocs,
    Release,
    VersionData,
    load_version_data,
    parse_version_data,
)
from .versions import api_version_key

__all__ = [
    "DEPRECATED_MARKER",
    "MATRIX_MARKER",
    "ArchivedDocs",
    "MatrixLinks",
    "Release",
    "VersionData",
    "check_changelog_anchors",
    "check_specs",
    "has_marker",
    "insert_deprecated_versions",
    "insert_version_matrix",
    "load_version_data",
    "parse_version_data",
    "render_deprecated_versions",
    "render_matrix",
    "replace_marker",
]

DEFAULT_REFERENCE_URL = "engine/api/v{api}/"
DEFAULT_CHANGELOG_URL = "engine/api/version-history/"
DEFAULT_CHANGELOG_HEADING = "v{api} API changes"

MATRIX_MARKER = "<!-- apiref:version-matrix -->"
DEPRECATED_MARKER = "<!-- apiref:deprecated-versions -->"


@dataclass(frozen=True)
class MatrixLinks:
    """Link targets of the matrix, and the ``toc`` settings that heading ids are computed with.

    URL patterns are site-relative and contain ``{api}``; ``base_url`` is put in front of
    them (``/`` for root-relative links, or a relative prefix such as ``../../``).
    """

    reference_url: str = DEFAULT_REFERENCE_URL
    changelog_url: str = DEFAULT_CHANGELOG_URL
    changelog_heading: str = DEFAULT_CHANGELOG_HEADING
    slugify: Slugify | None = None
    separator: str = DEFAULT_SEPARATOR
    base_url: str = "/"

    def __post_init__(self) -> None:
        for name in ("reference_url", "changelog_heading"):
            if "{api}" not in getattr(self, name):
                raise ValueError(f"{name} {getattr(self, name)!r} must contain '{{api}}'")

    def reference_href(self, api: str) -> str:
        """Return the link to the reference page of an API version."""
        return self.base_url + self.reference_url.format(api=api)

    def changelog_anchor(self, api: str) -> str:
        """Return the id of the version-history heading of an API version."""
        heading = self.changelog_heading.format(api=api)
        return heading_anchor(heading, self.slugify, self.separator)

    def changelog_href(self, api: str) -> str:
        """Return the link to the version-history heading of an API version."""
        return f"{self.base_url}{self.changelog_url}#{self.changelog_anchor(api)}"


# Rendering ----------------------------------------------------------------------------------


def render_matrix(data: VersionData, links: MatrixLinks | None = None) -> str:
    """Render the version matrix as a Markdown table (needs the ``tables`` extension).

    Deprecated rows show the API version as plain text, because their reference pages are
    not published, but keep the link to their changes.
    """
    links = links or MatrixLinks()
    lines = [
        "| iEchor version | Maximum API version | Change log |",
        "|:---------------|:--------------------|:-----------|",
    ]
    for release in data.releases:
        api = release.api
        api_cell = api if release.deprecated else f"[{api}]({links.reference_href(api)})"
        changes_cell = f"[changes]({links.changelog_href(api)})"
        lines.append(f"| {release.engine} | {api_cell} | {changes_cell} |")
    return "\n".join(lines) + "\n"


def render_deprecated_versions(data: VersionData) -> str:
    """Render the Markdown paragraph and list about API versions below ``minimum_api``.

    Raises:
        InputError: The data has no ``minimum_api``.
    """
    if data.minimum_api is None:
        raise InputError(
            "minimum_api is not set, so the deprecated-versions list cannot be written",
            file=data.file,
        )
    deprecated = "deprecated"
    if data.deprecation_url:
        deprecated = f"[deprecated]({data.deprecation_url})"
    lines = [f"API versions before v{data.minimum_api} are {deprecated}."]
    if data.archived_docs:
        lines += ["You can find archived documentation for deprecated versions of the API:", ""]
        for archive in data.archived_docs:
            title = f"Documentation for API versions {archive.api} and before"
            lines.append(f"- [{title}]({archive.url}).")
    return "\n".join(lines) + "\n"


def replace_marker(page_markdown: str, marker: str, replacement: str) -> str:
    """Replace each line that is only the HTML comment ``marker`` with ``replacement``.

    The marker may have extra spaces inside the comment. The replacement is put between blank
    lines. Markers inside fenced code blocks are left alone, so pages can show them as examples.
    """
    pattern = _marker_pattern(marker)
    output = []
    for _, line, in_fence in iter_markdown_lines(page_markdown):
        if not in_fence and pattern.fullmatch(line):
            output.extend(["", replacement.rstrip("\n"), ""])
        else:
            output.append(line)
    text = "\n".join(output)
    return text + "\n" if page_markdown.endswith("\n") else text


def insert_version_matrix(
    page_markdown: str, data: VersionData, links: MatrixLinks | None = None
) -> str:
    """Replace ``<!-- apiref:version-matrix -->`` lines in a page with the matrix table."""
    return replace_marker(page_markdown, MATRIX_MARKER, render_matrix(data, links))


def insert_deprecated_versions(page_markdown: str, data: VersionData) -> str:
    """Replace ``<!-- apiref:deprecated-versions -->`` lines with the deprecated list.

    Raises:
        InputError: The page has the marker but the data has no ``minimum_api``.
    """
    if not has_marker(page_markdown, DEPRECATED_MARKER):
        return page_markdown
    return replace_marker(page_markdown, DEPRECATED_MARKER, render_deprecated_versions(data))


def has_marker(page_markdown: str, marker: str) -> bool:
    """Tell whether a page has a line that is only ``marker``, outside code blocks."""
    pattern = _marker_pattern(marker)
    return any(
        not in_fence and pattern.fullmatch(line)
        for _, line, in_fence in iter_markdown_lines(page_markdown)
    )


def _marker_pattern(marker: str) -> re.Pattern[str]:
    name = marker.removeprefix("<!--").removesuffix("-->").strip()
    return re.compile(r"\s*<!--\s*" + re.escape(name) + r"\s*-->\s*")


# Checks -------------------------------------------------------------------------------------


def check_specs(
    data: VersionData,
    spec_versions: Collection[str],
    spec_path: str = "specs/v{api}.yaml",
) -> list[InputError]:
    """List the current releases whose API version has no spec.

    Args:
        data: The version data.
        spec_versions: The API versions that have a spec, such as ``{"1.45", "1.46"}``.
        spec_path: The path shown as the expected spec file, with ``{api}``.
    """
    have = {api_version_key(version) for version in spec_versions}
    errors = []
    for release in data.releases:
        if release.deprecated or api_version_key(release.api) in have:
            continue
        expected = spec_path.format(api=release.api)
        errors.append(
            InputError(
                f"engine {release.engine} serves API {release.api}, which has no spec; "
                f"expected {expected}",
                file=data.file,
                line=release.line,
            )
        )
    return errors


def check_changelog_anchors(
    data: VersionData,
    page_ids: Collection[str],
    page_file: str,
    links: MatrixLinks | None = None,
) -> list[InputError]:
    """List the changelog anchors that the matrix links but the version-history page lacks.

    Args:
        data: The version data.
        page_ids: The ids on the version-history page (see ``anchors.heading_ids``).
        page_file: The page's file name, for messages.
        links: The link settings the matrix is rendered with.
    """
    links = links or MatrixLinks()
    ids = set(page_ids)
    errors = []
    reported: set[str] = set()
    for release in data.releases:
        anchor = links.changelog_anchor(release.api)
        if anchor in ids or anchor in reported:
            continue
        reported.add(anchor)
        heading = links.changelog_heading.format(api=release.api)
        message = (
            f"no heading with id '{anchor}' for API version {release.api}, which the version "
            f"matrix links for engine {release.engine} ({data.file}:{release.line}); "
            f"expected a heading '{heading}'"
        )
        near = sorted(candidate for candidate in ids if candidate.startswith(anchor))
        if near:
            message += f" (the page has '{near[0]}')"
        errors.append(InputError(message, file=page_file))
    return errors
