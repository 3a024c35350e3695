"""Turn a parsed Swagger 2.0 or OpenAPI 3 document into a checked, normalised model.

Both formats become the same ``Spec``: operations with their parameters, body and responses,
tags in display order, and definitions (OpenAPI 3 ``components/schemas`` are moved to
``definitions`` and their ``$ref``s rewritten), so the renderer and the comparison know one
shape. Every problem found is collected as an ``InputError`` with the JSON pointer and line
of the offending node, so one run reports all of them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError, InputErrors, escape_pointer_token, pointer
from .loader import ApiVersion, LineIndex, SpecSource, parse_document, read_text

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

#: Keys whose values are data, not schema: a ``$ref`` inside them is not a reference.
DEFINITION_REF = "#/definitions/"

DATA_KEYS = frozenset({"example", "examples", "default", "enum", "x-example", "x-examples"})


@dataclass
class Parameter:
    """A request parameter. ``schema`` contains its type keywords (type, format, items, enum...)."""

    name: str
    location: str
    description: str
    required: bool
    schema: dict[str, Any]
    deprecated: bool
    pointer: str


@dataclass
class Response:
    """One response of an operation."""

    status: str
    description: str
    schema: dict[str, Any] | None
    headers: dict[str, dict[str, Any]]
    examples: dict[str, Any]
    pointer: str


@dataclass
class Operation:
    """One method on one path."""

    operation_id: str
    method: str
    path: str
    tags: list[str]
    summary: str
    description: str
    parameters: list[Parameter]
    body: Parameter | None
    responses: list[Response]
    consumes: list[str]
    produces: list[str]
    deprecated: bool
    pointer: str


@dataclass
class Tag:
    """A group of operations, in the order the spec declares it."""

    name: str
    display_name: str
    description: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Spec:
    """A checked spec of one API version."""

    version: ApiVersion
    label: str
    format: str
    title: str
    description: str
    base_path: str
    tags: list[Tag]
    operations: list[Operation]
    definitions: dict[str, dict[str, Any]]
    document: dict[str, Any]
    text: str

    def operation(self, operation_id: str) -> Operation | None:
        """Return the operation with ``operation_id``, or None."""
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        return None


class _Collector:
    """Collects errors for one file, adding the line of each pointer."""

    def __init__(self, label: str, text: str) -> None:
        self.label = label
        self.lines = LineIndex(text)
        self.errors: list[InputError] = []

    def add(self, message: str, where: str) -> None:
        self.errors.append(
            InputError(message, file=self.label, line=self.lines.line_of(where), pointer=where)
        )

    def sorted(self) -> list[InputError]:
        """Return the errors in the order of their lines in the file."""
        return sorted(self.errors, key=lambda error: error.line or 0)


def load_spec(source: SpecSource) -> Spec:
    """Read, parse, check and normalise one spec file.

    Raises:
        InputErrors: every problem found in the file.
    """
    try:
        text = read_text(source.path, source.label)
        document = parse_document(text, source.label)
    except InputError as error:
        raise InputErrors([error]) from error
    return build_spec(document, source, text)


def build_spec(document: Any, source: SpecSource, text: str = "") -> Spec:
    """Check and normalise a parsed document.

    Raises:
        InputErrors: every problem found in the document.
    """
    errors = _Collector(source.label, text)
    if not isinstance(document, dict):
        errors.add(
            f"not a Swagger 2.0 or OpenAPI 3.x document: the top level is {_kind(document)}, "
            "but a spec is a mapping with 'swagger: \"2.0\"' or 'openapi: 3.x', 'info' and "
            "'paths'",
            "#",
        )
        raise InputErrors(errors.sorted())
    if str(document.get("swagger", "")).startswith("2"):
        spec_format = "swagger2"
    elif str(document.get("openapi", "")).startswith("3"):
        spec_format = "openapi3"
        document = _openapi3_to_definitions(document)
    else:
        errors.add(
            "file is neither Swagger 2.0 nor OpenAPI 3.x: add 'swagger: \"2.0\"' or "
            "'openapi: 3.0.3' at the top level, or move the file out of the spec folder",
            "#",
        )
        raise InputErrors(errors.sorted())

    info = document.get("info")
    if not isinstance(info, dict):
        errors.add(
            f"missing 'info' mapping; add 'info' with 'title' and 'version: \"{source.version}\"'",
            "#/info",
        )
        info = {}
    _check_version(info, source, errors)
    paths = document.get("paths")
    if not isinstance(paths, dict):
        errors.add(
            "missing 'paths' mapping; add 'paths' with the operations ('paths: {}' if none)",
            "#/paths",
        )
        paths = {}
    definitions = document.get("definitions") or {}
    if not isinstance(definitions, dict):
        errors.add(
            f"'definitions' must be a mapping of names to schemas, but is {_kind(definitions)}",
            "#/definitions",
        )
        definitions = {}

    _check_refs(document, errors)
    _check_all_of_loops(definitions, errors)
    operations = list(_operations(document, paths, spec_format, errors))
    _check_unique_ids(operations, errors)
    if errors.errors:
        raise InputErrors(errors.sorted())

    return Spec(
        version=source.version,
        label=source.label,
        format=spec_format,
        title=str(info.get("title") or "Engine API"),
        description=_text(info.get("description")),
        base_path=str(document.get("basePath") or ""),
        tags=_group_by_tag(document.get("tags"), operations),
        operations=operations,
        definitions=definitions,
        document=document,
        text=text,
    )


def _kind(value: Any) -> str:
    """Name the YAML type of ``value`` for a message: ``a list``, ``a string``, ``empty``."""
    if value is None:
        return "empty"
    names = {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, (int, float)) else f"a {type(value).__name__}"


def _dangling_message(ref: str) -> str:
    if ref.startswith(DEFINITION_REF) and "/" not in ref[len(DEFINITION_REF):]:
        name = ref[len(DEFINITION_REF):].replace("~1", "/").replace("~0", "~")
        return (
            f"$ref {ref!r} not found: this file has no definition {name!r}; add it under "
            "'definitions' or correct the reference"
        )
    return f"$ref {ref!r} not found: nothing in this file has that JSON pointer; correct it"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value)


def _check_version(info: dict[str, Any], source: SpecSource, errors: _Collector) -> None:
    declared = info.get("version")
    if declared is None:
        errors.add(
            f"missing 'info.version'; add 'version: \"{source.version}\"' as the file name says",
            "#/info",
        )
        return
    try:
        version = ApiVersion.parse(str(declared))
    except ValueError:
        version = None
    if version != source.version:
        errors.add(
            f"info.version is {declared!r} but the file name says {source.version}; "
            "rename the file or correct info.version",
            "#/info/version",
        )


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], dict]]:
    """Yield every mapping below ``node`` that is schema, not example data, with its path."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            yield where, current
            for key, child in current.items():
                if key in DATA_KEYS or (isinstance(key, str) and key.startswith("x-")):
                    continue
                if isinstance(child, (dict, list)):
                    stack.append((child, (*where, key)))
        elif isinstance(current, list):
            for index, child in enumerate(current):
                if isinstance(child, (dict, list)):
                    stack.append((child, (*where, index)))


