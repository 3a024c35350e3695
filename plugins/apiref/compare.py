"""Compare two versions of an API spec and list what a client would notice.

The comparison works on the raw documents as YAML loads them (Swagger 2.0, and OpenAPI 3
where the shapes differ), resolving local ``$ref``s and merging ``allOf`` itself, with a
guard against reference cycles. It reports:

- operations added or removed, matched by method and path (path parameter names ignored, so
  ``/containers/{id}/json`` and ``/containers/{name}/json`` are the same operation);
- parameters added, removed or changed (type, required, default, enum values);
- top-level properties of the request body and of the first 2xx response body, added or
  removed, after resolving ``$ref`` and ``allOf`` (array bodies use their items);
- definitions added or removed, and properties of definitions added, removed or changed
  (type, enum values), including properties of inline objects nested in them
  (``Mount.VolumeOptions.Subpath``). Nesting stops at a ``$ref``, because the referenced
  definition is compared on its own.

Each change names the version whose reference page documents it (the new version for
additions and changes, the old one for removals) and the id on that page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from .errors import InputError, pointer, unescape_pointer_token

try:
    _YamlLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _YamlLoader = yaml.SafeLoader

DEFAULT_REFERENCE_URL = "engine/api/v{api}/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

#: Nesting depth at which inline object properties stop being flattened. The deepest inline
#: nesting in the upstream specs is about 6 levels.
MAX_INLINE_DEPTH = 32

_MISSING = object()


@dataclass(frozen=True)
class SpecDocument:
    """A spec as loaded from YAML or JSON, with the API version and file it came from."""

    version: str
    data: Mapping[str, Any]
    file: str


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a spec.

    Attributes:
        kind: ``added``, ``removed`` or ``changed``.
        element: What changed: ``operation``, ``definition``, ``query parameter`` (or another
            parameter location), ``request body property``, ``response property`` or
            ``property`` (of a definition).
        subject: The operation (``GET /containers/json``) or the definition name.
        name: The parameter or property name; empty for operations and definitions.
        detail: For ``changed``: what changed, such as ``default changed from 1 to 2``.
        version: The API version whose reference page documents the change.
        anchor: The id on that page (``operation/ContainerList``, ``definition/Mount``), or
            None when the operation has no ``operationId``.
        operation_id: The operation's ``operationId``, for operation-level changes.
    """

    kind: str
    element: str
    subject: str
    version: str
    anchor: str | None
    name: str = ""
    detail: str = ""
    operation_id: str = ""

    def target(self, reference_url: str = DEFAULT_REFERENCE_URL) -> str:
        """Return the site-relative link to the element, such as ``engine/api/v1.45/#...``."""
        page = reference_url.format(api=self.version)
        return f"{page}#{self.anchor}" if self.anchor else page


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    operation_id: str
    parameters: dict[tuple[str, str], Mapping[str, Any]]
    request: Mapping[str, Any] | None
    response: Mapping[str, Any] | None
    pointer: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def anchor(self) -> str | None:
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


