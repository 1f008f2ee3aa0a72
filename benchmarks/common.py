"""The shape every benchmark reports in, and the table they are printed as.

Each benchmark module exposes `run(quick: bool) -> list[Row]`; `bench.py`
runs them all and prints one table. A row carries its target and, where the
target is relative, the baseline measured in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    name: str
    median: float  # in `unit`
    p95: float
    unit: str = "ms"
    target: str = ""
    baseline: str = ""
    met: bool | None = None  # None: no target
    note: str = ""


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def summarise(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 95)


def time_calls(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls of `fn`."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def time_process(argv: list[str], env: dict[str, str], repeat: int) -> list[float]:
    """Wall-clock milliseconds of `repeat` runs of a whole process; a failed run stops the bench."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, env=env, check=False)
        samples.append((time.perf_counter() - start) * 1000)
        if proc.returncode != 0:
            shown = " ".join(argv[:6])
            raise RuntimeError(f"{shown} … failed: {proc.stderr.decode(errors='replace')}")
    return samples


def format_table(rows: list[Row]) -> str:
    """A Markdown table (it reads well in a terminal and pastes into the README)."""
    head = "| Measure | Median | p95 | Target | Baseline (same run) | Met |"
    lines = [head, "|---|---:|---:|---|---|:-:|"]
    for r in rows:
        met = "–" if r.met is None else ("yes" if r.met else "**no**")
        note = f" ({r.note})" if r.note else ""
        lines.append(
            f"| {r.name}{note} | {r.median:.1f} {r.unit} | {r.p95:.1f} {r.unit} | "
            f"{r.target or '–'} | {r.baseline or '–'} | {met} |"
        )
    return "\n".join(lines)
