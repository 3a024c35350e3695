"""Rewrite links written as site URLs in Markdown pages to the source files they name.

Pages written for the published site link by URL: site-absolute (``/engine/api/v1.45/``) or
relative to the page's URL (``latest/index.html``). MkDocs checks
links between source files, including their ``#anchors``, so each site-absolute link whose
URL belongs to a file of the site is rewritten to that file's path relative to the page.
Links that match no file are left alone, so MkDocs reports them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_LINK_RE = re.compile(r"(\]\()(/[^)\s]*|[^):\s#/][^):\s]*\.html(?:#[^)\s]*)?)(\))")


def normalise_url(url: str) -> str:
    """Return a site URL without its leading slash, as MkDocs writes ``File.url``."""
    return url.lstrip("/")


def rewrite_site_links(
    markdown: str, page_src_uri: str, page_url: str, url_to_src: Mapping[str, str]
) -> str:
    """Rewrite ``[text](/url/#anchor)`` and ``[text](page.html)`` links found in ``url_to_src``.

    Args:
        markdown: the page source.
        page_src_uri: the page's own source path, such as ``engine/api/index.md``.
        page_url: the page's URL, such as ``engine/api/``, which relative links start from.
        url_to_src: site URL (``engine/api/v1.45/``) -> source path (``engine/api/v1.45/index.md``).
    """
    page_dir = posixpath.dirname(page_src_uri)

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        path, hash_mark, fragment = target.partition("#")
        path, question, query = path.partition("?")
        if not path.startswith("/"):
            base = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
            path = posixpath.normpath(posixpath.join("/" + base, path))
            if path.endswith("/index.html"):
                path = path[: -len("index.html")]
        src = url_to_src.get(normalise_url(path))
        if src is None and not path.endswith("/"):
            src = url_to_src.get(normalise_url(path) + "/")
        if src is None or question:
            return match.group(0)
        relative = posixpath.relpath(src, page_dir or ".")
        return f"{match.group(1)}{relative}{hash_mark}{fragment}{match.group(3)}"

    lines = markdown.split("\n")
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and "](" in line:
            lines[index] = _LINK_RE.sub(replace, line)
    return "\n".join(lines)