class _Resolver:
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
            if isinstance(node, Mapping) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise InputError(
                    f"$ref {ref!r} points at nothing", file=self.spec.file, pointer=where
                )
        if not isinstance(node, Mapping):
            raise InputError(f"$ref {ref!r} is not an object", file=self.spec.file, pointer=where)
        self._targets[ref] = node
        return node

    def deref(self, node: Any, where: str) -> Mapping[str, Any] | None:
        """Follow a chain of ``$ref``s to a schema; None on a cycle or a non-local ``$ref``."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                return None
            seen.add(ref)
            node = self.lookup(ref, where)
            where = ref
        return node if isinstance(node, Mapping) else None

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
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                return
            seen.add(ref)
            schema = self.lookup(ref, where)
            where = ref
        if not isinstance(schema, Mapping):
            return
        for index, branch in enumerate(schema.get("allOf") or ()):
            self._collect(branch, f"{where}/allOf/{index}", out, seen)
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
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


def _operations(spec: SpecDocument, resolver: _Resolver) -> dict[tuple[str, str], _Operation]:
    operations: dict[tuple[str, str], _Operation] = {}
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
            if not isinstance(operation, Mapping):
                continue
            where = f"{item_pointer}/{method}"
            parameters = dict(shared)
            parameters.update(
                _parameters(operation.get("parameters"), f"{where}/parameters", str(path), resolver)
            )
            operations[(method, _normalise_path(str(path)))] = _Operation(
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
    raw: Any, where: str, path: str, resolver: _Resolver
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
    if not isinstance(content, Mapping) or not content:
        return None
    for media_type, media in content.items():
        if "json" in str(media_type) and isinstance(media, Mapping):
            return media.get("schema")
    first = next(iter(content.values()))
    return first.get("schema") if isinstance(first, Mapping) else None


def _request_schema(
    operation: Mapping[str, Any],
    parameters: Mapping[tuple[str, str], Mapping[str, Any]],
    where: str,
    resolver: _Resolver,
) -> Mapping[str, Any] | None:
    for (location, _), parameter in parameters.items():
        if location == "body":
            return parameter.get("schema")
    body = resolver.deref(operation.get("requestBody"), f"{where}/requestBody")
    return _media_schema(body.get("content")) if body else None


def _response_schema(
    operation: Mapping[str, Any], where: str, resolver: _Resolver
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


def _definitions(spec: SpecDocument) -> tuple[Mapping[str, Any], str]:
    if "definitions" in spec.data:
        return spec.data.get("definitions") or {}, "definitions"
    components = spec.data.get("components") or {}
    return components.get("schemas") or {}, "components/schemas"


# Facets of parameters and schemas -------------------------------------------------------------


def _type_label(schema: Any) -> str:
    """Describe a schema's type in a few words: ``string``, ``array of Mount``, ``object``."""
    if not isinstance(schema, Mapping):
        return "any"
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return unescape_pointer_token(ref.rsplit("/", 1)[-1])
    kind = schema.get("type")
    if kind == "array":
        return f"array of {_type_label(schema.get('items'))}"
    if isinstance(kind, str):
        return kind
    if isinstance(kind, list):
        return " or ".join(str(item) for item in kind)
    if "properties" in schema or "allOf" in schema or "additionalProperties" in schema:
        return "object"
    return "any"


def _literal(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _enum_changes(old: Any, new: Any) -> list[str]:
    old_values = [_literal(value) for value in old] if isinstance(old, list) else []
    new_values = [_literal(value) for value in new] if isinstance(new, list) else []
    details = []
    added = [value for value in new_values if value not in old_values]
    removed = [value for value in old_values if value not in new_values]
    if added and old_values:
        details.append("enum values added: " + ", ".join(added))
    if removed and new_values:
        details.append("enum values removed: " + ", ".join(removed))
    if old_values and not new_values:
        details.append("no longer restricted to enum values")
    if new_values and not old_values:
        details.append("now restricted to enum values " + ", ".join(new_values))
    return details


def _parameter_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    # OpenAPI 3 keeps type, default and enum in the parameter's schema.
    old_facets = old.get("schema") if "schema" in old and old.get("in") != "body" else old
    new_facets = new.get("schema") if "schema" in new and new.get("in") != "body" else new
    old_facets = old_facets if isinstance(old_facets, Mapping) else {}
    new_facets = new_facets if isinstance(new_facets, Mapping) else {}
    details = []
    if new.get("in") != "body":
        old_type, new_type = _type_label(old_facets), _type_label(new_facets)
        if old_type != new_type:
            details.append(f"type changed from {old_type} to {new_type}")
    if bool(old.get("required")) != bool(new.get("required")):
        details.append("now required" if new.get("required") else "no longer required")
    old_default = old_facets.get("default", _MISSING)
    new_default = new_facets.get("default", _MISSING)
    # Compare the JSON text, because in Python False == 0 and 1 == 1.0 == True.
    old_text = None if old_default is _MISSING else _literal(old_default)
    new_text = None if new_default is _MISSING else _literal(new_default)
    if old_text != new_text:
        if old_text is None:
            details.append(f"default {new_text} added")
        elif new_text is None:
            details.append(f"default {old_text} removed")
        else:
            details.append(f"default changed from {old_text} to {new_text}")
    details += _enum_changes(old_facets.get("enum"), new_facets.get("enum"))
    return details


def _schema_changes(old: Any, new: Any) -> list[str]:
    details = []
    old_type, new_type = _type_label(old), _type_label(new)
    if old_type != new_type:
        details.append(f"type changed from {old_type} to {new_type}")
    old_enum = old.get("enum") if isinstance(old, Mapping) else None
    new_enum = new.get("enum") if isinstance(new, Mapping) else None
    details += _enum_changes(old_enum, new_enum)
    return details


def _flatten(
    resolver: _Resolver, schema: Any, where: str, prefix: str = "", depth: int = 0
) -> dict[str, Any]:
    """Map dotted property paths to schemas, descending into inline objects only."""
    flat: dict[str, Any] = {}
    if depth > MAX_INLINE_DEPTH:
        return flat
    for name, (prop, prop_where) in resolver.properties(schema, where).items():
        path = prefix + name
        flat[path] = prop
        if not isinstance(prop, Mapping) or "$ref" in prop:
            continue
        inner, inner_where = prop, prop_where
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, Mapping):
            if "$ref" in items:
                continue
            inner, inner_where = items, f"{prop_where}/items"
        if "properties" in inner or "allOf" in inner:
            flat.update(_flatten(resolver, inner, inner_where, path + ".", depth + 1))
    return flat


