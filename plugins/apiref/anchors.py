"""Heading ids as Python-Markdown's ``toc`` extension computes them.

The version matrix links headings on the version-history page. Its links are computed with
the same ``slugify`` function and ``separator`` that the site gives the ``toc`` extension, so
that ``v1.45 API changes`` becomes ``v145-api-changes`` by default and ``v145_api_changes``
with ``separator: "_"``. ``heading_ids`` renders a page to find the ids it really has.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from html.parser import HTMLParser
from typing import Any

import markdown
from markdown.extensions.toc import slugify as toc_slugify

#: A slug function as the ``toc`` extension calls it: ``slugify(text, separator)``.
Slugify = Callable[[str, str], str]

DEFAULT_SEPARATOR = "-"

_FRONT_MATTER_RE = re.compile(
    r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M
)


def heading_anchor(
    heading_text: str,
    slugify: Slugify | None = None,
    separator: str = DEFAULT_SEPARATOR,
) -> str:
    """Compute the id that the ``toc`` extension gives a heading with this plain text.

    Args:
        heading_text: The heading as the reader sees it, such as ``v1.45 API changes``.
        slugify: The site's ``toc`` ``slugify`` option; Python-Markdown's default when None.
        separator: The site's ``toc`` ``separator`` option.

    Returns:
        The id without ``#``, such as ``v145-api-changes``.
    """
    slug = slugify or toc_slugify
    # The toc extension unescapes entities in the heading text before it slugifies it.
    return slug(html.unescape(heading_text), separator)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split a page into its YAML front matter and its Markdown body.

    Returns:
        The front matter text (empty when there is none), the body, and the number of lines
        before the body, so that body line ``n`` is page line ``n + offset``.
    """
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return "", text, 0
    return match.group("yaml"), text[match.end() :], text[: match.end()].count("\n")


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)


def heading_ids(
    page_markdown: str,
    extensions: Iterable[Any] = ("toc",),
    extension_configs: Mapping[str, Mapping[str, Any]] | None = None,
) -> set[str]:
    """Render a page with Python-Markdown and return every ``id`` in the output.

    Pass the site's ``markdown_extensions`` and their configuration, so that the ids come
    from the same ``toc`` settings (and ``attr_list`` ids) as the built site.
    """
    _, body, _ = split_front_matter(page_markdown)
    renderer = markdown.Markdown(
        extensions=list(extensions), extension_configs=dict(extension_configs or {})
    )
    collector = _IdCollector()
    collector.feed(renderer.convert(body))
    collector.close()
    return collector.ids


def iter_markdown_lines(text: str) -> Iterable[tuple[int, str, bool]]:
    """Yield ``(line number, line, inside a fenced code block)`` for each line of Markdown.

    Line numbers start at 1. Fence lines themselves count as inside. Fences are ``` and ~~~
    runs of three or more, closed by a run of the same character at least as long.
    """
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        run = re.match(r"(`{3,}|~{3,})", stripped)
        if fence is None and run:
            fence = run.group(1)
            yield number, line, True
        elif fence is not None:
            if run and run.group(1)[0] == fence[0] and len(run.group(1)) >= len(fence):
                if not stripped[len(run.group(1)) :].strip():
                    fence = None
            yield number, line, True
        else:
            yield number, line, False
