"""How long the dataset commands take as whole processes, as officers and collectors run them.

- `assess dataset --all` on a store of 10,000 fully answered assessments
  (`benchmarks.stores`): open the store, read and score every assessment
  with its own bank, write six Parquet tables and the datapackage.json, put
  the folder in place. Each run replaces the dataset the run before wrote.
  Target: median ≤ 90 s (9 ms an assessment) and peak memory ≤ 400 MB.
  An export for a national collection is made once a period and waited for
  once, so it need not be instant; what matters is that it costs no more
  than about twice reading and scoring each assessment once (the work no
  export can avoid, 3 to 5 ms), grows in step with the store, and, written a
  batch at a time, takes the memory of a batch, not of the store.
- `assess peers` over 2,000 assessments (500 authorities × 4 periods, made
  through the real store by `benchmarks.peers_data`, in five dataset folders)
  and over 20,000 (the same assessments exported under ten export keys: ten
  folders of 2,000 distinct pseudonymous assessments each): check every
  folder whole (sizes, SHA-256 hashes, every table's types and values), read
  them with DuckDB, work out the figures, print the report. Target: median
  ≤ 2,000 ms for 2,000 and ≤ 5,000 ms for 20,000. An officer runs it at the
  terminal and waits for the answer, as for a comparison (≤ 1,000 ms), but
  it also imports pyarrow and DuckDB and checks every byte of every folder
  first, so the time grows with the data; 20,000 assessments, every English
  council's several times over, must still come back while the officer waits.

The baseline is `python -c pass` in the same run. Run alone with
`python -m benchmarks.bench_data [--quick]` (quick: a 1,000-assessment store
and 100 authorities, a smoke run, not figures to quote).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Row, format_table, summarise, time_process
from benchmarks.peers_data import export_datasets, make_peer_store
from benchmarks.stores import synthetic_store

DATASET_TARGET_S = 90.0
DATASET_MEMORY_MB = 400.0
PEERS_TARGET_MS = {2_000: 2_000.0, 20_000: 5_000.0}

# Runs `assess` in this process and reports its peak memory (kB on Linux) on the last line.
PEAK = (
    "import resource, runpy, sys\n"
    "sys.argv = ['assess', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('assess', run_name='__main__')\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def peak_memory_mb(args: list[str], env: dict[str, str]) -> float:
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"assess {' '.join(args[:4])} … failed: {done.stderr}")
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def run(quick: bool) -> list[Row]:
    size = 1_000 if quick else 10_000
    authorities = 100 if quick else 500
    runs = 1 if quick else 3
    peer_runs = 3 if quick else 7
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="assess-bench-data-") as folder:
        root = Path(folder)
        env = {**os.environ, "NO_COLOR": "1", "XDG_DATA_HOME": str(root / "home")}
        env.pop("ASSESS_DEBUG", None)
        env.pop("ASSESS_DB", None)
        assess = [sys.executable, "-m", "assess"]
        baseline = summarise(time_process([sys.executable, "-c", "pass"], env, 5))
        floor = f"python start {baseline[0]:.0f} ms"

        store = root / "store"
        synthetic_store(store, size)
        args = ["--db", str(store), "dataset", "--all", "-o", str(root / "dataset")]
        args += ["--key", str(root / "key.txt")]
        median, p95 = summarise(time_process([*assess, *args], env, runs))
        rows.append(
            Row(
                name=f"assess dataset --all, {size:,} assessments (whole process)",
                median=median / 1000,
                p95=p95 / 1000,
                unit="s",
                target=f"median ≤ {DATASET_TARGET_S:.0f} s",
                baseline=floor,
                met=median / 1000 <= DATASET_TARGET_S,
                note=f"{runs} runs, {median / size:.1f} ms an assessment",
            )
        )
        memory = peak_memory_mb(args, env)
        rows.append(
            Row(
                name=f"Peak memory (ru_maxrss), assess dataset --all, {size:,} assessments",
                median=memory,
                p95=memory,
                unit="MB",
                target=f"≤ {DATASET_MEMORY_MB:,.0f} MB",
                met=memory <= DATASET_MEMORY_MB,
                note="one run",
            )
        )

        peers_store = root / "peers-store"
        made = make_peer_store(peers_store, authorities=authorities)
        subject = next(m for m in made if m.group == 0 and m.period == "2026/27")
        key = root / "peers" / "keys" / "group-0.txt"
        small = export_datasets(peers_store, made, root / "peers")
        large = export_datasets(peers_store, made, root / "peers-x10", keys=10)
        for count, folders, key_file in (
            (len(made), small, key),
            (len(made) * 10, large, root / "peers-x10" / "keys" / "group-0.txt"),
        ):
            target = PEERS_TARGET_MS[20_000 if count > 2_000 else 2_000]
            argv = [*assess, "--db", str(peers_store), "peers", subject.id]
            argv += [*map(str, folders), "--key", str(key_file)]
            median, p95 = summarise(time_process(argv, env, peer_runs))
            rows.append(
                Row(
                    name=f"assess peers over {count:,} assessments in {len(folders)} folders "
                    "(whole process)",
                    median=median,
                    p95=p95,
                    target=f"median ≤ {target:,.0f} ms",
                    baseline=floor,
                    met=median <= target,
                    note=f"{peer_runs} runs",
                )
            )
    return rows


if __name__ == "__main__":
    print(format_table(run(quick="--quick" in sys.argv)))