def resolve_pointer(document: Any, ref: str) -> Any:
    """Return the node that a local ``$ref`` such as ``#/definitions/Foo`` names.

    Raises:
        KeyError: the pointer names nothing.
    """
    node = document
    for raw in ref[2:].split("/") if ref.startswith("#/") else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(ref)
    return node


def _check_refs(document: dict[str, Any], errors: _Collector) -> None:
    for where, node in _walk(document):
        ref = node.get("$ref")
        if ref is None:
            continue
        at = pointer(*where)
        if not isinstance(ref, str):
            errors.add(
                f"'$ref' must be a string such as '#/definitions/Name', but is {_kind(ref)}", at
            )
        elif not ref.startswith("#"):
            errors.add(
                f"external reference {ref!r} is not supported: references to other files or "
                "URLs are not fetched; move the schema into this file's definitions",
                at,
            )
        else:
            try:
                resolve_pointer(document, ref)
            except KeyError:
                errors.add(_dangling_message(ref), at)


def _check_all_of_loops(definitions: dict[str, Any], errors: _Collector) -> None:
    """Report definitions that include each other through ``allOf`` with nothing between.

    Such a loop has no merged form, unlike a cycle through a property or array items, which
    the renderer shows as a link.
    """
    edges: dict[str, list[str]] = {}
    for name, schema in definitions.items():
        targets = []
        members = schema.get("allOf") if isinstance(schema, dict) else None
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            members = [schema]
        for member in members if isinstance(members, list) else []:
            ref = member.get("$ref") if isinstance(member, dict) else None
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                targets.append(ref[len("#/definitions/"):].replace("~1", "/").replace("~0", "~"))
        edges[name] = targets

    reported: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in edges:
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        state[start] = 1
        path.append(start)
        while stack:
            name, targets = stack[-1]
            for target in targets:
                if target not in edges:
                    continue
                if state.get(target) == 1:
                    loop = path[path.index(target):]
                    if frozenset(loop) not in reported:
                        reported.add(frozenset(loop))
                        chain = " -> ".join([*loop, target])
                        errors.add(
                            f"allOf loop with nothing else in it: {chain}; a schema cannot be "
                            "composed of itself, so break the loop with a property",
                            pointer("definitions", loop[0]),
                        )
                elif not state.get(target):
                    state[target] = 1
                    path.append(target)
                    stack.append((target, iter(edges[target])))
                    break
            else:
                state[name] = 2
                path.pop()
                stack.pop()


