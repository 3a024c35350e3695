"""Every rejected spec gets one message with its file, place and fix; the build fails once."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SiteBuild, build_site, write_spec

HEADER = 'swagger: "2.0"\ninfo:\n  title: Bad\n  version: "{version}"\n'

BAD_SPECS = {
    "v1.30.yaml": HEADER.format(version="1.30") + "paths:\n  /a: [unclosed\n",
    "v1.31.yaml": "- just\n- a list\n",
    "v1.32.yaml": HEADER.format(version="1.32"),
    "v1.33.yaml": HEADER.format(version="1.33")
    + "paths: {}\ndefinitions:\n  Foo:\n    type: object\n    properties:\n      Bar:\n"
    '        $ref: "#/definitions/Nope"\n',
    "v1.34.yaml": HEADER.format(version="1.34")
    + 'paths: {}\ndefinitions:\n  Foo:\n    $ref: "https://example.com/schemas.json#/Foo"\n',
    "v1.35.yaml": HEADER.format(version="1.35")
    + "paths: {}\ndefinitions:\n  Alpha:\n    allOf:\n"
    '      - $ref: "#/definitions/Beta"\n  Beta:\n    allOf:\n'
    '      - $ref: "#/definitions/Alpha"\n',
    "v1.36.yaml": HEADER.format(version="1.99") + "paths: {}\n",
    "v1.37.yaml": HEADER.format(version="1.37")
    + "paths:\n  /a:\n    get:\n      operationId: Same\n"
    '      responses: {"200": {description: OK}}\n'
    "  /b:\n    get:\n      operationId: Same\n"
    '      responses: {"200": {description: OK}}\n',
    "v1.40.json": '{"swagger": "2.0", "info": {"title": "x", "version": "1.40"},\n'
    ' "paths": {,}}\n',
    "v1.41.yaml": HEADER.format(version="1.41")
    + "paths:\n  /a:\n    get:\n      parameters:\n        - name: x\n"
    '      responses: {"200": {description: OK}}\n',
    "v1.42.yaml": HEADER.format(version="1.42") + "paths: {}\ndefinitions: [a, b]\n",
}

#: File -> pieces its one message must contain: line, JSON pointer, problem, fix.
EXPECTED = {
    "v1.30.yaml": ["line 6", "invalid YAML", "fix the syntax"],
    "v1.31.yaml": ["the top level is a list", "not a Swagger 2.0 or OpenAPI 3.x document"],
    "v1.32.yaml": ["(#/paths)", "missing 'paths'", "add 'paths'"],
    "v1.33.yaml": [
        ":11 (#/definitions/Foo/properties/Bar)", "'#/definitions/Nope' not found",
        "add it under 'definitions'",
    ],
    "v1.34.yaml": [":8 (#/definitions/Foo)", "https://example.com/schemas.json#/Foo",
                   "move the schema into this file's definitions"],
    "v1.35.yaml": ["(#/definitions/Alpha)", "Alpha -> Beta -> Alpha", "allOf",
                   "break the loop"],
    "v1.36.yaml": [":4 (#/info/version)", "'1.99'", "1.36", "rename the file"],
    "v1.37.yaml": [":12 (#/paths/~1b/get/operationId)", "duplicate operationId 'Same'",
                   "#/paths/~1a/get", "rename one"],
    "v1.38.yaml": [":3", "not valid UTF-8", "0xe9", "save it as UTF-8"],
    "v1.39.yaml": ["cannot read the file", "No such file or directory"],
    "v1.40.json": [":2", "invalid JSON", "fix the syntax"],
    "v1.41.yaml": [":9 (#/paths/~1a/get/parameters/0)", "no 'in'"],
    "v1.42.yaml": ["(#/definitions)", "'definitions' must be a mapping", "is a list"],
}


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    project = tmp_path_factory.mktemp("bad-specs")
    specs = project / "specs"
    for name, text in BAD_SPECS.items():
        write_spec(specs, name, text)
    (specs / "v1.38.yaml").write_bytes(
        b'swagger: "2.0"\ninfo:\n  title: caf\xe9\n  version: "1.38"\npaths: {}\n'
    )
    (specs / "v1.39.yaml").symlink_to(project / "missing-target.yaml")
    return build_site(project, specs, strict=False)


def _messages(build: SiteBuild, name: str) -> list[str]:
    return [line.strip() for line in build.output.splitlines() if f"{name}:" in line]


def test_bad_specs_fail_build(bad_build: SiteBuild) -> None:
    assert not bad_build.ok


def test_bad_specs_print_no_traceback(bad_build: SiteBuild) -> None:
    assert "Traceback" not in bad_build.output


def test_bad_specs_counted_once(bad_build: SiteBuild) -> None:
    assert f"apiref: {len(EXPECTED)} input errors:" in bad_build.output


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_spec_has_one_message(bad_build: SiteBuild, name: str) -> None:
    assert len(_messages(bad_build, name)) == 1, bad_build.output


@pytest.mark.parametrize(
    ("name", "piece"), [(name, piece) for name, pieces in EXPECTED.items() for piece in pieces]
)
def test_bad_spec_message_content(bad_build: SiteBuild, name: str, piece: str) -> None:
    messages = _messages(bad_build, name)
    assert messages, bad_build.output
    assert piece in messages[0]


def test_bad_spec_message_names_folder(bad_build: SiteBuild) -> None:
    # The build runs in the project folder, so paths are shown relative to it.
    for message in (_messages(bad_build, name)[0] for name in EXPECTED):
        assert message.startswith("specs/")


def test_folder_with_spec_name_rejected(tmp_path: Path) -> None:
    (tmp_path / "specs" / "v1.45.yaml").mkdir(parents=True)
    site = build_site(tmp_path, tmp_path / "specs", strict=False)
    assert not site.ok
    assert "v1.45.yaml is a folder" in site.output
    assert "Traceback" not in site.output


def test_missing_spec_folder_rejected(tmp_path: Path) -> None:
    site = build_site(tmp_path, tmp_path / "nowhere", strict=False)
    assert not site.ok
    assert "spec folder not found" in site.output
    assert "nowhere" in site.output
    assert "Traceback" not in site.output
