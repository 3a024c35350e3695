"""Find, read and parse the files of a spec folder.

A spec folder is shaped like the upstream engine's ``api/docs`` folder: ``v1.24.md`` (a reference
written as Markdown), ``v1.25.yaml`` ... (one Swagger 2.0 or OpenAPI 3 file per API version),
``CHANGELOG.md`` and files that are neither (``README.md``, ``LICENSE``), which are ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import total_ordering
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, unescape_pointer_token

SPEC_FILE_RE = re.compile(r"^v(\d+)\.(\d+)\.(yaml|yml|json|md)$")

#: Upper bound on the number of nodes a document has once YAML aliases are expanded. The
#: largest upstream spec has about 60,000; a "billion laughs" document has billions.
MAX_EXPANDED_NODES = 2_000_000

#: Upper bound on nesting depth. The deepest upstream spec nests about 20 levels.
MAX_DEPTH = 200

try:
    _YamlLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _YamlLoader = yaml.SafeLoader


@total_ordering
@dataclass(frozen=True)
class ApiVersion:
    """An API version such as 1.45, ordered numerically (1.9 < 1.10)."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> ApiVersion:
        """Parse ``1.45`` or ``v1.45``; raise ``ValueError`` for anything else."""
        match = re.fullmatch(r"[vV]?(\d+)\.(\d+)", str(text).strip())
        if not match:
            raise ValueError(f"invalid API version {text!r}: expected the form 1.45")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    def __lt__(self, other: ApiVersion) -> bool:
        return (self.major, self.minor) < (other.major, other.minor)


@dataclass(frozen=True)
class SpecSource:
    """One versioned file of a spec folder."""

    version: ApiVersion
    path: Path
    #: ``"spec"`` for a Swagger/OpenAPI file, ``"markdown"`` for a reference written as Markdown.
    kind: str
    #: The path as shown in messages: relative to the working directory where possible.
    label: str


@dataclass
class SpecFolder:
    """The versioned files of a spec folder, oldest first, and its changelog."""

    path: Path
    sources: list[SpecSource] = field(default_factory=list)
    changelog: Path | None = None

    @property
    def versions(self) -> list[ApiVersion]:
        """API versions that have a file, oldest first."""
        return [source.version for source in self.sources]

    def get(self, version: ApiVersion) -> SpecSource | None:
        """Return the file for ``version``, or None."""
        for source in self.sources:
            if source.version == version:
                return source
        return None


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it."""
    # The folder is resolved but not the name, so a symbolic link is shown under its own name.
    absolute = path.parent.resolve() / path.name
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(absolute)


def discover(folder: Path) -> SpecFolder:
    """List the versioned files of ``folder``.

    Raises:
        InputError: the folder is missing, or two files claim one version.
    """
    if not folder.is_dir():
        raise InputError(
            "spec folder not found; set IECHOR_API_SPECS, the plugin's 'specs_dir' option or "
            "the command's --specs option "
            "to a folder holding v1.NN.yaml files",
            file=display_path(folder),
        )
    result = SpecFolder(path=folder)
    seen: dict[ApiVersion, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name == "CHANGELOG.md":
            result.changelog = path
            continue
        match = SPEC_FILE_RE.match(path.name)
        if not match:
            continue
        if path.is_dir():
            raise InputError(
                f"{path.name} is a folder, but a versioned name like this is reserved for a "
                "spec file; rename the folder or move it out of the spec folder",
                file=display_path(folder),
            )
        # A broken symbolic link is kept, so that reading it reports the missing target.
        version = ApiVersion(int(match.group(1)), int(match.group(2)))
        if version in seen:
            raise InputError(
                f"two files for API version {version}: {seen[version].name} and {path.name}; "
                "keep one",
                file=display_path(folder),
            )
        seen[version] = path
        kind = "markdown" if match.group(3) == "md" else "spec"
        result.sources.append(SpecSource(version, path, kind, display_path(path)))
    result.sources.sort(key=lambda source: source.version)
    return result


def read_text(path: Path, label: str) -> str:
    """Read a UTF-8 file.

    Raises:
        InputError: the file cannot be read or is not valid UTF-8 (with the line of the first
            invalid byte).
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(
            f"cannot read the file ({reason}); check that it exists and is readable",
            file=label,
        ) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"file is not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8",
            file=label,
            line=line,
        ) from error


