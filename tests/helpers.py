"""Helpers shared by the test suite: running the CLI in-process and as a real process."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.cli import run_cli

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def invoke(*args: str, db: Path | None = None, stdin: str = "") -> Outcome:
    """Run `assess ARGS` inside this process and capture what it prints."""
    argv = [*(["--db", str(db)] if db else []), *args]
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run_cli(argv)
    finally:
        sys.stdin = old_stdin
    return Outcome(code, out.getvalue(), err.getvalue())


def run_assess(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> Outcome:
    """Run `python -m assess ARGS` as a separate process."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("ASSESS_DEBUG", None)
    argv = [sys.executable, "-m", "assess", *(["--db", str(db)] if db else []), *args]
    proc = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=timeout)
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def assert_clean_failure(outcome: Outcome, *fragments: str) -> None:
    """Exit 2, no traceback, and a message that mentions every fragment."""
    assert outcome.code == 2, (outcome.code, outcome.out, outcome.err)
    assert "Traceback" not in outcome.err and "Traceback" not in outcome.out, outcome.err
    assert outcome.err_lines, "expected a message on stderr"
    for fragment in fragments:
        assert fragment in outcome.err, (fragment, outcome.err)


def exported_records(bundle: Path) -> list[dict[str, Any]]:
    """The records of a bundle of lines (`assess export`), checking its first and last lines."""
    lines = [json.loads(line) for line in bundle.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["format"] == "assess-bundle" and lines[0]["format_version"] == 3
    records = [line["assessment"] for line in lines if "assessment" in line]
    banks = [line for line in lines if "bank" in line]
    assert lines[-1] == {"end": {"banks": len(banks), "assessments": len(records)}}
    return records
