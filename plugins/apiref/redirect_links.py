"""A Markdown extension that points links at legacy paths straight at their final page.

A page that links to a redirect source (``[SDKs](../develop/sdk.md)``) would otherwise get a
"not found" warning from MkDocs, or send the reader through a stub: an extra hop, and a blank
page under instant navigation. The tree processor runs before MkDocs' own link processor
(priority 0), so MkDocs then converts and validates the rewritten Markdown path as usual.

This module does not import MkDocs.
"""

from __future__ import annotations

from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from apiref.redirects import RedirectSet

# Above MkDocs' "relpath" processor (0) and below "toc" (5); only the order against relpath
# matters.
PRIORITY = 1


class RedirectLinksExtension(Extension):
    """Rewrites ``<a href>`` values that name a legacy path.

    The caller sets ``redirects`` once the redirects are known and ``page_src_uri`` before each
    page is converted; links are left alone while either is unset.
    """

    def __init__(self) -> None:
        super().__init__()
        self.redirects: RedirectSet | None = None
        self.page_src_uri: str | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (name fixed by Markdown)
        md.treeprocessors.register(_RedirectLinks(md, self), "apiref_redirect_links", PRIORITY)


class _RedirectLinks(Treeprocessor):
    def __init__(self, md: Markdown, extension: RedirectLinksExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ElementTree.Element) -> None:
        redirects, page = self.extension.redirects, self.extension.page_src_uri
        if redirects is None or page is None or len(redirects) == 0:
            return
        for element in root.iter("a"):
            href = element.get("href")
            if not href:
                continue
            rewritten = redirects.rewrite_link(href, page)
            if rewritten is not None:
                element.set("href", rewritten)
