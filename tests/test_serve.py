"""``mkdocs serve`` rebuilds the reference pages when a spec changes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from conftest import DATA


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and text in body:
            return True
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_spec_changes(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(DATA / "small-specs", specs)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = {
        "site_name": "Serve test",
        "theme": {"name": "material"},
        "plugins": [{"apiref": {"specs_dir": "specs", "nav_section": ""}}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "IECHOR_API_SPECS"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/engine/api/v1.45/"
    try:
        assert wait_for(url, "List containers", time.monotonic() + 90), "serve never came up"
        spec = specs / "v1.45.yaml"
        spec.write_text(
            spec.read_text(encoding="utf-8").replace(
                "summary: List containers", "summary: Enumerate containers"
            ),
            encoding="utf-8",
        )
        assert wait_for(url, "Enumerate containers", time.monotonic() + 90), (
            "the page did not change after the spec changed"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
