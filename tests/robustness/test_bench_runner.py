"""The benchmark runner works end to end: one command, one table, every store row.

This runs `python -m benchmarks.bench --quick --only store` as a real process
and checks the shape of what it prints and writes. It asserts nothing about
the figures themselves: tests never depend on how fast the machine is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.robustness

STORE_ROWS = (
    "| Autosave one answer, 10 assessments stored",
    "| Autosave one answer, 1,000 assessments stored",
    "| Autosave one answer, 2,000 assessments stored",
    "| Autosave while typing an evidence note, 2,000",
    "| Floor: fsync'd atomic write of the same file",
    "| Flatness: autosave at 2,000 ÷ autosave at 10",
    "| `assess list`, 2,000 assessments (whole process)",
    "| Peak memory of `assess list`, 2,000 assessments",
    "| Autosave on a fresh assessment (typing)",
    "| Autosave after 5,000 prior saves (typing",
    "| `assess export --all`, 2,000 assessments",
    "| `assess import`, 2,000 assessments",
)


def test_the_quick_store_benchmark_prints_one_table(tmp_path: Path) -> None:
    output = tmp_path / "latest.md"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--quick", "--only", "store", "-o", str(output)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "# assess benchmarks (quick smoke run)"
    for what in ("- Date: ", "- Machine: ", "- Python ", "commit "):
        assert any(what in line for line in lines[:8]), what
    table = [line for line in lines if line.startswith("|")]
    assert table[0].startswith("| Measure | Median | p95 | Target |")
    assert len(table) == 2 + len(STORE_ROWS)  # the head, its rule, one row per measure
    for row, start in zip(table[2:], STORE_ROWS, strict=True):
        assert row.startswith(start), (row, start)
        assert row.count("|") == 7 and any(f" {unit} |" in row for unit in ("ms", "×", "MB"))
    assert any(line.startswith("Targets met: ") for line in lines)
    assert output.read_text(encoding="utf-8") == done.stdout
