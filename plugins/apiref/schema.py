"""Schema views: what the reference page shows for a schema, and generated examples.

A ``$ref`` to a definition is shown as a link to that definition, which the page renders in
full once. Only the top of a request or response body is expanded in place, so the page grows
linearly with the spec and a recursive schema never expands without end. ``allOf`` members
are merged into one property list, remembered per definition, so a deep diamond of
``allOf`` references is merged once per definition, not once per path to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFINITION_PREFIX = "#/definitions/"

class _Missing:
    """Marker for "no value", distinct from ``None``, ``False``, ``0`` and ``""``."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

#: Depth at which example generation stops descending into nested objects.
EXAMPLE_DEPTH = 6


def ref_name(schema: Any) -> str | None:
    """Return the definition name of a ``#/definitions/...`` reference, or None."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(DEFINITION_PREFIX):
            return ref[len(DEFINITION_PREFIX):].replace("~1", "/").replace("~0", "~")
    return None


def is_binary(schema: Any) -> bool:
    """Whether a schema is a file or a binary string (a stream, not JSON)."""
    if not isinstance(schema, dict):
        return False
    return schema.get("type") == "file" or (
        schema.get("type") == "string" and schema.get("format") == "binary"
    )


@dataclass
class Property:
    """A named property of an object schema."""

    name: str
    node: SchemaNode
    required: bool


@dataclass
class SchemaNode:
    """What the page shows for one schema."""

    type_label: str
    #: Definition this node links to (shown as a link unless ``expanded``).
    ref: str | None = None
    #: Definition named at the end of ``type_label`` (``array of Port``), shown as a link.
    label_ref: str | None = None
    #: Whether the properties of ``ref`` are shown in place.
    expanded: bool = False
    #: The reference points back into a definition that is being shown already.
    circular: bool = False
    description: str = ""
    format: str = ""
    nullable: bool = False
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    binary: bool = False
    default: Any = MISSING
    example: Any = MISSING
    enum: list[Any] | None = None
    constraints: list[str] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    #: Item schema of an array, when it is worth showing (an inline object or a composition).
    items: SchemaNode | None = None
    #: Value schema of a map (``additionalProperties``).
    values: SchemaNode | None = None
    composed_of: list[str] = field(default_factory=list)
    one_of: list[SchemaNode] = field(default_factory=list)
    discriminator: str = ""
    subtypes: list[str] = field(default_factory=list)

    @property
    def has_children(self) -> bool:
        """Whether the node has anything to show below its own line."""
        return bool(self.properties or self.items or self.values or self.one_of)


_CONSTRAINTS = (
    ("minimum", ">= {}"),
    ("maximum", "<= {}"),
    ("exclusiveMinimum", "> {}"),
    ("exclusiveMaximum", "< {}"),
    ("minLength", "length >= {}"),
    ("maxLength", "length <= {}"),
    ("minItems", "items >= {}"),
    ("maxItems", "items <= {}"),
    ("pattern", "pattern {}"),
    ("multipleOf", "multiple of {}"),
)


class SchemaViews:
    """Builds ``SchemaNode``s and examples for the schemas of one spec."""

    def __init__(self, definitions: dict[str, Any]) -> None:
        self.definitions = definitions
        self._merged: dict[str, dict[str, Any]] = {}
        self.subtypes: dict[str, list[str]] = {}
        for name, schema in definitions.items():
            for member in (schema.get("allOf") or []) if isinstance(schema, dict) else []:
                base = ref_name(member)
                if base:
                    self.subtypes.setdefault(base, []).append(name)

    # Merging -----------------------------------------------------------------------------

    def definition(self, name: str) -> dict[str, Any]:
        """Return a definition with its ``allOf`` merged (cached per name)."""
        if name not in self._merged:
            # Placeholder first, so that a loop (rejected when the spec was loaded) ends.
            self._merged[name] = {}
            raw = self.definitions.get(name)
            self._merged[name] = self.merge(raw) if isinstance(raw, dict) else {}
        return self._merged[name]

    def merge(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Return ``schema`` with its ``allOf`` members merged into one object schema.

        The members' properties come first, in member order, then the schema's own. The
        ``required`` lists are joined. Keys written beside ``allOf`` (description, example)
        win over the members' keys.
        """
        members = schema.get("allOf")
        if not isinstance(members, list):
            return schema
        properties: dict[str, Any] = {}
        required: list[str] = []
        composed: list[str] = []
        inherited: dict[str, Any] = {}
        for member in members:
            name = ref_name(member)
            if name:
                composed.append(name)
                part = self.definition(name)
            elif isinstance(member, dict):
                part = self.merge(member)
            else:
                continue
            properties.update(part.get("properties") or {})
            required.extend(part.get("required") or [])
            for key in ("type", "discriminator", "additionalProperties", "x-nullable"):
                if key in part:
                    inherited.setdefault(key, part[key])
        merged = {**inherited, **{key: value for key, value in schema.items() if key != "allOf"}}
        properties.update(schema.get("properties") or {})
        required.extend(schema.get("required") or [])
        merged["properties"] = properties
        merged["required"] = list(dict.fromkeys(str(item) for item in required))
        merged.setdefault("type", "object")
        merged["x-apiref-composed-of"] = composed
        return merged

    # Views -------------------------------------------------------------------------------

    def view(self, schema: Any, *, expand: bool = False, within: tuple[str, ...] = ()) -> SchemaNode:
        """Build the view of ``schema``.

        Args:
            schema: a schema object from the spec.
            expand: show the properties of a referenced definition in place (one level).
            within: definitions already being shown around this schema, so a reference back
                to one of them is marked circular instead of expanded.
        """
        if not isinstance(schema, dict):
            return SchemaNode(type_label="any")
        name = ref_name(schema)
        if name:
            circular = name in within
            if expand and not circular:
                node = self.view(self.definition(name), within=(*within, name))
                node.ref = name
                node.expanded = True
                # Keys beside a $ref (OpenAPI 3.1 allows a description there) are kept.
                if schema.get("description"):
                    node.description = str(schema["description"])
                return node
            return SchemaNode(
                type_label=name,
                ref=name,
                circular=circular,
                description=str(schema.get("description") or ""),
                nullable=schema.get("x-nullable") is True,
                read_only=schema.get("readOnly") is True,
            )
        members = schema.get("allOf")
        if isinstance(members, list):
            refs = [name for name in map(ref_name, members) if name]
            if len(members) == 1 and refs:
                # ``allOf: [$ref]`` is how Swagger 2.0 puts a description or x-nullable
                # beside a reference, so it is shown as that reference.
                node = self.view(members[0], expand=expand, within=within)
                node.description = str(schema.get("description") or node.description)
                node.nullable = node.nullable or schema.get("x-nullable") is True
                node.read_only = node.read_only or schema.get("readOnly") is True
                return node
            if any(name in within for name in refs):
                return SchemaNode(type_label="object", composed_of=refs, circular=True)
            schema = self.merge(schema)
            within = (*within, *refs)
        node = self._leaf(schema)
        if isinstance(schema.get("properties"), dict):
            required = set(schema.get("required") or [])
            for prop_name, prop in schema["properties"].items():
                node.properties.append(
                    Property(
                        name=str(prop_name),
                        node=self.view(prop, within=within),
                        required=prop_name in required,
                    )
                )
        items = schema.get("items")
        if node.type_label.startswith("array") and isinstance(items, dict) and not ref_name(items):
            item_node = self.view(items, within=within)
            if item_node.has_children:
                node.items = item_node
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict) and not ref_name(additional):
            value_node = self.view(additional, within=within)
            if value_node.has_children:
                node.values = value_node
        for key in ("oneOf", "anyOf"):
            for option in schema.get(key) or []:
                node.one_of.append(self.view(option, within=within))
        return node

    def _leaf(self, schema: dict[str, Any]) -> SchemaNode:
        node = SchemaNode(
            type_label=type_label(schema),
            label_ref=_label_ref(schema),
            description=str(schema.get("description") or ""),
            format=str(schema.get("format") or ""),
            nullable=schema.get("x-nullable") is True or schema.get("nullable") is True,
            read_only=schema.get("readOnly") is True,
            write_only=schema.get("writeOnly") is True,
            deprecated=schema.get("deprecated") is True or schema.get("x-deprecated") is True,
            binary=is_binary(schema),
            default=schema.get("default", MISSING),
            example=schema.get("example", MISSING),
            enum=list(schema["enum"]) if isinstance(schema.get("enum"), list) else None,
            composed_of=list(schema.get("x-apiref-composed-of") or []),
        )
        for key, template in _CONSTRAINTS:
            if key in schema and not isinstance(schema[key], bool):
                node.constraints.append(template.format(schema[key]))
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict):
            discriminator = discriminator.get("propertyName")
        if isinstance(discriminator, str):
            node.discriminator = discriminator
        return node

    def definition_view(self, name: str) -> SchemaNode:
        """Build the full view of a definition, with its sub-types for a discriminator."""
        node = self.view(self.definition(name), within=(name,))
        node.subtypes = list(self.subtypes.get(name, [])) if node.discriminator else []
        return node

    # Examples ----------------------------------------------------------------------------

    def example(self, schema: Any, *, request: bool = False) -> Any:
        """Generate an example value for ``schema``, or ``MISSING`` for a binary body.

        Values written in the spec (``example``, ``default``, the first ``enum`` value) are
        used as written, including ``false``, ``0`` and ``""``. A request example leaves out
        ``readOnly`` properties, a response example leaves out ``writeOnly`` ones.
        """
        if is_binary(schema):
            return MISSING
        return self._example(schema, request, (), 0)

    def _example(self, schema: Any, request: bool, within: tuple[str, ...], depth: int) -> Any:
        if not isinstance(schema, dict):
            return None
        name = ref_name(schema)
        if name:
            if name in within or depth > EXAMPLE_DEPTH:
                return {} if self.definition(name).get("type", "object") == "object" else None
            return self._example(self.definition(name), request, (*within, name), depth + 1)
        if isinstance(schema.get("allOf"), list):
            schema = self.merge(schema)
        for key in ("example", "x-example", "default"):
            if key in schema:
                return schema[key]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((item for item in kind if item != "null"), None)
        if kind == "array" or "items" in schema:
            item = self._example(schema.get("items"), request, within, depth + 1)
            return [] if item is None and depth > EXAMPLE_DEPTH else [item]
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            result: dict[str, Any] = {}
            if depth > EXAMPLE_DEPTH:
                return result
            for prop_name, prop in (schema.get("properties") or {}).items():
                prop = prop if isinstance(prop, dict) else {}
                hidden = prop.get("readOnly") is True if request else prop.get("writeOnly") is True
                if not hidden:
                    result[str(prop_name)] = self._example(prop, request, within, depth + 1)
            additional = schema.get("additionalProperties")
            if isinstance(additional, dict) and not result:
                result["key"] = self._example(additional, request, within, depth + 1)
            return result
        return _scalar_example(kind, schema.get("format"))


