"""The ``apiref`` MkDocs plugin: a thin adapter from MkDocs hooks to the ``apiref`` modules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

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
from .site import REFERENCE_MARKER, GeneratedPage, ReferenceSite, SiteOptions

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
PACKAGE_DIR = Path(__file__).parent


class ApiRefPlugin(BasePlugin[ApiRefConfig]):
    """Adds the API reference pages, version matrix, version history and redirect stubs."""

    def __init__(self) -> None:
        self.site: ReferenceSite | None = None
        self.pages_by_src: dict[str, GeneratedPage] = {}
        self.specs_dir: Path | None = None
        self._url_to_src: dict[str, str] | None = None
        self.version_data: VersionData | None = None
        self.matrix_links: MatrixLinks | None = None
        self.cache: BuildCache | None = None

    # Configuration -----------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        # First in the list, so that the site's own extra_css can override it.
        if STYLESHEET not in config.extra_css:
            config.extra_css.insert(0, STYLESHEET)
        root = Path(config.config_file_path or ".").resolve().parent
        chosen = self.config.specs_dir or os.environ.get(SPECS_ENV) or "specs"
        self.specs_dir = (root / chosen).resolve()
        self._load_version_data(config, root)
        if not self.config.reference_pages:
            self.site = None
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
            "Read %d API versions from %s", len(self.site.versions), self.site.folder.path
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
        # The worker processes render the pages while MkDocs reads the Markdown ones.
        self.site.prerender()
        return config

    def _load_version_data(self, config: MkDocsConfig, root: Path) -> None:
        self.version_data = None
        toc_options = config.mdx_configs.get("toc", {})
        self.matrix_links = MatrixLinks(
            reference_url=self.config.version_page,
            changelog_url=_page_url(self.config.changelog_page, config.use_directory_urls),
            changelog_heading=self.config.changelog_heading,
            slugify=toc_options.get("slugify"),
            separator=toc_options.get("separator", "-"),
        )
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
        self._add_generated(files, config, STYLESHEET, abs_src_path=str(PACKAGE_DIR / STYLESHEET))
        if self.site is None:
            return files
        self.pages_by_src = {}
        self._url_to_src = None
        for page in self.site.pages:
            self._add_generated(files, config, page.src_uri, content=page.markdown)
            self.pages_by_src[page.src_uri] = page
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
        if self.version_data is None or self.matrix_links is None:
            return
        ids = self._heading_ids(text, config)
        for error in check_changelog_anchors(self.version_data, ids, src_uri, self.matrix_links):
            log.warning("%s", error)

    def _heading_ids(self, text: str, config: MkDocsConfig) -> set[str]:
        """Return the heading ids of a page, from the cache when the text and extensions match."""
        if self.cache is None:
            return set(heading_ids(text, config.markdown_extensions, config.mdx_configs))
        # An option whose repr varies between runs (a function's address) only costs a miss.
        key = make_key("heading-ids", text, config.markdown_extensions, repr(config.mdx_configs))
        cached = self.cache.get(key)
        if isinstance(cached, set):
            return cached
        ids = set(heading_ids(text, config.markdown_extensions, config.mdx_configs))
        self.cache.put(key, ids)
        return ids

    def _add_generated(
        self, files: Files, config: MkDocsConfig, src_uri: str, **source: Any
    ) -> None:
        existing = files.get_file_from_path(src_uri)
        if existing is not None and existing.generated_by is None:
            raise PluginError(
                f"apiref: the generated page '{src_uri}' would replace the real file "
                f"'{existing.src_uri}' in docs_dir; move that file or change the plugin's "
                "'version_page', 'latest_page' or 'download' option"
            )
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, **source))

    # Navigation --------------------------------------------------------------------------

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
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
        return rewrite_site_links(markdown, page.file.src_uri, page.url, self._url_to_src)

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self.pages_by_src.get(page.file.src_uri)
        if generated is None or generated.source.kind != "spec" or self.site is None:
            return html
        if REFERENCE_MARKER not in html:
            return html
        rendered = self.site.render(generated, page.url)
        # The latest page repeats the newest version's page, which reports its own problems.
        for problem in [] if generated.is_latest else rendered.broken_links:
            log.warning(
                "%s: link to '#%s' in %s matches no element on the v%s reference page",
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

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.site is not None:
            self.site.close()
        if self.cache is not None and self.site is not None:
            removed = self.cache.prune(self.cache.used)
            if removed:
                log.debug("Removed %d unused entries from %s", removed, self.cache.directory)

    def on_build_error(self, *, error: Exception) -> None:
        if self.site is not None:
            self.site.close()

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
