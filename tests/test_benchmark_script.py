"""Run the benchmark script in its quick mode on the project's own specs.

The check is that every figure is measured and written, not how fast anything is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
EXPECTED_FIGURES = (
    "Floor: parse",
    "Baseline: mkdocs build",
    "Cold build (empty cache)",
    "Warm rebuild (nothing changed)",
    "Rebuild after v1.45.yaml changed",
    "Peak memory",
    "v1.45 page, gzip",
    "Whole site",
    "Search index",
)


def test_benchmark_quick_mode_writes_table(tmp_path: Path) -> None:
    output = tmp_path / "BENCHMARKS.md"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    table = output.read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    for figure in EXPECTED_FIGURES:
        assert any(row.startswith(f"| {figure}") for row in rows), figure
    assert "- Machine: " in table
    assert "--quick" in table
