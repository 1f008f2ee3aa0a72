"""Run every benchmark and print one table: `python -m benchmarks.bench [--quick] [--only …]`.

Each benchmark module (`bench_store`, `bench_cli`, `bench_compare` when it
exists, `bench_tui`) exposes `run(quick) -> list[Row]`; this runs them in
one process, so the synthetic stores of `benchmarks.stores` are generated
once and shared, and prints a single Markdown table headed with what the
figures depend on: the date, the machine (CPU, cores, memory, operating
system, Python, the filesystem the temporary stores live on, the load when
the run started) and the git commit. The same text goes to
`benchmarks/results/latest.md` (not committed).

A module that fails is reported under the table and the others still run;
the exit status is then 1. Targets are judged by each module; a missed one
is marked in the table but is not an error, because a benchmark reports
speed, it does not enforce it (the tests never assert wall-clock times).

`--quick` takes fewer samples and smaller stores: a smoke run, not figures
to quote.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import Row, format_table

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "latest.md"
MODULES = ("store", "cli", "compare", "tui", "data")


# ----------------------------------------------------------------------------
# What the figures depend on


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown CPU"


def memory() -> str:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB RAM"
    return "RAM unknown"


def filesystem(path: Path) -> str:
    """The filesystem type of the mount holding `path` (from /proc/mounts), e.g. ext4."""
    best, kind = "", "unknown"
    resolved = str(path.resolve())
    for line in _read("/proc/mounts").splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        inside = resolved == mount or resolved.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) > len(best):
            best, kind = mount, parts[2]
    return kind


def git_commit() -> str:
    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown (not a git checkout)"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " with uncommitted changes"
    return commit


def header(quick: bool, argv: list[str]) -> list[str]:
    temp = Path(tempfile.gettempdir())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "–"
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"# assess benchmarks ({'quick smoke run' if quick else 'full run'})",
        "",
        f"- Date: {now}; commit {git_commit()}",
        f"- Machine: {cpu_model()}, {os.cpu_count()} CPUs, {memory()}, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; temporary stores in {temp} ({filesystem(temp)})",
        f"- Load average when the run started: {load}",
        f"- Command: `python -m benchmarks.bench {' '.join(argv)}`".rstrip(),
    ]


# ----------------------------------------------------------------------------
# Running


def load(name: str) -> Callable[[bool], list[Row]] | None:
    """The `run` of `benchmarks.bench_<name>`, or None when that module is not present."""
    module_name = f"benchmarks.bench_{name}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    run: Callable[[bool], list[Row]] = module.run
    return run


def run_all(names: list[str], quick: bool) -> tuple[list[Row], list[str], bool]:
    """Every named benchmark's rows, notes about what did not run, and whether all ran."""
    rows: list[Row] = []
    notes: list[str] = []
    ok = True
    for name in names:
        started = time.perf_counter()
        print(f"bench: running {name} ...", file=sys.stderr, flush=True)
        try:
            run = load(name)
            if run is None:
                notes.append(f"`{name}`: not run, benchmarks/bench_{name}.py is not present")
                continue
            got = run(quick)
        except Exception:
            ok = False
            traceback.print_exc()
            last = traceback.format_exc().strip().splitlines()[-1]
            notes.append(f"`{name}`: FAILED ({last}); see the output above")
            continue
        took = time.perf_counter() - started
        rows.extend(got)
        notes.append(f"`{name}`: {len(got)} rows in {took:.0f} s")
    return rows, notes, ok


def report(head: list[str], rows: list[Row], notes: list[str], took: float) -> str:
    judged = [r for r in rows if r.met is not None]
    met = sum(1 for r in judged if r.met)
    missed = [r.name for r in judged if not r.met]
    lines = [*head, "", format_table(rows), ""]
    verdict = f"Targets met: {met} of {len(judged)}."
    if missed:
        verdict += f" Missed: {'; '.join(missed)}."
    lines.append(verdict)
    lines.append("")
    lines.extend(f"- {note}" for note in notes)
    lines.append(f"- Whole run: {took:.0f} s")
    return "\n".join(lines) + "\n"


def parse(argv: list[str]) -> argparse.Namespace:
    summary = (__doc__ or "").split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=summary)
    parser.add_argument("--quick", action="store_true", help="fewer samples, smaller stores")
    parser.add_argument(
        "--only",
        metavar="NAMES",
        help=f"comma-separated subset of: {', '.join(MODULES)}",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=RESULTS,
        help="where to write the table as well (default: benchmarks/results/latest.md)",
    )
    args = parser.parse_args(argv)
    names = list(MODULES)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in MODULES]
        if unknown:
            parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(MODULES)}")
    args.names = names
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    head = header(args.quick, argv)
    started = time.perf_counter()
    rows, notes, ok = run_all(args.names, args.quick)
    text = report(head, rows, notes, time.perf_counter() - started)
    print(text, end="")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"bench: written to {args.output}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
