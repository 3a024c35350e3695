"""Facts across API versions: when an operation, parameter or property appeared, and when an
operation changed.

The facts are computed from the series of loaded specs, oldest first. An operation is followed
by its operationId. When a version has an operationId that the previous version lacks, but the
previous version has an operation on the same method and path, the operation was renamed and
keeps its history (the upstream specs renamed the archive operations in v1.28). Parameters and
schema properties are followed by their anchor on the reference page, with the operationId
replaced by the operation's history key, so a renamed operation keeps its parameters' history.

The anchors are built here (``anchor``, ``schema_anchors``) and the templates build theirs with
the same functions, so every anchor that the lineage knows is an element id on the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .loader import ApiVersion
from .schema import SchemaNode, SchemaViews, ref_name
from .specs import Operation, Spec

#: Anchor segment of the item schema of an array.
ITEMS_SEGMENT = "[]"
#: Anchor segment of the value schema of a map (``additionalProperties``).
VALUES_SEGMENT = "{}"

_ONE_OF_RE = re.compile(r"\(\d+\)")


def escape_segment(name: str) -> str:
    """Escape ``~`` and ``/`` in a name as JSON pointers do, so ``/`` only separates segments."""
    return name.replace("~", "~0").replace("/", "~1")


def anchor(prefix: str, *segments: str) -> str:
    """Join a parent anchor and escaped segments: ``anchor("definition/Port", "IP")``."""
    return "/".join([prefix, *(escape_segment(str(segment)) for segment in segments)])


def one_of_segment(index: int) -> str:
    """Anchor segment of the ``index``-th alternative of a ``oneOf``/``anyOf`` (from 1)."""
    return f"({index})"


def operation_anchor(operation_id: str) -> str:
    """Anchor of an operation's section: ``operation/ContainerList``.

    The operationId is kept as written, even with a ``/``, because ReDoc gives the same id
    and links written for ReDoc pages must land.
    """
    return f"operation/{operation_id}"


def parameter_anchor(operation_id: str, name: str, location: str = "") -> str:
    """Anchor of a parameter: ``operation/ContainerList/parameter/all``.

    ``location`` is given only for a name that the operation uses in two locations (a query
    and a header parameter both called ``name``): ``.../parameter/header/name``.
    """
    if location:
        return anchor(operation_anchor(operation_id), "parameter", location, name)
    return anchor(operation_anchor(operation_id), "parameter", name)


def parameter_anchors(operation: Operation) -> list[str]:
    """Return the anchors of an operation's parameters, in order, each one unique."""
    names = [parameter.name for parameter in operation.parameters]
    return [
        parameter_anchor(
            operation.operation_id,
            parameter.name,
            parameter.location if names.count(parameter.name) > 1 else "",
        )
        for parameter in operation.parameters
    ]


def body_anchor(operation_id: str) -> str:
    """Anchor that prefixes the properties of a request body."""
    return anchor(operation_anchor(operation_id), "body")


def response_anchor(operation_id: str, status: str) -> str:
    """Anchor that prefixes the properties of a response body: ``.../response/200``."""
    return anchor(operation_anchor(operation_id), "response", status)


def definition_anchor(name: str) -> str:
    """Anchor of a definition: ``definition/ContainerConfig``, the name kept as ReDoc keeps it."""
    return f"definition/{name}"


def schema_anchors(node: SchemaNode, prefix: str) -> Iterator[str]:
    """Yield the anchors of the properties shown below ``node``, in page order.

    The walk follows the ``children`` macro of ``partials/schema.html``: properties, then the
    item schema of an array, the value schema of a map and the alternatives of a ``oneOf``.
    """
    for prop in node.properties:
        prop_anchor = anchor(prefix, prop.name)
        yield prop_anchor
        yield from schema_anchors(prop.node, prop_anchor)
    if node.items:
        yield from schema_anchors(node.items, anchor(prefix, ITEMS_SEGMENT))
    if node.values:
        yield from schema_anchors(node.values, anchor(prefix, VALUES_SEGMENT))
    for index, option in enumerate(node.one_of, start=1):
        yield from schema_anchors(option, anchor(prefix, one_of_segment(index)))


