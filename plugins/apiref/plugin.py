"""The ``apiref`` MkDocs plugin: a thin adapter from MkDocs hooks to the ``apiref`` modules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data as get_front_matter

from .cache import BuildCache, make_key
from .config import ApiRefConfig
from .errors import InputError, InputErrors
from .anchors import heading_ids
from .links import rewrite_site_links
from .parallel import WorkerPool, default_workers
from .matrix import (
    MatrixLinks,
    check_changelog_anchors,
    check_specs,
    insert_deprecated_versions,
    insert_version_matrix,
)
from .version_data import VersionData, load_version_data
from .redirect_links import RedirectLinksExtension
from .redirects import (
    MapEntry,
    PageInfo,
    RedirectSet,
    Report,
    VersionAliases,
    check,
    check_fragments,
    collect,
    html_ids,
    load_map_file,
    parse_map,
)
from .page_cache import PageConversionCache, extension_names
from .search_cache import SearchEntryCache
from .stubs import write_server_rules, write_stubs
from .site import (
    REFERENCE_MARKER,
    GeneratedPage,
    ReferenceSite,
    SiteOptions,
    format_site_path,
)
from .swap import SiteSwap

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation, Section
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

#: Environment variable that chooses the spec folder when the ``specs_dir`` option is unset.
SPECS_ENV = "IECHOR_API_SPECS"

#: The plugin's style sheet, published at the same path in the site.
STYLESHEET = "assets/apiref/apiref.css"
#: The script that maps deep links and runs the version switcher, published the same way.
SCRIPT = "assets/apiref/apiref.js"
PACKAGE_DIR = Path(__file__).parent


class ApiRefPlugin(BasePlugin[ApiRefConfig]):
    """Adds the API reference pages, version matrix, version history and redirect stubs."""

    def __init__(self) -> None:
        self.site: ReferenceSite | None = None
        self.pages_by_src: dict[str, GeneratedPage] = {}
        self.specs_dir: Path | None = None
        self._url_to_src: dict[str, str] | None = None
        self._command: str | None = None
        self._dirty = False
        self._swap: SiteSwap | None = None
        self.version_data: VersionData | None = None
        self.matrix_links: MatrixLinks | None = None
        self.cache: BuildCache | None = None
        self.redirects: RedirectSet | None = None
        self._redirect_links = RedirectLinksExtension()
        self._page_ids: dict[str, set[str]] = {}
        self._search_entries: SearchEntryCache | None = None
        self._conversions: PageConversionCache | None = None
        #: Source paths of the Markdown pages this plugin generates (history, v1.24.md).
        self._generated_markdown: set[str] = set()
        #: (source path, Markdown) of the version-history page while its anchors are unchecked.
        self._history_check: tuple[str, str] | None = None
        #: (source path, URL) of every file of the build, for the conversion cache's key.
        self._file_urls: list[tuple[str, str]] = []

    # Configuration -----------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Not called when a program runs mkdocs.commands.build.build() itself; such a build
        # is treated like `mkdocs build`.
        self._command = command
        self._dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        # First in the list, so that the site's own extra_css can override it.
        if STYLESHEET not in config.extra_css:
            config.extra_css.insert(0, STYLESHEET)
        if SCRIPT not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(SCRIPT)
        if self._redirect_links not in config.markdown_extensions:
            config.markdown_extensions.append(self._redirect_links)
        root = Path(config.config_file_path or ".").resolve().parent
        chosen = self.config.specs_dir or os.environ.get(SPECS_ENV) or "specs"
        self.specs_dir = (root / chosen).resolve()
        self._check_site_dir(Path(config.site_dir).resolve(), root)
        try:
            # Checked first, because the version matrix builds its links from this pattern.
            format_site_path(self.config.version_page, "version_page", api="1.0")
        except InputError as error:
            raise PluginError(f"apiref: {error}") from None
        self._load_version_data(config, root)
        if not self.config.reference_pages:
            self.site = None
            self._start_swap(config)
            return config
        options = SiteOptions(
            specs_dir=self.specs_dir,
            version_page=self.config.version_page,
            latest_page=self.config.latest_page or None,
            download=self.config.download,
            search=self.config.search,
            fragment_aliases={
                str(key).lstrip("#"): str(value).lstrip("#")
                for key, value in self.config.fragment_aliases.items()
            },
        )
        self.cache = BuildCache(root / self.config.cache_dir) if self.config.cache else None
        workers = self.config.workers if self.config.workers > 0 else default_workers()
        pool = WorkerPool(workers)
        try:
            self.site = ReferenceSite.load(options, cache=self.cache, pool=pool)
        except (InputError, InputErrors) as error:
            pool.close()
            raise PluginError(f"apiref: {error}") from None
        log.info(
            "Read the specs of %d API versions from %s", len(self.site.versions), self.site.folder.path
        )
        if self.cache is not None:
            log.debug(
                "Build cache %s: %d hits, %d misses",
                self.cache.directory,
                self.cache.hits,
                self.cache.misses,
            )
        if self.version_data is not None:
            spec_path = f"{self.site.folder.path}/v{{api}}.yaml"
            errors = check_specs(self.version_data, [str(v) for v in self.site.versions], spec_path)
            if errors:
                self.site.close()
                raise PluginError(f"apiref: {InputErrors(errors)}")
        self._start_swap(config)
        # The worker processes render the pages while MkDocs reads the Markdown ones.
        self.site.prerender()
        return config

    def _check_site_dir(self, site_dir: Path, root: Path) -> None:
        """Reject a site folder that the build's cleaning or swap would delete sources in."""
        assert self.specs_dir is not None
        for name, source in (("the spec folder", self.specs_dir), ("the project folder", root)):
            if site_dir == source or site_dir in source.parents:
                raise PluginError(
                    f"apiref: site_dir '{site_dir}' contains {name} '{source}', which a build "
                    "would delete; set site_dir to a folder of its own"
                )
        if self.specs_dir in site_dir.parents:
            raise PluginError(
                f"apiref: site_dir '{site_dir}' is inside the spec folder '{self.specs_dir}'; "
                "set site_dir to a folder outside it"
            )

    def _start_swap(self, config: MkDocsConfig) -> None:
        if self._swap is not None or not self.config.atomic_build:
            return
        if self._command == "serve" or self._dirty:
            return
        self._swap = SiteSwap.start(Path(config.site_dir))
        config.site_dir = str(self._swap.staging)
        log.debug("Building into %s, to replace %s", self._swap.staging, self._swap.target)

    def _load_version_data(self, config: MkDocsConfig, root: Path) -> None:
        self.version_data = None
        toc_options = config.mdx_configs.get("toc", {})
        try:
            self.matrix_links = MatrixLinks(
                reference_url=self.config.version_page,
                changelog_url=_page_url(self.config.changelog_page, config.use_directory_urls),
                changelog_heading=self.config.changelog_heading,
                slugify=toc_options.get("slugify"),
                separator=toc_options.get("separator", "-"),
            )
        except ValueError as error:
            # MatrixLinks checks the patterns of version_page and changelog_heading.
            raise PluginError(f"apiref: mkdocs.yml: invalid plugin option: {error}") from None
        if not self.config.version_matrix:
            return
        path = root / self.config.version_matrix
        try:
            self.version_data = load_version_data(path, label=self.config.version_matrix)
        except (InputError, InputErrors) as error:
            raise PluginError(f"apiref: {error}") from None
        for warning in self.version_data.warnings:
            log.warning("%s", warning)

    # Files -------------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        self._url_to_src = None
        # The search plugin makes its index object in its on_config, so it is found here.
        self._search_entries = SearchEntryCache.attach(self.cache, config.plugins)
        self._conversions = PageConversionCache(self.cache) if self.cache is not None else None
        self._generated_markdown = set()
        self._file_urls = []
        self._history_check = None
        for asset in (STYLESHEET, SCRIPT):
            self._add_generated(files, config, asset, abs_src_path=str(PACKAGE_DIR / asset))
        if self.site is None:
            return files
        self.pages_by_src = {}
        self._url_to_src = None
        for page in self.site.pages:
            self._add_generated(files, config, page.src_uri, content=page.markdown)
            self.pages_by_src[page.src_uri] = page
            if page.source.kind != "spec":
                self._generated_markdown.add(page.src_uri)
        for item in self.site.files:
            self._add_generated(files, config, item.src_uri, abs_src_path=str(item.path))
        self._add_history(files, config)
        return files

    def _add_history(self, files: Files, config: MkDocsConfig) -> None:
        """Generate the version-history page unless docs_dir has one; check its anchors."""
        assert self.site is not None
        src_uri = self.config.changelog_page
        existing = files.get_file_from_path(src_uri)
        if existing is not None and existing.generated_by is None:
            text = existing.content_string
        else:
            text = self.site.history_markdown()
            if text is None:
                return
            self._add_generated(files, config, src_uri, content=text)
            self._generated_markdown.add(src_uri)
        if self.version_data is None or self.matrix_links is None:
            return
        # The anchors are checked once MkDocs has converted the page (see
        # _check_history_anchors), which spares converting it twice.
        self._history_check = (src_uri, text)

    def _check_history_anchors(self, ids: set[str]) -> None:
        """Check that the version matrix's changelog anchors are among ``ids``, once a build."""
        if self._history_check is None or self.version_data is None or self.matrix_links is None:
            return
        src_uri, _ = self._history_check
        self._history_check = None
        for error in check_changelog_anchors(self.version_data, ids, src_uri, self.matrix_links):
            log.warning("%s", error)

    def _heading_ids(self, text: str, config: MkDocsConfig) -> set[str]:
        """Return the heading ids of a page, from the cache when the text and extensions match."""
        if self.cache is None:
            return set(heading_ids(text, config.markdown_extensions, config.mdx_configs))
        # An option whose repr varies between runs only costs a miss.
        extensions = extension_names(config.markdown_extensions)
        key = make_key("heading-ids", text, extensions, repr(config.mdx_configs))
        cached = self.cache.get(key)
        if isinstance(cached, set):
            return cached
        ids = set(heading_ids(text, config.markdown_extensions, config.mdx_configs))
        self.cache.put(key, ids)
        return ids

    def _add_generated(
        self, files: Files, config: MkDocsConfig, src_uri: str, **source: Any
    ) -> None:
        new = File.generated(config, src_uri, **source)
        existing = files.get_file_from_path(src_uri)
        clashes = [
            file
            for file in files
            if file.generated_by is None and (file is existing or file.dest_uri == new.dest_uri)
        ]
        if clashes:
            raise PluginError(
                f"apiref: the generated file '{src_uri}' would replace the real file "
                f"'{clashes[0].src_uri}' in docs_dir (both are published as "
                f"'{new.dest_uri}'); move that file or change the plugin's 'version_page', "
                "'latest_page' or 'download' option"
            )
        if existing is not None:
            files.remove(existing)
        files.append(new)

    # Navigation --------------------------------------------------------------------------

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.config.enabled:
            self._collect_redirects(config, files)
        if not self.config.enabled or self.site is None or not self.config.nav_section:
            return nav
        section = _find_section(nav.items, self.config.nav_section)
        if section is None:
            return nav
        listed = {id(item) for item in section.children}
        for generated in sorted(self.site.pages, key=lambda page: page.version, reverse=True):
            file = files.get_file_from_path(generated.src_uri)
            page = file.page if file is not None else None
            if generated.is_latest or page is None or id(page) in listed:
                continue
            page.title = f"v{generated.version}"
            page.parent = section
            section.children.append(page)
            if page not in nav.pages:
                nav.pages.append(page)
        return nav

    # Pages -------------------------------------------------------------------------------

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return markdown
        if self.version_data is not None and self.matrix_links is not None:
            markdown = insert_version_matrix(markdown, self.version_data, self.matrix_links)
            markdown = insert_deprecated_versions(markdown, self.version_data)
        if self._url_to_src is None:
            self._url_to_src = {file.url: file.src_uri for file in files}
        self._redirect_links.page_src_uri = page.file.src_uri
        return rewrite_site_links(markdown, page.file.src_uri, page.url, self._url_to_src)

    # The conversion of a generated Markdown page comes from the cache when nothing it
    # depends on changed. It is looked up after every other plugin's page_markdown and
    # restored before any other plugin's page_content.
    @event_priority(-100)
    def _cached_conversion(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self._conversions is None or page.file.src_uri not in self._generated_markdown:
            return markdown
        if not self._file_urls:
            self._file_urls = sorted((file.src_uri, file.url) for file in files)
        redirects = sorted(
            (redirect.path, redirect.target, redirect.fragment or "")
            for redirect in self.redirects or []
        )
        context = (self._file_urls, redirects, config.use_directory_urls)
        return self._conversions.before_conversion(markdown, page, config, context)

    @event_priority(100)
    def _restore_conversion(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self._conversions is not None:
            html = self._conversions.after_conversion(html, page, files)
        if self._history_check is not None and page.file.src_uri == self._history_check[0]:
            self._check_history_anchors(set(page.present_anchor_ids or ()))
        return html

    on_page_markdown = CombinedEvent(on_page_markdown, _cached_conversion)

    def _reference_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self.pages_by_src.get(page.file.src_uri)
        if generated is None or generated.source.kind != "spec" or self.site is None:
            return html
        if REFERENCE_MARKER not in html:
            return html
        try:
            rendered = self.site.render(generated, page.url)
        except (InputError, InputErrors) as error:
            raise PluginError(f"apiref: {error}") from None
        except RecursionError:
            raise PluginError(
                f"apiref: {generated.source.label}: a schema nests too deeply to render; "
                "move nested schemas into definitions"
            ) from None
        # The latest page repeats the newest version's page, which reports its own problems.
        for problem in [] if generated.is_latest else rendered.broken_links:
            log.warning(
                "%s: link to '#%s' in %s matches no element on the v%s reference page; "
                "correct the link in the spec or add a 'fragment_aliases' entry",
                generated.source.label,
                problem.fragment,
                problem.context,
                generated.version,
            )
        page.toc = get_toc([entry.as_token() for entry in rendered.toc])
        # MkDocs collects ids while it converts Markdown, which never saw this HTML; its
        # check of links with anchors into this page needs them.
        page.present_anchor_ids = set(rendered.ids)
        return rendered.html

    on_page_content = CombinedEvent(_restore_conversion, _reference_content)

    # The site search parses each page's HTML again on every build. For a page whose HTML
    # is unchanged, it gets the entries of an earlier build instead.
    @event_priority(50)
    def _before_search(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> None:
        if self._search_entries is not None:
            self._search_entries.before_indexing(page)

    @event_priority(-50)
    def _after_search(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> None:
        if self._search_entries is not None:
            self._search_entries.after_indexing(page)

    on_page_context = CombinedEvent(_before_search, _after_search)

    # Redirects ---------------------------------------------------------------------------

    def _collect_redirects(self, config: MkDocsConfig, files: Files) -> None:
        """Gather aliases, redirect maps and version aliases; fail before any page is built."""
        root = Path(config.config_file_path or ".").resolve().parent
        docs = Path(config.docs_dir).resolve()
        docs_label = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else str(docs)
        pages = []
        for file in files.documentation_pages():
            meta = get_front_matter(file.content_string)[1]
            aliases = meta.get("aliases") or []
            title = meta.get("title")
            pages.append(PageInfo(
                file.src_uri,
                file.url,
                aliases if isinstance(aliases, list) else [aliases],
                file=file.src_uri if file.generated_by else f"{docs_label}/{file.src_uri}",
                title=title if isinstance(title, str) else None,
            ))
        entries, report = self._redirect_map_entries(config)
        redirects, collected = collect(
            pages, entries, self._version_aliases(), use_directory_urls=config.use_directory_urls
        )
        report.extend(collected)
        report.extend(check(redirects, [file.url for file in files]))
        for warning in report.warnings:
            log.warning("%s", warning)
        if report.errors:
            raise PluginError(f"apiref: {InputErrors(report.errors)}")
        self.redirects = redirects
        self._redirect_links.redirects = redirects
        self._page_ids = {}

    def _redirect_map_entries(self, config: MkDocsConfig) -> tuple[list[MapEntry], Report]:
        root = Path(config.config_file_path or ".").resolve().parent
        entries, report = parse_map(dict(self.config.redirect_map), "mkdocs.yml (redirect_map)")
        folder = root / self.config.redirect_maps_dir
        if folder.is_dir():
            for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
                found, problems = load_map_file(path, path.relative_to(root).as_posix())
                entries.extend(found)
                report.extend(problems)
        return entries, report

    def _version_aliases(self) -> list[VersionAliases]:
        if self.site is None or not (self.config.version_aliases or self.config.latest_alias):
            return []
        return [VersionAliases(
            page=self.config.version_page,
            versions=[str(version) for version in self.site.versions],
            aliases=[str(pattern) for pattern in self.config.version_aliases],
            latest=self.config.latest_alias or None,
        )]

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.redirects is not None and len(self.redirects):
            # MkDocs records the ids of a page's content while it renders it, and the
            # reference pages set theirs in on_page_content; parsing the whole output again
            # would cost seconds on the large pages.
            ids = page.present_anchor_ids
            self._page_ids[page.url] = set(ids) if ids is not None else html_ids(output)
        return output

    def _write_redirects(self, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.redirects is None:
            return
        for warning in check_fragments(self.redirects, self._page_ids).warnings:
            log.warning("%s", warning)
        try:
            stubs = write_stubs(self.redirects, config.site_dir, config.site_url)
            if self.config.server_rules:
                write_server_rules(self.redirects, config.site_dir, config.site_url)
        except InputErrors as error:
            raise PluginError(f"apiref: {error}") from None
        log.info("Wrote %d redirect stubs", len(stubs))

    # Finishing --------------------------------------------------------------------------

    # Last, so that every other plugin has written its files (search index, sitemaps).
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._history_check is not None:
            # The page was not built (excluded from the site), so its Markdown is converted here.
            _, text = self._history_check
            self._check_history_anchors(self._heading_ids(text, config))
        if self.site is not None:
            self.site.close()
        if self.cache is not None and self.site is not None:
            removed = self.cache.prune(self.cache.used)
            if removed:
                log.debug("Removed %d unused entries from %s", removed, self.cache.directory)
        self._write_redirects(config)
        swap, self._swap = self._swap, None
        if swap is None:
            return
        config.site_dir = str(swap.target)
        if config.strict and swap.warnings.count:
            # MkDocs aborts a strict build with warnings right after this event.
            swap.discard()
            log.info("Left %s as it was, because the strict build has warnings", swap.target)
            return
        try:
            swap.commit()
        except OSError as error:
            swap.discard()
            raise PluginError(
                f"apiref: could not move the built site into {swap.target}: {error}"
            ) from None

    def on_build_error(self, *, error: Exception) -> None:
        if self._conversions is not None:
            self._conversions.discard()
        if self.site is not None:
            self.site.close()
        swap, self._swap = self._swap, None
        if swap is not None:
            swap.discard()
            log.info("The build failed; %s was left as it was", swap.target)

    # Serve -------------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.config.enabled and self.specs_dir is not None and self.specs_dir.is_dir():
            server.watch(str(self.specs_dir))
        return server


def _page_url(src_uri: str, use_directory_urls: bool) -> str:
    """Return the URL that MkDocs gives the page at ``src_uri``."""
    stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem if use_directory_urls else stem + "index.html"
    return stem + "/" if use_directory_urls else stem + ".html"


def _find_section(items: list[Any], title: str) -> Section | None:
    """Return the first nav section titled ``title``, searching depth-first."""
    for item in items:
        if getattr(item, "is_section", False):
            if item.title == title:
                return item
            found = _find_section(item.children, title)
            if found is not None:
                return found
    return None
