"""Render a checked spec to the HTML body of its reference page.

The output is a fragment for the content area of any theme: sections from
``info.description`` (id ``section/<Title>``), operations grouped by tag (ids ``tag/<Tag>``
and ``operation/<operationId>``) and definitions (id ``definition/<Name>``). These are the
ids that ReDoc gives, so links written for the earlier ReDoc pages land on the same element.
The page reads without JavaScript: nested schemas fold with ``<details>``.
"""

from __future__ import annotations

import hashlib
import html as html_module
import json
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from markupsafe import Markup, escape

from . import lineage as anchors
from . import markup
from .curl import curl_command, double_quoted_text
from .lineage import VersionFacts
from .schema import MISSING, SchemaViews, is_binary
from .specs import Operation, Spec

#: Enums longer than this are folded behind a ``<details>`` summary.
LONG_ENUM = 12

HTTP_STATUS_TEXT = {
    "100": "Continue", "101": "Switching Protocols", "200": "OK", "201": "Created",
    "202": "Accepted", "204": "No Content", "206": "Partial Content",
    "301": "Moved Permanently", "302": "Found", "304": "Not Modified",
    "400": "Bad Request", "401": "Unauthorized", "403": "Forbidden", "404": "Not Found",
    "406": "Not Acceptable", "409": "Conflict", "412": "Precondition Failed",
    "416": "Range Not Satisfiable", "500": "Internal Server Error",
    "501": "Not Implemented", "503": "Service Unavailable",
}

LOCATION_TITLES = {
    "path": "Path parameters",
    "query": "Query parameters",
    "header": "Header parameters",
    "formData": "Form parameters",
    "cookie": "Cookie parameters",
}


@dataclass
class TocEntry:
    """One entry of the page's table of contents."""

    id: str
    title: str
    level: int
    children: list[TocEntry] = field(default_factory=list)

    def as_token(self) -> dict[str, Any]:
        """Return the entry in the shape of Python-Markdown's ``toc_tokens``.

        Themes insert a token's name and ``#id`` URL into HTML unescaped, because
        Python-Markdown's tokens carry HTML, so the spec's plain text is escaped here.
        """
        return {
            "level": self.level,
            "id": str(escape(self.id)),
            "name": str(escape(self.title)),
            "children": [child.as_token() for child in self.children],
        }


@dataclass
class PageLinkProblem:
    """A ``#fragment`` link on a page that matches no id on it."""

    fragment: str
    context: str


@dataclass
class RenderedPage:
    """The HTML of a reference page and what the site needs to know about it."""

    html: str
    toc: list[TocEntry]
    ids: set[str]
    broken_links: list[PageLinkProblem]


@dataclass
class PageLinks:
    """URLs the reference page links to, relative to the page itself."""

    download: str = ""
    download_name: str = ""
    versions: list[tuple[str, str]] = field(default_factory=list)


