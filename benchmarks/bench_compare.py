"""How long `assess compare` takes as a whole process, as an officer runs it.

Each run is a fresh `python -m assess compare ID ...` (interpreter start,
imports, opening the store, reading every assessment and its bank, comparing,
rendering, writing), timed from launch to exit. Target: ≤ 1 s (p95) for 50
assessments.

- The heavy case: 50 complete assessments (every question answered at
  random, with evidence notes, by `benchmarks.stores.full_answers`) of one
  authority and service by 50 officers. That is a comparison across
  officers, the heaviest kind: nearly every answer differs, and the spreads,
  disagreements and consensus are worked out and listed too. Measured in the
  text format (which imports Rich), in JSON and in CSV, and for the everyday
  case of two assessments.
- 50 of the 1,000 assessments of the shared synthetic store
  (`benchmarks.stores.synthetic_store`), to show that the size of the store
  around them does not matter, and 500 of them (the same target).

The baseline is `python -c pass` in the same run. Run alone with
`python -m benchmarks.bench_compare [--quick]`.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from pathlib import Path

from assess.store import Store
from benchmarks.common import Row, format_table, summarise, time_process
from benchmarks.launch import installed_env
from benchmarks.stores import full_answers, synthetic_store

TARGET_MS = 1000.0
COUNT = 50
MANY = 500  # issue 17: a comparison of 500 within the same 1 s
STORE_SIZE = 1_000


def build(root: Path, count: int, rng: random.Random) -> list[str]:
    """A store of `count` officers' complete, differing views of one authority and service."""
    store = Store.open(root)
    bank = store.current_bank()
    return [
        store.create(
            authority="Anytown Borough Council",
            service="Waste and recycling",
            assessor=f"Officer {n:02d}",
            answers=full_answers(bank, rng, evidence=120),
        ).id
        for n in range(count)
    ]


def run(quick: bool) -> list[Row]:
    repeat = 5 if quick else 10
    rng = random.Random(20260301)
    tmp = Path(tempfile.mkdtemp(prefix="assess-bench-compare-"))
    try:
        root = tmp / "store"
        ids = build(root, COUNT, rng)
        env = installed_env(NO_COLOR="1")
        big = tmp / "big"
        every = synthetic_store(big, STORE_SIZE)
        among = rng.sample(every, COUNT)
        many = rng.sample(every, MANY)
        baseline = summarise(time_process([sys.executable, "-c", "pass"], env, repeat))
        floor = f"python start {baseline[0]:.0f} ms"
        officers = f"{COUNT} officers' complete views"
        cases = [
            (f"assess compare, {officers} (text)", root, [*ids]),
            (f"assess compare, {officers} --format json", root, [*ids, "--format", "json"]),
            (f"assess compare, {officers} --format csv", root, [*ids, "--format", "csv"]),
            ("assess compare, 2 complete assessments (text)", root, ids[:2]),
            (f"assess compare, {COUNT} of a {STORE_SIZE:,}-assessment store (text)", big, among),
            (f"assess compare, {MANY} of a {STORE_SIZE:,}-assessment store (text)", big, many),
        ]
        rows = []
        for name, store, args in cases:
            argv = [sys.executable, "-m", "assess", "--db", str(store), "compare", *args]
            median, p95 = summarise(time_process(argv, env, repeat))
            rows.append(
                Row(
                    name=name,
                    median=median,
                    p95=p95,
                    target=f"≤ {TARGET_MS:.0f} ms (p95)",
                    baseline=floor,
                    met=p95 <= TARGET_MS,
                    note=f"{repeat} runs",
                )
            )
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    print(format_table(run(quick="--quick" in sys.argv)))
