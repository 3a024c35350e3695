"""Generate the project's own iEchor Engine API specs and their version history.

The site documents one Swagger 2.0 file per API version, ``specs/v1.25.yaml`` to
``specs/v1.45.yaml``, plus ``specs/CHANGELOG.md``. All of them come from this script:

* ``build_base_spec()`` is the API as it stood at v1.24. That version has no Swagger file:
  ``specs/v1.24.md`` documents it in Markdown and is written by hand.
* ``CHANGES`` is the ordered list of changes that each later version made. Every change edits
  the spec and carries the changelog bullet that describes it, and the script checks that each
  bullet names the method and path, parameter, definition or property that the change touches.
  So the notes and the specs cannot disagree.

Regenerate from the repository root after editing this file::

    python scripts/make_project_specs.py

``--check`` writes nothing and exits with status 1 when a file in ``specs/`` differs from what
the script would write. Requires Python 3.10+ and PyYAML.
"""

from __future__ import annotations

import argparse
import copy
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "specs"

FIRST_SPEC_VERSION = "1.25"
LAST_SPEC_VERSION = "1.45"
MARKDOWN_VERSION = "1.24"

Spec = dict[str, Any]
Schema = dict[str, Any]

RAW_STREAM = "application/vnd.iechor.raw-stream"
MULTIPLEXED_STREAM = "application/vnd.iechor.multiplexed-stream"


def spec_versions() -> list[str]:
    """Return the versions that get a Swagger file, oldest first."""
    first = int(FIRST_SPEC_VERSION.split(".")[1])
    last = int(LAST_SPEC_VERSION.split(".")[1])
    return [f"1.{minor}" for minor in range(first, last + 1)]


def version_key(version: str) -> tuple[int, ...]:
    """Return a sort key that orders ``1.9`` before ``1.10``."""
    return tuple(int(part) for part in version.split("."))


# ---------------------------------------------------------------------------------------------
# Small builders for the spec data
# ---------------------------------------------------------------------------------------------


def text(block: str) -> str:
    """Dedent a triple-quoted block and end it with one newline, for a YAML ``|`` scalar."""
    return textwrap.dedent(block).strip("\n") + "\n"


def ref(definition: str) -> Schema:
    """Return a ``$ref`` to a definition in the same file."""
    return {"$ref": f"#/definitions/{definition}"}


def error(description: str, example: str | None = None) -> dict[str, Any]:
    """Return an error response whose body is an ``ErrorResponse``."""
    response: dict[str, Any] = {"description": description, "schema": ref("ErrorResponse")}
    if example is not None:
        response["examples"] = {"application/json": {"message": example}}
    return response


SERVER_ERROR = error("server error")
BAD_PARAMETER = error("bad parameter")


def path_param(name: str, description: str) -> dict[str, Any]:
    """Return a required string path parameter."""
    return {
        "name": name,
        "in": "path",
        "description": description,
        "required": True,
        "type": "string",
    }


def query(name: str, type_: str, description: str, **extra: Any) -> dict[str, Any]:
    """Return a query parameter. ``extra`` adds keys such as ``default``, ``enum`` or ``items``."""
    parameter: dict[str, Any] = {
        "name": name,
        "in": "query",
        "description": description,
        "type": type_,
    }
    parameter.update(extra)
    return parameter


def flag(name: str, description: str, default: bool = False) -> dict[str, Any]:
    """Return a boolean query parameter with a default."""
    return query(name, "boolean", description, default=default)


def filters(description: str) -> dict[str, Any]:
    """Return the JSON-encoded ``filters`` query parameter."""
    return query("filters", "string", description)


def body(name: str, schema: Schema, description: str, required: bool = True) -> dict[str, Any]:
    """Return a body parameter."""
    return {
        "name": name,
        "in": "body",
        "description": description,
        "required": required,
        "schema": schema,
    }


def operation(
    operation_id: str,
    tag: str,
    summary: str,
    responses: dict[int, Any],
    *,
    description: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    consumes: list[str] | None = None,
    produces: list[str] | None = None,
) -> dict[str, Any]:
    """Return an operation object with its keys in reading order."""
    result: dict[str, Any] = {"summary": summary}
    if description is not None:
        result["description"] = description
    result["operationId"] = operation_id
    result["tags"] = [tag]
    if consumes is not None:
        result["consumes"] = consumes
    if produces is not None:
        result["produces"] = produces
    if parameters:
        result["parameters"] = parameters
    result["responses"] = responses
    return result


def string_map(description: str, example: dict[str, str] | None = None) -> Schema:
    """Return an object schema whose values are strings, such as labels."""
    schema: Schema = {
        "description": description,
        "type": "object",
        "additionalProperties": {"type": "string"},
    }
    if example is not None:
        schema["example"] = example
    return schema


def string_list(description: str, example: list[str] | None = None) -> Schema:
    """Return an array-of-strings schema."""
    schema: Schema = {"description": description, "type": "array", "items": {"type": "string"}}
    if example is not None:
        schema["example"] = example
    return schema


def prune_response(list_name: str, list_description: str) -> dict[int, Any]:
    """Return the responses of a prune endpoint that lists what it deleted."""
    return {
        200: {
            "description": "no error",
            "schema": {
                "type": "object",
                "title": f"{list_name}PruneResponse",
                "properties": {
                    list_name: string_list(list_description),
                    "SpaceReclaimed": {
                        "description": "Disk space reclaimed in bytes.",
                        "type": "integer",
                        "format": "int64",
                    },
                },
            },
        },
        500: SERVER_ERROR,
    }


# ---------------------------------------------------------------------------------------------
# The API at v1.24: top-level sections
# ---------------------------------------------------------------------------------------------


def info_description(version: str) -> str:
    """Return the ``info.description`` Markdown, with ReDoc-style top-level sections."""
    return text(
        f"""
        The iEchor Engine API is the HTTP API that the iEchor Engine serves. The `iechor`
        command-line client talks to the Engine through it, so anything the client does can be
        done with the API. Most client commands map to one endpoint: `iechor ps`, for example, is
        `GET /containers/json`. Running a container is the main exception, because it takes
        several calls: create, attach, start and wait.

        # Errors

        The API returns standard HTTP status codes. When a call fails, the body is a JSON
        object with a human-readable message:

        ```json
        {{
          "message": "No such container: 4fa6e0f0c678"
        }}
        ```

        | Status | Meaning |
        |--------|---------|
        | 200, 201, 204 | The call succeeded. |
        | 304 | The object was already in the requested state. |
        | 400 | A parameter or the request body is invalid. |
        | 401 | Registry authentication failed. |
        | 404 | The named container, image, network, volume or exec instance does not exist. |
        | 409 | The call conflicts with the object's state, such as removing a running container. |
        | 500 | The daemon failed to complete the call. |

        # Versioning

        Each Engine release may change the API, so every path is versioned. Prefix the path
        with the version to pin it: `/v{version}/info` calls the v{version} version of
        `GET /info`.

        - A version the daemon does not support returns `400 Bad Request`.
        - Without a prefix, the daemon serves its newest version, v{version} for this document.
        - The server may add properties to responses and ignores unknown query parameters and
          body properties, so clients must ignore properties they do not know.

        The changes between versions are listed in the version history.

        # Authentication

        Credentials for registries are handled on the client side. Endpoints that talk to a
        registry, such as [creating an image](#operation/ImageCreate), take them in the
        `X-Registry-Auth` header: a base64url-encoded JSON object with these fields:

        ```json
        {{
          "username": "string",
          "password": "string",
          "serveraddress": "string"
        }}
        ```

        The `serveraddress` is a domain name or IP address without a protocol. When a
        [login check](#operation/SystemAuth) returns an `IdentityToken`, send it instead of the
        password:

        ```json
        {{
          "identitytoken": "9cbaf023786cd7..."
        }}
        ```
        """
    )


def build_tags() -> list[dict[str, Any]]:
    """Return the tag list; ReDoc shows each tag as a section named by ``x-displayName``."""
    return [
        {
            "name": "Container",
            "x-displayName": "Containers",
            "description": text(
                """
                Create, run and remove containers. To run more processes in a running
                container, see [Exec](#tag/Exec).
                """
            ),
        },
        {
            "name": "Image",
            "x-displayName": "Images",
            "description": "Build, pull, inspect and remove images.\n",
        },
        {
            "name": "Network",
            "x-displayName": "Networks",
            "description": text(
                """
                User-defined networks that containers can join. A container joins a network
                when it is created, through `NetworkingConfig`, or later through the
                [connect endpoint](#operation/NetworkConnect).
                """
            ),
        },
        {
            "name": "Volume",
            "x-displayName": "Volumes",
            "description": "Create and manage persistent storage that containers can mount.\n",
        },
        {
            "name": "Exec",
            "x-displayName": "Exec",
            "description": text(
                """
                Run new commands inside running containers. Create an exec instance first, then
                start it. Its output stream has the same framing as the
                [attach endpoint](#operation/ContainerAttach).
                """
            ),
        },
        {
            "name": "System",
            "x-displayName": "System",
            "description": "Daemon information, registry login and events.\n",
        },
    ]


# ---------------------------------------------------------------------------------------------
# The API at v1.24: paths
# ---------------------------------------------------------------------------------------------

CONTAINER_ID = path_param("id", "ID or name of the container")
NO_SUCH_CONTAINER = error("no such container", "No such container: c2ada9df5af8")

STREAM_DESCRIPTION = text(
    """
    When the container was created with `Tty: false`, the stream is multiplexed: each frame
    starts with an 8-byte header. The first byte names the stream (0 stdin, 1 stdout,
    2 stderr), the next three are zero, and the last four are the frame size as a big-endian
    uint32. With `Tty: true` the stream is raw and has no headers.
    """
)


