"""Look-ups on a built reference page: sections by id, properties and parameters by name."""

from __future__ import annotations

from bs4 import Tag


def section(area: Tag, element_id: str) -> Tag:
    """Return the element with ``element_id`` inside ``area``, failing the test if absent."""
    found = area.find(id=element_id)
    assert found is not None, f"no element with id {element_id!r}"
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
