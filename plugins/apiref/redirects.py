"""Aliases and redirect maps: collect them, check them, and resolve links to their final page.

Inputs
------
*Aliases* are site-absolute paths in a page's front matter that should lead to the page::

    ---
    title: Engine API
    aliases:
      - /engine/reference/api/
      - /reference/api/docker_remote_api/
    ---

*Redirect maps* come from YAML files under ``redirects/`` (``*.yml`` or ``*.yaml``) and from
an inline plugin option. Both have the same shape: a mapping from a legacy source to a target,
or to a mapping with the target under ``to`` and an optional fragment map under
``fragments``::

    # Site-absolute paths, relative to the root of the site.
    /engine/reference/commandline/: /engine/cli/
    # Docs-relative Markdown paths, as in mkdocs-redirects; the target may carry a fragment.
    engine/userguide/api.md: engine/api/index.md
    engine/sdk-legacy.md: engine/api/sdk.md#go-sdk
    # A page whose anchors changed: the reader's fragment is rewritten on the way.
    /engine/reference/api/docker_remote_api_v1.24/:
      to: /engine/api/v1.24/
      fragments:
        inspect-a-container: operation/ContainerInspect

A fragment map applies to the stubs of its entry; use a YAML anchor (``&name`` and ``*name``)
to share one between entries. A source cannot contain ``#``: a stub serves a whole path, and
the browser never sends the fragment to the server. A target can be an ``http(s)://`` URL of
another site.

*Version aliases* give every API version that has a page one legacy path per pattern
(``engine/reference/api/docker_remote_api_v{api}/``) and an optional ``latest`` path that
leads to the highest version.

Output
------
``collect`` returns a ``RedirectSet``: one ``Redirect`` per legacy path, with chains flattened
to the final target. ``check`` validates it against the pages of the built site, and
``RedirectSet.lookup`` maps a Markdown path or URL that names a legacy path to its final page,
so links in pages can point straight at it. ``apiref.stubs`` writes the stub pages and the
server rules.

This module does not import MkDocs.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from apiref.errors import InputError, InputErrors, pointer
from apiref.urlpaths import (
    PathError,
    dest_file,
    fold_key,
    markdown_url_path,
    normalize_markdown_path,
    normalize_path,
    page_url_path,
)

# Named under "mkdocs.plugins." so that `mkdocs build --verbose` and `--quiet` apply to it;
# the module itself stays free of MkDocs imports.
log = logging.getLogger(f"mkdocs.plugins.{__name__}")


# Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageInfo:
    """A page of the site, as far as redirects need it."""

    src_uri: str
    """Path of the Markdown source relative to the docs folder (``engine/api/index.md``)."""
    url: str
    """URL relative to the site root, as MkDocs gives it (``engine/api/``, ``./``)."""
    aliases: Sequence[str] = ()
    """Site-absolute legacy paths from the front matter."""
    file: str | None = None
    """Source file shown in messages; defaults to ``src_uri``."""
    title: str | None = None
    """Page title, used in the stub's title and link text."""


@dataclass(frozen=True)
class MapEntry:
    """One entry of a redirect map, as written."""

    source: str
    target: str
    file: str
    pointer: str
    line: int | None = None
    fragments: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VersionAliases:
    """Legacy paths generated for every API version that has a page."""

    page: str
    """URL pattern of a version page, relative to the site root (``engine/api/v{api}/``)."""
    versions: Sequence[str]
    """API versions that have a page (``1.24`` ... ``1.45``)."""
    aliases: Sequence[str] = ()
    """URL patterns of legacy paths (``engine/reference/api/docker_remote_api_v{api}/``)."""
    latest: str | None = None
    """Legacy path that leads to the page of the highest version (``engine/api/latest/``)."""
    file: str = "mkdocs.yml"
    """Configuration file shown in messages."""


# Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One request for a legacy path to lead to a target, before chains are followed."""

    path: str
    """Normalised legacy path."""
    written: str
    """The source as written (``/engine/sdk/``, ``develop/sdk.md``)."""
    target: str
    """Normalised site-absolute target path, or an ``http(s)://`` URL."""
    fragment: str | None
    fragment_map: Mapping[str, str]
    file: str
    pointer: str | None = None
    line: int | None = None

    def error(self, message: str) -> InputError:
        """Return an error located at this claim."""
        return InputError(message, file=self.file, line=self.line, pointer=self.pointer)

    @property
    def label(self) -> str:
        """The source as written and where: ``'develop/sdk.md' (mkdocs.yml)``."""
        return f"'{self.written}' ({self.file})"


@dataclass(frozen=True)
class Redirect:
    """A legacy path and the final page it leads to."""

    path: str
    """Normalised legacy path, relative to the site root (``/engine/reference/api/``)."""
    target: str
    """Final target path (``/engine/api/``) or ``http(s)://`` URL."""
    fragment: str | None
    """Fragment used when the reader's URL has none."""
    fragment_map: Mapping[str, str]
    """Reader's fragment -> fragment on the target."""
    claim: Claim
    """The claim that requested the redirect (the first one when several agree)."""
    chain: tuple[str, ...] = ()
    """Legacy paths passed on the way to the target, flattened into this redirect."""
    target_src: str | None = None
    """Markdown source of the target page, if the target is a page of this site."""
    target_title: str | None = None

    @property
    def is_external(self) -> bool:
        """Whether the target is on another site."""
        return self.target.startswith(("http://", "https://"))

    @property
    def target_with_fragment(self) -> str:
        """The target with its default fragment, as a URL reference."""
        return f"{self.target}#{self.fragment}" if self.fragment else self.target

    def fragment_for(self, incoming: str | None) -> str | None:
        """Return the fragment to land on for the reader's fragment ``incoming``.

        The reader's fragment is the more specific one, so it wins over the target's. The
        fragment map rewrites it where it names an anchor that changed.
        """
        if incoming:
            return self.fragment_map.get(incoming, incoming)
        return self.fragment


@dataclass
class Report:
    """Errors and warnings found by ``collect`` or ``check``."""

    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)

    def extend(self, other: Report) -> None:
        """Add the findings of another report."""
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def raise_for_errors(self) -> None:
        """Raise ``InputErrors`` with every error, if there is one."""
        if self.errors:
            raise InputErrors(self.errors)


@dataclass
class RedirectSet:
    """All redirects of a site, keyed by legacy path, and the pages they were checked with."""

    redirects: dict[str, Redirect]
    pages: Sequence[PageInfo]
    use_directory_urls: bool = True

    def __iter__(self):
        return iter(sorted(self.redirects.values(), key=lambda redirect: redirect.path))

    def __len__(self) -> int:
        return len(self.redirects)

    def lookup(self, reference: str) -> Redirect | None:
        """Return the redirect whose legacy path ``reference`` names, if any.

        Args:
            reference: A docs-relative Markdown path (``develop/sdk.md``), or a URL path
                relative to the site root, with or without a leading ``/``
                (``develop/sdk/``). A fragment or query is ignored.
        """
        path_part = urlsplit(reference).path
        if not path_part:
            return None
        try:
            if path_part.endswith(".md"):
                markdown = normalize_markdown_path(path_part.lstrip("/"))
                path = markdown_url_path(markdown, self.use_directory_urls)
            else:
                path = normalize_path("/" + path_part.lstrip("/"))
        except PathError:
            return None
        redirect = self.redirects.get(path)
        if redirect is None:
            # A .md reference resolves to one URL form, but a legacy path may be written in
            # the other one ("/foo/bar.html" with directory URLs).
            return self.redirects.get(_other_form(path))
        return redirect

    def rewrite_link(self, href: str, page_src_uri: str) -> str | None:
        """Return ``href`` pointed at the final page if it names a legacy path, else None.

        ``href`` is a link in the page ``page_src_uri`` as written in Markdown
        (``../develop/sdk.md#go``). The result is a Markdown path relative to that page
        (``api/sdk.md#go``) when the target is a page of the site, so MkDocs converts and
        validates it as usual, or the URL of another site. The link's own fragment wins over
        the target's, through the fragment map.
        """
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        if parts.path.startswith("/"):
            reference = parts.path
        else:
            reference = posixpath.normpath(
                posixpath.join(posixpath.dirname(page_src_uri), unquote(parts.path))
            )
            if reference.startswith("../"):
                return None
        redirect = self.lookup(reference)
        if redirect is None:
            return None
        fragment = redirect.fragment_for(unquote(parts.fragment) or None)
        suffix = f"#{fragment}" if fragment else ""
        if redirect.is_external:
            return redirect.target + suffix
        if redirect.target_src is None:
            return None
        relative = posixpath.relpath(redirect.target_src, posixpath.dirname(page_src_uri) or ".")
        return relative + suffix