# Comparing ----------------------------------------------------------------------------------


def compare_specs(old: SpecDocument, new: SpecDocument) -> list[Change]:
    """List the differences between two versions of a spec, oldest first in the arguments.

    Raises:
        InputError: A local ``$ref`` that the comparison follows points at nothing.
    """
    old_resolver, new_resolver = _Resolver(old), _Resolver(new)
    changes = list(_compare_operations(old, new, old_resolver, new_resolver))
    changes += _compare_definitions(old, new, old_resolver, new_resolver)
    return changes


def _compare_operations(
    old: SpecDocument, new: SpecDocument, old_resolver: _Resolver, new_resolver: _Resolver
) -> Iterator[Change]:
    old_operations = _operations(old, old_resolver)
    new_operations = _operations(new, new_resolver)
    keys = sorted(set(old_operations) | set(new_operations), key=lambda key: (key[1], key[0]))
    for key in keys:
        before, after = old_operations.get(key), new_operations.get(key)
        if before is None and after is not None:
            yield Change("added", "operation", after.label, new.version, after.anchor,
                         operation_id=after.operation_id)
        elif after is None and before is not None:
            yield Change("removed", "operation", before.label, old.version, before.anchor,
                         operation_id=before.operation_id)
        elif before is not None and after is not None:
            yield from _compare_operation(before, after, old, new, old_resolver, new_resolver)


def _compare_operation(
    before: _Operation,
    after: _Operation,
    old: SpecDocument,
    new: SpecDocument,
    old_resolver: _Resolver,
    new_resolver: _Resolver,
) -> Iterator[Change]:
    def change(kind: str, element: str, name: str, detail: str = "") -> Change:
        operation, spec = (before, old) if kind == "removed" else (after, new)
        return Change(kind, element, operation.label, spec.version, operation.anchor,
                      name=name, detail=detail, operation_id=operation.operation_id)

    for key in sorted(set(before.parameters) | set(after.parameters)):
        element = f"{key[0]} parameter"
        if key not in before.parameters:
            yield change("added", element, str(after.parameters[key]["name"]))
        elif key not in after.parameters:
            yield change("removed", element, str(before.parameters[key]["name"]))
        else:
            name = str(after.parameters[key]["name"])
            details = _parameter_changes(before.parameters[key], after.parameters[key])
            if details:
                yield change("changed", element, name, "; ".join(details))

    for element, old_schema, new_schema in (
        ("request body property", before.request, after.request),
        ("response property", before.response, after.response),
    ):
        old_names = set(old_resolver.body_properties(old_schema, before.pointer)) if old_schema else set()
        new_names = set(new_resolver.body_properties(new_schema, after.pointer)) if new_schema else set()
        for name in sorted(new_names - old_names):
            yield change("added", element, name)
        for name in sorted(old_names - new_names):
            yield change("removed", element, name)


