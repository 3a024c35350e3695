"""Parse, normalise and order dotted version numbers.

Engine releases (``17.03.1``) and API versions (``1.45``) are compared part by part as
integers, so ``1.9 < 1.10 < 17.03 < 17.03.1 < 17.04``. The text is kept as written, because
``17.03`` and ``17.3`` name the same release but only the first is how it is published.
"""

from __future__ import annotations

import re

ENGINE_VERSION_RE = re.compile(r"\d+(?:\.\d+)+")
API_VERSION_RE = re.compile(r"(?P<prefix>[vV]?)(?P<version>\d+\.\d+)")


def version_key(text: str) -> tuple[int, ...]:
    """Return the numeric sort key of a dotted version such as ``17.03.1``.

    Raises:
        ValueError: ``text`` is not dot-separated decimal numbers.
    """
    if not ENGINE_VERSION_RE.fullmatch(text):
        raise ValueError(f"invalid version {text!r}: expected numbers separated by dots")
    return tuple(int(part) for part in text.split("."))


def normalise_api_version(text: str) -> tuple[str, bool]:
    """Strip a ``v``/``V`` prefix from an API version such as ``V1.46``.

    Returns:
        The version without prefix and whether a prefix was removed.

    Raises:
        ValueError: ``text`` is not of the form ``1.45`` (with an optional prefix).
    """
    match = API_VERSION_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"invalid API version {text!r}: expected the form 1.45")
    return match.group("version"), bool(match.group("prefix"))


def api_version_key(text: str) -> tuple[int, int]:
    """Return the numeric sort key of an API version, with or without a ``v`` prefix.

    Raises:
        ValueError: ``text`` is not an API version.
    """
    version, _ = normalise_api_version(text)
    major, minor = version.split(".")
    return int(major), int(minor)
