"""Version history: the spec folder's ``CHANGELOG.md`` turned into the version-history page.

The changelog has YAML front matter and one ``## v1.NN API changes`` heading per API version,
newest first, each followed by hand-written notes. Upstream writes a few headings as
``## V1.39 API changes`` or at level 3; both are accepted. The generated page gives every
version the same ``## v1.NN API changes`` heading, so its id is stable
(``v1NN-api-changes`` with the default ``toc`` settings) and matches the matrix links.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .anchors import iter_markdown_lines, split_front_matter
from .compare import DEFAULT_REFERENCE_URL, Change, SpecDocument, compare_specs
from .compare import render_changes_markdown
from .errors import InputError, InputErrors
from .versions import api_version_key

DEFAULT_TITLE = "Engine API version history"

_HEADING_RE = re.compile(r"(?P<level>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")
_VERSION_HEADING_RE = re.compile(r"[vV](?P<version>\d+\.\d+) API changes")
# A heading that starts like a version heading, so a typo in it must not pass unnoticed.
_LOOKS_LIKE_VERSION_RE = re.compile(r"[vV]\d")


@dataclass(frozen=True)
class ChangelogEntry:
    """The hand-written notes for one API version."""

    version: str
    line: int
    body: str


@dataclass
class Changelog:
    """A parsed changelog, entries newest first as written."""

    file: str
    front_matter: dict[str, Any]
    entries: list[ChangelogEntry] = field(default_factory=list)

    def entry(self, version: str) -> ChangelogEntry | None:
        """Return the entry of an API version, if the changelog has one."""
        key = api_version_key(version)
        for entry in self.entries:
            if api_version_key(entry.version) == key:
                return entry
        return None


def load_changelog(path: str | Path, label: str | None = None) -> Changelog:
    """Read and parse a changelog file.

    Raises:
        InputError: The file cannot be read.
        InputErrors: The changelog is malformed; every problem found is listed.
    """
    label = label or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read changelog: {error}", file=label) from error
    return parse_changelog(text, label)


def parse_changelog(text: str, file: str) -> Changelog:
    """Split a changelog into front matter and one entry per ``v1.NN API changes`` heading.

    Level-2 headings must be version headings. Level-3 headings are version headings when
    they read like one, and part of the notes otherwise (such as ``### Deprecated``).

    Raises:
        InputErrors: A heading is malformed, a version appears twice or out of order, or the
            front matter is invalid.
    """
    front_text, body, offset = split_front_matter(text)
    errors: list[InputError] = []
    front_matter = _parse_front_matter(front_text, file, errors)

    # (page line number, version, body line number) of each version heading
    headings: list[tuple[int, str, int]] = []
    lines = body.splitlines()
    for number, line, in_fence in iter_markdown_lines(body):
        match = None if in_fence else _HEADING_RE.fullmatch(line)
        if not match or len(match.group("level")) > 3:
            continue
        level, heading = len(match.group("level")), match.group("text")
        version_match = _VERSION_HEADING_RE.fullmatch(heading)
        if version_match:
            headings.append((number + offset, version_match.group("version"), number))
        elif level <= 2 or _LOOKS_LIKE_VERSION_RE.match(heading):
            errors.append(
                InputError(
                    f"malformed heading {line.strip()!r}: expected '## v1.NN API changes'",
                    file=file,
                    line=number + offset,
                )
            )

    entries = []
    for index, (line_number, version, start) in enumerate(headings):
        end = headings[index + 1][2] - 1 if index + 1 < len(headings) else len(lines)
        notes = "\n".join(lines[start:end]).strip("\n")
        entries.append(ChangelogEntry(version, line_number, notes))
    _check_entry_order(entries, file, errors)
    if errors:
        raise InputErrors(errors)
    return Changelog(file, front_matter, entries)


def _parse_front_matter(front_text: str, file: str, errors: list[InputError]) -> dict[str, Any]:
    if not front_text:
        return {}
    try:
        front_matter = yaml.safe_load(front_text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # The front matter starts on line 2, after the opening '---'.
        line = mark.line + 2 if mark is not None else 1
        errors.append(InputError(f"invalid front matter: {error}", file=file, line=line))
        return {}
    if front_matter is None:
        return {}
    if not isinstance(front_matter, dict):
        errors.append(InputError("front matter must be a mapping", file=file, line=2))
        return {}
    return front_matter


def _check_entry_order(
    entries: Sequence[ChangelogEntry], file: str, errors: list[InputError]
) -> None:
    seen: dict[tuple[int, int], ChangelogEntry] = {}
    for newer, older in zip(entries, entries[1:]):
        if api_version_key(older.version) > api_version_key(newer.version):
            errors.append(
                InputError(
                    f"v{older.version} is listed after v{newer.version} (line {newer.line}); "
                    "list versions newest first",
                    file=file,
                    line=older.line,
                )
            )
    for entry in entries:
        key = api_version_key(entry.version)
        if key in seen:
            errors.append(
                InputError(
                    f"duplicate heading for v{entry.version}, already on line {seen[key].line}",
                    file=file,
                    line=entry.line,
                )
            )
        seen.setdefault(key, entry)


def check_changelog_versions(
    changelog: Changelog, spec_versions: Collection[str]
) -> list[InputError]:
    """List the API versions that have a spec but no heading in the changelog."""
    have = {api_version_key(entry.version) for entry in changelog.entries}
    missing = sorted(
        (version for version in spec_versions if api_version_key(version) not in have),
        key=api_version_key,
        reverse=True,
    )
    return [
        InputError(
            f"no '## v{version} API changes' heading for API version {version}, "
            "which has a spec",
            file=changelog.file,
        )
        for version in missing
    ]


def compare_consecutive(
    specs: Iterable[SpecDocument],
) -> dict[str, tuple[str, list[Change]]]:
    """Compare each spec with the next older one.

    Returns:
        For each API version but the oldest: the previous version and the changes since it.
    """
    ordered = sorted(specs, key=lambda spec: api_version_key(spec.version))
    return {
        new.version: (old.version, compare_specs(old, new))
        for old, new in zip(ordered, ordered[1:])
    }


@dataclass(frozen=True)
class HistoryLinks:
    """Link targets of the version-history page.

    ``reference_url`` is a site-relative pattern with ``{api}``; ``base_url`` is put in front
    of it (``/`` for root-relative links, or a relative prefix such as ``../../``).
    """

    reference_url: str = DEFAULT_REFERENCE_URL
    base_url: str = "/"

    def reference_href(self, version: str) -> str:
        """Return the link to the reference page of an API version."""
        return self.base_url + self.reference_url.format(api=version)


def render_history_page(
    changelog: Changelog,
    reference_versions: Collection[str] = (),
    changes: Mapping[str, tuple[str, Sequence[Change]]] | None = None,
    links: HistoryLinks | None = None,
    versions: Iterable[str] | None = None,
    title: str | None = None,
) -> str:
    """Write the Markdown of the version-history page.

    Args:
        changelog: The parsed changelog.
        reference_versions: The API versions that have a reference page; only these get a
            link.
        changes: For an API version, the previous version it was compared with and the
            computed changes (see ``compare.compare_specs``).
        links: The link settings.
        versions: The API versions to include, in any order; all entries when None.
        title: The page title; the changelog's front matter ``title`` when None.

    Returns:
        Markdown with front matter, a title, and per version a ``## v1.NN API changes``
        heading, a link to its reference page, the notes, and the computed changes.
    """
    links = links or HistoryLinks()
    changes = changes or {}
    with_reference = {api_version_key(version) for version in reference_versions}
    included = None if versions is None else {api_version_key(version) for version in versions}
    title = title or str(changelog.front_matter.get("title") or DEFAULT_TITLE)

    front_matter = {key: value for key, value in changelog.front_matter.items()}
    front_matter["title"] = title
    parts = [
        "---\n" + yaml.safe_dump(front_matter, sort_keys=False, allow_unicode=True) + "---\n",
        f"# {title}\n",
    ]
    for entry in sorted(changelog.entries, key=lambda e: api_version_key(e.version), reverse=True):
        key = api_version_key(entry.version)
        if included is not None and key not in included:
            continue
        parts.append(_render_entry(entry, key in with_reference, changes.get(entry.version), links))
    return "\n".join(parts)


def _render_entry(
    entry: ChangelogEntry,
    has_reference: bool,
    computed: tuple[str, Sequence[Change]] | None,
    links: HistoryLinks,
) -> str:
    version = entry.version
    lines = [f"## v{version} API changes", ""]
    if has_reference:
        lines += [f"[API v{version} reference]({links.reference_href(version)})", ""]
    notes = entry.body.strip("\n")
    if notes:
        lines += [notes, ""]
    if computed is not None:
        previous, version_changes = computed
        lines += [f"### Changes in the spec since v{previous}", ""]
        listing = render_changes_markdown(version_changes, links.reference_url, links.base_url)
        lines += [listing.rstrip("\n") if listing else "No changes in the spec.", ""]
    return "\n".join(lines)