def literal(value: Any) -> str:
    """Show a default, example or enum value as written in JSON (``false``, ``0``, ``""``)."""
    if isinstance(value, str):
        return value if value else '""'
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def example_json(value: Any) -> str:
    """Format an example for a code block."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def status_text(status: str) -> str:
    """Return the reason phrase of an HTTP status code, or ''."""
    return HTTP_STATUS_TEXT.get(str(status), "")


class FragmentMemo:
    """HTML of macro calls, keyed by the pickled arguments, shared by every page of a process.

    Consecutive API versions repeat most operations and definitions unchanged, so a build
    renders each distinct one once. The key is the macro and the pickle of its arguments:
    equal pickles rebuild equal values, and a macro's output depends only on its arguments
    and the environment, so a hit returns exactly the HTML that the call would return. Values
    that pickle differently although equal only cost a miss.
    """

    def __init__(self, max_entries: int = 20_000) -> None:
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        # key -> (macro, html); holding the macro keeps its id() unique while the entry lives.
        self._entries: dict[tuple[int, bytes], tuple[Any, Markup]] = {}

    def __call__(self, macro: Any, *args: Any, **kwargs: Any) -> Markup:
        """Return ``macro(*args, **kwargs)``, from the memo when the same call was made."""
        try:
            # Template modules (``schema`` passed to a macro) are keyed by name.
            spelled = tuple(
                ("template", arg.__name__) if isinstance(arg, TemplateModule) else arg
                for arg in args
            )
            data = pickle.dumps((spelled, sorted(kwargs.items())), protocol=5)
        except (pickle.PicklingError, TypeError, AttributeError):
            return macro(*args, **kwargs)
        key = (id(macro), hashlib.blake2b(data, digest_size=20).digest())
        entry = self._entries.get(key)
        if entry is not None:
            self.hits += 1
            return entry[1]
        self.misses += 1
        html = macro(*args, **kwargs)
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (macro, html)
        return html


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja environment with the package's templates."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("apiref", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = markup.render_markdown
    env.filters["literal"] = literal
    env.filters["example_json"] = example_json
    env.filters["status_text"] = status_text
    env.globals["MISSING"] = MISSING
    env.globals["LONG_ENUM"] = LONG_ENUM
    env.globals["LOCATION_TITLES"] = LOCATION_TITLES
    env.globals["anchor"] = anchors.anchor
    env.globals["definition_anchor"] = anchors.definition_anchor
    env.globals["operation_anchor"] = anchors.operation_anchor
    env.globals["body_anchor"] = anchors.body_anchor
    env.globals["one_of_segment"] = anchors.one_of_segment
    env.globals["ITEMS_SEGMENT"] = anchors.ITEMS_SEGMENT
    env.globals["VALUES_SEGMENT"] = anchors.VALUES_SEGMENT
    env.tests["missing"] = lambda value: value is MISSING
    env.globals["memo"] = FragmentMemo()
    return env


@dataclass
class OperationView:
    """An operation with its schema views built."""

    operation: Operation
    parameter_groups: list[tuple[str, list[Any]]]
    body: Any
    body_example: Any
    responses: list[dict[str, Any]]
    curl: str
    #: Anchor in this operation -> version label, for its "Added in" badges.
    badges: dict[str, str] = field(default_factory=dict)
    #: Versions that changed the operation: [{version, url, later}].
    changes: list[dict[str, Any]] = field(default_factory=list)


def _operation_view(operation: Operation, views: SchemaViews, base_path: str) -> OperationView:
    groups: dict[str, list[Any]] = {}
    for parameter, parameter_anchor in zip(
        operation.parameters, anchors.parameter_anchors(operation)
    ):
        groups.setdefault(parameter.location, []).append(
            {
                "parameter": parameter,
                "node": views.view(parameter.schema),
                "anchor": parameter_anchor,
            }
        )
    order = list(LOCATION_TITLES)
    parameter_groups = sorted(
        groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
    )
    body = None
    body_example = MISSING
    if operation.body is not None:
        schema = operation.body.schema
        body = {
            "parameter": operation.body,
            "node": views.view(schema, expand=True),
            "binary": is_binary(schema),
        }
        if not is_binary(schema) and _is_json(operation.consumes):
            body_example = views.example(schema, request=True)
    responses = []
    for response in operation.responses:
        node = views.view(response.schema, expand=True) if response.schema else None
        examples = dict(response.examples)
        generated = False
        if response.schema and not examples and not is_binary(response.schema):
            value = views.example(response.schema)
            if value is not MISSING and _is_json(operation.produces):
                examples = {"application/json": value}
                generated = True
        responses.append(
            {
                "response": response,
                "anchor": anchors.response_anchor(operation.operation_id, response.status),
                "node": node,
                "binary": is_binary(response.schema),
                "examples": examples,
                "generated": generated,
                "headers": [
                    {"name": name, "description": str(header.get("description") or ""), "node": views.view(header)}
                    for name, header in response.headers.items()
                    if isinstance(header, dict)
                ],
            }
        )
    curl = curl_command(operation, base_path, body_example)
    return OperationView(operation, parameter_groups, body, body_example, responses, curl)


def _badges_by_owner(facts: VersionFacts | None) -> dict[str, dict[str, str]]:
    """Return the "Added in" version labels, grouped by operation or definition anchor.

    Each macro call then receives only the badges of its own operation or definition, so
    that the fragment memo reuses an operation's HTML across versions where it is the same.
    """
    if facts is None:
        return {}
    return {
        owner: {value: str(first) for value, first in items.items()}
        for owner, items in facts.added.items()
    }


def _change_links(
    facts: VersionFacts | None, operation_id: str, version_urls: dict[str, str]
) -> list[dict[str, Any]]:
    """Return the versions in which an operation changed, each with a link to it there.

    Each item has ``version`` (label), ``url`` (empty when that version has no page) and
    ``later`` (the change came after this page's version).
    """
    if facts is None:
        return []
    items = []
    for version, id_there in facts.changes.get(operation_id, []):
        label = str(version)
        page_url = version_urls.get(label, "")
        fragment = anchors.operation_anchor(id_there)
        items.append(
            {
                "version": label,
                "url": f"{page_url}#{fragment}" if page_url else "",
                "later": version > facts.version,
            }
        )
    return items


def _is_json(media_types: list[str]) -> bool:
    return not media_types or any("json" in media_type for media_type in media_types)


_ID_RE = re.compile(r'\bid="([^"]*)"')
_HREF_RE = re.compile(r'href="#([^"]*)"')
# Elements that name the context of a link in messages; see the templates' ``data-context``.
_CONTEXT_RE = re.compile(r'data-context="([^"]*)"')


#: Placeholder for the spec's base path in the curl examples while operations are rendered.
#: An operation that did not change between versions then renders to the same HTML in each,
#: so FragmentMemo reuses it. The token is replaced once per page. It is made of private-use
#: characters, which a spec's text has no reason to contain.
BASE_PATH_TOKEN = "\ue000base-path\ue000"


def render_reference(
    spec: Spec,
    links: PageLinks | None = None,
    fragment_aliases: dict[str, str] | None = None,
    facts: VersionFacts | None = None,
) -> RenderedPage:
    """Render the reference page body for ``spec``.

    Args:
        spec: the checked spec.
        links: URLs of the download and the other versions' pages.
        fragment_aliases: old fragment -> current fragment; links to an old fragment are
            rewritten when the current one exists on the page, and the page's script sends
            readers who arrive with an old fragment on to the current one.
        facts: what this version's page shows about other versions (``Lineage.facts``),
            for the "Added in" and "Changed in" notes; none are shown without it.
    """
    links = links or PageLinks()
    views = SchemaViews(spec.definitions)
    intro, sections = markup.split_sections(spec.description)
    badges = _badges_by_owner(facts)
    version_urls = dict(links.versions)
    tags = []
    for tag in spec.tags:
        operations = []
        for op in tag.operations:
            view = _operation_view(op, views, BASE_PATH_TOKEN)
            view.badges = badges.get(anchors.operation_anchor(op.operation_id), {})
            view.changes = _change_links(facts, op.operation_id, version_urls)
            operations.append(view)
        tags.append({"tag": tag, "operations": operations})
    arrival_aliases = dict(facts.former_ids) if facts else {}
    arrival_aliases.update(fragment_aliases or {})
    definitions = [
        {
            "name": name,
            "node": views.definition_view(name),
            "badges": badges.get(anchors.definition_anchor(name), {}),
        }
        for name in spec.definitions
    ]
    html = environment().get_template("apiref/reference.html").render(
        spec=spec,
        intro=intro,
        sections=sections,
        tags=tags,
        definitions=definitions,
        links=links,
        arrival_aliases=json.dumps(arrival_aliases, sort_keys=True),
    )
    html = html.replace(BASE_PATH_TOKEN, str(escape(double_quoted_text(spec.base_path.rstrip("/")))))
    toc = _toc(sections, spec, definitions)
    if fragment_aliases:
        html = _apply_fragment_aliases(html, fragment_aliases)
    ids, broken = check_fragments(html)
    return RenderedPage(html=html, toc=toc, ids=ids, broken_links=broken)


def _unescape(value: str) -> str:
    """Decode the character references of an attribute value (most values have none)."""
    return html_module.unescape(value) if "&" in value else value


def _apply_fragment_aliases(html: str, aliases: dict[str, str]) -> str:
    ids = {_unescape(value) for value in _ID_RE.findall(html)}

    def replace(match: re.Match[str]) -> str:
        fragment = _unescape(match.group(1))
        target = aliases.get(fragment)
        if target is None or fragment in ids or target not in ids:
            return match.group(0)
        return f'href="#{Markup.escape(target)}"'

    return _HREF_RE.sub(replace, html)


def _toc(sections: list[tuple[str, str]], spec: Spec, definitions: list[Any]) -> list[TocEntry]:
    toc = [TocEntry(f"section/{title}", title, 2) for title, _ in sections]
    for tag in spec.tags:
        entry = TocEntry(f"tag/{tag.name}", tag.display_name, 2)
        entry.children = [
            TocEntry(
                anchors.operation_anchor(op.operation_id),
                op.summary or f"{op.method.upper()} {op.path}",
                3,
            )
            for op in tag.operations
        ]
        toc.append(entry)
    if definitions:
        toc.append(TocEntry("definitions", "Definitions", 2))
    return toc


def check_fragments(html: str) -> tuple[set[str], list[PageLinkProblem]]:
    """Collect the ids of a page and the ``#fragment`` links that match none of them.

    Each problem names the operation, tag, section or definition that contains the link.
    """
    ids = {_unescape(value) for value in _ID_RE.findall(html)}
    contexts = [
        (match.start(), _unescape(match.group(1)))
        for match in _CONTEXT_RE.finditer(html)
    ]
    problems: list[PageLinkProblem] = []
    index = 0
    context = "the page introduction"
    for match in _HREF_RE.finditer(html):
        while index < len(contexts) and contexts[index][0] < match.start():
            context = contexts[index][1]
            index += 1
        fragment = _unescape(match.group(1))
        if fragment and fragment not in ids:
            problems.append(PageLinkProblem(fragment=fragment, context=context))
    return ids, problems
