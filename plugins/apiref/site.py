"""Plan and render the generated part of the site, for MkDocs or any other generator.

``ReferenceSite`` reads a spec folder once and plans which pages it adds (one reference page
per API version, the ``latest`` page and the raw spec downloads), under which source paths and
URLs, and how to render each. The MkDocs plugin and the command-line entry point both drive it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from .cache import BuildCache, file_digest, make_key
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
from .lineage import Lineage, VersionFacts
from .loader import ApiVersion, SpecFolder, SpecSource, discover, display_path, read_text
from .parallel import PendingResult, WorkerPool
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


class SpecStore(Mapping[ApiVersion, Spec]):
    """The checked specs of a site by version, read from the build cache on first use.

    A build whose pages all come from the cache never needs most specs, and unpickling one
    takes about 10 ms, so specs that passed their checks in an earlier build stay on disk
    until a caller reads them.
    """

    def __init__(self, cache: BuildCache | None) -> None:
        self._cache = cache
        self._specs: dict[ApiVersion, Spec] = {}
        self._stored: dict[ApiVersion, tuple[str, SpecSource]] = {}

    def add(self, spec: Spec) -> None:
        """Keep a loaded spec in memory."""
        self._specs[spec.version] = spec

    def add_stored(self, source: SpecSource, key: str) -> None:
        """Record that the spec of ``source`` was checked and stored in the cache under ``key``."""
        self._stored[source.version] = (key, source)

    def __getitem__(self, version: ApiVersion) -> Spec:
        spec = self._specs.get(version)
        if spec is not None:
            return spec
        key, source = self._stored[version]
        spec = self._cache.get(key) if self._cache is not None else None
        if not isinstance(spec, Spec):
            # The entry vanished (another build pruned the folder): read the file again.
            spec = load_spec(source)
            if self._cache is not None:
                self._cache.put(key, spec)
        self._specs[version] = spec
        return spec

    def __iter__(self) -> Iterator[ApiVersion]:
        return iter(sorted({*self._specs, *self._stored}))

    def __len__(self) -> int:
        return len({*self._specs, *self._stored})


@dataclass
class _SpecSummary:
    """What planning the pages needs from a spec, small enough to read on every build."""

    title: str


@dataclass
class _LoadJob:
    source: SpecSource
    spec_key: str
    summary_key: str
    cache_dir: Path | None


def _run_load_job(job: _LoadJob) -> Spec | InputErrors:
    """Read and check one spec and store it in the cache; runs in a worker process."""
    try:
        spec = load_spec(job.source)
    except InputErrors as errors:
        return errors
    if job.cache_dir is not None:
        cache = BuildCache(job.cache_dir)
        cache.put(job.spec_key, spec)
        cache.put(job.summary_key, _SpecSummary(title=spec.title))
    return spec


@dataclass
class _RenderJob:
    spec: Spec
    links: PageLinks
    fragment_aliases: dict[str, str]
    key: str
    cache_dir: Path | None
    facts: VersionFacts | None = None


def _run_render_job(job: _RenderJob) -> RenderedPage:
    """Render one page and store it in the cache; runs in a worker process."""
    rendered = render_reference(
        job.spec, job.links, fragment_aliases=job.fragment_aliases, facts=job.facts
    )
    if job.cache_dir is not None:
        BuildCache(job.cache_dir).put(job.key, rendered)
    return rendered


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
    specs: SpecStore = field(default_factory=lambda: SpecStore(None))
    markdown_sources: dict[ApiVersion, str] = field(default_factory=dict)
    changelog: Changelog | None = None
    pages: list[GeneratedPage] = field(default_factory=list)
    files: list[GeneratedFile] = field(default_factory=list)
    #: SHA-256 of each spec file's bytes, by version; the cache keys start from these.
    digests: dict[ApiVersion, str] = field(default_factory=dict)
    #: The ``title`` of each spec, by version, known without loading a cached spec.
    titles: dict[ApiVersion, str] = field(default_factory=dict)
    cache: BuildCache | None = None
    pool: WorkerPool = field(default_factory=lambda: WorkerPool(1))
    #: Pages being rendered by ``prerender``, by cache key.
    _pending: dict[str, PendingResult[RenderedPage]] = field(default_factory=dict)
    _lineage: Lineage | None = field(default=None, repr=False)
    _facts: dict[ApiVersion, VersionFacts] = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls,
        options: SiteOptions,
        *,
        cache: BuildCache | None = None,
        pool: WorkerPool | None = None,
    ) -> ReferenceSite:
        """Read and check every file of the spec folder.

        Args:
            options: where the pages go.
            cache: a build cache; specs found in it passed their checks and are not read.
            pool: worker processes that read the specs (and ``prerender`` renders them);
                by default everything runs in this process.

        Raises:
            InputErrors: every problem in every file, not only the first.
        """
        try:
            folder = discover(options.specs_dir)
        except InputError as error:
            raise InputErrors([error]) from error
        site = cls(options=options, folder=folder, specs=SpecStore(cache), cache=cache)
        if pool is not None:
            site.pool = pool
        site._plan_files()
        errors: list[InputError] = []
        jobs = [site._load_job(source) for source in folder.sources if source.kind == "spec"]
        jobs = [job for job in jobs if job is not None]
        for job, result in zip(jobs, site.pool.map(_run_load_job, jobs)):
            if isinstance(result, InputErrors):
                errors.extend(result.errors)
            else:
                site.specs.add(result)
                site.titles[job.source.version] = result.title
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
        site._plan_pages()
        return site

    def _load_job(self, source: SpecSource) -> _LoadJob | None:
        """Return the job that reads ``source``, or None when the cache has its checked spec."""
        digest = file_digest(source.path)
        self.digests[source.version] = digest
        identity = (digest, str(source.version), source.label, source.path.suffix)
        spec_key = make_key("spec", identity)
        summary_key = make_key("summary", identity)
        if self.cache is None:
            return _LoadJob(source, spec_key, summary_key, None)
        self.cache.used.add(spec_key)
        summary = self.cache.get(summary_key)
        if isinstance(summary, _SpecSummary) and self.cache.has(spec_key):
            self.specs.add_stored(source, spec_key)
            self.titles[source.version] = summary.title
            return None
        return _LoadJob(source, spec_key, summary_key, self.cache.directory)

    def prerender(self) -> int:
        """Start rendering every reference page that the cache lacks; return how many.

        With worker processes, the pages render while the caller goes on; ``render`` then
        waits for the page it asks for. Without them, each page renders when it is asked for.
        """
        for page in self.pages:
            if page.source.kind != "spec":
                continue
            links = self.links_for(page.source, page.url)
            key = self._page_key(page.version, links)
            if key in self._pending or (self.cache is not None and self.cache.has(key)):
                continue
            job = _RenderJob(
                self.specs[page.version],
                links,
                self.options.fragment_aliases,
                key,
                self.cache.directory if self.cache is not None else None,
                self.facts_for(page.version),
            )
            self._pending[key] = self.pool.submit(_run_render_job, job)
        return len(self._pending)

    def close(self) -> None:
        """Drop pages still being rendered and stop the worker processes."""
        for pending in self._pending.values():
            pending.cancel()
        self._pending.clear()
        self.pool.close()

    def _lineage_key(self) -> str:
        # The lineage depends on every spec of the series.
        return make_key("lineage", sorted((str(version), d) for version, d in self.digests.items()))

    @property
    def lineage(self) -> Lineage:
        """Facts across the versions of the specs, from the cache or computed (reading every
        spec) on first use."""
        if self._lineage is None:
            key = self._lineage_key()
            cached = self.cache.get(key) if self.cache is not None else None
            if isinstance(cached, Lineage):
                self._lineage = cached
            else:
                self._lineage = Lineage.from_specs(dict(self.specs.items()))
                if self.cache is not None:
                    self.cache.put(key, self._lineage)
        return self._lineage

    def facts_for(self, version: ApiVersion) -> VersionFacts:
        """What the page of ``version`` shows about other versions, cached like the lineage,
        so that a warm build neither loads the specs nor computes the lineage."""
        if version not in self._facts:
            key = make_key("facts", self._lineage_key(), str(version))
            cached = self.cache.get(key) if self.cache is not None else None
            if isinstance(cached, VersionFacts):
                self._facts[version] = cached
                # Keep the lineage entry: a page whose links change renders from it again.
                self.cache.has(self._lineage_key())
            else:
                self._facts[version] = self.lineage.facts(self.specs[version])
                if self.cache is not None:
                    self.cache.put(key, self._facts[version])
        return self._facts[version]

    def _page_key(self, version: ApiVersion, links: PageLinks) -> str:
        """Return the cache key of a rendered page: the spec's bytes and every render input."""
        return make_key(
            "page",
            self.digests[version],
            str(version),
            links.download,
            links.download_name,
            links.versions,
            sorted(self.options.fragment_aliases.items()),
            # The "Added in" and "Changed in" notes: a change in another version's spec
            # renders this page again only when it changes what this page shows.
            self.facts_for(version).fingerprint(),
        )

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

    def _plan_files(self) -> None:
        options = self.options
        for source in self.folder.sources:
            # Reject an invalid version_page pattern before any spec is read.
            self.page_url(source.version)
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
            check_site_path(options.latest_page, options.latest_page, "latest_page")

    def _plan_pages(self) -> None:
        for source in self.folder.sources:
            self.pages.append(self._page(source, self.page_url(source.version), is_latest=False))
        if self.options.latest_page and self.folder.sources:
            latest = self._page(self.folder.sources[-1], self.options.latest_page, is_latest=True)
            self.pages.append(latest)

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
            text = _add_heading(text, title)
            return GeneratedPage(url_to_src_uri(url), url, title, version, source, text, is_latest)
        spec_title = self.titles[version]
        title = f"{spec_title} v{version}"
        # MkDocs themes insert page titles and meta values as HTML without escaping them
        # (Material writes ``{{ page.meta.title }}`` into <title> and the nav), so the spec's
        # text is escaped here.
        meta: dict[str, Any] = {
            "title": str(escape(title)),
            "description": str(escape(f"Reference of the {spec_title}, version {version}.")),
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
        key = None
        if self.cache is not None and self.folder.changelog is not None:
            key = make_key(
                "history",
                sorted((str(version), digest) for version, digest in self.digests.items()),
                [str(version) for version in self.versions],
                file_digest(self.folder.changelog),
                display_path(self.folder.changelog),
                self.options.version_page,
                base_url,
            )
            cached = self.cache.get(key)
            if isinstance(cached, str):
                return cached
        documents = [
            SpecDocument(str(version), spec.document, spec.label)
            for version, spec in sorted(self.specs.items())
        ]
        versions = [str(version) for version in self.versions]
        text = render_history_page(
            self.changelog,
            reference_versions=versions,
            changes=compare_consecutive(documents),
            links=HistoryLinks(reference_url=self.options.version_page, base_url=base_url),
            versions=versions,
        )
        if key is not None and self.cache is not None:
            self.cache.put(key, text)
        return text

    def page_links(self, page: GeneratedPage, page_url: str) -> PageLinks:
        """Links from ``page`` (published at ``page_url``) to the downloads and other versions."""
        return self.links_for(page.source, page_url)

    def links_for(self, source: SpecSource, page_url: str) -> PageLinks:
        """Links from the page of ``source`` published at ``page_url``."""
        links = PageLinks()
        for item in self.files:
            if item.path == source.path:
                links.download = relative_url(page_url, item.src_uri)
                links.download_name = posixpath.basename(item.src_uri)
        for version in reversed(self.versions):
            links.versions.append((str(version), relative_url(page_url, self.page_url(version))))
        return links

    def render(self, page: GeneratedPage, page_url: str | None = None) -> RenderedPage:
        """Return the HTML body of a spec page: prerendered, cached or rendered now."""
        links = self.links_for(page.source, page_url or page.url)
        key = self._page_key(page.version, links)
        pending = self._pending.pop(key, None)
        if pending is not None:
            return pending.result()
        if self.cache is not None:
            cached = self.cache.get(key)
            if isinstance(cached, RenderedPage):
                return cached
        rendered = render_reference(
            self.specs[page.version],
            links,
            fragment_aliases=self.options.fragment_aliases,
            facts=self.facts_for(page.version),
        )
        if self.cache is not None:
            self.cache.put(key, rendered)
        return rendered


def relative_url(from_url: str, to_url: str) -> str:
    """Return ``to_url`` relative to the page published at ``from_url`` (both site-relative)."""
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    target = posixpath.relpath("/" + to_url.lstrip("/"), "/" + base.lstrip("/"))
    if to_url.endswith("/") and not target.endswith("/"):
        target += "/"
    return "./" if target == "./" else target


def _add_heading(text: str, title: str) -> str:
    """Give a reference written as Markdown an ``h1`` when it has none.

    The nav shows such a page as ``v1.24``, and the theme would use that as its heading.
    """
    body_start = 0
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            body_start = text.find("\n", end + 4) + 1 or len(text)
            loaded = yaml.safe_load(text[4:end])
            if isinstance(loaded, dict) and loaded.get("title"):
                title = str(loaded["title"])
    body = text[body_start:]
    if any(line.startswith("# ") for line in body.splitlines()):
        return text
    heading = title.replace("<", "&lt;").replace(">", "&gt;")
    return f"{text[:body_start]}\n# {heading}\n\n{body.lstrip()}"


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
