"""Peak memory of a command, measured from a small launcher process, not from the benchmark.

Why a launcher: Linux carries a process's peak resident size (`ru_maxrss`)
across `exec`, and a child made by `fork` (or by `vfork`, as `subprocess`
does) starts from its parent's: a command started straight from the
benchmark (tens of MB of stores and modules) is reported at least that
large, whatever it really used. So the benchmark starts the launcher, a
bare `python -S -c` of a few lines that imports nothing else, which forks
and execs the command and reports the command's own peak (`wait4`) in a
file. The launcher is about 8 MB; any Python command is larger, so the
figure is the command's.

`launcher_argv(argv, report)` is the argument list that runs `argv` so;
`run_measured(argv, env)` runs it to the end and returns (milliseconds, MB).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Forks, execs argv[2:], waits, writes the child's ru_maxrss (KB) to argv[1], exits as it did.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
"""


def launcher_argv(argv: list[str], report: Path) -> list[str]:
    """The command line that runs `argv` under the launcher, its peak written to `report`."""
    return [sys.executable, "-S", "-c", _LAUNCHER, str(report), *argv]


def read_peak_mb(report: Path) -> float:
    """The peak the launcher wrote, in MB."""
    return int(report.read_text().strip()) / 1024


def run_measured(
    argv: list[str], env: dict[str, str], *, stdout: int | None = subprocess.DEVNULL
) -> tuple[float, float]:
    """Run `argv` to the end under the launcher: (wall-clock ms, peak MB). Fails loudly."""
    with tempfile.TemporaryDirectory(prefix="assess-bench-peak-") as folder:
        report = Path(folder) / "peak"
        start = time.perf_counter()
        done = subprocess.run(
            launcher_argv(argv, report), env=env, stdout=stdout, stderr=subprocess.PIPE
        )
        elapsed = (time.perf_counter() - start) * 1000
        if done.returncode != 0:
            shown = " ".join(argv[:6])
            raise RuntimeError(f"{shown} … failed: {done.stderr.decode(errors='replace')}")
        return elapsed, read_peak_mb(report)


def installed_env(**extra: str) -> dict[str, str]:
    """The environment of an officer's installed `assess`: byte-code cached, no debug output."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env.pop("ASSESS_DEBUG", None)
    env.update(extra)
    return env
