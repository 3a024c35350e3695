"""Spec documents as YAML loads them: local ``$ref`` resolution and operation lookup.

These helpers work on the raw dicts (Swagger 2.0, and OpenAPI 3 where the shapes differ),
independent of the reference renderer's model, so the comparison can run on any two files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from .errors import InputError, pointer, unescape_pointer_token

try:
    _YamlLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _YamlLoader = yaml.SafeLoader

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class SpecDocument:
    """A spec as loaded from YAML or JSON, with the API version and file it came from.

    The document is made of plain ``dict``s and ``list``s, as YAML and JSON loaders return
    it. The helpers test for ``dict``, because that is several times faster than ``Mapping``.
    ``cache`` stores what the comparison reads from the document, so a spec compared with
    both neighbours is read once; do not change ``data`` after the first comparison.
    """

    version: str
    data: dict[str, Any]
    file: str
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Operation:
    """One operation, with its parameters and body schemas gathered from the document.

    ``parameters`` maps ``(location, key)`` to the parameter: the key is the name, or for a
    path parameter its position (``{0}``) in the path template. ``request`` and ``response``
    are the raw request body and first 2xx response body schemas.
    """

    method: str
    path: str
    operation_id: str
    parameters: dict[tuple[str, str], Mapping[str, Any]]
    request: Mapping[str, Any] | None
    response: Mapping[str, Any] | None
    pointer: str

    @property
    def label(self) -> str:
        """The method and path, such as ``GET /containers/json``."""
        return f"{self.method.upper()} {self.path}"

    @property
    def anchor(self) -> str | None:
        """The operation's id on its reference page, or None without an ``operationId``."""
        return f"operation/{self.operation_id}" if self.operation_id else None


def load_spec(path: str | Path, version: str, label: str | None = None) -> SpecDocument:
    """Read a YAML or JSON spec file.

    Raises:
        InputError: The file cannot be read or parsed, or is not a mapping.
    """
    label = label or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_YamlLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read spec: {error}", file=label) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"invalid YAML: {error}", file=label, line=line) from error
    if not isinstance(data, dict):
        raise InputError("a spec must be a mapping at the top level", file=label)
    return SpecDocument(version, data, label)