def container_paths() -> dict[str, Any]:
    """Return the container endpoints of v1.24."""
    return {
        "/containers/json": {
            "get": operation(
                "ContainerList",
                "Container",
                "List containers",
                description=text(
                    """
                    Returns a list of containers. The list contains a summary of each container.
                    For the full configuration of one container, call the
                    [inspect endpoint](#operation/ContainerInspect).
                    """
                ),
                parameters=[
                    flag("all", "Return all containers. By default only running ones."),
                    query(
                        "limit",
                        "integer",
                        "Return at most this many of the most recently created containers, "
                        "including stopped ones. 0 means no limit.",
                        default=0,
                    ),
                    flag("size", "Return the size of each container in `SizeRw` and `SizeRootFs`."),
                    filters(
                        text(
                            """
                            Filters to apply, as a JSON-encoded `map[string][]string`. Available
                            filters: `ancestor`, `exited=<int>`, `id`, `isolation`, `label`,
                            `name`, `network`, `status` and `volume`.
                            """
                        )
                    ),
                ],
                responses={
                    200: {
                        "description": "no error",
                        "schema": {"type": "array", "items": ref("ContainerSummary")},
                        "examples": {
                            "application/json": [
                                {
                                    "Id": "8dfafdbc3a40",
                                    "Names": ["/boring_feynman"],
                                    "Image": "ubuntu:latest",
                                    "ImageID": "d74508fb6632",
                                    "Command": "echo 1",
                                    "Created": 1367854155,
                                    "State": "exited",
                                    "Status": "Exited (0) 3 days ago",
                                    "Ports": [{"PrivatePort": 2222, "PublicPort": 3333,
                                               "Type": "tcp"}],
                                    "Labels": {"com.example.vendor": "Acme"},
                                }
                            ]
                        },
                    },
                    400: BAD_PARAMETER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/create": {
            "post": operation(
                "ContainerCreate",
                "Container",
                "Create a container",
                consumes=["application/json", "application/octet-stream"],
                parameters=[
                    query(
                        "name",
                        "string",
                        "Name for the container; must match `/?[a-zA-Z0-9][a-zA-Z0-9_.-]+`.",
                    ),
                    body(
                        "body",
                        {
                            "title": "ContainerCreateRequest",
                            "allOf": [
                                ref("ContainerConfig"),
                                {
                                    "type": "object",
                                    "properties": {
                                        "HostConfig": ref("HostConfig"),
                                        "NetworkingConfig": ref("NetworkingConfig"),
                                    },
                                },
                            ],
                        },
                        "Container to create: the [`ContainerConfig`](#definition/ContainerConfig) "
                        "fields plus its host and networking configuration.",
                    ),
                ],
                responses={
                    201: {
                        "description": "Container created successfully",
                        "schema": ref("ContainerCreateResponse"),
                        "examples": {
                            "application/json": {"Id": "e90e34656806", "Warnings": []}
                        },
                    },
                    400: BAD_PARAMETER,
                    404: error("no such image", "No such image: c2ada9df5af8"),
                    409: error("conflict: the name is already in use"),
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/json": {
            "get": operation(
                "ContainerInspect",
                "Container",
                "Inspect a container",
                description="Return low-level information about a container.\n",
                parameters=[
                    CONTAINER_ID,
                    flag("size", "Return the size of the container in `SizeRw` and `SizeRootFs`."),
                ],
                responses={
                    200: {"description": "no error", "schema": ref("ContainerInspectResponse")},
                    404: NO_SUCH_CONTAINER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/logs": {
            "get": operation(
                "ContainerLogs",
                "Container",
                "Get container logs",
                description=text(
                    """
                    Get `stdout` and `stderr` logs from a container. This works only for
                    containers that use the `json-file` or `journald` logging driver.

                    """
                )
                + STREAM_DESCRIPTION,
                produces=[RAW_STREAM, MULTIPLEXED_STREAM],
                parameters=[
                    CONTAINER_ID,
                    flag("follow", "Keep the connection open and stream new output."),
                    flag("stdout", "Return logs from `stdout`."),
                    flag("stderr", "Return logs from `stderr`."),
                    query(
                        "since", "integer", "Only return logs since this UNIX timestamp.", default=0
                    ),
                    flag("timestamps", "Prefix every log line with its timestamp."),
                    query(
                        "tail",
                        "string",
                        "Only return this many lines from the end of the logs. `all` returns "
                        "every line.",
                        default="all",
                    ),
                ],
                responses={
                    200: {
                        "description": "logs returned as a stream in the response body",
                        "schema": {"type": "string", "format": "binary"},
                    },
                    404: NO_SUCH_CONTAINER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/export": {
            "get": operation(
                "ContainerExport",
                "Container",
                "Export a container",
                description="Export the contents of a container's filesystem as a tarball.\n",
                produces=["application/x-tar"],
                parameters=[CONTAINER_ID],
                responses={
                    200: {
                        "description": "the filesystem as a tar archive",
                        "schema": {"type": "string", "format": "binary"},
                    },
                    404: NO_SUCH_CONTAINER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/start": {
            "post": operation(
                "ContainerStart",
                "Container",
                "Start a container",
                parameters=[
                    CONTAINER_ID,
                    query(
                        "detachKeys",
                        "string",
                        "Override the key sequence for detaching: a single character `[a-Z]` or "
                        "`ctrl-<value>`, where `<value>` is one of `a-z`, `@`, `^`, `[`, `,` or "
                        "`_`.",
                    ),
                ],
                responses={
                    204: {"description": "no error"},
                    304: {"description": "container already started"},
                    404: NO_SUCH_CONTAINER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/stop": {
            "post": operation(
                "ContainerStop",
                "Container",
                "Stop a container",
                parameters=[
                    CONTAINER_ID,
                    query(
                        "t",
                        "integer",
                        "Number of seconds to wait before killing the container.",
                    ),
                ],
                responses={
                    204: {"description": "no error"},
                    304: {"description": "container already stopped"},
                    404: NO_SUCH_CONTAINER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/wait": {
            "post": operation(
                "ContainerWait",
                "Container",
                "Wait for a container",
                description="Block until a container stops, then return its exit code.\n",
                parameters=[CONTAINER_ID],
                responses={
                    200: {
                        "description": "the container has exited",
                        "schema": ref("ContainerWaitResponse"),
                    },
                    404: NO_SUCH_CONTAINER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}": {
            "delete": operation(
                "ContainerDelete",
                "Container",
                "Remove a container",
                parameters=[
                    CONTAINER_ID,
                    flag("v", "Remove the anonymous volumes of the container."),
                    flag("force", "Kill the container first if it is running."),
                    flag("link", "Remove the named link instead of the container."),
                ],
                responses={
                    204: {"description": "no error"},
                    400: BAD_PARAMETER,
                    404: NO_SUCH_CONTAINER,
                    409: error(
                        "conflict",
                        "You cannot remove a running container: c2ada9df5af8. Stop the "
                        "container before attempting removal or force remove",
                    ),
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/attach": {
            "post": operation(
                "ContainerAttach",
                "Container",
                "Attach to a container",
                description=text(
                    """
                    Attach to a container to read its output or send it input. The call
                    hijacks the HTTP connection: after a `101 Switching Protocols` (when the
                    request has `Upgrade: tcp`) or a `200 OK`, the connection carries the raw
                    streams in both directions.

                    """
                )
                + STREAM_DESCRIPTION,
                produces=[RAW_STREAM, MULTIPLEXED_STREAM],
                parameters=[
                    CONTAINER_ID,
                    query(
                        "detachKeys", "string", "Override the key sequence for detaching."
                    ),
                    flag("logs", "Replay the previous output before the live stream."),
                    flag("stream", "Stream attached streams from the time the request was made."),
                    flag("stdin", "Attach to `stdin`."),
                    flag("stdout", "Attach to `stdout`."),
                    flag("stderr", "Attach to `stderr`."),
                ],
                responses={
                    101: {"description": "no error, hints proxy about hijacking"},
                    200: {"description": "no error, no upgrade header found"},
                    400: BAD_PARAMETER,
                    404: NO_SUCH_CONTAINER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/attach/ws": {
            "get": operation(
                "ContainerAttachWebsocket",
                "Container",
                "Attach to a container via a websocket",
                parameters=[
                    CONTAINER_ID,
                    query("detachKeys", "string", "Override the key sequence for detaching."),
                    flag("logs", "Replay the previous output before the live stream."),
                    flag("stream", "Stream attached streams from the time the request was made."),
                ],
                responses={
                    101: {"description": "no error, hints proxy about hijacking"},
                    200: {"description": "no error, no upgrade header found"},
                    400: BAD_PARAMETER,
                    404: NO_SUCH_CONTAINER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/containers/{id}/archive": {
            "parameters": [
                CONTAINER_ID,
                query(
                    "path",
                    "string",
                    "Path to a file or directory inside the container.",
                    required=True,
                ),
            ],
            "head": operation(
                "ContainerArchiveInfo",
                "Container",
                "Get information about files in a container",
                description=text(
                    """
                    Return the stat of a path in the container's filesystem in the
                    `X-Iechor-Container-Path-Stat` header.
                    """
                ),
                responses={
                    200: {
                        "description": "no error",
                        "headers": {
                            "X-Iechor-Container-Path-Stat": {
                                "type": "string",
                                "description": "Base64-encoded JSON object with the name, "
                                "size, mode, modification time and link target of the path.",
                            }
                        },
                    },
                    400: BAD_PARAMETER,
                    404: error("container or path does not exist"),
                    500: SERVER_ERROR,
                },
            ),
            "get": operation(
                "ContainerArchive",
                "Container",
                "Get an archive of a filesystem resource in a container",
                produces=["application/x-tar"],
                responses={
                    200: {
                        "description": "the path as a tar archive",
                        "schema": {"type": "string", "format": "binary"},
                    },
                    400: BAD_PARAMETER,
                    404: error("container or path does not exist"),
                    500: SERVER_ERROR,
                },
            ),
            "put": operation(
                "PutContainerArchive",
                "Container",
                "Extract an archive of files or folders to a directory in a container",
                description="Upload a tar archive and extract it into a container directory.\n",
                consumes=["application/x-tar", "application/octet-stream"],
                parameters=[
                    flag(
                        "noOverwriteDirNonDir",
                        "Fail if extracting would replace a directory with a non-directory "
                        "or the reverse.",
                    ),
                    body(
                        "inputStream",
                        {"type": "string", "format": "binary"},
                        "The tar archive to extract, optionally compressed with gzip, bzip2 or xz.",
                    ),
                ],
                responses={
                    200: {"description": "the content was extracted successfully"},
                    400: BAD_PARAMETER,
                    403: error("permission denied: the volume or container rootfs is read-only"),
                    404: error("container or path does not exist"),
                    500: SERVER_ERROR,
                },
            ),
        },
    }


IMAGE_NAME = path_param("name", "Image name or ID")
NO_SUCH_IMAGE = error("no such image", "No such image: c2ada9df5af8")


def image_paths() -> dict[str, Any]:
    """Return the image endpoints of v1.24."""
    return {
        "/images/json": {
            "get": operation(
                "ImageList",
                "Image",
                "List images",
                parameters=[
                    flag("all", "Show all images, including intermediate layers."),
                    filters(
                        text(
                            """
                            Filters to apply, as a JSON-encoded `map[string][]string`. Available
                            filters: `before`, `dangling=true`, `label`, `reference` and `since`.
                            """
                        )
                    ),
                    query("filter", "string", "Only show images whose reference matches this."),
                    flag("digests", "Show digest information in `RepoDigests`."),
                ],
                responses={
                    200: {
                        "description": "summary of the images",
                        "schema": {"type": "array", "items": ref("ImageSummary")},
                    },
                    500: SERVER_ERROR,
                },
            )
        },
        "/build": {
            "post": operation(
                "ImageBuild",
                "Image",
                "Build an image",
                description=text(
                    """
                    Build an image from a tar archive that holds a build file (`Iechorfile`)
                    and its context. The response is a stream of
                    [`BuildInfo`](#definition/BuildInfo) JSON objects.
                    """
                ),
                consumes=["application/x-tar"],
                produces=["application/json"],
                parameters=[
                    body(
                        "inputStream",
                        {"type": "string", "format": "binary"},
                        "The build context as a tar archive, optionally compressed.",
                        required=False,
                    ),
                    query(
                        "dockerfile",
                        "string",
                        "Path to the build file within the build context.",
                        default="Iechorfile",
                    ),
                    query("t", "string", "Name and optional tag for the image, `name:tag`."),
                    flag("q", "Suppress verbose build output."),
                    flag("nocache", "Do not use the cache when building the image."),
                    flag(
                        "rm",
                        "Remove intermediate containers after a successful build.",
                        default=True,
                    ),
                    flag("pull", "Always pull newer versions of the base images."),
                    {
                        "name": "Content-type",
                        "in": "header",
                        "type": "string",
                        "enum": ["application/x-tar"],
                        "default": "application/x-tar",
                    },
                    {
                        "name": "X-Registry-Config",
                        "in": "header",
                        "description": "Base64-encoded JSON map from registry host name to "
                        "credentials, used to pull base images. See "
                        "[authentication](#section/Authentication).",
                        "type": "string",
                    },
                ],
                responses={
                    200: {"description": "no error", "schema": ref("BuildInfo")},
                    400: BAD_PARAMETER,
                    500: SERVER_ERROR,
                },
            )
        },
        "/images/create": {
            "post": operation(
                "ImageCreate",
                "Image",
                "Create an image",
                description="Pull an image from a registry, or import one from a tarball.\n",
                consumes=["text/plain", "application/octet-stream"],
                produces=["application/json"],
                parameters=[
                    query("fromImage", "string", "Name of the image to pull."),
                    query(
                        "fromSrc",
                        "string",
                        "Source to import: a URL, or `-` to read the image from the body.",
                    ),
                    query("repo", "string", "Repository name for an imported image."),
                    query("tag", "string", "Tag or digest. Empty pulls every tag."),
                    body(
                        "inputImage",
                        {"type": "string"},
                        "Image content when `fromSrc` is `-`.",
                        required=False,
                    ),
                    {
                        "name": "X-Registry-Auth",
                        "in": "header",
                        "description": "A base64url-encoded auth configuration. See the "
                        "[authentication section](#section/Authentication).",
                        "type": "string",
                    },
                ],
                responses={
                    200: {
                        "description": "no error; the body is a stream of progress objects",
                        "schema": ref("CreateImageInfo"),
                    },
                    404: error("repository does not exist or no read access"),
                    500: SERVER_ERROR,
                },
            )
        },
        "/images/{name}/json": {
            "get": operation(
                "ImageInspect",
                "Image",
                "Inspect an image",
                parameters=[IMAGE_NAME],
                responses={
                    200: {"description": "no error", "schema": ref("ImageInspect")},
                    404: NO_SUCH_IMAGE,
                    500: SERVER_ERROR,
                },
            )
        },
        "/images/{name}/history": {
            "get": operation(
                "ImageHistory",
                "Image",
                "Get the history of an image",
                parameters=[IMAGE_NAME],
                responses={
                    200: {
                        "description": "list of image layers",
                        "schema": {"type": "array", "items": ref("HistoryResponseItem")},
                    },
                    404: NO_SUCH_IMAGE,
                    500: SERVER_ERROR,
                },
            )
        },
        "/images/{name}/tag": {
            "post": operation(
                "ImageTag",
                "Image",
                "Tag an image",
                parameters=[
                    IMAGE_NAME,
                    query("repo", "string", "The repository to tag in, such as `someuser/app`."),
                    query("tag", "string", "The name of the new tag."),
                ],
                responses={
                    201: {"description": "no error"},
                    400: BAD_PARAMETER,
                    404: NO_SUCH_IMAGE,
                    409: error("conflict"),
                    500: SERVER_ERROR,
                },
            )
        },
        "/images/{name}": {
            "delete": operation(
                "ImageDelete",
                "Image",
                "Remove an image",
                description="Remove an image with its untagged parents.\n",
                parameters=[
                    IMAGE_NAME,
                    flag("force", "Remove the image even if it is in use by stopped containers."),
                    flag("noprune", "Do not delete untagged parent images."),
                ],
                responses={
                    200: {
                        "description": "the images that were untagged or deleted",
                        "schema": {"type": "array", "items": ref("ImageDeleteResponseItem")},
                    },
                    404: NO_SUCH_IMAGE,
                    409: error("conflict"),
                    500: SERVER_ERROR,
                },
            )
        },
        "/images/get": {
            "get": operation(
                "ImageGetAll",
                "Image",
                "Export several images",
                description="Get a tarball with all the images and their metadata.\n",
                produces=["application/x-tar"],
                parameters=[
                    query(
                        "names",
                        "array",
                        "Image names to export.",
                        items={"type": "string"},
                        collectionFormat="multi",
                    )
                ],
                responses={
                    200: {
                        "description": "no error",
                        "schema": {"type": "string", "format": "binary"},
                    },
                    500: SERVER_ERROR,
                },
            )
        },
    }


def network_paths() -> dict[str, Any]:
    """Return the network endpoints of v1.24."""
    no_such_network = error("no such network", "No such network: 3c8a8bb0f9b2")
    return {
        "/networks": {
            "get": operation(
                "NetworkList",
                "Network",
                "List networks",
                parameters=[
                    filters(
                        "Filters to apply, as a JSON-encoded `map[string][]string`: "
                        "`driver`, `id`, `label`, `name` and `type`."
                    )
                ],
                responses={
                    200: {
                        "description": "no error",
                        "schema": {"type": "array", "items": ref("Network")},
                    },
                    500: SERVER_ERROR,
                },
            )
        },
        "/networks/{id}": {
            "parameters": [path_param("id", "Network ID or name")],
            "get": operation(
                "NetworkInspect",
                "Network",
                "Inspect a network",
                parameters=[flag("verbose", "Include detailed information from all nodes.")],
                responses={
                    200: {"description": "no error", "schema": ref("Network")},
                    404: no_such_network,
                    500: SERVER_ERROR,
                },
            ),
            "delete": operation(
                "NetworkDelete",
                "Network",
                "Remove a network",
                responses={
                    204: {"description": "no error"},
                    403: error("operation not supported for pre-defined networks"),
                    404: no_such_network,
                    500: SERVER_ERROR,
                },
            ),
        },
        "/networks/create": {
            "post": operation(
                "NetworkCreate",
                "Network",
                "Create a network",
                parameters=[
                    body("networkConfig", ref("NetworkCreateRequest"), "Network to create.")
                ],
                responses={
                    201: {"description": "no error", "schema": ref("IdResponse")},
                    400: BAD_PARAMETER,
                    409: error("a network with this name already exists"),
                    500: SERVER_ERROR,
                },
            )
        },
        "/networks/{id}/connect": {
            "post": operation(
                "NetworkConnect",
                "Network",
                "Connect a container to a network",
                parameters=[
                    path_param("id", "Network ID or name"),
                    body(
                        "container",
                        {
                            "type": "object",
                            "title": "NetworkConnectRequest",
                            "properties": {
                                "Container": {
                                    "description": "ID or name of the container to connect.",
                                    "type": "string",
                                },
                                "EndpointConfig": ref("EndpointSettings"),
                            },
                        },
                        "The container and its endpoint settings.",
                    ),
                ],
                responses={
                    200: {"description": "no error"},
                    404: error("network or container not found"),
                    500: SERVER_ERROR,
                },
            )
        },
    }


def volume_paths() -> dict[str, Any]:
    """Return the volume endpoints of v1.24."""
    no_such_volume = error("no such volume", "get data: no such volume")
    return {
        "/volumes": {
            "get": operation(
                "VolumeList",
                "Volume",
                "List volumes",
                parameters=[
                    filters(
                        "Filters to apply, as a JSON-encoded `map[string][]string`: "
                        "`dangling`, `driver`, `label` and `name`."
                    )
                ],
                responses={
                    200: {
                        "description": "summary volume data",
                        "schema": ref("VolumeListResponse"),
                    },
                    500: SERVER_ERROR,
                },
            )
        },
        "/volumes/create": {
            "post": operation(
                "VolumeCreate",
                "Volume",
                "Create a volume",
                parameters=[
                    body("volumeConfig", ref("VolumeCreateOptions"), "Volume configuration.")
                ],
                responses={
                    201: {"description": "the volume was created", "schema": ref("Volume")},
                    500: SERVER_ERROR,
                },
            )
        },
        "/volumes/{name}": {
            "parameters": [path_param("name", "Volume name or ID")],
            "get": operation(
                "VolumeInspect",
                "Volume",
                "Inspect a volume",
                responses={
                    200: {"description": "no error", "schema": ref("Volume")},
                    404: no_such_volume,
                    500: SERVER_ERROR,
                },
            ),
            "delete": operation(
                "VolumeDelete",
                "Volume",
                "Remove a volume",
                parameters=[flag("force", "Remove the volume even if it is in use.")],
                responses={
                    204: {"description": "the volume was removed"},
                    404: no_such_volume,
                    409: error("volume is in use and cannot be removed"),
                    500: SERVER_ERROR,
                },
            ),
        },
    }


def exec_paths() -> dict[str, Any]:
    """Return the exec endpoints of v1.24."""
    exec_id = path_param("id", "Exec instance ID")
    return {
        "/containers/{id}/exec": {
            "post": operation(
                "ExecCreate",
                "Exec",
                "Create an exec instance",
                description="Set up a command to run in a running container.\n",
                parameters=[
                    CONTAINER_ID,
                    body("execConfig", ref("ExecConfig"), "Exec configuration."),
                ],
                responses={
                    201: {"description": "no error", "schema": ref("IdResponse")},
                    404: NO_SUCH_CONTAINER,
                    409: error("container is paused"),
                    500: SERVER_ERROR,
                },
            )
        },
        "/exec/{id}/start": {
            "post": operation(
                "ExecStart",
                "Exec",
                "Start an exec instance",
                description=text(
                    """
                    Start a previously created exec instance. Unless `Detach` is set, the call
                    hijacks the connection like [attaching](#operation/ContainerAttach) does.
                    """
                ),
                produces=[RAW_STREAM, MULTIPLEXED_STREAM],
                parameters=[exec_id, body("execStartConfig", ref("ExecStartConfig"), "")],
                responses={
                    200: {"description": "no error"},
                    404: error("no such exec instance"),
                    409: error("container is stopped or paused"),
                },
            )
        },
        "/exec/{id}/json": {
            "get": operation(
                "ExecInspect",
                "Exec",
                "Inspect an exec instance",
                parameters=[exec_id],
                responses={
                    200: {"description": "no error", "schema": ref("ExecInspectResponse")},
                    404: error("no such exec instance"),
                    500: SERVER_ERROR,
                },
            )
        },
    }


def system_paths() -> dict[str, Any]:
    """Return the system endpoints of v1.24."""
    return {
        "/auth": {
            "post": operation(
                "SystemAuth",
                "System",
                "Check auth configuration",
                description="Validate credentials for a registry and, if available, get an "
                "identity token for later calls.\n",
                parameters=[body("authConfig", ref("AuthConfig"), "Authentication to check.")],
                responses={
                    200: {
                        "description": "the login succeeded",
                        "schema": {
                            "type": "object",
                            "title": "SystemAuthResponse",
                            "required": ["Status"],
                            "properties": {
                                "Status": {
                                    "description": "The status of the authentication.",
                                    "type": "string",
                                    "x-nullable": False,
                                },
                                "IdentityToken": {
                                    "description": "An opaque token used in place of the password.",
                                    "type": "string",
                                    "x-nullable": False,
                                },
                            },
                        },
                    },
                    204: {"description": "no error"},
                    401: error("auth error"),
                    500: SERVER_ERROR,
                },
            )
        },
        "/info": {
            "get": operation(
                "SystemInfo",
                "System",
                "Get system information",
                responses={
                    200: {"description": "no error", "schema": ref("SystemInfo")},
                    500: SERVER_ERROR,
                },
            )
        },
        "/version": {
            "get": operation(
                "SystemVersion",
                "System",
                "Get version",
                description="Return the version of the Engine and of the API it serves.\n",
                responses={
                    200: {
                        "description": "no error",
                        "schema": ref("SystemVersion"),
                        "examples": {
                            "application/json": {
                                "Version": "17.04.0",
                                "ApiVersion": "1.24",
                                "MinAPIVersion": "1.12",
                                "Os": "linux",
                                "Arch": "amd64",
                            }
                        },
                    },
                    500: SERVER_ERROR,
                },
            )
        },
        "/_ping": {
            "get": operation(
                "SystemPing",
                "System",
                "Ping",
                description="A no-op endpoint to check that the server is reachable.\n",
                produces=["text/plain"],
                responses={
                    200: {
                        "description": "no error",
                        "schema": {"type": "string", "example": "OK"},
                        "headers": {
                            "API-Version": {
                                "type": "string",
                                "description": "Newest API version the server supports.",
                            }
                        },
                    },
                    500: SERVER_ERROR,
                },
            )
        },
        "/events": {
            "get": operation(
                "SystemEvents",
                "System",
                "Monitor events",
                description=text(
                    """
                    Stream real-time events from the server as
                    [`EventMessage`](#definition/EventMessage) JSON objects. Containers,
                    images, volumes, networks and the daemon report events.
                    """
                ),
                parameters=[
                    query("since", "string", "Show events created since this timestamp."),
                    query("until", "string", "Show events created until this timestamp."),
                    filters(
                        "Filters to apply, as a JSON-encoded `map[string][]string`: "
                        "`container`, `event`, `image`, `label`, `network`, `type` and `volume`."
                    ),
                ],
                responses={
                    200: {"description": "no error", "schema": ref("EventMessage")},
                    400: BAD_PARAMETER,
                    500: SERVER_ERROR,
                },
            )
        },
    }


# ---------------------------------------------------------------------------------------------
# The API at v1.24: definitions
# ---------------------------------------------------------------------------------------------


def id_property(description: str) -> Schema:
    """Return a read-only, non-null ID string."""
    return {"description": description, "type": "string", "readOnly": True, "x-nullable": False}


def timestamp_property(description: str, type_: str = "string") -> Schema:
    """Return a read-only timestamp (RFC 3339 string, or a UNIX time when ``type_`` is integer)."""
    schema: Schema = {"description": description, "type": type_, "readOnly": True}
    if type_ == "string":
        schema["format"] = "dateTime"
        schema["example"] = "2024-01-18T08:14:02.118Z"
    else:
        schema["format"] = "int64"
        schema["example"] = 1705566842
    return schema


def progress_definitions() -> dict[str, Schema]:
    """Return the objects that build and pull progress streams are made of."""
    return {
        "ErrorResponse": {
            "description": "Represents an error.",
            "type": "object",
            "required": ["message"],
            "properties": {
                "message": {
                    "description": "The error message.",
                    "type": "string",
                    "x-nullable": False,
                    "example": "Something went wrong.",
                }
            },
        },
        "ErrorDetail": {
            "description": "An error in a progress stream, with the error that caused it.",
            "type": "object",
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "cause": {
                    "description": "The error that caused this one, if any.",
                    "x-nullable": True,
                    "allOf": [ref("ErrorDetail")],
                },
            },
        },
        "ProgressDetail": {
            "type": "object",
            "properties": {
                "current": {"type": "integer", "example": 1024},
                "total": {"type": "integer", "example": 4096},
            },
        },
        "ImageID": {
            "description": "Image ID or digest.",
            "type": "object",
            "properties": {"ID": {"type": "string"}},
        },
        "BuildInfo": {
            "description": "One object of a build's progress stream.",
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "stream": {"type": "string"},
                "status": {"type": "string"},
                "progress": {"type": "string"},
                "progressDetail": ref("ProgressDetail"),
                "aux": ref("ImageID"),
                "errorDetail": ref("ErrorDetail"),
            },
        },
        "CreateImageInfo": {
            "description": "One object of a pull or import progress stream.",
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "status": {"type": "string"},
                "progress": {"type": "string"},
                "progressDetail": ref("ProgressDetail"),
                "errorDetail": ref("ErrorDetail"),
            },
        },
        "IdResponse": {
            "description": "Response to a call that creates an object.",
            "type": "object",
            "required": ["Id"],
            "properties": {
                "Id": {
                    "description": "The ID of the created object.",
                    "type": "string",
                    "x-nullable": False,
                }
            },
        },
    }


def container_config_definitions() -> dict[str, Schema]:
    """Return the definitions that configure a container."""
    return {
        "Port": {
            "description": "An open port on a container.",
            "type": "object",
            "required": ["PrivatePort", "Type"],
            "properties": {
                "IP": {"description": "Host IP address the port is bound to.", "type": "string"},
                "PrivatePort": {
                    "description": "Port on the container.",
                    "type": "integer",
                    "format": "uint16",
                    "x-nullable": False,
                },
                "PublicPort": {
                    "description": "Port exposed on the host.",
                    "type": "integer",
                    "format": "uint16",
                },
                "Type": {"type": "string", "x-nullable": False, "enum": ["tcp", "udp"]},
            },
            "example": {"PrivatePort": 8080, "PublicPort": 80, "Type": "tcp"},
        },
        "Mount": {
            "type": "object",
            "properties": {
                "Target": {"description": "Container path.", "type": "string"},
                "Source": {
                    "description": "Mount source: a host path for `bind`, a volume name for "
                    "`volume`. Empty for `tmpfs`.",
                    "type": "string",
                },
                "Type": {
                    "description": "The mount type.",
                    "type": "string",
                    "enum": ["bind", "volume", "tmpfs"],
                },
                "ReadOnly": {"description": "Mount the source read-only.", "type": "boolean"},
            },
        },
        "RestartPolicy": {
            "description": "What the daemon does when the container exits.",
            "type": "object",
            "properties": {
                "Name": {
                    "type": "string",
                    "enum": ["", "no", "always", "unless-stopped", "on-failure"],
                },
                "MaximumRetryCount": {
                    "description": "Retries for `on-failure`; 0 retries forever.",
                    "type": "integer",
                    "default": 0,
                },
            },
        },
        "Resources": {
            "description": "Resource limits of a container.",
            "type": "object",
            "properties": {
                "CpuShares": {"description": "Relative CPU weight.", "type": "integer"},
                "Memory": {
                    "description": "Memory limit in bytes.",
                    "type": "integer",
                    "format": "int64",
                    "default": 0,
                },
                "CgroupParent": {"type": "string"},
                "CpuPeriod": {"type": "integer", "format": "int64"},
                "CpuQuota": {"type": "integer", "format": "int64"},
                "PidsLimit": {
                    "description": "Maximum number of processes; null or 0 means no limit.",
                    "type": "integer",
                    "format": "int64",
                    "x-nullable": True,
                },
            },
        },
        "HostConfig": {
            "description": "Container configuration that depends on the host.",
            "allOf": [
                ref("Resources"),
                {
                    "type": "object",
                    "properties": {
                        "Binds": string_list(
                            "Bind mounts as `host-src:container-dest[:options]`.",
                            ["/tmp:/tmp:ro"],
                        ),
                        "NetworkMode": {
                            "description": "`bridge`, `host`, `none`, `container:<name|id>` "
                            "or the name of a user-defined network.",
                            "type": "string",
                        },
                        "PortBindings": {
                            "description": "Map from container port `<port>/<protocol>` to "
                            "host bindings.",
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "HostIp": {"type": "string"},
                                        "HostPort": {"type": "string"},
                                    },
                                },
                            },
                        },
                        "RestartPolicy": ref("RestartPolicy"),
                        "AutoRemove": {
                            "description": "Remove the container when it exits.",
                            "type": "boolean",
                        },
                        "Mounts": {
                            "description": "Mounts to add to the container.",
                            "type": "array",
                            "items": ref("Mount"),
                        },
                        "Privileged": {"type": "boolean"},
                        "ReadonlyRootfs": {"type": "boolean"},
                        "Isolation": {
                            "description": "Isolation technology of the container.",
                            "type": "string",
                            "enum": ["default", "process", "hyperv"],
                        },
                    },
                },
            ],
        },
        "ContainerConfig": {
            "description": "Configuration of a container that does not depend on the host.",
            "type": "object",
            "properties": {
                "Hostname": {"type": "string"},
                "User": {"type": "string", "example": "1000:1000"},
                "AttachStdin": {"type": "boolean", "default": False},
                "AttachStdout": {"type": "boolean", "default": True},
                "AttachStderr": {"type": "boolean", "default": True},
                "ExposedPorts": {
                    "description": "Ports to expose, as `{\"<port>/<tcp|udp>\": {}}`.",
                    "type": "object",
                    "additionalProperties": {"type": "object"},
                    "x-nullable": True,
                },
                "Tty": {"type": "boolean", "default": False},
                "OpenStdin": {"type": "boolean", "default": False},
                "Env": string_list("Environment variables as `VAR=value`.", ["PATH=/usr/bin"]),
                "Cmd": string_list("Command to run.", ["/bin/sh"]),
                "Image": {"type": "string", "example": "alpine:3.19"},
                "Volumes": {
                    "type": "object",
                    "additionalProperties": {"type": "object"},
                },
                "WorkingDir": {"type": "string"},
                "Entrypoint": string_list("The entry point of the container."),
                "MacAddress": {"description": "MAC address of the container.", "type": "string"},
                "Labels": string_map("User-defined metadata.", {"com.example.vendor": "Acme"}),
                "StopSignal": {"type": "string", "default": "SIGTERM"},
            },
        },
        "NetworkingConfig": {
            "description": "Networks to connect the container to when it is created.",
            "type": "object",
            "properties": {
                "EndpointsConfig": {
                    "description": "Map from network name to its endpoint configuration.",
                    "type": "object",
                    "additionalProperties": ref("EndpointSettings"),
                }
            },
        },
        "EndpointSettings": {
            "description": "The configuration of a network endpoint.",
            "type": "object",
            "properties": {
                "Links": string_list("Links to other containers."),
                "Aliases": string_list("Network-scoped aliases of the container."),
                "NetworkID": id_property("ID of the network."),
                "EndpointID": id_property("ID of the endpoint."),
                "Gateway": {"type": "string", "example": "172.17.0.1"},
                "IPAddress": {"type": "string", "example": "172.17.0.4"},
            },
        },
    }


def container_state_definitions() -> dict[str, Schema]:
    """Return the definitions that describe existing containers."""
    return {
        "ContainerCreateResponse": {
            "description": "OK response to ContainerCreate.",
            "type": "object",
            "required": ["Id", "Warnings"],
            "properties": {
                "Id": {
                    "description": "The ID of the created container.",
                    "type": "string",
                    "x-nullable": False,
                },
                "Warnings": string_list("Warnings raised while creating the container."),
            },
        },
        "ContainerWaitResponse": {
            "type": "object",
            "required": ["StatusCode"],
            "properties": {
                "StatusCode": {
                    "description": "Exit code of the container.",
                    "type": "integer",
                    "x-nullable": False,
                }
            },
        },
        "MountPoint": {
            "description": "A mount point inside a container.",
            "type": "object",
            "properties": {
                "Type": {"type": "string", "example": "volume"},
                "Name": {"type": "string"},
                "Source": {"type": "string"},
                "Destination": {"type": "string"},
                "Driver": {"type": "string"},
                "Mode": {"type": "string"},
                "RW": {"type": "boolean"},
            },
        },
        "ContainerSummary": {
            "type": "object",
            "properties": {
                "Id": id_property("The ID of the container."),
                "Names": string_list("The names of the container."),
                "Image": {"type": "string"},
                "ImageID": {"type": "string"},
                "Command": {"type": "string"},
                "Created": timestamp_property("When the container was created.", "integer"),
                "Ports": {"type": "array", "items": ref("Port")},
                "SizeRw": {"type": "integer", "format": "int64"},
                "SizeRootFs": {"type": "integer", "format": "int64"},
                "Labels": string_map("User-defined metadata."),
                "State": {"type": "string", "example": "running"},
                "Status": {"type": "string", "example": "Up 4 days"},
                "Mounts": {"type": "array", "items": ref("MountPoint")},
            },
        },
        "ContainerState": {
            "description": "The running state of a container.",
            "type": "object",
            "x-nullable": True,
            "properties": {
                "Status": {
                    "type": "string",
                    "enum": [
                        "created",
                        "running",
                        "paused",
                        "restarting",
                        "removing",
                        "exited",
                        "dead",
                    ],
                },
                "Running": {"type": "boolean"},
                "Paused": {"type": "boolean"},
                "OOMKilled": {"type": "boolean"},
                "Pid": {"type": "integer", "example": 1234},
                "ExitCode": {"type": "integer", "example": 0},
                "StartedAt": timestamp_property("When the container was last started."),
                "FinishedAt": timestamp_property("When the container last exited."),
            },
        },
        "NetworkSettings": {
            "description": "The network settings of a container.",
            "type": "object",
            "properties": {
                "SandboxID": id_property("ID of the network sandbox."),
                "Networks": {
                    "type": "object",
                    "additionalProperties": ref("EndpointSettings"),
                },
            },
        },
        "ContainerInspectResponse": {
            "type": "object",
            "properties": {
                "Id": id_property("The ID of the container."),
                "Created": timestamp_property("When the container was created."),
                "Path": {"type": "string"},
                "Args": string_list("Arguments of the command."),
                "State": ref("ContainerState"),
                "Image": {"type": "string"},
                "Name": {"type": "string"},
                "RestartCount": {"type": "integer"},
                "HostConfig": ref("HostConfig"),
                "Config": ref("ContainerConfig"),
                "NetworkSettings": ref("NetworkSettings"),
                "Mounts": {"type": "array", "items": ref("MountPoint")},
            },
        },
    }


def image_definitions() -> dict[str, Schema]:
    """Return the image definitions."""
    return {
        "ImageSummary": {
            "type": "object",
            "required": ["ParentId", "RepoTags", "Size", "Labels"],
            "properties": {
                "Id": id_property("The content-addressable ID of the image."),
                "ParentId": {"type": "string", "x-nullable": False},
                "RepoTags": string_list("Tags that refer to the image.", ["alpine:3.19"]),
                "RepoDigests": string_list("Digests of the image in registries."),
                "Created": timestamp_property("When the image was created.", "integer"),
                "Size": {
                    "description": "Total size of the image, including all layers.",
                    "type": "integer",
                    "format": "int64",
                    "x-nullable": False,
                },
                "SharedSize": {
                    "description": "Size shared with other images; -1 if not computed.",
                    "type": "integer",
                    "format": "int64",
                },
                "VirtualSize": {
                    "description": "Total size of the image, including all layers.",
                    "type": "integer",
                    "format": "int64",
                },
                "Labels": string_map("User-defined metadata."),
                "Containers": {
                    "description": "Containers that use the image; -1 if not computed.",
                    "type": "integer",
                },
            },
        },
        "ImageInspect": {
            "description": "Information about an image in the local image cache.",
            "type": "object",
            "properties": {
                "Id": id_property("The content-addressable ID of the image."),
                "RepoTags": string_list("Tags that refer to the image."),
                "RepoDigests": string_list("Digests of the image in registries."),
                "Parent": {"type": "string", "x-nullable": False},
                "Comment": {"type": "string"},
                "Created": timestamp_property("When the image was created."),
                "Container": {
                    "description": "ID of the container the image was committed from.",
                    "type": "string",
                },
                "Author": {"type": "string"},
                "Config": ref("ContainerConfig"),
                "Architecture": {"type": "string", "example": "arm64"},
                "Os": {"type": "string", "example": "linux"},
                "Size": {"type": "integer", "format": "int64"},
                "VirtualSize": {"type": "integer", "format": "int64"},
                "RootFS": {
                    "type": "object",
                    "required": ["Type"],
                    "properties": {
                        "Type": {"type": "string", "x-nullable": False, "example": "layers"},
                        "Layers": string_list("Layer digests."),
                    },
                },
            },
        },
        "HistoryResponseItem": {
            "description": "One layer of an image's history.",
            "type": "object",
            "properties": {
                "Id": {"type": "string", "x-nullable": False},
                "Created": timestamp_property("When the layer was created.", "integer"),
                "CreatedBy": {"type": "string"},
                "Tags": string_list("Tags of the layer."),
                "Size": {"type": "integer", "format": "int64"},
                "Comment": {"type": "string"},
            },
        },
        "ImageDeleteResponseItem": {
            "type": "object",
            "properties": {
                "Untagged": {"description": "The image ID of an untagged image.", "type": "string"},
                "Deleted": {"description": "The image ID of a deleted image.", "type": "string"},
            },
        },
    }


def network_and_volume_definitions() -> dict[str, Schema]:
    """Return the network and volume definitions."""
    return {
        "IPAM": {
            "type": "object",
            "properties": {
                "Driver": {"type": "string", "default": "default"},
                "Config": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "Subnet": {"type": "string", "example": "172.20.0.0/16"},
                            "IPRange": {"type": "string"},
                            "Gateway": {"type": "string", "example": "172.20.10.11"},
                        },
                    },
                },
                "Options": string_map("Driver-specific options."),
            },
        },
        "Network": {
            "type": "object",
            "properties": {
                "Name": {"type": "string", "example": "my_network"},
                "Id": id_property("The ID of the network."),
                "Created": timestamp_property("When the network was created."),
                "Scope": {"type": "string", "enum": ["local", "global", "swarm"]},
                "Driver": {"type": "string", "example": "bridge"},
                "EnableIPv6": {"type": "boolean"},
                "IPAM": ref("IPAM"),
                "Internal": {"type": "boolean"},
                "Options": string_map("Driver-specific options."),
                "Labels": string_map("User-defined metadata."),
            },
        },
        "NetworkCreateRequest": {
            "type": "object",
            "required": ["Name"],
            "properties": {
                "Name": {"description": "The network's name.", "type": "string"},
                "CheckDuplicate": {
                    "description": "Reject the request if a network with the same name exists.",
                    "type": "boolean",
                    "default": False,
                },
                "Driver": {"type": "string", "default": "bridge"},
                "Internal": {"type": "boolean", "default": False},
                "EnableIPv6": {"type": "boolean", "default": False},
                "IPAM": ref("IPAM"),
                "Options": string_map("Driver-specific options."),
                "Labels": string_map("User-defined metadata."),
            },
        },
        "Volume": {
            "type": "object",
            "required": ["Name", "Driver", "Mountpoint", "Labels", "Scope", "Options"],
            "properties": {
                "Name": {"type": "string", "x-nullable": False, "example": "tardis"},
                "Driver": {"type": "string", "x-nullable": False, "example": "local"},
                "Mountpoint": {"type": "string", "x-nullable": False},
                "Status": {
                    "description": "Driver-specific status information.",
                    "type": "object",
                    "additionalProperties": {"type": "object"},
                },
                "Labels": string_map("User-defined metadata."),
                "Scope": {
                    "description": "Whether the volume exists on one host or the whole cluster.",
                    "type": "string",
                    "default": "local",
                    "enum": ["local", "global"],
                },
                "Options": string_map("Driver-specific options."),
                "UsageData": {
                    "description": "Usage details, or null when the usage was not computed.",
                    "type": "object",
                    "x-nullable": True,
                    "required": ["Size", "RefCount"],
                    "properties": {
                        "Size": {"type": "integer", "format": "int64", "default": -1},
                        "RefCount": {"type": "integer", "format": "int64", "default": -1},
                    },
                },
            },
        },
        "VolumeCreateOptions": {
            "description": "Volume configuration.",
            "type": "object",
            "properties": {
                "Name": {"type": "string", "example": "tardis"},
                "Driver": {"type": "string", "default": "local"},
                "DriverOpts": string_map("Driver-specific options."),
                "Labels": string_map("User-defined metadata."),
            },
        },
        "VolumeListResponse": {
            "type": "object",
            "properties": {
                "Volumes": {"type": "array", "items": ref("Volume")},
                "Warnings": string_list("Warnings raised while listing volumes."),
            },
        },
    }


def exec_and_system_definitions() -> dict[str, Schema]:
    """Return the exec and system definitions."""
    return {
        "ExecConfig": {
            "type": "object",
            "properties": {
                "AttachStdin": {"type": "boolean"},
                "AttachStdout": {"type": "boolean"},
                "AttachStderr": {"type": "boolean"},
                "DetachKeys": {"type": "string"},
                "Tty": {"type": "boolean"},
                "Env": string_list("Environment variables as `VAR=value`."),
                "Cmd": string_list("Command to run.", ["date"]),
                "Privileged": {"type": "boolean", "default": False},
                "User": {"type": "string"},
            },
        },
        "ExecStartConfig": {
            "type": "object",
            "properties": {
                "Detach": {"description": "Detach from the command.", "type": "boolean"},
                "Tty": {"description": "Allocate a pseudo-TTY.", "type": "boolean"},
            },
        },
        "ExecInspectResponse": {
            "type": "object",
            "properties": {
                "ID": id_property("The ID of the exec instance."),
                "Running": {"type": "boolean"},
                "ExitCode": {"type": "integer", "x-nullable": True},
                "ContainerID": {"type": "string"},
                "Pid": {"type": "integer"},
            },
        },
        "AuthConfig": {
            "type": "object",
            "properties": {
                "username": {"type": "string"},
                "password": {"type": "string"},
                "email": {"type": "string"},
                "serveraddress": {"type": "string", "example": "registry.example.com"},
            },
        },
        "SystemInfo": {
            "type": "object",
            "properties": {
                "ID": id_property("Unique identifier of the daemon."),
                "Containers": {"type": "integer"},
                "ContainersRunning": {"type": "integer"},
                "Images": {"type": "integer"},
                "Driver": {"type": "string", "example": "overlay2"},
                "MemTotal": {"type": "integer", "format": "int64"},
                "NCPU": {"type": "integer"},
                "OperatingSystem": {"type": "string"},
                "KernelVersion": {"type": "string"},
                "ServerVersion": {"type": "string", "example": "17.04.0"},
                "Name": {"type": "string"},
                "Labels": string_list("User-defined labels of the daemon."),
                "Isolation": {
                    "description": "Default isolation technology for containers.",
                    "type": "string",
                    "default": "default",
                    "enum": ["default", "hyperv", "process"],
                },
            },
        },
        "SystemVersion": {
            "type": "object",
            "properties": {
                "Version": {"type": "string"},
                "ApiVersion": {"type": "string"},
                "MinAPIVersion": {"type": "string"},
                "GitCommit": {"type": "string"},
                "GoVersion": {"type": "string"},
                "Os": {"type": "string"},
                "Arch": {"type": "string"},
                "KernelVersion": {"type": "string"},
                "BuildTime": {"type": "string"},
            },
        },
        "EventActor": {
            "description": "The object that emitted an event.",
            "type": "object",
            "properties": {
                "ID": {"type": "string"},
                "Attributes": string_map("Attributes of the object, such as its name."),
            },
        },
        "EventMessage": {
            "description": "An event that an object reported.",
            "type": "object",
            "properties": {
                "Type": {
                    "type": "string",
                    "enum": ["container", "daemon", "image", "network", "plugin", "volume"],
                },
                "Action": {"type": "string", "example": "create"},
                "Actor": ref("EventActor"),
                "time": {"type": "integer", "format": "int64"},
                "timeNano": {"type": "integer", "format": "int64"},
            },
        },
    }


def build_base_spec() -> Spec:
    """Return the API as it stood at v1.24, in the shape of a Swagger 2.0 document."""
    paths: dict[str, Any] = {}
    for group in (container_paths, image_paths, network_paths, volume_paths, exec_paths,
                  system_paths):
        paths.update(group())
    definitions: dict[str, Schema] = {}
    for group in (
        progress_definitions,
        container_config_definitions,
        container_state_definitions,
        image_definitions,
        network_and_volume_definitions,
        exec_and_system_definitions,
    ):
        definitions.update(group())
    spec: Spec = {
        "swagger": "2.0",
        "basePath": f"/v{MARKDOWN_VERSION}",
        "schemes": ["http", "https"],
        "consumes": ["application/json", "text/plain"],
        "produces": ["application/json", "text/plain"],
        "info": {"title": "iEchor Engine API", "version": MARKDOWN_VERSION},
        "tags": build_tags(),
        "paths": paths,
        "definitions": definitions,
    }
    # A deep copy, so that no two places share a dict: the changes edit the spec in place.
    return copy.deepcopy(spec)


# ---------------------------------------------------------------------------------------------
# Changes
# ---------------------------------------------------------------------------------------------


class ChangeError(ValueError):
    """A change does not fit the spec it is applied to."""


@dataclass
class Change:
    """One change that a version made to the API, with its changelog bullet.

    Attributes:
        version: The API version that made the change.
        note: The changelog bullet, Markdown without the leading ``* ``.
    """

    version: str
    note: str

    def apply(self, spec: Spec) -> None:
        """Edit ``spec`` in place."""

    def required_mentions(self) -> list[str]:
        """Return the strings that ``note`` must contain to describe the change."""
        return []

    def check_note(self) -> None:
        """Raise ``ChangeError`` when the note does not name what the change touches."""
        missing = [word for word in self.required_mentions() if word not in self.note]
        if missing:
            raise ChangeError(
                f"v{self.version}: the changelog note {self.note!r} must mention "
                + ", ".join(missing)
            )


def _operation(spec: Spec, path: str, method: str, version: str) -> dict[str, Any]:
    try:
        return spec["paths"][path][method]
    except KeyError:
        raise ChangeError(f"v{version}: operation {method.upper()} {path} not found") from None


def _endpoint(method: str, path: str) -> str:
    return f"`{method.upper()} {path}`"


def _object_schema(spec: Spec, definition: str, version: str) -> Schema:
    """Return the schema that contains the definition's own properties.

    For an ``allOf`` definition, such as ``HostConfig``, that is its inline object member.
    """
    try:
        schema = spec["definitions"][definition]
    except KeyError:
        raise ChangeError(f"v{version}: definition {definition} not found") from None
    if "properties" in schema:
        return schema
    for member in schema.get("allOf", []):
        if "properties" in member:
            return member
    raise ChangeError(f"v{version}: definition {definition} has no properties")


@dataclass
class Note(Change):
    """A changelog bullet that changes nothing in the spec, such as a behaviour change."""


@dataclass
class AddOperation(Change):
    """A new endpoint. For a new path, ``after`` names the existing path to insert it after."""

    path: str = ""
    method: str = ""
    operation: dict[str, Any] = field(default_factory=dict)
    after: str | None = None

    def apply(self, spec: Spec) -> None:
        paths = spec["paths"]
        if self.method in paths.get(self.path, {}):
            raise ChangeError(f"v{self.version}: {self.method.upper()} {self.path} already exists")
        if self.path in paths:
            paths[self.path][self.method] = copy.deepcopy(self.operation)
            return
        if self.after is not None and self.after not in paths:
            raise ChangeError(f"v{self.version}: path {self.after} to insert after not found")
        reordered: dict[str, Any] = {}
        for key, item in paths.items():
            reordered[key] = item
            if key == self.after:
                reordered[self.path] = {self.method: copy.deepcopy(self.operation)}
        reordered.setdefault(self.path, {self.method: copy.deepcopy(self.operation)})
        spec["paths"] = reordered

    def required_mentions(self) -> list[str]:
        return [_endpoint(self.method, self.path)]


@dataclass
class DeprecateOperation(Change):
    """An endpoint marked ``deprecated: true``."""

    path: str = ""
    method: str = ""

    def apply(self, spec: Spec) -> None:
        _operation(spec, self.path, self.method, self.version)["deprecated"] = True

    def required_mentions(self) -> list[str]:
        return [_endpoint(self.method, self.path), "eprecated"]


@dataclass
class AddParameter(Change):
    """A new parameter of an operation."""

    path: str = ""
    method: str = ""
    parameter: dict[str, Any] = field(default_factory=dict)

    def apply(self, spec: Spec) -> None:
        parameters = _operation(spec, self.path, self.method, self.version).setdefault(
            "parameters", []
        )
        if any(existing["name"] == self.parameter["name"] for existing in parameters):
            raise ChangeError(
                f"v{self.version}: {self.method.upper()} {self.path} already has a "
                f"parameter {self.parameter['name']}"
            )
        parameters.append(copy.deepcopy(self.parameter))

    def required_mentions(self) -> list[str]:
        return [_endpoint(self.method, self.path), f"`{self.parameter['name']}`"]


def _find_parameter(spec: Spec, path: str, method: str, name: str, version: str) -> int:
    parameters = _operation(spec, path, method, version).get("parameters", [])
    for index, parameter in enumerate(parameters):
        if parameter["name"] == name:
            return index
    raise ChangeError(f"v{version}: parameter {name} of {method.upper()} {path} not found")


@dataclass
class RemoveParameter(Change):
    """A parameter that an operation no longer accepts."""

    path: str = ""
    method: str = ""
    name: str = ""

    def apply(self, spec: Spec) -> None:
        index = _find_parameter(spec, self.path, self.method, self.name, self.version)
        del _operation(spec, self.path, self.method, self.version)["parameters"][index]

    def required_mentions(self) -> list[str]:
        return [_endpoint(self.method, self.path), f"`{self.name}`"]


@dataclass
class UpdateParameter(Change):
    """New values for keys of an existing parameter, such as ``default`` or ``description``."""

    path: str = ""
    method: str = ""
    name: str = ""
    updates: dict[str, Any] = field(default_factory=dict)

    def apply(self, spec: Spec) -> None:
        index = _find_parameter(spec, self.path, self.method, self.name, self.version)
        _operation(spec, self.path, self.method, self.version)["parameters"][index].update(
            copy.deepcopy(self.updates)
        )

    def required_mentions(self) -> list[str]:
        return [_endpoint(self.method, self.path), f"`{self.name}`"]


@dataclass
class AddDefinition(Change):
    """A new definition."""

    name: str = ""
    schema: Schema = field(default_factory=dict)

    def apply(self, spec: Spec) -> None:
        if self.name in spec["definitions"]:
            raise ChangeError(f"v{self.version}: definition {self.name} already exists")
        spec["definitions"][self.name] = copy.deepcopy(self.schema)

    def required_mentions(self) -> list[str]:
        return [f"`{self.name}`", "definition"]


@dataclass
class AddProperty(Change):
    """A new property of a definition."""

    definition: str = ""
    name: str = ""
    schema: Schema = field(default_factory=dict)

    def apply(self, spec: Spec) -> None:
        properties = _object_schema(spec, self.definition, self.version)["properties"]
        if self.name in properties:
            raise ChangeError(
                f"v{self.version}: property {self.definition}.{self.name} already exists"
            )
        properties[self.name] = copy.deepcopy(self.schema)

    def required_mentions(self) -> list[str]:
        return [f"`{self.definition}`", f"`{self.name}`"]


@dataclass
class RemoveProperty(Change):
    """A property removed from a definition, and from its ``required`` list."""

    definition: str = ""
    name: str = ""

    def apply(self, spec: Spec) -> None:
        schema = _object_schema(spec, self.definition, self.version)
        if self.name not in schema["properties"]:
            raise ChangeError(f"v{self.version}: property {self.definition}.{self.name} not found")
        del schema["properties"][self.name]
        if self.name in schema.get("required", []):
            schema["required"].remove(self.name)

    def required_mentions(self) -> list[str]:
        return [f"`{self.definition}`", f"`{self.name}`"]


@dataclass
class UpdateProperty(Change):
    """New values for keys of a definition's property, such as ``enum`` or ``description``."""

    definition: str = ""
    name: str = ""
    updates: dict[str, Any] = field(default_factory=dict)

    def apply(self, spec: Spec) -> None:
        properties = _object_schema(spec, self.definition, self.version)["properties"]
        if self.name not in properties:
            raise ChangeError(f"v{self.version}: property {self.definition}.{self.name} not found")
        properties[self.name].update(copy.deepcopy(self.updates))

    def required_mentions(self) -> list[str]:
        return [f"`{self.definition}`", f"`{self.name}`"]


@dataclass
class AddEnumValue(Change):
    """A new allowed value of a definition property's ``enum``."""

    definition: str = ""
    name: str = ""
    value: str = ""

    def apply(self, spec: Spec) -> None:
        properties = _object_schema(spec, self.definition, self.version)["properties"]
        enum = properties.get(self.name, {}).get("enum")
        if enum is None:
            raise ChangeError(f"v{self.version}: {self.definition}.{self.name} has no enum")
        if self.value in enum:
            raise ChangeError(
                f"v{self.version}: {self.definition}.{self.name} already allows {self.value}"
            )
        enum.append(self.value)

    def required_mentions(self) -> list[str]:
        return [f"`{self.definition}`", f"`{self.name}`", f"`{self.value}`"]


# ---------------------------------------------------------------------------------------------
# The change list, oldest first
# ---------------------------------------------------------------------------------------------


def _prune_operation(operation_id: str, tag: str, noun: str, filter_names: str) -> dict[str, Any]:
    list_name = f"{noun}Deleted"
    return operation(
        operation_id,
        tag,
        f"Delete unused {noun.lower()}s",
        parameters=[
            filters(f"Filters to apply, as a JSON-encoded `map[string][]string`: {filter_names}.")
        ],
        responses=prune_response(list_name, f"{noun}s that were deleted."),
    )


def _image_prune_operation() -> dict[str, Any]:
    return operation(
        "ImagePrune",
        "Image",
        "Delete unused images",
        parameters=[
            filters(
                "Filters to apply, as a JSON-encoded `map[string][]string`: `dangling`, "
                "`label` and `until`. With `dangling=false`, all unused images are deleted, "
                "not only untagged ones."
            )
        ],
        responses={
            200: {
                "description": "no error",
                "schema": {
                    "type": "object",
                    "title": "ImagePruneResponse",
                    "properties": {
                        "ImagesDeleted": {
                            "description": "Images that were deleted.",
                            "type": "array",
                            "items": ref("ImageDeleteResponseItem"),
                        },
                        "SpaceReclaimed": {
                            "description": "Disk space reclaimed in bytes.",
                            "type": "integer",
                            "format": "int64",
                        },
                    },
                },
            },
            500: SERVER_ERROR,
        },
    )


def _data_usage_operation() -> dict[str, Any]:
    return operation(
        "SystemDataUsage",
        "System",
        "Get data usage information",
        description="Report the disk space that images, containers and volumes use.\n",
        responses={
            200: {
                "description": "no error",
                "schema": {
                    "type": "object",
                    "title": "SystemDataUsageResponse",
                    "properties": {
                        "LayersSize": {"type": "integer", "format": "int64"},
                        "Images": {"type": "array", "items": ref("ImageSummary")},
                        "Containers": {"type": "array", "items": ref("ContainerSummary")},
                        "Volumes": {"type": "array", "items": ref("Volume")},
                    },
                },
            },
            500: SERVER_ERROR,
        },
    )


def _ping_head_operation() -> dict[str, Any]:
    return operation(
        "SystemPingHead",
        "System",
        "Ping",
        description="The same as `GET /_ping`, without a body, for cheap health checks.\n",
        produces=["text/plain"],
        responses={
            200: {
                "description": "no error",
                "headers": {
                    "API-Version": {
                        "type": "string",
                        "description": "Newest API version the server supports.",
                    }
                },
            },
            500: SERVER_ERROR,
        },
    )


HEALTH_CONFIG: Schema = {
    "description": "A test that checks whether the container is healthy.",
    "type": "object",
    "properties": {
        "Test": string_list(
            "The test to run: `[]` inherits the image's test, `[\"NONE\"]` disables it, "
            "`[\"CMD\", args...]` runs a command and `[\"CMD-SHELL\", command]` runs it "
            "with the default shell.",
            ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
        ),
        "Interval": {
            "description": "Time between two checks, in nanoseconds. 0 inherits.",
            "type": "integer",
            "format": "int64",
            "default": 0,
        },
        "Timeout": {
            "description": "Time to wait before a check counts as hung, in nanoseconds.",
            "type": "integer",
            "format": "int64",
            "default": 0,
        },
        "Retries": {
            "description": "Consecutive failures needed to report unhealthy.",
            "type": "integer",
            "default": 0,
        },
    },
}

COMPONENT_VERSION: Schema = {
    "description": "The version of one component of the Engine.",
    "type": "object",
    "required": ["Name", "Version"],
    "properties": {
        "Name": {"type": "string", "x-nullable": False, "example": "Engine"},
        "Version": {"type": "string", "x-nullable": False, "example": "24.0.7"},
        "Details": {
            "description": "Component-specific key/value details.",
            "type": "object",
            "x-nullable": True,
        },
    },
}

CHANGES: list[Change] = [
    Note(
        "1.24",
        "`POST /containers/{id}/start` no longer accepts a host configuration in its body. "
        "Pass `HostConfig` to `POST /containers/create` instead.",
    ),
    Note("1.24", "`GET /containers/json` now accepts an `isolation` filter."),
    Note(
        "1.24",
        "`GET /info` now returns `Isolation`, the default isolation technology for containers.",
    ),
    Note(
        "1.25",
        "The API of each version is now described by a Swagger 2.0 file. Earlier versions are "
        "documented in Markdown.",
    ),
    AddOperation(
        "1.25",
        "`POST /images/prune` is a new endpoint that deletes unused images and reports the "
        "disk space it reclaimed.",
        path="/images/prune",
        method="post",
        operation=_image_prune_operation(),
        after="/images/get",
    ),
    UpdateParameter(
        "1.25",
        "The `filter` query parameter of `GET /images/json` is deprecated. Use the `reference` "
        "filter of `filters` instead.",
        path="/images/json",
        method="get",
        name="filter",
        updates={
            "description": "**Deprecated**: use `filters={\"reference\":[\"<name>\"]}` instead. "
            "Only show images whose reference matches this."
        },
    ),
    AddOperation(
        "1.26",
        "`POST /containers/prune` is a new endpoint that deletes stopped containers.",
        path="/containers/prune",
        method="post",
        operation=_prune_operation(
            "ContainerPrune", "Container", "Container", "`label` and `until`"
        ),
        after="/containers/{id}/archive",
    ),
    AddOperation(
        "1.27",
        "`GET /system/df` is a new endpoint that reports the disk space used by images, "
        "containers and volumes.",
        path="/system/df",
        method="get",
        operation=_data_usage_operation(),
        after="/events",
    ),
    AddOperation(
        "1.28",
        "`POST /volumes/prune` is a new endpoint that deletes volumes no container uses.",
        path="/volumes/prune",
        method="post",
        operation=_prune_operation("VolumePrune", "Volume", "Volume", "`label`"),
        after="/volumes/{name}",
    ),
    AddProperty(
        "1.28",
        "`GET /volumes` and `GET /volumes/{name}` now return the creation time of each volume "
        "as `CreatedAt` in the `Volume` definition.",
        definition="Volume",
        name="CreatedAt",
        schema=timestamp_property("When the volume was created."),
    ),
    AddOperation(
        "1.29",
        "`POST /networks/prune` is a new endpoint that deletes networks no container uses.",
        path="/networks/prune",
        method="post",
        operation=_prune_operation("NetworkPrune", "Network", "Network", "`label` and `until`"),
        after="/networks/{id}/connect",
    ),
    AddDefinition(
        "1.30",
        "`HealthConfig` is a new definition that describes a container health check.",
        name="HealthConfig",
        schema=HEALTH_CONFIG,
    ),
    AddProperty(
        "1.30",
        "`POST /containers/create` now accepts a health check as `Healthcheck` in the "
        "`ContainerConfig` definition.",
        definition="ContainerConfig",
        name="Healthcheck",
        schema=ref("HealthConfig"),
    ),
    AddParameter(
        "1.30",
        "`POST /containers/{id}/wait` now accepts a `condition` query parameter to wait for "
        "`next-exit` or `removed` instead of `not-running`.",
        path="/containers/{id}/wait",
        method="post",
        parameter=query(
            "condition",
            "string",
            "Wait until the container reaches this condition.",
            enum=["not-running", "next-exit", "removed"],
            default="not-running",
        ),
    ),
    AddParameter(
        "1.31",
        "`POST /build` now accepts a `target` query parameter that names the build stage "
        "to stop at.",
        path="/build",
        method="post",
        parameter=query("target", "string", "Build stage to stop at.", default=""),
    ),
    AddParameter(
        "1.32",
        "`POST /images/create` now accepts a `platform` query parameter, in the form "
        "`os[/arch[/variant]]`, to pull the image for that platform.",
        path="/images/create",
        method="post",
        parameter=query(
            "platform",
            "string",
            "Platform to pull, as `os[/arch[/variant]]`. Empty selects the daemon's platform.",
            default="",
        ),
    ),
    AddParameter(
        "1.32",
        "`POST /build` now accepts a `platform` query parameter that sets the platform "
        "of the built image.",
        path="/build",
        method="post",
        parameter=query(
            "platform",
            "string",
            "Platform to build for, as `os[/arch[/variant]]`.",
            default="",
        ),
    ),
    AddParameter(
        "1.33",
        "`GET /containers/{id}/logs` now accepts an `until` query parameter that ends the "
        "logs at a UNIX timestamp.",
        path="/containers/{id}/logs",
        method="get",
        parameter=query(
            "until", "integer", "Only return logs before this UNIX timestamp.", default=0
        ),
    ),
    AddProperty(
        "1.34",
        "`GET /networks` and `GET /networks/{id}` now return `Attachable` in the `Network` "
        "definition.",
        definition="Network",
        name="Attachable",
        schema={"description": "Whether standalone containers can attach.", "type": "boolean"},
    ),
    AddProperty(
        "1.34",
        "`POST /networks/create` now accepts `Attachable` in the `NetworkCreateRequest` "
        "definition.",
        definition="NetworkCreateRequest",
        name="Attachable",
        schema={"type": "boolean", "default": False},
    ),
    AddProperty(
        "1.35",
        "`POST /containers/{id}/exec` now accepts a `WorkingDir` in the `ExecConfig` "
        "definition to run the command in another directory.",
        definition="ExecConfig",
        name="WorkingDir",
        schema={"description": "Working directory of the command.", "type": "string"},
    ),
    AddProperty(
        "1.36",
        "`GET /networks/{id}` now returns `ConfigOnly` in the `Network` definition.",
        definition="Network",
        name="ConfigOnly",
        schema={
            "description": "Whether the network only holds configuration for other networks.",
            "type": "boolean",
            "default": False,
        },
    ),
    AddProperty(
        "1.36",
        "`POST /networks/create` now accepts `ConfigOnly` in the `NetworkCreateRequest` "
        "definition to create a configuration-only network.",
        definition="NetworkCreateRequest",
        name="ConfigOnly",
        schema={"type": "boolean", "default": False},
    ),
    AddDefinition(
        "1.37",
        "`ComponentVersion` is a new definition that holds the name and version of one "
        "Engine component.",
        name="ComponentVersion",
        schema=COMPONENT_VERSION,
    ),
    AddProperty(
        "1.37",
        "`GET /version` now returns the versions of the Engine's components as `Components` "
        "in the `SystemVersion` definition.",
        definition="SystemVersion",
        name="Components",
        schema={"type": "array", "items": ref("ComponentVersion")},
    ),
    AddEnumValue(
        "1.38",
        "`sctp` is a new value of `Type` in the `Port` definition, so `GET /containers/json` "
        "can report SCTP ports.",
        definition="Port",
        name="Type",
        value="sctp",
    ),
    AddParameter(
        "1.39",
        "`POST /build` now accepts a `version` query parameter that selects the builder: "
        "`1` for the classic builder, `2` for the concurrent one.",
        path="/build",
        method="post",
        parameter=query(
            "version",
            "string",
            "Builder version: `1` is the classic builder, `2` the concurrent builder.",
            enum=["1", "2"],
            default="1",
        ),
    ),
    AddProperty(
        "1.39",
        "`GET /info` now returns `Warnings` in the `SystemInfo` definition, such as a "
        "warning about an insecure daemon socket.",
        definition="SystemInfo",
        name="Warnings",
        schema=string_list("Warnings about the daemon's configuration."),
    ),
    AddOperation(
        "1.40",
        "`HEAD /_ping` is a new endpoint that checks the daemon without a response body.",
        path="/_ping",
        method="head",
        operation=_ping_head_operation(),
    ),
    RemoveParameter(
        "1.41",
        "`GET /images/json` no longer accepts the `filter` query parameter, deprecated "
        "since v1.25. Use the `reference` filter of `filters` instead.",
        path="/images/json",
        method="get",
        name="filter",
    ),
    AddProperty(
        "1.41",
        "`POST /containers/create` now accepts `CgroupnsMode` in the `HostConfig` definition "
        "to choose a private or the host's cgroup namespace.",
        definition="HostConfig",
        name="CgroupnsMode",
        schema={
            "description": "Cgroup namespace mode; empty uses the daemon's default.",
            "type": "string",
            "enum": ["private", "host"],
        },
    ),
    AddParameter(
        "1.42",
        "`POST /containers/{id}/stop` now accepts a `signal` query parameter that replaces "
        "the container's stop signal.",
        path="/containers/{id}/stop",
        method="post",
        parameter=query(
            "signal", "string", "Signal to send instead of the container's stop signal."
        ),
    ),
    AddEnumValue(
        "1.42",
        "`npipe` is a new value of `Type` in the `Mount` definition, for Windows named pipes.",
        definition="Mount",
        name="Type",
        value="npipe",
    ),
    AddParameter(
        "1.43",
        "`GET /images/json` now accepts a `shared-size` query parameter that computes "
        "`SharedSize` for each image.",
        path="/images/json",
        method="get",
        parameter=flag("shared-size", "Compute and return `SharedSize` for each image."),
    ),
    UpdateProperty(
        "1.43",
        "`VirtualSize` in the `ImageSummary` definition is deprecated. It always equals "
        "`Size`.",
        definition="ImageSummary",
        name="VirtualSize",
        updates={
            "description": "**Deprecated**: this field always equals `Size` and will be "
            "removed. Use `Size` instead."
        },
    ),
    RemoveProperty(
        "1.44",
        "`GET /images/json` no longer returns `VirtualSize` in the `ImageSummary` "
        "definition. Use `Size` instead.",
        definition="ImageSummary",
        name="VirtualSize",
    ),
    RemoveProperty(
        "1.44",
        "`GET /images/{name}/json` no longer returns `VirtualSize` in the `ImageInspect` "
        "definition. Use `Size` instead.",
        definition="ImageInspect",
        name="VirtualSize",
    ),
    AddProperty(
        "1.44",
        "`POST /containers/create` and `POST /networks/{id}/connect` now accept a "
        "`MacAddress` per network in the `EndpointSettings` definition.",
        definition="EndpointSettings",
        name="MacAddress",
        schema={"description": "MAC address on this network.", "type": "string"},
    ),
    UpdateProperty(
        "1.44",
        "`MacAddress` in the `ContainerConfig` definition is deprecated. Set it per network "
        "in `EndpointSettings` instead.",
        definition="ContainerConfig",
        name="MacAddress",
        updates={
            "description": "**Deprecated**: set `MacAddress` in the container's "
            "`EndpointSettings` instead. MAC address of the container."
        },
    ),
    UpdateParameter(
        "1.44",
        "The default of the `version` query parameter of `POST /build` is now `2`, the "
        "concurrent builder.",
        path="/build",
        method="post",
        name="version",
        updates={"default": "2"},
    ),
    DeprecateOperation(
        "1.45",
        "`GET /containers/{id}/attach/ws` is deprecated. Use `POST /containers/{id}/attach`, "
        "which the same clients can upgrade.",
        path="/containers/{id}/attach/ws",
        method="get",
    ),
    AddParameter(
        "1.45",
        "`GET /system/df` now accepts a `type` query parameter, repeatable, to compute the "
        "usage of only some object types.",
        path="/system/df",
        method="get",
        parameter=query(
            "type",
            "array",
            "Object types to compute the usage of. Empty computes all of them.",
            items={"type": "string", "enum": ["container", "image", "volume"]},
            collectionFormat="multi",
        ),
    ),
    AddProperty(
        "1.45",
        "`POST /containers/create` now accepts `Subpath` in the `Mount` definition to mount "
        "a subdirectory of a volume.",
        definition="Mount",
        name="Subpath",
        schema={
            "description": "Path inside the volume to mount instead of its root.",
            "type": "string",
            "example": "dir-inside-volume/subdirectory",
        },
    ),
    UpdateProperty(
        "1.45",
        "`Container` in the `ImageInspect` definition is deprecated. It is empty for images "
        "that were built rather than committed.",
        definition="ImageInspect",
        name="Container",
        updates={
            "description": "**Deprecated**: empty for images that were built. ID of the "
            "container the image was committed from."
        },
    ),
]


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

SPEC_HEADER = (
    "# iEchor Engine API, Swagger 2.0. Generated by scripts/make_project_specs.py:\n"
    "# edit that script and regenerate instead of editing this file.\n"
)

CHANGELOG_FRONT_MATTER = """\
---
title: "Engine API version history"
description: "The changes made to the iEchor Engine API in each version."
keywords: "API, iEchor, REST, documentation, changelog, version history"
---
"""


class _SpecDumper(yaml.SafeDumper):
    """A YAML dumper for readable specs: block style, indented lists, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    """Represent multi-line text as a ``|`` block, and quote with ``"`` when quotes are needed.

    A string needs quotes when it would load as another type (``"1.45"``, ``"2.0"``) or
    cannot be a plain scalar (``""``, ``"#/definitions/X"``).
    """
    tag = "tag:yaml.org,2002:str"
    if "\n" in data:
        return dumper.represent_scalar(tag, data, style="|")
    loads_as_other_type = dumper.resolve(yaml.ScalarNode, data, (True, False)) != tag
    if loads_as_other_type or not dumper.analyze_scalar(data).allow_block_plain:
        return dumper.represent_scalar(tag, data, style='"')
    return dumper.represent_scalar(tag, data)


_SpecDumper.add_representer(str, _represent_str)


def dump_spec(spec: Spec) -> str:
    """Return the spec as YAML text with its header comment."""
    return SPEC_HEADER + yaml.dump(
        spec,
        Dumper=_SpecDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        # No line limit: long descriptions stay on one line, as in hand-written specs.
        width=4096,
    )


def spec_for_release(spec: Spec, version: str) -> Spec:
    """Return a copy of ``spec`` stamped with ``version`` in ``basePath`` and ``info``."""
    released = copy.deepcopy(spec)
    released["basePath"] = f"/v{version}"
    released["info"] = {
        "title": "iEchor Engine API",
        "version": version,
        "description": info_description(version),
    }
    return released


def check_changes(changes: list[Change]) -> None:
    """Raise ``ChangeError`` unless the change list is ordered, in range and well noted."""
    known = [MARKDOWN_VERSION, *spec_versions()]
    previous = MARKDOWN_VERSION
    for change in changes:
        if change.version not in known:
            raise ChangeError(f"v{change.version} is not a version in {known[0]}..{known[-1]}")
        if version_key(change.version) < version_key(previous):
            raise ChangeError(f"v{change.version}: change listed after a v{previous} change")
        if change.version == MARKDOWN_VERSION and not isinstance(change, Note):
            raise ChangeError(
                f"v{MARKDOWN_VERSION} has no spec file, so its changes must be notes"
            )
        change.check_note()
        previous = change.version
    without_notes = [version for version in known if not any(c.version == version for c in changes)]
    if without_notes:
        raise ChangeError("no changelog notes for " + ", ".join(f"v{v}" for v in without_notes))


def build_specs(changes: list[Change]) -> dict[str, Spec]:
    """Return the spec of every version from v1.25 on, each with the changes up to it applied."""
    check_changes(changes)
    spec = build_base_spec()
    result: dict[str, Spec] = {}
    for version in spec_versions():
        for change in changes:
            if change.version == version:
                change.apply(spec)
        result[version] = spec_for_release(spec, version)
    return result


def render_changelog(changes: list[Change]) -> str:
    """Return ``CHANGELOG.md``: one section per version, newest first."""
    versions = [MARKDOWN_VERSION, *spec_versions()]
    lines = [CHANGELOG_FRONT_MATTER]
    for version in reversed(versions):
        lines.append(f"## v{version} API changes\n")
        lines.extend(f"* {change.note}" for change in changes if change.version == version)
        lines.append("")
    return "\n".join(lines)


def render_all(changes: list[Change]) -> dict[str, str]:
    """Return the text of every generated file, keyed by its name in ``specs/``."""
    outputs = {
        f"v{version}.yaml": dump_spec(spec) for version, spec in build_specs(changes).items()
    }
    outputs["CHANGELOG.md"] = render_changelog(changes)
    return outputs


def main(argv: list[str] | None = None) -> int:
    """Write the generated files, or with ``--check`` compare them with the ones on disk."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="folder to write into (default: specs/ in the repository)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit with status 1 if a file differs from the generated text",
    )
    args = parser.parse_args(argv)

    outputs = render_all(CHANGES)
    if args.check:
        stale = [
            name
            for name, content in outputs.items()
            if not (args.output / name).is_file()
            or (args.output / name).read_text(encoding="utf-8") != content
        ]
        for name in stale:
            print(f"{args.output / name}: out of date; run scripts/make_project_specs.py",
                  file=sys.stderr)
        return 1 if stale else 0

    args.output.mkdir(parents=True, exist_ok=True)
    for name, content in outputs.items():
        (args.output / name).write_text(content, encoding="utf-8")
    print(f"wrote {len(outputs)} files to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