def operation_views(operation: Operation, views: SchemaViews) -> dict[str, Any]:
    """Build the schema views the page shows for an operation, keyed by what they are.

    Returns ``parameters`` [(Parameter, SchemaNode)], ``body`` SchemaNode or None and
    ``responses`` [(Response, SchemaNode or None)]. The body and response schemas are expanded
    one level, as the page shows them.
    """
    return {
        "parameters": [
            (parameter, views.view(parameter.schema)) for parameter in operation.parameters
        ],
        "body": (
            views.view(operation.body.schema, expand=True) if operation.body is not None else None
        ),
        "responses": [
            (response, views.view(response.schema, expand=True) if response.schema else None)
            for response in operation.responses
        ],
    }


def page_anchors(spec: Spec, views: SchemaViews | None = None) -> Iterator[str]:
    """Yield the anchors of every operation, parameter, definition and property of a page."""
    views = views or SchemaViews(spec.definitions)
    for operation in spec.operations:
        yield from operation_anchors(operation, views)
    for name in spec.definitions:
        yield definition_anchor(name)
        yield from schema_anchors(views.definition_view(name), definition_anchor(name))


def operation_anchors(operation: Operation, views: SchemaViews) -> Iterator[str]:
    """Yield the anchors of an operation and of its parameters and body properties."""
    operation_id = operation.operation_id
    yield operation_anchor(operation_id)
    shown = operation_views(operation, views)
    for (_, node), parameter in zip(shown["parameters"], parameter_anchors(operation)):
        yield parameter
        yield from schema_anchors(node, parameter)
    if shown["body"] is not None:
        yield from schema_anchors(shown["body"], body_anchor(operation_id))
    for response, node in shown["responses"]:
        if node is not None:
            yield from schema_anchors(node, response_anchor(operation_id, response.status))


def parent_anchor(value: str) -> str | None:
    """Return the anchor of the element that contains ``value``, or None at the top.

    A property's parent is the enclosing property, parameter, operation or definition; the
    segments that only group properties (``body``, ``response/200``, ``[]``, ``{}``, ``(1)``)
    are skipped.
    """
    parts = value.split("/")[:-1]
    while len(parts) > 2:
        last = parts[-1]
        if last in (ITEMS_SEGMENT, VALUES_SEGMENT) or _ONE_OF_RE.fullmatch(last):
            parts.pop()
        elif parts[0] == "operation" and len(parts) == 3 and last in ("body", "parameter"):
            parts.pop()
        elif parts[0] == "operation" and len(parts) == 4 and parts[2] == "response":
            del parts[2:]
        else:
            break
    return "/".join(parts) if len(parts) >= 2 else None


def _normalise_text(value: str) -> str:
    return " ".join(value.split())


def operation_fingerprint(operation: Operation, views: SchemaViews) -> str:
    """Return a canonical text of what the page shows for an operation.

    Two versions of an operation with equal fingerprints render the same section, except for
    links into definitions: the body and response schemas count as they are expanded on the
    page (their top-level definition merged), deeper references count by name.
    """

    def shown(schema: Any) -> Any:
        name = ref_name(schema)
        return views.definition(name) if name else schema

    data = {
        "method": operation.method,
        "path": operation.path,
        "summary": _normalise_text(operation.summary),
        "description": _normalise_text(operation.description),
        "deprecated": operation.deprecated,
        "consumes": operation.consumes,
        "produces": operation.produces,
        "parameters": [
            [p.name, p.location, p.required, p.deprecated, _normalise_text(p.description), p.schema]
            for p in operation.parameters
        ],
        "body": None
        if operation.body is None
        else [
            operation.body.required,
            _normalise_text(operation.body.description),
            shown(operation.body.schema),
        ],
        "responses": [
            [r.status, _normalise_text(r.description), shown(r.schema), r.headers, r.examples]
            for r in operation.responses
        ],
    }
    return json.dumps(data, sort_keys=True, default=str)


