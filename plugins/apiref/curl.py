"""A ``curl`` command for each operation, in the form the engine's own documentation uses.

The engine listens on a Unix socket, so the command talks to it with ``--unix-socket`` and a
``http://localhost`` URL that carries the API version (``/v1.45/containers/json``). Required
parameters appear with placeholders such as ``<id>``, because curl would read ``{id}`` as a
URL glob. A JSON body is the generated request example.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .schema import MISSING
from .specs import Operation, Parameter

#: The engine's default socket on Linux.
DEFAULT_SOCKET = "/var/run/iechor.sock"


def shell_quote(text: str) -> str:
    """Quote ``text`` for a POSIX shell with single quotes."""
    return "'" + text.replace("'", "'\\''") + "'"


def placeholder(parameter: Parameter) -> str:
    """Return the value shown for a required parameter: its example, else ``<name>``."""
    for key in ("x-example", "example"):
        value = parameter.schema.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    return f"<{parameter.name}>"


def curl_command(
    operation: Operation,
    base_path: str,
    body_example: Any = MISSING,
    socket: str = DEFAULT_SOCKET,
) -> str:
    """Build the ``curl`` command of ``operation``, one option per line.

    Args:
        operation: the operation.
        base_path: the spec's base path (``/v1.45``), put before the operation's path.
        body_example: a JSON request body, sent with ``-d``; ``MISSING`` for none.
        socket: path of the engine's Unix socket.
    """
    path = operation.path
    query: list[str] = []
    headers: list[str] = []
    forms: list[str] = []
    for parameter in operation.parameters:
        if not parameter.required:
            continue
        if parameter.location == "path":
            path = path.replace("{" + parameter.name + "}", placeholder(parameter))
        elif parameter.location == "query":
            query.append(f"{quote(parameter.name)}={placeholder(parameter)}")
        elif parameter.location == "header":
            headers.append(f"{parameter.name}: {placeholder(parameter)}")
        elif parameter.location == "formData":
            forms.append(f"{parameter.name}={placeholder(parameter)}")
    url = "http://localhost" + base_path.rstrip("/") + path
    if query:
        url += "?" + "&".join(query)
    lines = [f"curl --unix-socket {socket}"]
    method = operation.method.upper()
    if method == "HEAD":
        lines.append("--head")
    elif method != "GET" or body_example is not MISSING:
        lines.append(f"-X {method}")
    for header in headers:
        lines.append(f"-H {_double_quote(header)}")
    for form in forms:
        lines.append(f"-F {_double_quote(form)}")
    if body_example is not MISSING:
        lines.append('-H "Content-Type: application/json"')
        lines.append("-d " + shell_quote(json.dumps(body_example, indent=2, ensure_ascii=False)))
    elif operation.body is not None:
        media_type = operation.consumes[0] if operation.consumes else "application/octet-stream"
        lines.append(f'-H "Content-Type: {media_type}"')
        lines.append(f"--data-binary @<{_file_hint(media_type)}>")
    lines.append(_double_quote(url))
    return " \\\n  ".join(lines)


def _double_quote(text: str) -> str:
    return f'"{double_quoted_text(text)}"'


def double_quoted_text(text: str) -> str:
    """Escape ``text`` for the inside of a double-quoted shell word."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")


def _file_hint(media_type: str) -> str:
    if "tar" in media_type:
        return "file.tar"
    if "json" in media_type:
        return "file.json"
    return "file"