def _other_form(path: str) -> str:
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    if path.endswith(".html"):
        return path[: -len(".html")] + "/"
    return path + "index.html"


# Reading redirect maps ----------------------------------------------------------------------


def load_map_file(path: Path, display: str | None = None) -> tuple[list[MapEntry], Report]:
    """Read a redirect map file, keeping the line of every entry.

    Args:
        path: The YAML file.
        display: The file name shown in messages (``redirects/engine.yml``); defaults to
            ``path``.

    Returns:
        The entries and a report with the errors found in the file.
    """
    name = display or str(path)
    report = Report()
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as error:
        report.errors.append(InputError(f"cannot read redirect map: {error}", file=name))
        return [], report
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        report.errors.append(InputError(f"invalid YAML: {error}", file=name, line=line))
        return [], report
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, _ in root.value:
            lines.setdefault(str(key_node.value), key_node.start_mark.line + 1)
    entries, parse_report = parse_map(data, name, lines)
    report.extend(parse_report)
    return entries, report


def parse_map(
    data: object, file: str, lines: Mapping[str, int] | None = None
) -> tuple[list[MapEntry], Report]:
    """Check the shape of a redirect map and return its entries.

    Args:
        data: The loaded YAML (or the inline option): a mapping, or None for an empty file.
        file: The file shown in messages.
        lines: Line of each source in the file, where known.
    """
    report = Report()
    if data is None:
        return [], report
    if not isinstance(data, Mapping):
        report.errors.append(InputError(
            f"a redirect map must be a mapping of source to target, not {type(data).__name__}",
            file=file, pointer=pointer(),
        ))
        return [], report
    entries = []
    for source, value in data.items():
        where = {"file": file, "pointer": pointer(source), "line": (lines or {}).get(str(source))}
        if not isinstance(source, str):
            report.errors.append(InputError(f"source {source!r} must be a string", **where))
            continue
        target, fragments = _parse_map_value(value, where, report)
        if target is not None:
            entries.append(MapEntry(source, target, fragments=fragments, **where))
    return entries, report


def _parse_map_value(
    value: object, where: dict, report: Report
) -> tuple[str | None, dict[str, str]]:
    if isinstance(value, str):
        return value, {}
    if not isinstance(value, Mapping):
        report.errors.append(InputError(
            f"target must be a string or a mapping with 'to' and 'fragments', not {value!r}",
            **where,
        ))
        return None, {}
    unknown = sorted(str(key) for key in value if key not in ("to", "fragments"))
    if unknown:
        report.errors.append(InputError(
            f"unknown key(s) {', '.join(unknown)}; an entry has 'to' and 'fragments'", **where
        ))
    target = value.get("to")
    if not isinstance(target, str):
        report.errors.append(InputError("'to' is missing or not a string", **where))
        return None, {}
    fragments = value.get("fragments") or {}
    valid = isinstance(fragments, Mapping) and all(
        isinstance(key, str) and isinstance(new, str) and key and new and "#" not in key + new
        for key, new in fragments.items()
    )
    if not valid:
        report.errors.append(InputError(
            "'fragments' must map old fragment names to new ones, both non-empty strings "
            "written without '#'", **where,
        ))
        return None, {}
    return target, dict(fragments)


