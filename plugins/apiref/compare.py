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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .errors import unescape_pointer_token
from .rawspec import (
    Operation,
    RefResolver,
    SpecDocument,
    load_spec,
    read_definitions,
    read_operations,
)

__all__ = [
    "DEFAULT_REFERENCE_URL",
    "Change",
    "SpecDocument",
    "changes_to_json",
    "compare_specs",
    "describe_change",
    "load_spec",
    "render_changes_markdown",
]

DEFAULT_REFERENCE_URL = "engine/api/v{api}/"

#: Nesting depth at which inline object properties stop being flattened. The deepest inline
#: nesting in the upstream specs is about 6 levels.
MAX_INLINE_DEPTH = 32

_MISSING = object()


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


# Facets of parameters and schemas -------------------------------------------------------------


def _type_label(schema: Any) -> str:
    """Describe a schema's type in a few words: ``string``, ``array of Mount``, ``object``."""
    if not isinstance(schema, dict):
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
    old_facets = old_facets if isinstance(old_facets, dict) else {}
    new_facets = new_facets if isinstance(new_facets, dict) else {}
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
    old_enum = old.get("enum") if isinstance(old, dict) else None
    new_enum = new.get("enum") if isinstance(new, dict) else None
    details += _enum_changes(old_enum, new_enum)
    return details


def _flatten(
    resolver: RefResolver, schema: Any, where: str, prefix: str = "", depth: int = 0
) -> dict[str, Any]:
    """Map dotted property paths to schemas, descending into inline objects only."""
    flat: dict[str, Any] = {}
    if depth > MAX_INLINE_DEPTH:
        return flat
    for name, (prop, prop_where) in resolver.properties(schema, where).items():
        path = prefix + name
        flat[path] = prop
        if not isinstance(prop, dict) or "$ref" in prop:
            continue
        inner, inner_where = prop, prop_where
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, dict):
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
    old_resolver, new_resolver = _resolver(old), _resolver(new)
    changes = list(_compare_operations(old, new, old_resolver, new_resolver))
    changes += _compare_definitions(old, new, old_resolver, new_resolver)
    return changes


def _resolver(spec: SpecDocument) -> RefResolver:
    if "resolver" not in spec.cache:
        spec.cache["resolver"] = RefResolver(spec)
    return spec.cache["resolver"]


def _cached_operations(spec: SpecDocument, resolver: RefResolver) -> dict[Any, Operation]:
    if "operations" not in spec.cache:
        spec.cache["operations"] = read_operations(spec, resolver)
    return spec.cache["operations"]


def _cached_flat_definition(
    spec: SpecDocument, resolver: RefResolver, name: str, schema: Any, where: str
) -> dict[str, Any]:
    flat = spec.cache.setdefault("flat_definitions", {})
    if name not in flat:
        flat[name] = _flatten(resolver, schema, where)
    # A copy, because _align_moved_schemas adds expanded paths to it.
    return dict(flat[name])


def _compare_operations(
    old: SpecDocument, new: SpecDocument, old_resolver: RefResolver, new_resolver: RefResolver
) -> Iterator[Change]:
    old_operations = _cached_operations(old, old_resolver)
    new_operations = _cached_operations(new, new_resolver)
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
    before: Operation,
    after: Operation,
    old: SpecDocument,
    new: SpecDocument,
    old_resolver: RefResolver,
    new_resolver: RefResolver,
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
        old_names = set(old_resolver.body_properties(old_schema, before.pointer))
        new_names = set(new_resolver.body_properties(new_schema, after.pointer))
        for name in sorted(new_names - old_names):
            yield change("added", element, name)
        for name in sorted(old_names - new_names):
            yield change("removed", element, name)


def _compare_definitions(
    old: SpecDocument, new: SpecDocument, old_resolver: RefResolver, new_resolver: RefResolver
) -> Iterator[Change]:
    old_definitions, old_section = read_definitions(old)
    new_definitions, new_section = read_definitions(new)
    for name in sorted(set(old_definitions) | set(new_definitions)):
        anchor = f"definition/{name}"
        if name not in old_definitions:
            yield Change("added", "definition", name, new.version, anchor)
            continue
        if name not in new_definitions:
            yield Change("removed", "definition", name, old.version, anchor)
            continue
        before = _cached_flat_definition(
            old, old_resolver, name, old_definitions[name], f"#/{old_section}/{name}"
        )
        after = _cached_flat_definition(
            new, new_resolver, name, new_definitions[name], f"#/{new_section}/{name}"
        )
        _align_moved_schemas(before, after, old_resolver, new_resolver)
        for path in sorted(set(before) | set(after), key=lambda path: path.split(".")):
            if path in before and path in after and before[path] == after[path]:
                continue
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
    before: dict[str, Any],
    after: dict[str, Any],
    old_resolver: RefResolver,
    new_resolver: RefResolver,
) -> None:
    """Expand a ``$ref`` that replaced an inline object, or the reverse, in place.

    Moving an inline object into a definition of its own changes no field of a request or a
    response. To report only real differences, the ``$ref`` side is flattened under the same
    path, so the comparison finds the properties on both sides.
    """
    pending = sorted(set(before) & set(after))
    while pending:
        path = pending.pop()
        old_schema, new_schema = before[path], after[path]
        old_is_ref = isinstance(old_schema, dict) and "$ref" in old_schema
        new_is_ref = isinstance(new_schema, dict) and "$ref" in new_schema
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
    element = f"{change.element} {_code(change.name)}"
    if change.kind == "changed":
        return f"{subject}: {element}: {change.detail}."
    return f"{subject}: {change.kind} {element}."


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
