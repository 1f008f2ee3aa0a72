"""Synthetic stores for the benchmarks: generated once per run, cloned for each user.

The store, CLI, compare and TUI benchmarks all need stores of 10, 1,000 and
10,000 assessments, each assessment answering every question of the shipped
bank with evidence notes (about 55 KB a file, so 10,000 make 300 MB and take
several seconds to write). `synthetic_store(root, count)` generates each
size once per process, in a cache folder removed when the process ends,
and gives every caller its own clone at `root`:

- the assessment files and bank copies are hard links to the cached ones.
  That is safe because the store never writes a file in place: every save
  writes a new file and renames it over the old name (a new inode), and the
  `.bak` it keeps is one more link to the old inode, which is not changed;
- the index is copied, because the store appends to it in place;
- the lock file is left out, so clones never lock each other.

Generation: one assessment is made through the store (so it is exactly what
the store writes), then cloned under new ids and names by writing its
tables directly, with the index written to match, as the store writes it.
The store then checks and accepts them like any others. Every size uses a
fixed seed, so a run's stores are the same from one run to the next.
"""

from __future__ import annotations

import atexit
import json
import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

from assess.domain.answers import Answer, check_answer
from assess.domain.bank import Bank, Question
from assess.store import Store
from assess.store.files import dumps, stat_key
from assess.store.index import HEADER_LINE, INDEX_NAME, entry_line
from assess.store.records import META, META_DOC
from assess.store.summaries import summary_from_data

EVIDENCE_CHARS = 200
_cache: dict[int, tuple[Path, list[str]]] = {}
_cache_root: Path | None = None


PLAIN_NOTE = "Our notes on this question, as an officer would type them."


def sample_value(question: Question, rng: random.Random, text: str = PLAIN_NOTE) -> Any:
    """A valid raw value for any question type (`text` for free-text questions)."""
    options = list(question.option_ids)
    if question.type == "maturity":
        return rng.randint(0, 4)
    if question.type in ("single", "likert", "yesno"):
        return rng.choice(options)
    if question.type == "multi":
        return rng.sample(options, rng.randint(1, len(options)))
    if question.type == "ranking":
        return rng.sample(options, len(options))
    if question.type == "number":
        low = question.minimum if question.minimum is not None else 0
        high = question.maximum if question.maximum is not None else low + 100
        return int(rng.uniform(low, high))
    return text


def full_answers(
    bank: Bank, rng: random.Random, evidence: int = EVIDENCE_CHARS
) -> dict[str, Answer]:
    """An answer to every question, each with an evidence note of about `evidence` characters."""
    note = ("Minutes of cabinet, 12 March; business case v3, section 4. " * 40)[:evidence]
    return {
        q.id: check_answer(q, {"value": sample_value(q, rng), "evidence": note})
        for q in bank.questions
    }


def generate(root: Path, count: int, rng: random.Random) -> list[str]:
    """Write a new store of `count` fully answered assessments at `root`; returns their ids."""
    store = Store.open(root)
    bank = store.current_bank()
    template = store.create(
        authority="Template Borough Council",
        service="Waste",
        assessor="A. Officer",
        answers=full_answers(bank, rng),
    )
    path = store.folder / f"{template.id}.json"
    tables = json.loads(path.read_bytes())
    meta = tables[META][META_DOC]
    ids = [template.id]
    lines = [entry_line(template.id, stat_key(path.stat()), summary_from_data(meta["summary"]))]
    seen = {template.id}
    while len(ids) < count:
        new_id = f"{rng.getrandbits(32):08x}"
        if new_id in seen:
            continue
        seen.add(new_id)
        authority = f"Authority {len(ids):05d}"
        meta.update(id=new_id, authority=authority)
        meta["summary"].update(id=new_id, authority=authority)
        target = store.folder / f"{new_id}.json"
        target.write_bytes(dumps(tables))
        lines.append(
            entry_line(new_id, stat_key(target.stat()), summary_from_data(meta["summary"]))
        )
        ids.append(new_id)
    (root / INDEX_NAME).write_bytes(HEADER_LINE + b"".join(lines))
    # Flush the generated files now: otherwise the kernel writes them back while
    # saves are being timed, and every fsync waits for that.
    os.sync()
    return ids


def _cached(count: int) -> tuple[Path, list[str]]:
    global _cache_root
    if count not in _cache:
        if _cache_root is None:
            _cache_root = Path(tempfile.mkdtemp(prefix="assess-bench-stores-"))
            atexit.register(shutil.rmtree, _cache_root, ignore_errors=True)
        source = _cache_root / f"store-{count}"
        _cache[count] = (source, generate(source, count, random.Random(count)))
    return _cache[count]


def _link_or_copy(source: str, target: str) -> None:
    if Path(source).name in (INDEX_NAME,):
        shutil.copy2(source, target)
        return
    try:
        os.link(source, target)
    except OSError:  # another filesystem, or no hard links: a copy is equally right
        shutil.copy2(source, target)


def synthetic_store(root: Path, count: int) -> list[str]:
    """A store of `count` fully answered assessments at `root` (a new folder); returns the ids.

    The first call for a size generates it; later calls clone it (see the
    module docstring), which takes a fraction of a second even for 10,000.
    """
    source, ids = _cached(count)
    shutil.copytree(
        source,
        root,
        copy_function=_link_or_copy,
        ignore=shutil.ignore_patterns(".lock"),
    )
    return list(ids)