# Collecting ---------------------------------------------------------------------------------


class _PageIndex:
    """Pages by served file, by case-folded served file and by Markdown source."""

    def __init__(self, pages: Iterable[PageInfo]) -> None:
        self.by_file: dict[str, PageInfo] = {}
        self.by_folded: dict[str, PageInfo] = {}
        self.by_src: dict[str, PageInfo] = {}
        for page in pages:
            path = page_url_path(page.url)
            self.by_file[dest_file(path)] = page
            self.by_folded[fold_key(path)] = page
            self.by_src[page.src_uri] = page

    def find(self, path: str) -> PageInfo | None:
        return self.by_file.get(dest_file(path))


def collect(
    pages: Iterable[PageInfo],
    maps: Iterable[MapEntry] = (),
    patterns: Iterable[VersionAliases] = (),
    *,
    use_directory_urls: bool = True,
) -> tuple[RedirectSet, Report]:
    """Gather aliases, redirect maps and version aliases into one redirect per legacy path.

    Checks done here: a path that is invalid or not site-absolute; a self-alias (warning,
    skipped); one path claimed for different targets (error naming both sources); loops
    (error naming every member). Chains are flattened to their final target. Collisions with
    real pages and missing targets are left to ``check``.

    Args:
        pages: Every page of the site, generated pages included, with their aliases.
        maps: Entries of all redirect maps (see ``load_map_file`` and ``parse_map``).
        patterns: Version alias patterns.
        use_directory_urls: The MkDocs setting; decides the URL of a Markdown source.

    Returns:
        The redirects and a report of errors and warnings.
    """
    pages = list(pages)
    index = _PageIndex(pages)
    report = Report()
    claims: list[Claim] = []
    for page in pages:
        claims.extend(_alias_claims(page, index, report))
    for entry in maps:
        claim = _map_claim(entry, index, use_directory_urls, report)
        if claim is not None:
            claims.append(claim)
    for pattern in patterns:
        claims.extend(_version_claims(pattern, index, report))

    by_path = _merge_claims(claims, report)
    redirects = _flatten(by_path, index, report)
    return RedirectSet(redirects, pages, use_directory_urls), report


def _alias_claims(page: PageInfo, index: _PageIndex, report: Report) -> list[Claim]:
    file = page.file or page.src_uri
    own_path = page_url_path(page.url)
    claims = []
    for number, alias in enumerate(page.aliases):
        where = pointer("aliases", number)
        if not isinstance(alias, str):
            report.errors.append(InputError(
                f"alias {alias!r} must be a string", file=file, pointer=where))
            continue
        try:
            path = normalize_path(alias, what="alias")
        except PathError as error:
            report.errors.append(InputError(str(error), file=file, pointer=where))
            continue
        if dest_file(path) == dest_file(own_path):
            report.warnings.append(InputError(
                f"alias '{alias}' is the URL of the page '{page.src_uri}' itself; "
                "no stub is written for it, remove the alias",
                file=file, pointer=where,
            ))
            continue
        claims.append(Claim(path, alias, own_path, None, {}, file, where))
    return claims


def _map_claim(
    entry: MapEntry, index: _PageIndex, use_directory_urls: bool, report: Report
) -> Claim | None:
    where = {"file": entry.file, "pointer": entry.pointer, "line": entry.line}
    try:
        if "#" in entry.source:
            raise PathError(
                f"redirect source '{entry.source}' contains '#': redirect sources cannot "
                "contain '#', because a stub serves a whole path and the browser never sends "
                "the fragment; redirect the whole page or keep the old anchor on it"
            )
        path = _source_path(entry.source, use_directory_urls)
        target, fragment = _target_path(entry.target, index, use_directory_urls)
    except PathError as error:
        report.errors.append(InputError(str(error), **where))
        return None
    return Claim(path, entry.source, target, fragment, dict(entry.fragments), **where)


