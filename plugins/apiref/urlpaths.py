"""URL paths of a static site: validation, normalisation and the files that serve them.

A *legacy path* is a site-absolute URL path such as ``/engine/reference/api/`` or
``/foo/bar.html``, relative to the root of the site (the path of ``site_url``). Paths are kept
percent-encoded, as they appear in a browser's address bar, while the file that serves a path
is named by the decoded path, as a web server looks it up on disk.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, unquote

# Characters that stay unencoded in a normalised path: RFC 3986 "pchar" and "/", less the
# apostrophe, which is rejected below with the other quotes.
_PATH_SAFE = "/-._~!$&()*+,;=:@"

# Characters that a URL cannot carry unencoded, or that would end the path part of a URL.
_REJECTED = {
    " ": "a space",
    '"': "a double quote",
    "'": "a single quote",
    "<": "'<'",
    ">": "'>'",
    "`": "a backquote",
    "{": "'{'",
    "}": "'}'",
    "|": "'|'",
    "^": "'^'",
}
_PERCENT_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_FILE_SUFFIXES = (".html", ".htm")


class PathError(ValueError):
    """A path that cannot name a file inside the site folder; the message gives the reason."""


def normalize_path(raw: str, *, what: str = "path") -> str:
    """Validate a site-absolute URL path and return its normal form.

    The normal form starts with ``/``, is percent-encoded (non-ASCII characters are encoded,
    not rejected), and ends with ``/`` unless its last segment names an HTML file
    (``/foo/bar.html``), so ``/engine/api`` and ``/engine/api/`` are the same path.

    Args:
        raw: The path as written, with its leading ``/``.
        what: What the path is, for messages (``alias``, ``redirect source``).

    Raises:
        PathError: The path is not site-absolute, contains a fragment, a query, a character
            that a URL cannot carry unencoded, a control character or backslash, an invalid
            percent escape, an encoded ``/``, or a ``.``/``..``/empty segment.
    """
    if not raw.startswith("/"):
        raise PathError(f"{what} '{raw}' is not site-absolute; write it with a leading '/'")
    if "#" in raw:
        raise PathError(
            f"{what} '{raw}' contains '#': redirect sources cannot contain '#', because a stub "
            "serves a whole path and the browser never sends the fragment to the server"
        )
    if "?" in raw:
        raise PathError(f"{what} '{raw}' contains '?': paths cannot contain a query string")
    _check_characters(raw, what)
    decoded = unquote(raw, errors="strict")
    if "\\" in decoded or "\x00" in decoded or any(ord(char) < 0x20 for char in decoded):
        raise PathError(f"{what} '{raw}' contains an encoded backslash or control character")
    if decoded.count("/") != raw.count("/"):
        raise PathError(f"{what} '{raw}' contains an encoded '/' (%2F)")
    segments = decoded.split("/")[1:]
    inner = segments[:-1] if segments[-1] == "" else segments
    for segment in inner:
        if segment in ("..", "."):
            raise PathError(f"{what} '{raw}' contains a '{segment}' segment, which leads "
                            "outside its folder; write the path without it")
        if segment == "":
            raise PathError(f"{what} '{raw}' contains an empty segment ('//')")
    path = quote(decoded, safe=_PATH_SAFE)
    if not path.endswith("/") and not path.lower().endswith(_FILE_SUFFIXES):
        path += "/"
    return path


def _check_characters(raw: str, what: str) -> None:
    for char in raw:
        if char == "\\":
            raise PathError(f"{what} '{raw}' contains a backslash; URL paths use '/'")
        if ord(char) < 0x20 or ord(char) == 0x7F:
            raise PathError(f"{what} '{raw}' contains the control character {char!r}")
        if char in _REJECTED:
            raise PathError(
                f"{what} '{raw}' contains {_REJECTED[char]}, which a URL cannot carry "
                "unencoded; percent-encode it or remove it"
            )
    if _PERCENT_ESCAPE.search(raw):
        raise PathError(f"{what} '{raw}' contains a '%' that does not start a '%XX' escape")


def page_url_path(url: str) -> str:
    """Return the normal form of a page URL as MkDocs writes it (``engine/api/``, ``./``)."""
    path = "/" + url.lstrip("/")
    if path in ("/.", "/./"):
        return "/"
    path = quote(unquote(path), safe=_PATH_SAFE)
    if not path.endswith("/") and not path.lower().endswith(_FILE_SUFFIXES):
        path += "/"
    return path


def dest_file(path: str) -> str:
    """Return the file, relative to the site folder, that serves a normalised path.

    ``/engine/api/`` is served by ``engine/api/index.html``, ``/foo/bar.html`` by itself.
    The result is decoded, as a web server maps the URL to a file name.
    """
    decoded = unquote(path).lstrip("/")
    if decoded == "" or decoded.endswith("/"):
        decoded += "index.html"
    return decoded


def fold_key(path: str) -> str:
    """Return the key under which case-insensitive file systems store the file of ``path``."""
    return dest_file(path).casefold()


def markdown_url_path(src_uri: str, use_directory_urls: bool) -> str:
    """Return the normalised URL path MkDocs gives a Markdown file at ``src_uri``.

    Follows MkDocs 1.6 ``File.url``: ``README.md`` counts as ``index.md``; ``foo.md`` becomes
    ``foo/`` with directory URLs and ``foo.html`` without; ``index.md`` becomes its folder
    (``index.html`` without directory URLs).
    """
    parent, filename = posixpath.split(src_uri)
    stem = posixpath.splitext(filename)[0]
    if stem == "README":
        stem = "index"
    if not use_directory_urls:
        url = posixpath.join(parent, stem + ".html")
    elif stem == "index":
        url = parent + "/" if parent else ""
    else:
        url = posixpath.join(parent, stem) + "/"
    return page_url_path(url or "./")


def normalize_markdown_path(raw: str, *, what: str = "path") -> str:
    """Validate a docs-relative Markdown path (``engine/api/index.md``) and normalise it.

    Raises:
        PathError: The path is absolute, climbs out of the docs folder, or contains a
            backslash, a control character or a character a URL cannot carry.
    """
    if raw.startswith("/"):
        raise PathError(
            f"{what} '{raw}' starts with '/': Markdown paths are relative to the docs folder"
        )
    _check_characters(raw, what)
    normalized = posixpath.normpath(raw)
    if normalized == ".." or normalized.startswith("../"):
        raise PathError(f"{what} '{raw}' leads outside the docs folder")
    return normalized


def relative_url(from_path: str, to_path: str) -> str:
    """Return the URL of ``to_path`` relative to a page served at ``from_path``.

    Both are normalised site-absolute paths. A relative URL keeps a site working under any
    base path (``https://example.com/docs/``) and when opened from disk.
    """
    base = from_path if from_path.endswith("/") else posixpath.dirname(from_path) + "/"
    relative = posixpath.relpath(to_path, base)
    if to_path.endswith("/"):
        relative = "./" if relative == "." else relative + "/"
    return relative


def is_file_path(path: str) -> bool:
    """Return whether a normalised path names an HTML file (``/foo/bar.html``)."""
    return not path.endswith("/")
