"""Explosive, deeply nested and combinatorial specs build quickly or fail with one message."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SiteBuild, build_site, write_spec

HEADER = 'swagger: "2.0"\ninfo:\n  title: Bounds\n  version: "1.45"\n'

#: A hung build fails the test through subprocess.TimeoutExpired; the bound is generous,
#: because the test asserts that the build finishes, not how fast.
TIMEOUT = 50


def _build(tmp_path: Path, name: str, text: str) -> SiteBuild:
    specs = tmp_path / "specs"
    write_spec(specs, name, text)
    return build_site(tmp_path, specs, timeout=TIMEOUT, strict=False)


def _only_message(site: SiteBuild) -> str:
    messages = [line.strip() for line in site.output.splitlines() if "v1.45." in line]
    assert len(messages) == 1, site.output
    return messages[0]


def test_billion_laughs_rejected(tmp_path: Path) -> None:
    lines = [HEADER, "paths: {}\n", "x-laughs:\n", '  a0: &a0 ["lol", "lol", "lol", "lol"]\n']
    for level in range(1, 12):
        lines.append(f"  a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]\n")
    site = _build(tmp_path, "v1.45.yaml", "".join(lines))
    assert not site.ok
    assert "Traceback" not in site.output
    message = _only_message(site)
    assert "expands to more than" in message
    assert "YAML aliases" in message


def test_deep_yaml_lists_rejected(tmp_path: Path) -> None:
    text = HEADER + "paths: {}\nx-deep: " + "[" * 10_000 + "]" * 10_000 + "\n"
    site = _build(tmp_path, "v1.45.yaml", text)
    assert not site.ok
    assert "Traceback" not in site.output
    assert "nests too deeply" in _only_message(site)


def test_deep_block_yaml_rejected(tmp_path: Path) -> None:
    nested = "".join("  " * (level + 1) + "- \n" for level in range(10_000))
    site = _build(tmp_path, "v1.45.yaml", HEADER + "paths: {}\nx-deep:\n" + nested)
    assert not site.ok
    assert "Traceback" not in site.output
    assert "nests too deeply" in _only_message(site)


def test_deep_json_rejected(tmp_path: Path) -> None:
    head = json.dumps({"swagger": "2.0", "info": {"title": "x", "version": "1.45"}, "paths": {}})
    text = head[:-1] + ', "x-deep": ' + "[" * 10_000 + "]" * 10_000 + "}"
    site = _build(tmp_path, "v1.45.json", text)
    assert not site.ok
    assert "Traceback" not in site.output
    assert "nests too deeply" in _only_message(site)


def test_deep_schema_within_parser_limit_rejected(tmp_path: Path) -> None:
    schema = "{type: string}"
    for _ in range(400):
        schema = "{type: array, items: " + schema + "}"
    text = HEADER + "paths: {}\ndefinitions:\n  Deep: " + schema + "\n"
    site = _build(tmp_path, "v1.45.yaml", text)
    assert not site.ok
    assert "Traceback" not in site.output
    assert "nests deeper than" in _only_message(site)


def test_ref_diamond_builds(tmp_path: Path) -> None:
    lines = [
        HEADER,
        "paths:\n  /diamond:\n    get:\n      operationId: Diamond\n      responses:\n",
        '        "200":\n          description: OK\n          schema:\n',
        '            $ref: "#/definitions/D21"\n',
        "definitions:\n  D0:\n    type: object\n    properties:\n      Value: {type: string}\n",
    ]
    for level in range(1, 22):
        below = f'"#/definitions/D{level - 1}"'
        lines.append(
            f"  D{level}:\n    allOf:\n      - $ref: {below}\n      - type: object\n"
            f"        properties:\n          Left: {{$ref: {below}}}\n"
            f"          Right: {{$ref: {below}}}\n"
        )
    site = _build(tmp_path, "v1.45.yaml", "".join(lines))
    assert site.ok, site.output
    area = site.content()
    assert area.find(id="operation/Diamond") is not None
    assert area.find(id="definition/D21") is not None
    assert site.page_path().stat().st_size < 2_000_000
