"""How fast the store saves and lists, at 10, 1,000 and 10,000 stored assessments.

- Autosave: one `Store.save_answer` (lock, read, atomic fsync'd write, index
  line), on assessments that hold a full bank's worth of answers with
  evidence notes. Targets: p95 ≤ 30 ms; median within 2× the floor; and
  flat: the median at 10,000 within 1.5× of the median at 10 (the p95 ratio
  is shown too, but one slow fsync in either size moves it, so it is not the
  test).
- Floor: the fsync'd atomic write of the same assessment file's bytes, in
  the same folder, timed right after each save, so both see the same disk
  at the same moment. The ratio is the honest figure: fsync costs ten times
  more on some disks than on others, and the floor moves with it.
- Saves to the three sizes are interleaved (a run of saves on each in turn),
  so a noisy moment on the machine lands on every size alike.
- `assess list` at the largest size, as a whole process (≤ 1 s), and its peak
  memory (≤ 150 MB); with `ASSESS_BENCH_BIG=50000,100000` (opt-in: each
  store is about 55 KB an assessment, 5.5 GB at 100,000, and takes minutes
  to generate) the same rows at those sizes too, and the bundle rows below.
- History: a typing autosave to an assessment with 5,000 saves behind it,
  beside one to a fresh assessment, interleaved (≤ 1.2×).
- Bundles: `assess export --all` of the largest store and `assess import`
  of that bundle into a new store, each a whole process with its peak
  memory from a small launcher (`benchmarks.launch`); targets 2,000
  assessments a second each way and ≤ 150 MB. The round trip must give
  back the same bundle, line for line.

Before any fsync is timed the disk is left to settle (`settle_disk`: sync,
then a short sleep), since the stores were just cloned or generated.

The stores come from `benchmarks.stores` (generated once per run, shared
with the other benchmarks). Run alone: `python -m benchmarks.bench_store
[--quick]`; `python -m benchmarks.bench` runs every benchmark.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assess.domain.answers import Answer
from assess.domain.assessment import Assessment
from assess.store import Store
from assess.store.fileio import atomic_write_bytes
from benchmarks.common import Row, format_table, summarise
from benchmarks.launch import installed_env, run_measured
from benchmarks.stores import full_answers, sample_value, synthetic_store

__all__ = ["build_store", "full_answers", "run", "sample_value"]

SAVE_TARGET_RATIO = 2.0
SAVE_P95_MS = 30.0
FLAT_RATIO = 1.5
LIST_TARGET_MS = 1000.0
LIST_TARGET_MB = 150.0
HISTORY_RATIO = 1.2
PRIOR_SAVES = 5_000
BUNDLE_RATE = 2_000  # assessments a second, each way
BUNDLE_MB = 150.0
SETTLE_S = 2.0
RUN = 10  # an officer's consecutive autosaves go to the one assessment open in the app
PICKED = 20  # assessments each size's saves go to, picked at random


def build_store(root: Path, count: int, rng: random.Random | None = None) -> list[str]:
    """The name other benchmarks first used for `benchmarks.stores.synthetic_store`.

    Each size's content is fixed (seeded by the size) so that it is made once
    per run and shared; `rng` is accepted for those callers and not used.
    """
    return synthetic_store(root, count)


class Target:
    """One store being saved into, and the samples taken from it."""

    def __init__(self, root: Path, ids: list[str], rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.store = Store.open(root)
        self.chosen = rng.sample(ids, min(PICKED, len(ids)))
        self.criteria = [q.id for q in self.store.current_bank().criteria]
        self.runs = 0
        self.saves: list[float] = []
        self.floors: list[float] = []

    def save_run(self, *, typing: bool, keep: bool = True) -> None:
        """One officer's run of `RUN` autosaves to one assessment, each paired with a floor.

        The run starts by opening the assessment, as the app does. Each save
        changes a criterion's level (so the assessment is rescored), or with
        `typing` only its evidence note (the autosave while an officer types).
        """
        assessment_id = self.chosen[self.runs % len(self.chosen)]
        self.runs += 1
        current: Assessment = self.store.get(assessment_id)
        floor_path = self.store.folder / "floor.json"
        for n in range(RUN):
            question = self.rng.choice(self.criteria)
            old = current.answers.get(question)
            level = old.level if old is not None and old.level is not None else 0
            if not typing:
                level = (level + self.rng.randint(1, 4)) % 5
            note = f"Evidence note, run {self.runs} save {n}: " + "x" * 150
            start = time.perf_counter()
            current = self.store.save_answer(
                assessment_id, question, Answer(level, None, note), who="Benchmark"
            )
            saved = (time.perf_counter() - start) * 1000
            data = (self.store.folder / f"{assessment_id}.json").read_bytes()
            start = time.perf_counter()
            atomic_write_bytes(floor_path, data)
            floor = (time.perf_counter() - start) * 1000
            if keep:
                self.saves.append(saved)
                self.floors.append(floor)


def _save_row(name: str, target: Target) -> Row:
    median, p95 = summarise(target.saves)
    floor_median, floor_p95 = summarise(target.floors)
    ratio = median / floor_median
    return Row(
        name=name,
        median=median,
        p95=p95,
        target=f"≤ {SAVE_TARGET_RATIO:g}× floor, p95 ≤ {SAVE_P95_MS:g} ms",
        baseline=f"floor {floor_median:.2f} ms, p95 {floor_p95:.2f} (×{ratio:.2f})",
        met=ratio <= SAVE_TARGET_RATIO and p95 <= SAVE_P95_MS,
        note=f"{len(target.saves)} saves",
    )


def big_sizes() -> list[int]:
    """The extra store sizes asked for in ASSESS_BENCH_BIG ("50000,100000"), if any."""
    text = os.environ.get("ASSESS_BENCH_BIG", "")
    return [int(part) for part in text.replace(" ", "").split(",") if part]


def list_rows(root: Path, count: int, repeat: int) -> list[Row]:
    """`assess list` of a store of `count`: its time (≤ 1 s) and its peak memory (≤ 150 MB).

    The first, untimed run warms the disk and lets the store write what a
    listing keeps for the next (the index's snapshot), as an officer's
    first listing would.
    """
    median, p95 = summarise(time_list(root, repeat))
    _, peak = run_measured(
        [sys.executable, "-m", "assess", "--db", str(root), "list"], installed_env()
    )
    return [
        Row(
            name=f"`assess list`, {count:,} assessments (whole process)",
            median=median,
            p95=p95,
            target=f"≤ {LIST_TARGET_MS:g} ms",
            met=p95 <= LIST_TARGET_MS,
            note=f"{repeat} runs",
        ),
        Row(
            name=f"Peak memory of `assess list`, {count:,} assessments",
            median=peak,
            p95=peak,
            unit="MB",
            target=f"≤ {LIST_TARGET_MB:g} MB",
            met=peak <= LIST_TARGET_MB,
            note="one run",
        ),
    ]


def time_list(root: Path, repeat: int) -> list[float]:
    """`assess list` as a whole process, in milliseconds (one run first, to warm the disk)."""
    samples = []
    for n in range(repeat + 1):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "assess", "--db", str(root), "list"],
            capture_output=True,
            check=False,
            env=installed_env(),
        )
        elapsed = (time.perf_counter() - start) * 1000
        if proc.returncode != 0:
            raise RuntimeError(f"assess list failed: {proc.stderr.decode(errors='replace')}")
        if n:
            samples.append(elapsed)
    return samples


def settle_disk() -> None:
    """Let the disk finish writing back what was just made, before any fsync is timed.

    Cloning or generating a store leaves much of it in the page cache; if
    it is written back while saves are timed, every fsync waits behind it
    (8 ms instead of 1.3 ms in one rerun).
    """
    os.sync()
    time.sleep(SETTLE_S)


def history_rows(root: Path, saves: int, prior: int) -> list[Row]:
    """Saves to an assessment with `prior` saves behind it, beside saves to a fresh one.

    Both are typing autosaves (the evidence note of one criterion changes),
    interleaved in runs of `RUN`, on two assessments of the same store.
    """
    store = Store.open(root)
    bank = store.current_bank()
    rng = random.Random(5000)
    qid = bank.criteria[0].id
    old = store.create(authority="Long history", answers=full_answers(bank, rng))
    for n in range(prior):
        store.save_answer(old.id, qid, Answer(n % 5, None, f"Note typed, version {n}"), who="Jo")
    fresh = store.create(authority="Fresh", answers=full_answers(bank, rng))
    settle_disk()
    timed: dict[str, list[float]] = {old.id: [], fresh.id: []}
    for n in range(saves // RUN):
        for assessment_id, samples in timed.items():
            for k in range(RUN):
                note = f"Evidence note, run {n} save {k}: " + "x" * 150
                start = time.perf_counter()
                store.save_answer(assessment_id, qid, Answer(2, None, note), who="Benchmark")
                samples.append((time.perf_counter() - start) * 1000)
    fresh_median, fresh_p95 = summarise(timed[fresh.id])
    old_median, old_p95 = summarise(timed[old.id])
    ratio = old_median / fresh_median
    size = (store.folder / f"{old.id}.json").stat().st_size / 1024
    return [
        Row(
            name="Autosave on a fresh assessment (typing)",
            median=fresh_median,
            p95=fresh_p95,
            note=f"{len(timed[fresh.id])} saves",
        ),
        Row(
            name=f"Autosave after {prior:,} prior saves (typing; file {size:.0f} KB)",
            median=old_median,
            p95=old_p95,
            target=f"≤ {HISTORY_RATIO:g}× a fresh assessment",
            baseline=f"fresh {fresh_median:.2f} ms (×{ratio:.2f})",
            met=ratio <= HISTORY_RATIO,
            note=f"{len(timed[old.id])} saves",
        ),
    ]


def _lines_after_header(bundle: Path) -> str:
    """A digest of a bundle of lines but its first (the header, which says when)."""
    digest = hashlib.sha256()
    with open(bundle, "rb") as lines:
        lines.readline()
        for line in lines:
            digest.update(line)
    return digest.hexdigest()


def bundle_rows(source: Path, count: int, work: Path) -> list[Row]:
    """`assess export --all` of `count` assessments, then `assess import` of it into a new store.

    Each a whole process under the small launcher (`benchmarks.launch`), so
    its peak memory is its own. The round trip is checked whole: the new
    store, exported again (untimed), gives the same bundle line for line
    (every answer, plan entry, history entry and bank), but for the header's
    time of export.
    """
    env = installed_env(NO_COLOR="1")
    assess = [sys.executable, "-m", "assess"]
    bundle = work / f"bundle-{count}.jsonl"
    target = work / f"imported-{count}"
    export_ms, export_mb = run_measured(
        [*assess, "--db", str(source), "export", "--all", "-o", str(bundle)], env
    )
    settle_disk()
    import_ms, import_mb = run_measured([*assess, "--db", str(target), "import", str(bundle)], env)
    again = work / f"again-{count}.jsonl"
    with open(again, "wb") as out:
        Store.open(target).write_bundle(out)
    same = _lines_after_header(bundle) == _lines_after_header(again)
    again.unlink()
    megabytes = bundle.stat().st_size / 1024 / 1024
    rows = []
    for what, ms, mb in (("export --all", export_ms, export_mb), ("import", import_ms, import_mb)):
        rate = count / (ms / 1000)
        rows.append(
            Row(
                name=f"`assess {what}`, {count:,} assessments ({megabytes:.0f} MB bundle)",
                median=ms,
                p95=ms,
                target=f"≥ {BUNDLE_RATE:,} a second, ≤ {BUNDLE_MB:g} MB",
                baseline=f"{rate:,.0f} a second; peak {mb:.0f} MB",
                met=rate >= BUNDLE_RATE and mb <= BUNDLE_MB and same,
                note="one run" + ("" if same else "; ROUND TRIP DIFFERS"),
            )
        )
    shutil.rmtree(target, ignore_errors=True)
    bundle.unlink()
    return rows


def run(quick: bool) -> list[Row]:
    sizes = (10, 1_000, 2_000) if quick else (10, 1_000, 10_000)
    runs = 4 if quick else 20  # runs of RUN saves per size
    rng = random.Random(20250401)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="assess-bench-store-") as tmp:
        targets = {}
        for size in sizes:
            root = Path(tmp) / f"store-{size}"
            targets[size] = Target(root, synthetic_store(root, size), rng)
        settle_disk()
        for target in targets.values():
            target.save_run(typing=False, keep=False)  # warm: first opens, first links
        for _ in range(runs):
            for target in targets.values():
                target.save_run(typing=False)
        for size, target in targets.items():
            rows.append(_save_row(f"Autosave one answer, {size:,} assessments stored", target))

        largest = sizes[-1]
        typing = Target(targets[largest].root, targets[largest].chosen, rng)
        for _ in range(runs):
            typing.save_run(typing=True)
        rows.append(_save_row(f"Autosave while typing an evidence note, {largest:,}", typing))

        floors = [f for target in targets.values() for f in target.floors]
        floor_median, floor_p95 = summarise(floors)
        rows.append(
            Row(
                name="Floor: fsync'd atomic write of the same file, same folder, alone",
                median=floor_median,
                p95=floor_p95,
                note=f"{len(floors)} writes",
            )
        )
        small, big = targets[sizes[0]], targets[largest]
        median_ratio = summarise(big.saves)[0] / summarise(small.saves)[0]
        p95_ratio = summarise(big.saves)[1] / summarise(small.saves)[1]
        rows.append(
            Row(
                name=f"Flatness: autosave at {largest:,} ÷ autosave at {sizes[0]}",
                median=median_ratio,
                p95=p95_ratio,
                unit="×",
                target=f"median ≤ {FLAT_RATIO:g}×",
                met=median_ratio <= FLAT_RATIO,
            )
        )
        repeat = 3 if quick else 7
        rows.extend(list_rows(big.root, largest, repeat))
        for count in big_sizes():
            root = Path(tmp) / f"store-{count}"
            synthetic_store(root, count)
            rows.extend(list_rows(root, count, repeat))
            settle_disk()
            rows.extend(bundle_rows(root, count, Path(tmp)))
            shutil.rmtree(root, ignore_errors=True)
        rows.extend(history_rows(targets[sizes[0]].root, 100 if quick else 400, PRIOR_SAVES))
        rows.extend(bundle_rows(big.root, largest, Path(tmp)))
    return rows


if __name__ == "__main__":
    print(format_table(run(quick="--quick" in sys.argv)))
