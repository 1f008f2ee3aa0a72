"""The README's example of loading datasets, run as written on real datasets."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dataset.conftest import PeerWorld
from tests.helpers import REPO

MARKER = "<!-- dataset-example: tested by tests/dataset/test_readme.py -->"


def _block_after(text: str, start: int, language: str) -> str:
    found = re.compile(rf"```{language}\n(.*?)```", re.DOTALL).search(text, start)
    assert found is not None
    return found.group(1)


def test_the_readme_duckdb_example_loads_every_folder(
    peer_world: PeerWorld, tmp_path: Path
) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    code = _block_after(readme, readme.index(MARKER), "python")
    for n, folder in enumerate(peer_world.folders):
        shutil.copytree(folder, tmp_path / "collected" / f"council-{n}")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "dimension_id" in done.stdout and "median" in done.stdout
    import duckdb

    con = duckdb.connect(str(tmp_path / "benchmarks.duckdb"), read_only=True)
    counted = con.execute("SELECT count(*), count(DISTINCT filename) FROM assessments").fetchone()
    assert counted == (2000, 5)
    answers = con.execute("SELECT count(*) FROM answers").fetchone()
    assert answers is not None and answers[0] > 2000 * 50


@pytest.mark.skipif(shutil.which("jq") is None, reason="the README's check needs jq")
def test_the_readme_hash_check_passes_and_fails_as_it_should(
    peer_world: PeerWorld, tmp_path: Path
) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    line = next(x for x in readme.splitlines() if "sha256sum -c" in x)
    command = line.split("&&", 1)[1].strip()  # the part after `cd collected/council-a`
    folder = tmp_path / "council-a"
    shutil.copytree(peer_world.folders[0], folder)
    done = subprocess.run(["sh", "-c", command], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(": OK") == 6
    (folder / "answers.parquet").write_bytes(b"changed")
    done = subprocess.run(["sh", "-c", command], cwd=folder, capture_output=True, text=True)
    assert done.returncode != 0 and "answers.parquet: FAILED" in done.stdout
