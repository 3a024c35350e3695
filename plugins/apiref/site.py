"""Plan and render the generated part of the site, for MkDocs or any other generator.

``ReferenceSite`` reads a spec folder once and knows which pages it adds (one reference page
per API version, the ``latest`` page and the raw spec downloads), under which source paths and
URLs, and how to render each. The MkDocs plugin and the command-line entry point both drive it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from .compare import SpecDocument
from .errors import InputError, InputErrors
from .history import (
    Changelog,
    HistoryLinks,
    check_changelog_versions,
    compare_consecutive,
    load_changelog,
    render_history_page,
)
from .loader import ApiVersion, SpecFolder, SpecSource, discover, display_path, read_text
from .render import PageLinks, RenderedPage, render_reference
from .specs import Spec, load_spec

#: Marker that a generated reference page's Markdown carries until its HTML is put in place.
REFERENCE_MARKER = "<!-- apiref:reference-page -->"


@dataclass
class SiteOptions:
    """Where the generated pages go; patterns take ``{api}`` (the API version, ``1.45``)."""

    specs_dir: Path
    version_page: str = "engine/api/v{api}/"
    latest_page: str | None = "engine/api/latest/"
    download: str = "engine/api/v{api}{suffix}"
    #: Search indexing of reference pages: ``newest`` (newest version only), ``all`` or ``none``.
    search: str = "newest"
    #: Old fragment -> current fragment, applied to links on every reference page.
    fragment_aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class GeneratedPage:
    """A page that the site generator should publish."""

    src_uri: str
    url: str
    title: str
    version: ApiVersion
    source: SpecSource
    #: Markdown to hand to the site generator: front matter plus the marker, or the whole
    #: text of a reference written as Markdown.
    markdown: str
    is_latest: bool = False


@dataclass
class GeneratedFile:
    """A file copied as it is, such as a raw spec download."""

    src_uri: str
    path: Path


def url_to_src_uri(url: str) -> str:
    """Map a page URL such as ``engine/api/v1.45/`` to its source ``engine/api/v1.45/index.md``."""
    url = url.strip("/")
    if url.endswith(".html"):
        return url[: -len(".html")] + ".md"
    return f"{url}/index.md" if url else "index.md"


def check_site_path(pattern: str, value: str, option: str) -> str:
    """Reject a generated path that is absolute, empty or climbs out of the site folder."""
    normal = posixpath.normpath(value) if value else ""
    if (
        value.startswith(("/", "~"))
        or "\\" in value
        or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value)
        or normal in ("", ".")
        or normal == ".."
        or normal.startswith("../")
    ):
        raise InputError(
            f"option '{option}' gives {value!r}, which is outside the site folder or is its "
            f"root; use a relative path such as 'engine/api/v{{api}}/' (pattern {pattern!r})",
            file="mkdocs.yml",
        )
    return value


def format_site_path(pattern: str, option: str, **values: Any) -> str:
    """Fill ``{api}`` (and ``{suffix}``) into an option's pattern and check the result.

    Raises:
        InputError: the pattern has an unknown placeholder, lacks ``{api}`` where every
            version needs its own path, or leads outside the site folder.
    """
    if "{api}" not in pattern:
        raise InputError(
            f"option '{option}' is {pattern!r}, which has no '{{api}}' placeholder, so every "
            "API version would get the same path; add '{api}'",
            file="mkdocs.yml",
        )
    try:
        value = pattern.format(**values)
    except (KeyError, IndexError, ValueError) as error:
        allowed = ", ".join("{" + name + "}" for name in values)
        raise InputError(
            f"option '{option}' is {pattern!r}, which is not a valid pattern ({error!s}); "
            f"use only the placeholders {allowed}",
            file="mkdocs.yml",
        ) from None
    return check_site_path(pattern, value, option)


@dataclass
class ReferenceSite:
    """The spec folder and the pages generated from it."""

    options: SiteOptions
    folder: SpecFolder
    specs: dict[ApiVersion, Spec] = field(default_factory=dict)
    markdown_sources: dict[ApiVersion, str] = field(default_factory=dict)
    changelog: Changelog | None = None
    pages: list[GeneratedPage] = field(default_factory=list)
    files: list[GeneratedFile] = field(default_factory=list)

    @classmethod
    def load(
        cls, options: SiteOptions, map_function: Callable[..., Any] | None = None
    ) -> ReferenceSite:
        """Read and check every file of the spec folder.

        Args:
            options: where the pages go.
            map_function: a ``map`` to load the specs with, such as an executor's, so they are
                parsed in parallel; the built-in ``map`` by default.

        Raises:
            InputErrors: every problem in every file, not only the first.
        """
        try:
            folder = discover(options.specs_dir)
        except InputError as error:
            raise InputErrors([error]) from error
        site = cls(options=options, folder=folder)
        errors: list[InputError] = []
        spec_sources = [source for source in folder.sources if source.kind == "spec"]
        for source, result in zip(spec_sources, (map_function or map)(_load_one, spec_sources)):
            if isinstance(result, InputErrors):
                errors.extend(result.errors)
            else:
                site.specs[source.version] = result
        for source in folder.sources:
            if source.kind == "markdown":
                try:
                    site.markdown_sources[source.version] = read_text(source.path, source.label)
                except InputError as error:
                    errors.append(error)
        if folder.changelog is not None:
            try:
                site.changelog = load_changelog(folder.changelog, display_path(folder.changelog))
            except InputError as error:
                errors.append(error)
            except InputErrors as error:
                errors.extend(error.errors)
            else:
                versions = [str(version) for version in folder.versions]
                errors.extend(check_changelog_versions(site.changelog, versions))
        if errors:
            raise InputErrors(errors)
        site._plan()
        return site

    @property
    def versions(self) -> list[ApiVersion]:
        """Versions with a page, oldest first."""
        return self.folder.versions

    @property
    def newest(self) -> ApiVersion | None:
        """The newest version with a page."""
        return self.versions[-1] if self.versions else None

    def page_url(self, version: ApiVersion) -> str:
        """The URL of the reference page of ``version``, relative to the site root."""
        return format_site_path(self.options.version_page, "version_page", api=version)

    def _plan(self) -> None:
        options = self.options
        for source in self.folder.sources:
            url = self.page_url(source.version)
            self.pages.append(self._page(source, url, is_latest=False))
            if source.kind == "spec":
                download = format_site_path(
                    options.download, "download", api=source.version, suffix=source.path.suffix
                )
                if posixpath.splitext(download)[1].lower() in (".md", ".markdown", ".html"):
                    raise InputError(
                        f"option 'download' gives {download!r}, which would be published as a "
                        "page, not as the spec file; end it with '{suffix}'",
                        file="mkdocs.yml",
                    )
                self.files.append(GeneratedFile(download, source.path))
        if options.latest_page and self.folder.sources:
            url = check_site_path(options.latest_page, options.latest_page, "latest_page")
            self.pages.append(self._page(self.folder.sources[-1], url, is_latest=True))

    def _page(self, source: SpecSource, url: str, is_latest: bool) -> GeneratedPage:
        version = source.version
        searchable = self.options.search == "all" or (
            self.options.search == "newest" and version == self.newest and not is_latest
        )
        if source.kind == "markdown":
            text = self.markdown_sources[version]
            title = f"Engine API v{version}"
            if is_latest or not searchable:
                text = _add_front_matter(text, {"search": {"exclude": True}}, drop_aliases=is_latest)
            return GeneratedPage(url_to_src_uri(url), url, title, version, source, text, is_latest)
        spec = self.specs[version]
        title = f"{spec.title} v{version}"
        # MkDocs themes insert page titles and meta values as HTML without escaping them
        # (Material writes ``{{ page.meta.title }}`` into <title> and the nav), so the spec's
        # text is escaped here.
        meta: dict[str, Any] = {
            "title": str(escape(title)),
            "description": str(escape(f"Reference of the {spec.title}, version {version}.")),
        }
        if not searchable:
            meta["search"] = {"exclude": True}
        text = "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + REFERENCE_MARKER + "\n"
        return GeneratedPage(url_to_src_uri(url), url, title, version, source, text, is_latest)

    def history_markdown(self, base_url: str = "/") -> str | None:
        """Write the version-history page from the changelog, or None without a changelog.

        The page lists the versions that have a file in the spec folder, each with the
        changes computed between consecutive specs below its hand-written notes.
        """
        if self.changelog is None:
            return None
        documents = [
            SpecDocument(str(version), spec.document, spec.label)
            for version, spec in sorted(self.specs.items())
        ]
        versions = [str(version) for version in self.versions]
        return render_history_page(
            self.changelog,
            reference_versions=versions,
            changes=compare_consecutive(documents),
            links=HistoryLinks(reference_url=self.options.version_page, base_url=base_url),
            versions=versions,
        )

    def page_links(self, page: GeneratedPage, page_url: str) -> PageLinks:
        """Links from ``page`` (published at ``page_url``) to the downloads and other versions."""
        links = PageLinks()
        for item in self.files:
            if item.path == page.source.path:
                links.download = relative_url(page_url, item.src_uri)
                links.download_name = posixpath.basename(item.src_uri)
        for version in reversed(self.versions):
            links.versions.append((str(version), relative_url(page_url, self.page_url(version))))
        return links

    def render(self, page: GeneratedPage, page_url: str | None = None) -> RenderedPage:
        """Render the HTML body of a spec page."""
        spec = self.specs[page.version]
        return render_reference(
            spec,
            self.page_links(page, page_url or page.url),
            fragment_aliases=self.options.fragment_aliases,
        )


def _load_one(source: SpecSource) -> Spec | InputErrors:
    try:
        return load_spec(source)
    except InputErrors as errors:
        return errors


def relative_url(from_url: str, to_url: str) -> str:
    """Return ``to_url`` relative to the page published at ``from_url`` (both site-relative)."""
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    target = posixpath.relpath("/" + to_url.lstrip("/"), "/" + base.lstrip("/"))
    if to_url.endswith("/") and not target.endswith("/"):
        target += "/"
    return "./" if target == "./" else target


def _add_front_matter(text: str, extra: dict[str, Any], drop_aliases: bool) -> str:
    """Merge ``extra`` into the YAML front matter of ``text``."""
    meta: dict[str, Any] = {}
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            loaded = yaml.safe_load(text[4:end])
            meta = loaded if isinstance(loaded, dict) else {}
            body = text[end + 4:].lstrip("\n")
    meta.update(extra)
    if drop_aliases:
        meta.pop("aliases", None)
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + body