def parse_document(text: str, label: str) -> Any:
    """Parse YAML or JSON text and check that it stays within size and depth bounds.

    Raises:
        InputError: invalid syntax (with its line), or a document too large or too deep.
    """
    try:
        if label.endswith(".json"):
            document = json.loads(text)
        else:
            document = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON: {error.msg} (column {error.colno}); fix the syntax on this line",
            file=label,
            line=error.lineno,
        ) from error
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(error, label) from error
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", file=label) from error
    except RecursionError as error:
        raise InputError(
            f"document nests too deeply to parse (more than {MAX_DEPTH} levels are rejected "
            "anyway); flatten the structure or move nested schemas into definitions",
            file=label,
        ) from error
    check_bounds(document, label)
    return document


def _yaml_error(error: yaml.MarkedYAMLError, label: str) -> InputError:
    """Turn a PyYAML syntax error into one line with the line of the problem."""
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "syntax error"
    if "nesting depth" in problem:
        # libyaml stops at 1,000 levels; the text may be valid, just far too deep.
        return InputError(
            f"document nests too deeply to parse (more than {MAX_DEPTH} levels are rejected "
            "anyway); flatten the structure or move nested schemas into definitions",
            file=label,
            line=mark.line + 1 if mark else None,
        )
    context = ""
    if error.context and error.problem and error.context_mark is not None:
        context = f" ({error.context} at line {error.context_mark.line + 1})"
    return InputError(
        f"invalid YAML: {problem}{context}; fix the syntax on this line",
        file=label,
        line=mark.line + 1 if mark else None,
    )


def check_bounds(document: Any, label: str) -> None:
    """Reject a document whose alias-expanded size or depth is out of bounds.

    PyYAML turns aliases into shared objects, so a "billion laughs" document loads quickly
    but any walk over it never ends. The expanded size is counted once per distinct object.

    Raises:
        InputError: the document is too large once expanded, or too deep.
    """
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    # Iterative post-order walk; a node is finished once all its children are.
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            children = ()
        if not children_done:
            stack.append((node, True))
            if len(stack) > MAX_DEPTH * 64 + 1_000_000:
                raise InputError("document is too large to walk", file=label)
            for child in children:
                if isinstance(child, (dict, list)) and id(child) not in sizes:
                    stack.append((child, False))
            continue
        size = 1
        depth = 0
        for child in children:
            if isinstance(child, (dict, list)):
                size += sizes.get(id(child), 0)
                depth = max(depth, depths.get(id(child), 0))
            else:
                size += 1
        sizes[key] = size
        depths[key] = depth + 1
        if size > MAX_EXPANDED_NODES:
            raise InputError(
                f"document expands to more than {MAX_EXPANDED_NODES:,} nodes, most likely "
                "through nested YAML aliases; write the repeated parts out or use $ref",
                file=label,
            )
        if depth + 1 > MAX_DEPTH:
            raise InputError(
                f"document nests deeper than {MAX_DEPTH} levels; flatten the structure or "
                "move nested schemas into definitions",
                file=label,
            )


class LineIndex:
    """Look up the line of a JSON pointer in a YAML or JSON text.

    The node tree with line marks is built on the first look-up only, because a build that
    finds no errors never needs it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._failed = False

    def line_of(self, pointer: str) -> int | None:
        """Return the 1-based line where the node at ``pointer`` starts, or None."""
        if self._root is None and not self._failed:
            try:
                self._root = yaml.compose(self._text, Loader=_YamlLoader)
            except (yaml.YAMLError, RecursionError):
                self._failed = True
        node = self._root
        if node is None:
            return None
        tokens = pointer.lstrip("#").strip("/")
        for raw in tokens.split("/") if tokens else []:
            token = unescape_pointer_token(raw)
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if str(key_node.value) == token:
                        node = value_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and token.isdigit():
                index = int(token)
                if index >= len(node.value):
                    break
                node = node.value[index]
            else:
                break
        return node.start_mark.line + 1
