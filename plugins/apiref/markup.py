"""Render spec descriptions (CommonMark with GitHub tables) to sanitised HTML.

Descriptions follow CommonMark, as OpenAPI prescribes, so they are rendered with
markdown-it-py rather than Python-Markdown: the two differ on raw HTML blocks, where
Python-Markdown lets an unclosed ``<p>`` swallow the Markdown after it.

Every string in a spec is untrusted: descriptions may carry raw HTML, and CommonMark passes
it through. Markdown is rendered first and the result is cleaned with nh3 (the Rust
``ammonia`` sanitiser) against an allow-list, so code, lists, tables, links and emphasis
survive while scripts, event handlers, ``javascript:`` URLs, frames, styles and forms do not.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p",
        "pre", "s", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead",
        "tr", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_HEADING_RE = re.compile(r"<(/?)h([1-6])>")
_FRAGMENT_HREF_RE = re.compile(r'href="#([^"]*)"')
_CODE_CLASS_RE = re.compile(r'<code class="(?!language-)[^"]*">')
_CODE_BLOCK_RE = re.compile(r'<pre><code(?: class="(language-[^"]*)")?>(.*?)</code></pre>', re.S)


_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def sanitize(html: str) -> str:
    """Clean HTML against the allow-list."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
    )
    # Only ``language-*`` classes from fenced code blocks are kept on code elements.
    cleaned = _CODE_CLASS_RE.sub("<code>", cleaned)
    # Code blocks become the reference pages' bare ``<pre class="apiref-code">`` (see the
    # code_block macro of partials/schema.html for why).
    return _CODE_BLOCK_RE.sub(_code_block, cleaned)


def _code_block(match: re.Match[str]) -> str:
    classes = " ".join(filter(None, ["apiref-code", match.group(1)]))
    return f'<pre class="{classes}">{match.group(2)}</pre>'


@lru_cache(maxsize=65536)
def _render(text: str) -> str:
    return sanitize(_MARKDOWN.render(text))


def render_markdown(text: str, heading_level: int = 1) -> Markup:
    """Render Markdown to safe HTML.

    Args:
        text: Markdown from a spec.
        heading_level: the level that a ``#`` heading in ``text`` gets, so that headings in a
            description sit below the page's own headings (h6 at most).

    Results are cached by text: most descriptions repeat across API versions.
    """
    if not text or not text.strip():
        return Markup("")
    html = _render(text)
    if heading_level != 1:
        shift = heading_level - 1
        html = _HEADING_RE.sub(
            lambda match: f"<{match.group(1)}h{min(6, int(match.group(2)) + shift)}>", html
        )
    return Markup(html)


def fragment_links(html: str) -> list[str]:
    """Return the ``#fragment`` targets of the links in ``html``, unescaped."""
    return [
        str(Markup(value).unescape()) for value in _FRAGMENT_HREF_RE.findall(html)
    ]


def plain(text: str) -> Markup:
    """Escape text that is shown as written, such as a summary."""
    return escape(text or "")


_SECTION_RE = re.compile(r"^# +(.+?)\s*#*\s*$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


def split_sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Split ``info.description`` at its top-level ``#`` headings.

    Returns:
        The text before the first heading, and ``(title, body)`` per heading. Headings inside
        fenced code blocks are not split on.
    """
    intro: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    in_fence = False
    for line in (text or "").splitlines():
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _SECTION_RE.match(line)
        if match:
            sections.append((match.group(1).strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            intro.append(line)
    return "\n".join(intro), [(title, "\n".join(body)) for title, body in sections]
