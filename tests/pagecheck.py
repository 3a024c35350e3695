"""Look-ups on a built reference page: sections by id, properties and parameters by name."""

from __future__ import annotations

import html
import re

from bs4 import Tag


def section(area: Tag, element_id: str) -> Tag:
    """Return the element with ``element_id`` inside ``area``, failing the test if absent.

    Reference pages put the ids of operations, tags and definitions on their headings (the
    site search indexes one entry per heading with an id); for such a heading this returns
    the section it heads, marked with ``data-context``.
    """
    found = area.find(id=element_id)
    assert found is not None, f"no element with id {element_id!r}"
    parent = found.find_parent("section")
    if found.name in ("h2", "h3") and parent is not None:
        if parent.get("data-context") == element_id:
            return parent
    return found


def prop(area: Tag, name: str) -> Tag:
    """Return the first property or parameter item named ``name`` inside ``area``."""
    for item in area.select("li.apiref-prop"):
        label = item.select_one(".apiref-prop__name")
        if label is not None and label.get_text(strip=True) == name:
            return item
    raise AssertionError(f"no property or parameter named {name!r}")


def prop_names(area: Tag) -> list[str]:
    """Return the names of every property and parameter inside ``area``."""
    return [label.get_text(strip=True) for label in area.select(".apiref-prop__name")]


def own_text(item: Tag) -> str:
    """Return the text of a property item without the items nested below it."""
    parts = [item.select_one(".apiref-prop__head"), item.select_one(".apiref-prop__body")]
    return " ".join(part.get_text(" ", strip=True) for part in parts if part is not None)


def badges(item: Tag) -> list[str]:
    """Return the marker texts (required, nullable, read-only...) on a property's own line."""
    head = item.select_one(".apiref-prop__head")
    return [badge.get_text(strip=True) for badge in head.select(".apiref-badge")] if head else []


def codes(element: Tag) -> list[str]:
    """Return the text of every ``<code>`` element inside ``element``."""
    return [code.get_text() for code in element.find_all("code")]


#: Elements that run script, load other documents, restyle the page or submit data.
ACTIVE_ELEMENTS = ("script", "iframe", "frame", "object", "embed", "style", "form", "base", "meta",
                   "link", "svg", "math", "frameset", "applet")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster",
                  "srcset", "background", "lowsrc", "dynsrc")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]+")


def normalised_url(value: str) -> str:
    """Return a URL as a browser reads its scheme: entities decoded, invisible characters
    removed, lower case."""
    return _INVISIBLE.sub("", html.unescape(value)).lower()


def active_content(area: Tag) -> list[str]:
    """List what inside ``area`` could run script: elements, ``on*`` handlers, script URLs."""
    found = [f"<{element.name}>" for element in area.find_all(ACTIVE_ELEMENTS)]
    for element in area.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"<{element.name} {name}>")
            if name.lower() in URL_ATTRIBUTES:
                url = normalised_url(text)
                if url.startswith(("javascript:", "vbscript:", "data:text/html")):
                    found.append(f"<{element.name} {name}={text!r}>")
            if name.lower() == "style":
                found.append(f"<{element.name} style>")
    return found