class RefResolver:
    """Follows local ``$ref``s and merges ``allOf`` in one spec."""

    def __init__(self, spec: SpecDocument) -> None:
        self.spec = spec
        self._targets: dict[str, Mapping[str, Any]] = {}

    def lookup(self, ref: str, where: str) -> Mapping[str, Any] | None:
        """Return the schema a local ``$ref`` points at; None for a non-local ``$ref``.

        Raises:
            InputError: The reference is local but points at nothing.
        """
        if ref in self._targets:
            return self._targets[ref]
        if not ref.startswith("#/"):
            return None
        node: Any = self.spec.data
        for token in ref[2:].split("/"):
            token = unescape_pointer_token(unquote(token))
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise InputError(
                    f"$ref {ref!r} points at nothing", file=self.spec.file, pointer=where
                )
        if not isinstance(node, dict):
            raise InputError(f"$ref {ref!r} is not an object", file=self.spec.file, pointer=where)
        self._targets[ref] = node
        return node

    def deref(self, node: Any, where: str) -> Mapping[str, Any] | None:
        """Follow a chain of ``$ref``s to a schema; None on a cycle or a non-local ``$ref``."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                return None
            seen.add(ref)
            node = self.lookup(ref, where)
            where = ref
        return node if isinstance(node, dict) else None

    def properties(self, schema: Any, where: str) -> dict[str, tuple[Any, str]]:
        """Return a schema's properties after resolving ``$ref``s and merging ``allOf``.

        Returns:
            Property name to ``(property schema, JSON pointer of the property)``. Later
            ``allOf`` branches win over earlier ones, and a schema's own ``properties`` win
            over its ``allOf`` branches.
        """
        collected: dict[str, tuple[Any, str]] = {}
        self._collect(schema, where, collected, set())
        return collected

    def _collect(
        self, schema: Any, where: str, out: dict[str, tuple[Any, str]], seen: set[str]
    ) -> None:
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                return
            seen.add(ref)
            schema = self.lookup(ref, where)
            where = ref
        if not isinstance(schema, dict):
            return
        for index, branch in enumerate(schema.get("allOf") or ()):
            self._collect(branch, f"{where}/allOf/{index}", out, seen)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, prop in properties.items():
                out[str(name)] = (prop, f"{where}/properties/{name}")

    def body_properties(self, schema: Any, where: str) -> dict[str, tuple[Any, str]]:
        """Return the top-level properties of a body schema, using the items of an array."""
        resolved = self.deref(schema, where)
        if resolved is not None and resolved.get("type") == "array":
            return self.properties(resolved.get("items"), f"{where}/items")
        return self.properties(schema, where)


# Reading operations -------------------------------------------------------------------------


def _normalise_path(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def read_operations(
    spec: SpecDocument, resolver: RefResolver
) -> dict[tuple[str, str], Operation]:
    """Map ``(method, path with placeholders blanked)`` to each operation of a spec."""
    operations: dict[tuple[str, str], Operation] = {}
    paths = spec.data.get("paths") or {}
    for path, item in paths.items():
        item_pointer = pointer("paths", path)
        item = resolver.deref(item, item_pointer)
        if item is None:
            continue
        shared = _parameters(
            item.get("parameters"), f"{item_pointer}/parameters", str(path), resolver
        )
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            where = f"{item_pointer}/{method}"
            parameters = dict(shared)
            parameters.update(
                _parameters(operation.get("parameters"), f"{where}/parameters", str(path), resolver)
            )
            operations[(method, _normalise_path(str(path)))] = Operation(
                method=method,
                path=str(path),
                operation_id=str(operation.get("operationId") or ""),
                parameters=parameters,
                request=_request_schema(operation, parameters, where, resolver),
                response=_response_schema(operation, where, resolver),
                pointer=where,
            )
    return operations


def _parameters(
    raw: Any, where: str, path: str, resolver: RefResolver
) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Map ``(location, key)`` to each parameter.

    The key is the name, except for path parameters, which are keyed by their position in
    the path template: renaming ``{id}`` to ``{name}`` changes nothing for a client.
    """
    placeholders = re.findall(r"\{([^}]*)\}", path)
    parameters: dict[tuple[str, str], Mapping[str, Any]] = {}
    for index, parameter in enumerate(raw or ()):
        parameter = resolver.deref(parameter, f"{where}/{index}")
        if parameter is None or "name" not in parameter:
            continue
        location, name = str(parameter.get("in", "")), str(parameter["name"])
        if location == "path" and name in placeholders:
            name = f"{{{placeholders.index(name)}}}"
        parameters[(location, name)] = parameter
    return parameters


def _media_schema(content: Any) -> Any:
    """Pick the schema of the JSON media type (or the first one) of an OpenAPI 3 body."""
    if not isinstance(content, dict) or not content:
        return None
    for media_type, media in content.items():
        if "json" in str(media_type) and isinstance(media, dict):
            return media.get("schema")
    first = next(iter(content.values()))
    return first.get("schema") if isinstance(first, dict) else None


def _request_schema(
    operation: Mapping[str, Any],
    parameters: Mapping[tuple[str, str], Mapping[str, Any]],
    where: str,
    resolver: RefResolver,
) -> Mapping[str, Any] | None:
    for (location, _), parameter in parameters.items():
        if location == "body":
            return parameter.get("schema")
    body = resolver.deref(operation.get("requestBody"), f"{where}/requestBody")
    return _media_schema(body.get("content")) if body else None


def _response_schema(
    operation: Mapping[str, Any], where: str, resolver: RefResolver
) -> Mapping[str, Any] | None:
    responses = operation.get("responses") or {}
    for status in sorted(str(code) for code in responses):
        if not status.startswith("2"):
            continue
        code = status if status in responses else int(status)
        response = resolver.deref(responses[code], f"{where}/responses/{status}")
        if response is None:
            continue
        schema = response.get("schema") or _media_schema(response.get("content"))
        if schema is not None:
            return schema
    return None


def read_definitions(spec: SpecDocument) -> tuple[Mapping[str, Any], str]:
    """Return the named schemas and the pointer of their section (``definitions``)."""
    if "definitions" in spec.data:
        return spec.data.get("definitions") or {}, "definitions"
    components = spec.data.get("components") or {}
    return components.get("schemas") or {}, "components/schemas"
