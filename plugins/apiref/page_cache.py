"""Reuse the Markdown conversion of the pages this plugin generates from Markdown.

The version-history page and a reference written as Markdown (``v1.24.md``) are 80-160 KB
of Markdown, which Python-Markdown converts again on every build. This module stores what
MkDocs' ``Page.render`` produced for such a page: its HTML, table of contents, title from
the first heading, element ids and links into other pages.

The key covers every input of that conversion. These are the page's final Markdown, its
source path and URL, and the Markdown extensions with their options. MkDocs resolves and
checks links during the conversion, so the site's file list and validation options count
too, and so do the redirects that this plugin's extension applies to links.

A conversion that logged a warning is not stored, so that the warning shows on every build.
The module restores ``Page._title_from_render``, an attribute of MkDocs 1.x pages that the
pinned MkDocs version keeps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from .cache import BuildCache, make_key

#: Markdown converted in place of a page whose conversion comes from the cache.
CACHED_PAGE_MARKER = "<!-- apiref: converted page from the cache -->"


def extension_names(extensions: list[Any]) -> list[str]:
    """Spell Markdown extensions for a cache key: names as given, objects by their class.

    An extension object's repr contains its address, which differs on every run.
    """
    return [
        name if isinstance(name, str) else f"{type(name).__module__}.{type(name).__qualname__}"
        for name in extensions
    ]


@dataclass
class ConvertedPage:
    """The result of MkDocs' conversion of one page."""

    html: str
    toc: Any
    title: str | None
    anchor_ids: set[str] | None
    #: Source path of a linked page -> {anchor: the link as written}.
    links_to_anchors: dict[str, dict[str, str]] | None = field(default=None)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class _Pending:
    key: str
    hit: ConvertedPage | None
    warnings: _WarningCounter | None = None


class PageConversionCache:
    """Stores and restores the conversion of chosen pages between ``page_markdown`` and
    ``page_content``."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        self._pending: dict[str, _Pending] = {}
        self._logger = logging.getLogger("mkdocs")

    def before_conversion(self, markdown: str, page: Any, config: Any, context: Any) -> str:
        """Return the Markdown to convert: ``markdown``, or a marker when the cache has it.

        ``context`` is anything else the conversion depends on, spelled by ``repr``.
        """
        key = make_key(
            "converted",
            markdown,
            page.file.src_uri,
            page.url,
            extension_names(config.markdown_extensions),
            repr(config.mdx_configs),
            repr(config.validation),
            context,
        )
        cached = self.cache.get(key)
        if isinstance(cached, ConvertedPage):
            self._pending[page.file.src_uri] = _Pending(key, cached)
            return CACHED_PAGE_MARKER
        counter = _WarningCounter()
        self._logger.addHandler(counter)
        self._pending[page.file.src_uri] = _Pending(key, None, counter)
        return markdown

    def after_conversion(self, html: str, page: Any, files: Any) -> str:
        """Return the page's HTML: from the cache on a hit, else ``html``, stored when clean."""
        pending = self._pending.pop(page.file.src_uri, None)
        if pending is None:
            return html
        if pending.hit is not None:
            converted = pending.hit
            page.toc = converted.toc
            page._title_from_render = converted.title
            page.present_anchor_ids = set(converted.anchor_ids or ())
            if converted.links_to_anchors is not None:
                page.links_to_anchors = {
                    target: dict(links)
                    for src_uri, links in converted.links_to_anchors.items()
                    if (target := files.get_file_from_path(src_uri)) is not None
                }
            return converted.html
        assert pending.warnings is not None
        self._logger.removeHandler(pending.warnings)
        if pending.warnings.count == 0:
            links = page.links_to_anchors
            self.cache.put(pending.key, ConvertedPage(
                html=html,
                toc=page.toc,
                title=getattr(page, "_title_from_render", None),
                anchor_ids=page.present_anchor_ids,
                links_to_anchors=(
                    {file.src_uri: dict(anchors) for file, anchors in links.items()}
                    if links is not None
                    else None
                ),
            ))
        return html

    def discard(self) -> None:
        """Forget pages whose conversion did not finish (a failed build)."""
        for pending in self._pending.values():
            if pending.warnings is not None:
                self._logger.removeHandler(pending.warnings)
        self._pending.clear()