@dataclass
class OperationHistory:
    """One operation across versions."""

    #: Stable key: the operationId in the first version where the operation appears.
    key: str
    #: operationId in each version that has the operation.
    ids: dict[ApiVersion, str] = field(default_factory=dict)
    #: Versions whose section differs from the previous version that has the operation.
    changed: list[ApiVersion] = field(default_factory=list)


@dataclass
class VersionFacts:
    """The cross-version facts one version's page shows; small enough to send to a worker."""

    version: ApiVersion
    #: Operation or definition anchor -> {anchor in it -> version that added it}, for the
    #: anchors that get a badge.
    added: dict[str, dict[str, ApiVersion]] = field(default_factory=dict)
    #: operationId on this page -> [(version that changed it, its operationId there)].
    changes: dict[str, list[tuple[ApiVersion, str]]] = field(default_factory=dict)
    #: ``operation/<id in another version>`` -> ``operation/<id on this page>``.
    former_ids: dict[str, str] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Return a canonical text of the facts, for cache keys."""
        return json.dumps(
            {
                "version": str(self.version),
                "added": {
                    owner: {value: str(first) for value, first in items.items()}
                    for owner, items in self.added.items()
                },
                "changes": {
                    operation_id: [[str(version), id_there] for version, id_there in items]
                    for operation_id, items in self.changes.items()
                },
                "former_ids": self.former_ids,
            },
            sort_keys=True,
        )


@dataclass
class Lineage:
    """Cross-version facts of a series of specs; build it with ``Lineage.from_specs``."""

    versions: list[ApiVersion]
    operations: dict[str, OperationHistory]
    #: (version, operationId) -> history key.
    keys: dict[tuple[ApiVersion, str], str]
    #: Version -> (owner anchor, the anchors it owns) for every operation and definition of
    #: its page, in page order; ``facts`` walks these instead of building the views again.
    owned: dict[ApiVersion, list[tuple[str, list[str]]]] = field(default_factory=dict)
    #: Version -> anchor on its page (operationIds replaced by history keys) -> the first
    #: version of the anchor's unbroken run of versions up to this one.
    first_seen: dict[ApiVersion, dict[str, ApiVersion]] = field(default_factory=dict)

    @classmethod
    def from_specs(cls, specs: Mapping[ApiVersion, Spec]) -> Lineage:
        """Compute the facts of ``specs`` (any order; sorted by version here)."""
        versions = sorted(specs)
        operations: dict[str, OperationHistory] = {}
        keys: dict[tuple[ApiVersion, str], str] = {}
        owned: dict[ApiVersion, list[tuple[str, list[str]]]] = {}
        first_seen: dict[ApiVersion, dict[str, ApiVersion]] = {}
        fingerprints: dict[str, str] = {}
        previous: Spec | None = None
        for version in versions:
            spec = specs[version]
            views = SchemaViews(spec.definitions)
            by_route = (
                {(op.method, op.path): op.operation_id for op in previous.operations}
                if previous is not None
                else {}
            )
            page: set[str] = set()
            version_owned: list[tuple[str, list[str]]] = []
            for operation in spec.operations:
                key = _history_key(operation, spec, previous, by_route, keys)
                keys[(version, operation.operation_id)] = key
                history = operations.setdefault(key, OperationHistory(key=key))
                fingerprint = operation_fingerprint(operation, views)
                if history.ids and fingerprints[key] != fingerprint:
                    history.changed.append(version)
                fingerprints[key] = fingerprint
                history.ids[version] = operation.operation_id
                prefix = operation_anchor(operation.operation_id)
                values = list(operation_anchors(operation, views))
                version_owned.append((prefix, values))
                for value in values:
                    page.add(operation_anchor(key) + value[len(prefix):])
            for name in spec.definitions:
                owner = definition_anchor(name)
                values = [owner, *schema_anchors(views.definition_view(name), owner)]
                version_owned.append((owner, values))
                page.update(values)
            before = first_seen.get(previous.version, {}) if previous is not None else {}
            first_seen[version] = {value: before.get(value, version) for value in page}
            owned[version] = version_owned
            previous = spec
        return cls(
            versions=versions,
            operations=operations,
            keys=keys,
            owned=owned,
            first_seen=first_seen,
        )

    @property
    def oldest(self) -> ApiVersion | None:
        """The oldest version of the series."""
        return self.versions[0] if self.versions else None

    def history(self, version: ApiVersion, operation_id: str) -> OperationHistory | None:
        """Return the history of an operation of ``version``, or None when it is unknown."""
        key = self.keys.get((version, operation_id))
        return self.operations.get(key) if key is not None else None

    def _normalise(self, version: ApiVersion, value: str) -> str:
        if not value.startswith("operation/"):
            return value
        tail = value[len("operation/"):]
        # An operationId may contain "/", so try the longest prefix first.
        end = len(tail)
        while end > 0:
            key = self.keys.get((version, tail[:end]))
            if key is not None:
                return operation_anchor(key) + tail[end:]
            end = tail.rfind("/", 0, end)
        return value

    def first_version(self, version: ApiVersion, value: str) -> ApiVersion | None:
        """Return the version since which the anchor ``value`` of ``version``'s page exists.

        That is the first version of the unbroken run of versions up to ``version`` whose pages
        have the anchor. Returns None when ``version`` itself lacks it.
        """
        return self.first_seen.get(version, {}).get(self._normalise(version, value))

    # NOTE: parent_anchor splits at "/", so for an operationId or definition name that
    # contains "/" the parent is not found and its parts may get badges of their own.
    def added_in(self, version: ApiVersion, value: str) -> ApiVersion | None:
        """Return the version that added the anchor ``value``, for an "Added in" badge.

        Returns None when the anchor has existed since the oldest version of the series, or
        since its parent (operation, definition or enclosing property) appeared, because a
        badge on each part of a new operation would repeat the operation's own badge.
        """
        first = self.first_version(version, value)
        if first is None or first == self.oldest:
            return None
        parent = parent_anchor(value)
        if parent is not None:
            parent_first = self.first_version(version, parent)
            if parent_first is not None and parent_first >= first:
                return None
        return first

    def changes(self, version: ApiVersion, operation_id: str) -> list[ApiVersion]:
        """Return every version in which the operation of ``version`` changed."""
        history = self.history(version, operation_id)
        return list(history.changed) if history else []

    def facts(self, spec: Spec) -> VersionFacts:
        """Collect what the page of ``spec`` (one of the series) shows about other versions."""
        version = spec.version
        facts = VersionFacts(version=version, former_ids=self.former_ids(version))
        owned: list[tuple[str, list[str]]] = self.owned.get(version, [])
        for owner, values in owned:
            for value in values:
                first = self.added_in(version, value)
                if first is not None:
                    facts.added.setdefault(owner, {})[value] = first
        for operation in spec.operations:
            history = self.history(version, operation.operation_id)
            if history is not None and history.changed:
                facts.changes[operation.operation_id] = [
                    (changed, history.ids[changed]) for changed in history.changed
                ]
        return facts

    def former_ids(self, version: ApiVersion) -> dict[str, str]:
        """Map the operationIds that other versions use for this version's operations.

        Returns ``operation/<other id>`` -> ``operation/<id on this page>`` for renamed
        operations, so a reader who switches version lands on the same operation.
        """
        aliases: dict[str, str] = {}
        for (other_version, other_id), key in self.keys.items():
            if other_version == version:
                continue
            history = self.operations[key]
            here = history.ids.get(version)
            if here is not None and here != other_id:
                aliases[operation_anchor(other_id)] = operation_anchor(here)
        return aliases


def _history_key(
    operation: Operation,
    spec: Spec,
    previous: Spec | None,
    by_route: dict[tuple[str, str], str],
    keys: dict[tuple[ApiVersion, str], str],
) -> str:
    if previous is None:
        return operation.operation_id
    earlier = keys.get((previous.version, operation.operation_id))
    if earlier is not None:
        return earlier
    renamed_from = by_route.get((operation.method, operation.path))
    if renamed_from is not None and spec.operation(renamed_from) is None:
        return keys[(previous.version, renamed_from)]
    return operation.operation_id
