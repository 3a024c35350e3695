"""Read the version data file: engine releases and the maximum API version each serves.

The file is YAML in one of two shapes. The full shape is a mapping::

    minimum_api: "1.24"
    deprecation_url: /engine/deprecated/#deprecate-legacy-api-versions
    archived_docs:
      - api: "1.23"            # the archive covers this API version and older ones
        url: https://github.com/moby/moby/tree/v25.0.0/docs/api
    releases:
      - engine: "26.1"
        api: "1.45"
      - engine: "1.11"
        api: "1.23"
        deprecated: true

The short shape is the ``releases`` list alone. Releases are listed newest first, compared
as numbers (``1.9 < 1.10 < 17.03 < 17.03.1``). A release is deprecated when it is marked
``deprecated: true`` or when its API version is below ``minimum_api``. The file is read
from YAML nodes, so every error names its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError, InputErrors
from .versions import api_version_key, normalise_api_version, version_key

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TOP_LEVEL_KEYS = ("minimum_api", "deprecation_url", "archived_docs", "releases")
_RELEASE_KEYS = ("engine", "api", "deprecated")
_ARCHIVE_KEYS = ("api", "url")


@dataclass(frozen=True)
class Release:
    """One matrix row: an engine release and the maximum API version it serves."""

    engine: str
    api: str
    deprecated: bool
    line: int


@dataclass(frozen=True)
class ArchivedDocs:
    """Documentation kept elsewhere for an API version and all older ones."""

    api: str
    url: str
    line: int


@dataclass
class VersionData:
    """The parsed version data file."""

    file: str
    releases: list[Release]
    minimum_api: str | None = None
    deprecation_url: str | None = None
    archived_docs: list[ArchivedDocs] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    """Problems that were repaired, such as ``V1.46`` read as ``1.46``."""


def load_version_data(path: str | Path, label: str | None = None) -> VersionData:
    """Read and check a version data file.

    Args:
        path: The YAML file.
        label: The file name used in messages (a project-relative path); ``path`` if None.

    Raises:
        InputError: The file cannot be read.
        InputErrors: The data is invalid; every problem found is listed.
    """
    label = label or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read version data: {error}", file=label) from error
    return parse_version_data(text, label)


def parse_version_data(text: str, file: str) -> VersionData:
    """Parse version data from YAML text; see the module docstring for the shape.

    Raises:
        InputErrors: The data is invalid; every problem found is listed.
    """
    parser = _VersionDataParser(file)
    data = parser.parse(text)
    if parser.errors:
        raise InputErrors(parser.errors)
    return data


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _VersionDataParser:
    """Walks the composed YAML nodes, so that every message carries a line number."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[InputError] = []
        self.warnings: list[InputError] = []

    def error(self, message: str, node: yaml.Node | None) -> None:
        line = _line(node) if node is not None else None
        self.errors.append(InputError(message, file=self.file, line=line))

    def parse(self, text: str) -> VersionData:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(error, "problem", None) or str(error)
            raise InputErrors(
                [InputError(f"invalid YAML: {problem}", file=self.file, line=line)]
            ) from error

        data = VersionData(file=self.file, releases=[], warnings=self.warnings)
        if root is None:
            self.error("the file is empty; expected a list of releases", None)
            return data
        if isinstance(root, yaml.SequenceNode):
            releases_node: yaml.Node | None = root
        elif isinstance(root, yaml.MappingNode):
            fields = self.mapping(root, _TOP_LEVEL_KEYS, "version data")
            releases_node = fields.get("releases")
            if releases_node is None:
                self.error("missing field 'releases'", root)
            if "minimum_api" in fields:
                data.minimum_api = self.api_version(fields["minimum_api"], "minimum_api")
            if "deprecation_url" in fields:
                data.deprecation_url = self.string(fields["deprecation_url"], "deprecation_url")
            if "archived_docs" in fields:
                data.archived_docs = self.archived_docs(fields["archived_docs"])
        else:
            self.error("expected a list of releases or a mapping with 'releases'", root)
            return data

        if releases_node is not None:
            data.releases = self.releases(releases_node, data.minimum_api)
        self.check_archives(data)
        return data

    def mapping(
        self, node: yaml.Node, allowed: tuple[str, ...], what: str
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.error(f"{what} must be a mapping, not {_describe(node)}", node)
            return {}
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in allowed:
                expected = ", ".join(allowed)
                self.error(f"unknown field {key!r} in {what}; expected one of {expected}", key_node)
            elif key in fields:
                self.error(f"field {key!r} given twice in {what}", key_node)
            else:
                fields[key] = value_node
        return fields

    def string(self, node: yaml.Node, name: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.error(f"{name} must be a string, not {_describe(node)}", node)
            return None
        # The scalar's source text is used, so an unquoted 1.10 stays "1.10", not 1.1.
        return str(node.value).strip()

    def api_version(self, node: yaml.Node, name: str) -> str | None:
        text = self.string(node, name)
        if text is None:
            return None
        try:
            version, had_prefix = normalise_api_version(text)
        except ValueError:
            self.error(f"invalid {name} {text!r}: expected an API version such as 1.45", node)
            return None
        if had_prefix:
            self.warnings.append(
                InputError(
                    f"{name} {text!r} read as {version!r}; write API versions without 'v'",
                    file=self.file,
                    line=_line(node),
                )
            )
        return version

    def releases(self, node: yaml.Node, minimum_api: str | None) -> list[Release]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(f"releases must be a list, not {_describe(node)}", node)
            return []
        releases = []
        for item in node.value:
            release = self.release(item, minimum_api)
            if release is not None:
                releases.append(release)
        self.check_order(releases)
        return releases

    def release(self, node: yaml.Node, minimum_api: str | None) -> Release | None:
        fields = self.mapping(node, _RELEASE_KEYS, "a release")
        if not isinstance(node, yaml.MappingNode):
            return None
        engine = self.engine_version(fields["engine"]) if "engine" in fields else None
        api = self.api_version(fields["api"], "api") if "api" in fields else None
        if "engine" not in fields:
            known = f" (api {api})" if api else ""
            self.error(f"release{known} is missing the field 'engine'", node)
        if "api" not in fields:
            known = f" (engine {engine})" if engine else ""
            self.error(f"release{known} is missing the field 'api'", node)
        deprecated = self.boolean(fields["deprecated"]) if "deprecated" in fields else None
        if engine is None or api is None:
            return None
        below_minimum = minimum_api is not None and api_version_key(api) < api_version_key(
            minimum_api
        )
        if below_minimum and deprecated is False:
            self.error(
                f"engine {engine} serves API {api}, below minimum_api {minimum_api}, "
                "but says 'deprecated: false'",
                fields["deprecated"],
            )
        return Release(engine, api, bool(deprecated) or below_minimum, _line(node))

    def engine_version(self, node: yaml.Node) -> str | None:
        text = self.string(node, "engine")
        if text is None:
            return None
        try:
            version_key(text)
        except ValueError:
            self.error(f"invalid engine version {text!r}: expected a version such as 26.1", node)
            return None
        return text

    def boolean(self, node: yaml.Node) -> bool | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL_TAG:
            value = getattr(node, "value", "")
            self.error(f"deprecated must be true or false, not {value!r}", node)
            return None
        return node.value.lower() in ("true", "yes", "on")

    def check_order(self, releases: list[Release]) -> None:
        seen: dict[tuple[int, ...], Release] = {}
        for newer, older in zip(releases, releases[1:]):
            if version_key(older.engine) > version_key(newer.engine):
                self.errors.append(
                    InputError(
                        f"engine {older.engine} is listed after {newer.engine} "
                        f"(line {newer.line}); list releases newest first",
                        file=self.file,
                        line=older.line,
                    )
                )
            elif api_version_key(older.api) > api_version_key(newer.api):
                self.errors.append(
                    InputError(
                        f"engine {older.engine} serves API {older.api}, newer than API "
                        f"{newer.api} of the newer engine {newer.engine} (line {newer.line})",
                        file=self.file,
                        line=older.line,
                    )
                )
        for release in releases:
            key = version_key(release.engine)
            if key in seen:
                first = seen[key]
                self.errors.append(
                    InputError(
                        f"duplicate release: engine {release.engine} is already listed on "
                        f"line {first.line} (as {first.engine})",
                        file=self.file,
                        line=release.line,
                    )
                )
            else:
                seen[key] = release

    def archived_docs(self, node: yaml.Node) -> list[ArchivedDocs]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(f"archived_docs must be a list, not {_describe(node)}", node)
            return []
        archives = []
        for item in node.value:
            fields = self.mapping(item, _ARCHIVE_KEYS, "an archived_docs entry")
            if not isinstance(item, yaml.MappingNode):
                continue
            for name in _ARCHIVE_KEYS:
                if name not in fields:
                    self.error(f"archived_docs entry is missing the field {name!r}", item)
            api = self.api_version(fields["api"], "api") if "api" in fields else None
            url = self.string(fields["url"], "url") if "url" in fields else None
            if api is not None and url:
                archives.append(ArchivedDocs(api, url, _line(item)))
        return archives

    def check_archives(self, data: VersionData) -> None:
        if data.archived_docs and data.minimum_api is None:
            line = data.archived_docs[0].line
            self.errors.append(
                InputError("archived_docs needs minimum_api", file=self.file, line=line)
            )
            return
        for archive in data.archived_docs:
            if api_version_key(archive.api) >= api_version_key(data.minimum_api or "0.0"):
                self.errors.append(
                    InputError(
                        f"archived docs for API {archive.api} must cover versions below "
                        f"minimum_api {data.minimum_api}",
                        file=self.file,
                        line=archive.line,
                    )
                )


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(node.value)
