"""Errors that point at a file and a place in it."""

from __future__ import annotations

from collections.abc import Iterable


class InputError(Exception):
    """Invalid input: a spec, a data file, a page or a redirect map.

    Carries the file, and where known the line and the JSON pointer, so that every
    message has the shape ``file:line (pointer): problem``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        pointer: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.pointer = pointer

    @property
    def location(self) -> str:
        """The ``file:line (pointer)`` prefix, with the parts that are known."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f" ({self.pointer})"
        return where

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class InputErrors(Exception):
    """Several input errors found in one pass, reported together."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        head = f"{count} input error{'s' if count != 1 else ''}:"
        return "\n".join([head, *(f"  {error}" for error in self.errors)])


def escape_pointer_token(token: object) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """Undo ``escape_pointer_token``."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: object) -> str:
    """Build a URI-fragment JSON pointer such as ``#/paths/~1containers~1json/get``."""
    return "#/" + "/".join(escape_pointer_token(token) for token in tokens) if tokens else "#"