def _source_path(source: str, use_directory_urls: bool) -> str:
    if source.startswith(("http://", "https://")):
        raise PathError(f"redirect source '{source}' is a URL; sources are paths of this site")
    if source.endswith(".md"):
        markdown = normalize_markdown_path(source, what="redirect source")
        return markdown_url_path(markdown, use_directory_urls)
    if not source.startswith("/"):
        raise PathError(
            f"redirect source '{source}' must be a site-absolute path ('/old/path/') or a "
            "Markdown path relative to the docs folder ('old/page.md')"
        )
    return normalize_path(source, what="redirect source")


def _target_path(
    target: str, index: _PageIndex, use_directory_urls: bool
) -> tuple[str, str | None]:
    """Return the normalised target and its fragment; a page's own URL where it is a page."""
    if target.startswith(("http://", "https://")):
        if any(char.isspace() or char in "\"'<>" for char in target):
            raise PathError(f"redirect target '{target}' contains a character a URL cannot "
                            "carry unencoded")
        return target, None
    path_part, _, fragment = target.partition("#")
    if "#" in target and not fragment:
        raise PathError(f"redirect target '{target}' has an empty fragment")
    if path_part.endswith(".md"):
        markdown = normalize_markdown_path(path_part, what="redirect target")
        page = index.by_src.get(markdown)
        path = (page_url_path(page.url) if page is not None
                else markdown_url_path(markdown, use_directory_urls))
    elif path_part.startswith("/"):
        path = normalize_path(path_part, what="redirect target")
        page = index.find(path)
        if page is not None:
            path = page_url_path(page.url)
    else:
        raise PathError(
            f"redirect target '{target}' must be a site-absolute path ('/new/path/'), a "
            "Markdown path relative to the docs folder ('new/page.md'), or an http(s) URL"
        )
    return path, unquote(fragment) or None


def _version_claims(
    pattern: VersionAliases, index: _PageIndex, report: Report
) -> list[Claim]:
    claims = []
    for number, alias in enumerate(pattern.aliases):
        where = {"file": pattern.file, "pointer": pointer("version_aliases", number)}
        if "{api}" not in alias:
            report.errors.append(InputError(
                f"version alias '{alias}' does not contain '{{api}}', so every version "
                "would claim the same path", **where))
            continue
        for version in pattern.versions:
            claim = _pattern_claim(alias.replace("{api}", version),
                                   pattern.page.replace("{api}", version), index, where, report)
            if claim is not None:
                claims.append(claim)
    if pattern.latest and pattern.versions:
        where = {"file": pattern.file, "pointer": pointer("latest_alias")}
        try:
            newest = max(pattern.versions, key=_version_key)
        except ValueError as error:
            report.errors.append(InputError(str(error), **where))
            return claims
        claim = _pattern_claim(pattern.latest, pattern.page.replace("{api}", newest), index,
                               where, report)
        if claim is not None:
            claims.append(claim)
    return claims


def _pattern_claim(
    alias: str, page_url: str, index: _PageIndex, where: dict, report: Report
) -> Claim | None:
    try:
        path = normalize_path("/" + alias.lstrip("/"), what="version alias")
        target = normalize_path("/" + page_url.lstrip("/"), what="version page")
    except PathError as error:
        report.errors.append(InputError(str(error), **where))
        return None
    page = index.find(target)
    if page is not None:
        target = page_url_path(page.url)
    return Claim(path, alias, target, None, {}, **where)