def _check_unique_ids(operations: list[Operation], errors: _Collector) -> None:
    first: dict[str, Operation] = {}
    for operation in operations:
        earlier = first.setdefault(operation.operation_id, operation)
        if earlier is not operation:
            errors.add(
                f"duplicate operationId {operation.operation_id!r}, also used by "
                f"{earlier.method.upper()} {earlier.path} at {earlier.pointer}; "
                "rename one, because operationIds must be unique",
                operation.pointer + "/operationId",
            )


def _list_of(value: Any, where: str, what: str, errors: _Collector) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(
            f"'{what}' must be a list but is {_kind(value)}; write each entry as a list item "
            "starting with '-'",
            where,
        )
        return []
    return value


def _deref(document: dict[str, Any], node: Any) -> Any:
    """Follow a ``$ref`` on a parameter or response (already checked to resolve)."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
        try:
            node = resolve_pointer(document, node["$ref"])
        except KeyError:
            return {}
        seen += 1
    return node


def _operations(
    document: dict[str, Any], paths: dict[str, Any], spec_format: str, errors: _Collector
) -> Iterator[Operation]:
    consumes_default = [str(item) for item in document.get("consumes") or []]
    produces_default = [str(item) for item in document.get("produces") or []]
    for path, item in paths.items():
        item_at = pointer("paths", path)
        if not isinstance(item, dict):
            errors.add(
                f"path item must be a mapping of methods to operations, but is {_kind(item)}",
                item_at,
            )
            continue
        item = _deref(document, item)
        shared = _list_of(item.get("parameters"), item_at + "/parameters", "parameters", errors)
        for method in HTTP_METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            at = f"{item_at}/{method}"
            if not isinstance(raw, dict):
                errors.add(f"operation must be a mapping but is {_kind(raw)}", at)
                continue
            yield _operation(
                document, path, method, raw, shared, at, spec_format,
                consumes_default, produces_default, errors,
            )


def _operation(
    document: dict[str, Any],
    path: str,
    method: str,
    raw: dict[str, Any],
    shared: list[Any],
    at: str,
    spec_format: str,
    consumes_default: list[str],
    produces_default: list[str],
    errors: _Collector,
) -> Operation:
    own = _list_of(raw.get("parameters"), at + "/parameters", "parameters", errors)
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for list_at, items in ((pointer("paths", path, "parameters"), shared), (at + "/parameters", own)):
        for index, entry in enumerate(items):
            entry_at = f"{list_at}/{index}"
            param = _deref(document, entry)
            if not isinstance(param, dict):
                errors.add(f"parameter must be a mapping but is {_kind(param)}", entry_at)
                continue
            missing = [key for key in ("name", "in") if key not in param]
            if missing:
                errors.add(
                    f"parameter has no {' or '.join(repr(key) for key in missing)}; every "
                    "parameter needs 'name' and 'in'",
                    entry_at,
                )
                continue
            merged[(str(param["in"]), str(param["name"]))] = (param, entry_at)

    parameters: list[Parameter] = []
    body: Parameter | None = None
    consumes = [str(item) for item in raw.get("consumes") or consumes_default]
    for (location, name), (param, param_at) in merged.items():
        if location == "body":
            body = _parameter(param, param_at, schema=param.get("schema") or {})
        elif location == "formData":
            parameters.append(_parameter(param, param_at))
        else:
            schema = param.get("schema") if spec_format == "openapi3" else None
            parameters.append(_parameter(param, param_at, schema=schema))

    if spec_format == "openapi3":
        body, consumes = _openapi3_body(document, raw, at, consumes)

    responses_raw = raw.get("responses") or {}
    responses: list[Response] = []
    produces = [str(item) for item in raw.get("produces") or produces_default]
    if not isinstance(responses_raw, dict):
        errors.add(
            f"'responses' must be a mapping of status codes to responses, but is "
            f"{_kind(responses_raw)}",
            at + "/responses",
        )
        responses_raw = {}
    for status, response_raw in responses_raw.items():
        response_at = f"{at}/responses/{escape_pointer_token(status)}"
        response = _deref(document, response_raw)
        if not isinstance(response, dict):
            errors.add(
                f"response must be a mapping with a 'description', but is {_kind(response)}",
                response_at,
            )
            continue
        if spec_format == "openapi3":
            schema, examples, media = _openapi3_content(response.get("content"))
            for media_type in media:
                if media_type not in produces:
                    produces.append(media_type)
        else:
            schema = response.get("schema")
            examples = response.get("examples") or {}
        responses.append(
            Response(
                status=str(status),
                description=_text(response.get("description")),
                schema=schema if isinstance(schema, dict) else None,
                headers=response.get("headers") if isinstance(response.get("headers"), dict)
                else {},
                examples=examples if isinstance(examples, dict) else {},
                pointer=response_at,
            )
        )

    if "produces" not in raw and not any(response.schema for response in responses):
        # The document-wide default describes response bodies; an operation without any
        # (204, 101 upgrades) produces nothing unless it names its own media types.
        produces = []
    operation_id = raw.get("operationId")
    if not operation_id:
        # Same fallback as ReDoc, so deep links to untagged operations stay predictable.
        operation_id = f"{method}{path}"
    tags = raw.get("tags")
    return Operation(
        operation_id=str(operation_id),
        method=method,
        path=str(path),
        tags=[str(tag) for tag in tags] if isinstance(tags, list) and tags else ["default"],
        summary=_text(raw.get("summary")),
        description=_text(raw.get("description")),
        parameters=parameters,
        body=body,
        responses=responses,
        consumes=consumes,
        produces=produces,
        deprecated=bool(raw.get("deprecated")),
        pointer=at,
    )


def _parameter(
    param: dict[str, Any], at: str, schema: dict[str, Any] | None = None
) -> Parameter:
    if schema is None:
        schema = {
            key: value
            for key, value in param.items()
            if key not in ("name", "in", "description", "required")
        }
    return Parameter(
        name=str(param["name"]),
        location=str(param["in"]),
        description=_text(param.get("description")),
        required=bool(param.get("required")),
        schema=schema if isinstance(schema, dict) else {},
        deprecated=bool(param.get("deprecated")),
        pointer=at,
    )


def _group_by_tag(declared: Any, operations: list[Operation]) -> list[Tag]:
    tags: dict[str, Tag] = {}
    for entry in declared if isinstance(declared, list) else []:
        if isinstance(entry, dict) and entry.get("name"):
            name = str(entry["name"])
            tags[name] = Tag(
                name=name,
                display_name=str(entry.get("x-displayName") or name),
                description=_text(entry.get("description")),
            )
    for operation in operations:
        # An operation is listed under its first tag only, as in ReDoc's default layout, so
        # that its id appears once on the page.
        name = operation.tags[0]
        tags.setdefault(name, Tag(name=name, display_name=name, description=""))
        tags[name].operations.append(operation)
    return [tag for tag in tags.values() if tag.operations]


# OpenAPI 3 ---------------------------------------------------------------------------------


def _openapi3_to_definitions(document: dict[str, Any]) -> dict[str, Any]:
    """Copy an OpenAPI 3 document with ``components/schemas`` moved to ``definitions``."""
    document = copy.deepcopy(document)
    components = document.get("components") or {}
    schemas = components.get("schemas") if isinstance(components, dict) else None
    document["definitions"] = schemas if isinstance(schemas, dict) else {}
    prefix = "#/components/schemas/"
    for _, node in _walk(document):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(prefix):
            node["$ref"] = "#/definitions/" + ref[len(prefix):]
        if node.get("nullable") is True:
            node["x-nullable"] = True
    return document


def _openapi3_content(content: Any) -> tuple[dict[str, Any] | None, dict[str, Any], list[str]]:
    if not isinstance(content, dict):
        return None, {}, []
    schema = None
    examples: dict[str, Any] = {}
    for media_type, media in content.items():
        if not isinstance(media, dict):
            continue
        if schema is None and isinstance(media.get("schema"), dict):
            schema = media["schema"]
        if "example" in media:
            examples[str(media_type)] = media["example"]
    return schema, examples, [str(key) for key in content]


def _openapi3_body(
    document: dict[str, Any], raw: dict[str, Any], at: str, consumes: list[str]
) -> tuple[Parameter | None, list[str]]:
    request = _deref(document, raw.get("requestBody"))
    if not isinstance(request, dict):
        return None, consumes
    schema, _, media = _openapi3_content(request.get("content"))
    body = Parameter(
        name="body",
        location="body",
        description=_text(request.get("description")),
        required=bool(request.get("required")),
        schema=schema or {},
        deprecated=False,
        pointer=at + "/requestBody",
    )
    return body, media or consumes