def _scalar_example(kind: Any, fmt: Any) -> Any:
    if kind == "integer":
        return 0
    if kind == "number":
        return 0.0
    if kind == "boolean":
        return True
    if kind == "string":
        return {
            "date-time": "2024-01-01T00:00:00Z",
            "date": "2024-01-01",
            "uuid": "00000000-0000-0000-0000-000000000000",
            "ipv4": "192.0.2.1",
            "ipv6": "2001:db8::1",
            "uri": "https://example.com/",
            "email": "user@example.com",
            "byte": "",
        }.get(fmt, "string")
    return None


def _label_ref(schema: Any) -> str | None:
    """Return the definition that ``type_label`` ends with, for ``array of X``/``map of X``."""
    for _ in range(16):
        if not isinstance(schema, dict):
            return None
        name = ref_name(schema)
        if name:
            return name
        if schema.get("type") == "array" or "items" in schema:
            schema = schema.get("items")
        elif isinstance(schema.get("additionalProperties"), dict) and not schema.get("properties"):
            schema = schema["additionalProperties"]
        else:
            return None
    return None


def type_label(schema: Any) -> str:
    """Return a short type description such as ``string (date-time)`` or ``array of Port``."""
    if not isinstance(schema, dict):
        return "any"
    name = ref_name(schema)
    if name:
        return name
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = " or ".join(str(item) for item in kind)
    if kind == "file" or is_binary(schema):
        return "binary"
    if kind == "array" or (kind is None and "items" in schema):
        return "array of " + type_label(schema.get("items"))
    additional = schema.get("additionalProperties")
    if (kind in (None, "object")) and isinstance(additional, dict) and not schema.get("properties"):
        return "map of " + type_label(additional)
    if kind is None:
        if "properties" in schema or "allOf" in schema:
            return "object"
        if "oneOf" in schema or "anyOf" in schema:
            return "one of"
        return "any"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)