def _compare_definitions(
    old: SpecDocument, new: SpecDocument, old_resolver: _Resolver, new_resolver: _Resolver
) -> Iterator[Change]:
    old_definitions, old_section = _definitions(old)
    new_definitions, new_section = _definitions(new)
    for name in sorted(set(old_definitions) | set(new_definitions)):
        anchor = f"definition/{name}"
        if name not in old_definitions:
            yield Change("added", "definition", name, new.version, anchor)
            continue
        if name not in new_definitions:
            yield Change("removed", "definition", name, old.version, anchor)
            continue
        before = _flatten(old_resolver, old_definitions[name], f"#/{old_section}/{name}")
        after = _flatten(new_resolver, new_definitions[name], f"#/{new_section}/{name}")
        _align_moved_schemas(before, after, old_resolver, new_resolver)
        for path in sorted(set(before) | set(after), key=lambda path: path.split(".")):
            if path not in before:
                yield Change("added", "property", name, new.version, anchor, name=path)
            elif path not in after:
                yield Change("removed", "property", name, old.version, anchor, name=path)
            else:
                details = _schema_changes(
                    old_resolver.deref(before[path], path) or before[path],
                    new_resolver.deref(after[path], path) or after[path],
                )
                if details:
                    yield Change("changed", "property", name, new.version, anchor, name=path,
                                 detail="; ".join(details))


def _align_moved_schemas(
    before: dict[str, Any], after: dict[str, Any], old_resolver: _Resolver, new_resolver: _Resolver
) -> None:
    """Expand a ``$ref`` that replaced an inline object, or the reverse, in place.

    Moving an inline object into a definition of its own changes no field a client sees. To
    report only real differences, the ``$ref`` side is flattened under the same path, and the
    comparison then sees the properties on both sides.
    """
    pending = sorted(set(before) & set(after))
    while pending:
        path = pending.pop()
        old_schema, new_schema = before[path], after[path]
        old_is_ref = isinstance(old_schema, Mapping) and "$ref" in old_schema
        new_is_ref = isinstance(new_schema, Mapping) and "$ref" in new_schema
        if old_is_ref == new_is_ref:
            continue
        side, resolver, schema = (
            (before, old_resolver, old_schema) if old_is_ref else (after, new_resolver, new_schema)
        )
        expanded = _flatten(resolver, schema, path, prefix=path + ".")
        side.update(expanded)
        pending.extend(key for key in expanded if key in before and key in after)


# Rendering ----------------------------------------------------------------------------------


def _code(text: str) -> str:
    """Format text as a Markdown code span, whatever backticks it contains."""
    fence = "`"
    while fence in text:
        fence += "`"
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def describe_change(change: Change, href: str) -> str:
    """Render one change as a Markdown sentence that links ``href``."""
    subject = f"[{_code(change.subject)}]({href})"
    if change.element == "operation":
        operation_id = f" ({_code(change.operation_id)})" if change.operation_id else ""
        return f"{change.kind.capitalize()} operation {subject}{operation_id}."
    if change.element == "definition":
        return f"{change.kind.capitalize()} definition {subject}."
    what = f"{change.element} {_code(change.name)}"
    if change.kind == "changed":
        return f"{subject}: {what}: {change.detail}."
    return f"{subject}: {change.kind} {what}."


def render_changes_markdown(
    changes: Iterable[Change],
    reference_url: str = DEFAULT_REFERENCE_URL,
    base_url: str = "/",
) -> str:
    """Render changes as a Markdown bullet list; empty when there are none.

    Args:
        changes: The changes, in the order to list them.
        reference_url: The reference page URL pattern, with ``{api}``.
        base_url: The prefix put in front of each link target (``/`` for root-relative).
    """
    lines = [
        f"- {describe_change(change, base_url + change.target(reference_url))}"
        for change in changes
    ]
    return "\n".join(lines) + "\n" if lines else ""


def changes_to_json(
    changes: Iterable[Change], reference_url: str = DEFAULT_REFERENCE_URL
) -> list[dict[str, Any]]:
    """Return the changes as JSON-ready dicts, each with its site-relative ``target``."""
    return [{**asdict(change), "target": change.target(reference_url)} for change in changes]