def _version_key(version: str) -> tuple[int, ...]:
    """Sort key that orders ``1.9`` before ``1.10``."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        raise ValueError(f"API version '{version}' is not of the form MAJOR.MINOR") from None


def _merge_claims(claims: list[Claim], report: Report) -> dict[str, Claim]:
    """Keep one claim per legacy path; report paths claimed for different targets.

    Paths are compared by the file that serves them, case-folded, because on case-insensitive
    file systems ``/Old/`` and ``/old/`` are one stub file.
    """
    by_folded: dict[str, Claim] = {}
    by_path: dict[str, Claim] = {}
    for claim in claims:
        first = by_folded.get(fold_key(claim.path))
        if first is None:
            by_folded[fold_key(claim.path)] = claim
            by_path[claim.path] = claim
            continue
        same_target = (dest_file(first.target) == dest_file(claim.target)
                       and first.fragment == claim.fragment
                       and dict(first.fragment_map) == dict(claim.fragment_map))
        if not same_target:
            report.errors.append(claim.error(
                f"legacy path '{claim.path}' is claimed by {first.label} for "
                f"'{_show(first)}' and by {claim.label} for '{_show(claim)}'; a legacy path "
                "can lead to one target only, so remove one of them"
            ))
        elif claim.path not in by_path:
            by_path[claim.path] = claim
    return by_path


def _show(claim: Claim) -> str:
    return f"{claim.target}#{claim.fragment}" if claim.fragment else claim.target


def _flatten(
    by_path: dict[str, Claim], index: _PageIndex, report: Report
) -> dict[str, Redirect]:
    """Follow every claim to its final target and report loops."""
    by_file = {dest_file(path): claim for path, claim in by_path.items()}
    redirects: dict[str, Redirect] = {}
    reported_loops: set[frozenset[str]] = set()
    for path, claim in by_path.items():
        hops = [claim]
        seen = {dest_file(path)}
        loop = False
        while True:
            last = hops[-1]
            if last.target.startswith(("http://", "https://")):
                break
            next_file = dest_file(last.target)
            # A real page wins over a legacy path at the same place; check() reports the clash.
            if index.by_file.get(next_file) is not None or next_file not in by_file:
                break
            if next_file in seen:
                loop = True
                break
            seen.add(next_file)
            hops.append(by_file[next_file])
        if loop:
            cycle = _cycle(hops)
            members = frozenset(hop.path for hop in cycle)
            if members not in reported_loops:
                reported_loops.add(members)
                report.errors.append(_loop_error(cycle))
            continue
        redirects[path] = _compose(hops, index)
        if len(hops) > 1:
            log.info(
                "Redirect chain %s flattened: '%s' now leads to '%s' directly",
                " -> ".join(f"'{hop.written}'" for hop in hops), claim.written,
                redirects[path].target,
            )
    return redirects


def _cycle(hops: list[Claim]) -> list[Claim]:
    """Return the hops that form the loop, from the one the last hop returns to."""
    start_file = dest_file(hops[-1].target)
    start = next(i for i, hop in enumerate(hops) if dest_file(hop.path) == start_file)
    return hops[start:]


def _loop_error(cycle: list[Claim]) -> InputError:
    route = " -> ".join(f"'{hop.written}'" for hop in cycle) + f" -> '{cycle[0].written}'"
    sources = ", ".join(sorted({hop.label for hop in cycle}))
    return cycle[0].error(
        f"redirect loop: {route}; no page is ever reached (entries: {sources}); "
        "point one of them at a page"
    )


def _compose(hops: list[Claim], index: _PageIndex) -> Redirect:
    """Merge a chain of claims into one redirect with the same effect as following each hop."""
    fragment = hops[0].fragment
    fragment_map = dict(hops[0].fragment_map)
    for hop in hops[1:]:
        # Arriving at the next stub, the fragment so far is the reader's fragment there.
        fragment = hop.fragment_map.get(fragment, fragment) if fragment else hop.fragment
        composed = dict(hop.fragment_map)
        for old, new in fragment_map.items():
            composed[old] = hop.fragment_map.get(new, new)
        fragment_map = {old: new for old, new in composed.items() if old != new}
    final = hops[-1]
    page = None if final.target.startswith(("http://", "https://")) else index.find(final.target)
    return Redirect(
        path=hops[0].path,
        target=final.target,
        fragment=fragment,
        fragment_map=fragment_map,
        claim=hops[0],
        chain=tuple(hop.path for hop in hops[1:]),
        target_src=page.src_uri if page else None,
        target_title=page.title if page else None,
    )


# Checking against the built site ------------------------------------------------------------


def check(
    redirects: RedirectSet,
    real_urls: Iterable[str] = (),
    ids_by_url: Mapping[str, Iterable[str]] | None = None,
) -> Report:
    """Check redirects against the pages and files of the site.

    Errors: a legacy path served by the same file as a real page (compared case-folded,
    because macOS and Windows file systems fold case), and a target that is neither a page
    nor another file of the site. Warnings: a target fragment, or a fragment-map value, that
    is not an id on the target page.

    Args:
        redirects: The result of ``collect``; its pages count as real URLs.
        real_urls: URLs of other files of the site (relative to the site root), such as
            static files, that a redirect may target.
        ids_by_url: Element ids of each page, keyed by page URL; skips the fragment check
            when None.
    """
    report = Report()
    index = _PageIndex(redirects.pages)
    real_files = set(index.by_file)
    extra_folded = {}
    for url in real_urls:
        path = page_url_path(url)
        real_files.add(dest_file(path))
        extra_folded.setdefault(fold_key(path), url)
    real_folded = {fold_key("/" + name) for name in real_files}

    for redirect in redirects:
        report.errors.extend(_page_clash(redirect, index, extra_folded))
        if redirect.is_external:
            continue
        if dest_file(redirect.target) not in real_files:
            hint = (" (a page exists with different letter case)"
                    if fold_key(redirect.target) in real_folded else "")
            report.errors.append(redirect.claim.error(
                f"redirect target '{redirect.target}' of '{redirect.claim.written}' does not "
                f"exist in the site{hint}; point it at an existing page"
            ))
    if ids_by_url is not None:
        report.extend(check_fragments(redirects, ids_by_url))
    return report


def _page_clash(
    redirect: Redirect, index: _PageIndex, extra_folded: Mapping[str, str]
) -> list[InputError]:
    claim = redirect.claim
    exact = index.find(redirect.path)
    if exact is not None:
        return [claim.error(
            f"legacy path '{claim.written}' is the URL of the page '{exact.src_uri}' "
            f"('{page_url_path(exact.url)}'); a stub there would overwrite the page, so "
            "remove the alias or redirect entry"
        )]
    folded = index.by_folded.get(fold_key(redirect.path))
    if folded is not None:
        return [claim.error(
            f"legacy path '{claim.written}' differs only in letter case from the URL of the "
            f"page '{folded.src_uri}' ('{page_url_path(folded.url)}'); on case-insensitive "
            "file systems its stub would overwrite the page, so remove it"
        )]
    other = extra_folded.get(fold_key(redirect.path))
    if other is not None:
        return [claim.error(
            f"legacy path '{claim.written}' is served by the same file as '{other}'; "
            "a stub there would overwrite it"
        )]
    return []


def check_fragments(redirects: RedirectSet, ids_by_url: Mapping[str, Iterable[str]]) -> Report:
    """Warn about target fragments that are not an id on the target page.

    Pages missing from ``ids_by_url`` are not checked.
    """
    report = Report()
    ids_by_file = {dest_file(page_url_path(url)): set(ids) for url, ids in ids_by_url.items()}
    for redirect in redirects:
        if redirect.is_external:
            continue
        ids = ids_by_file.get(dest_file(redirect.target))
        if ids is None:
            continue
        wanted = []
        if redirect.fragment:
            wanted.append(redirect.fragment)
        wanted.extend(sorted(set(redirect.fragment_map.values())))
        for fragment in wanted:
            if fragment not in ids:
                report.warnings.append(redirect.claim.error(
                    f"fragment '#{fragment}' of the redirect '{redirect.claim.written}' is not "
                    f"an id on the target page '{redirect.target}'; readers will land at the "
                    "top of the page"
                ))
    return report


class _IdParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value and (name == "id" or tag == "a"):
                self.ids.add(value)


def html_ids(html: str) -> set[str]:
    """Return the ids in an HTML page or fragment (``id`` attributes and ``<a name>``)."""
    parser = _IdParser()
    parser.feed(html)
    parser.close()
    return parser.ids
