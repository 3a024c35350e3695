"""Reuse the site search's entries for pages whose HTML has not changed.

Material's search plugin (mkdocs-material 9.x) parses the HTML of every indexed page with
Python's ``html.parser`` on every build. On a 1.8 MB reference page that costs an estimated
half to one second. This module stores the entries that plugin made for a page. The key covers everything
the entries come from: the page's HTML, URL, title and table of contents, its search meta and
the search options. On a hit the stored entries go into the plugin's index, and the plugin
does not parse the page again.

It works on the plugin's ``search_index.entries`` list and on the ``search`` page meta that
the plugin reads. A search plugin without that shape (MkDocs' own, or a later Material) is
left alone, and it then indexes every page as usual.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from .cache import BuildCache, make_key


@dataclass
class _Pending:
    key: str
    start: int
    hit: list[dict[str, Any]] | None
    meta: dict[str, Any]
    content: str


class SearchEntryCache:
    """Stores and restores one search plugin's entries for chosen pages."""

    def __init__(self, cache: BuildCache, plugin: Any) -> None:
        self.cache = cache
        self.index = plugin.search_index
        self.options = {
            name: plugin.config.get(name) for name in ("lang", "separator", "pipeline", "fields")
        }
        self._pending: dict[str, _Pending] = {}

    @classmethod
    def attach(cls, cache: BuildCache | None, plugins: Any) -> SearchEntryCache | None:
        """Return a cache bound to the enabled search plugin among ``plugins``, if any fits."""
        if cache is None:
            return None
        for plugin in plugins.values():
            index = getattr(plugin, "search_index", None)
            config = getattr(plugin, "config", None)
            if (
                isinstance(getattr(index, "entries", None), list)
                and hasattr(index, "add_entry_from_context")
                and hasattr(config, "get")
                and config.get("enabled", True)
            ):
                return cls(cache, plugin)
        return None

    def before_indexing(self, page: Any) -> None:
        """Look ``page`` up before the search plugin indexes it, and on a hit hide it from that plugin."""
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            # Nothing to index, but the plugin would still run its expression over the page.
            self._pending[page.url] = _Pending("", 0, [], page.meta, page.content)
            page.content = ""
            return
        key = make_key(
            "search",
            page.url,
            page.title,
            _toc_shape(page.toc),
            repr(page.meta.get("tags")),
            repr(search),
            self.options,
            page.content,
        )
        entries = self.cache.get(key)
        hit = entries if isinstance(entries, list) else None
        pending = _Pending(key, len(self.index.entries), hit, page.meta, page.content)
        self._pending[page.url] = pending
        if hit is not None:
            # The search plugin skips a page whose meta excludes it. It still runs a regular
            # expression over the whole content, so it gets an empty one. after_indexing
            # restores both.
            page.meta = {**page.meta, "search": {**search, "exclude": True}}
            page.content = ""

    def after_indexing(self, page: Any) -> None:
        """Add the stored entries of ``page`` to the index on a hit, or store the new ones."""
        pending = self._pending.pop(page.url, None)
        if pending is None:
            return
        page.meta = pending.meta
        if pending.hit is not None:
            page.content = _strip_search_attributes(pending.content)
            self.index.entries.extend(copy.deepcopy(pending.hit))
            return
        self.cache.put(pending.key, self.index.entries[pending.start:])


# The search plugin removes these attributes from every page it is given, excluded or not.
_SEARCH_ATTRIBUTE_RE = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
_NONEMPTY_SEARCH_ATTRIBUTE_RE = re.compile(r'data-search-\w+="[^"]')


def _strip_search_attributes(content: str) -> str:
    """Return ``content`` as the search plugin would leave it, quickly when that is as is."""
    # The plugin's expression starts with an optional space, which makes it slow on a large
    # page. The reference pages only have empty data-search-* values, and it keeps those.
    if _NONEMPTY_SEARCH_ATTRIBUTE_RE.search(content) is None:
        return content
    return _SEARCH_ATTRIBUTE_RE.sub("", content)


def _toc_shape(toc: Any) -> list[Any]:
    """Return the titles, URLs and levels of a table of contents as plain lists."""
    return [(item.title, item.url, item.level, _toc_shape(item.children)) for item in toc or []]
