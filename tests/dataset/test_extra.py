"""Without the optional data extra (pyarrow and DuckDB), the data commands say how to install it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, Outcome

# Run the command line with pyarrow and DuckDB unimportable, as on an install without the
# extra: a None in sys.modules makes `import pyarrow` raise ImportError.
WITHOUT = (
    "import sys\n"
    "for name in {hidden}:\n"
    "    sys.modules[name] = None\n"
    "from assess.cli import main\n"
    "sys.argv[0] = 'assess'\n"
    "main()\n"
)


def _run(hidden: list[str], *args: str, cwd: Path) -> Outcome:
    code = WITHOUT.format(hidden=hidden)
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"},
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize(
    ("hidden", "args", "names"),
    [
        (["pyarrow", "duckdb"], ["dataset", "--all", "-o", "out"], "pyarrow, which is"),
        (["pyarrow", "duckdb"], ["peers", "abcd1234", "folder"], "pyarrow and DuckDB, which are"),
        (["duckdb"], ["peers", "abcd1234", "folder"], "DuckDB, which is"),
    ],
)
def test_a_data_command_without_the_extra_names_the_install_command(
    tmp_path: Path, hidden: list[str], args: list[str], names: str
) -> None:
    done = _run(hidden, "--db", str(tmp_path / "store"), *args, cwd=tmp_path)
    assert done.code == 2, done.err
    assert done.err_lines == [
        f"assess: datasets and peer benchmarks need {names} not installed; install "
        f"{'them' if 'and' in names else 'it'} with: pip install 'assess[data]'"
    ]
    assert "Traceback" not in done.err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_rest_of_the_app_works_without_the_extra(tmp_path: Path) -> None:
    listed = _run(["pyarrow", "duckdb"], "--help", cwd=tmp_path)
    assert listed.code == 0
    assert "dataset" in listed.out and "peers" in listed.out
    made = _run(
        ["pyarrow", "duckdb"], "--db", str(tmp_path / "s"), "new", "--authority", "X", cwd=tmp_path
    )
    assert made.code == 0, made.err
