"""Listing a store: the summaries from the index, checked against the files.

`Store.list()` reads the index journal, scans the assessments folder (one
stat per file, no reads), and reads only the files whose identity differs
from what the index recorded (see `store_index` for why that is always
right). Listing never repairs a damaged assessment: it lists the others and
adds a warning naming the file. It does tidy the index when it can take the
lock without waiting: recording the corrections it found, compacting a
journal grown long, and rebuilding an index that cannot be read (the damaged
index is renamed aside and kept).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from assess.domain.assessment import Summary
from assess.store.errors import CorruptStore
from assess.store.files import Damaged, StatKey, parse_json, read_bytes, set_aside
from assess.store.index import Index, IndexState, gc_paused, reconcile
from assess.store.records import check_file_meta, load_tables, stored_summary, to_assessment

if TYPE_CHECKING:
    from assess.domain.bank import Bank

# Past this many corrections, rewriting the index is cheaper than appending.
REWRITE_AFTER_FIXES = 200

Found = tuple[StatKey, Summary]
# An assessment file's name: its id and ".json".
_FILE_NAME = re.compile(r"[0-9a-f]{8}\.json")


def scan(folder: Path) -> dict[str, StatKey]:
    """Each assessment id in the folder with the identity of its file."""
    files: dict[str, StatKey] = {}
    named = _FILE_NAME.fullmatch
    with gc_paused(), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if named(name) and entry.is_file():
                try:
                    stat = entry.stat()
                except FileNotFoundError:
                    continue
                # As `stat_key`, inline: this runs once per file in the store.
                files[name[:8]] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return files


class Lister:
    """Lists one store; built by `Store` with what it needs from it."""

    def __init__(
        self,
        folder: Path,
        index: Index,
        *,
        bank_for: Callable[[str], Callable[[str], Bank]],
        locked: Callable[..., AbstractContextManager[bool]],
        warn: Callable[[str], None],
    ) -> None:
        self.folder = folder
        self.index = index
        self._bank_for = bank_for
        self._locked = locked
        self._warn = warn

    def summaries(self) -> list[Summary]:
        state = self.index.load()
        if state.damaged:
            state = self._set_aside_index(state.damaged)
        files = scan(self.folder)
        read: dict[str, Found] = {}

        def read_one(assessment_id: str) -> Found | None:
            found = self.read_summary(assessment_id, warn=True)
            if found is not None:
                read[assessment_id] = found
            return found

        live, fixes = reconcile(state, files, read_one)
        if fixes or state.bloated() or state.outdated:
            compact = state.bloated() or state.outdated or len(fixes) > REWRITE_AFTER_FIXES
            self._tidy(read, compact=compact)
        summaries = [entry.summary for entry in live.values()]
        # Newest first, ties by id. Sorting on one field is quicker than on an
        # (updated, id) key built for every summary, and a stable sort by id
        # first is needed only when two were updated at the same moment.
        if len({s.updated for s in summaries}) < len(summaries):
            summaries.sort(key=attrgetter("id"), reverse=True)
        summaries.sort(key=attrgetter("updated"), reverse=True)
        return summaries

    def read_summary(self, assessment_id: str, *, warn: bool) -> Found | None:
        """One file's identity and summary, or None (with a warning) if it cannot be read."""
        path = self.folder / f"{assessment_id}.json"
        try:
            data, key = read_bytes(path)
            tables = parse_json(data)
            summary = stored_summary(check_file_meta(tables, assessment_id))
            if summary is None:  # only a cache: work it out from the answers
                bank_for = self._bank_for(assessment_id)
                loaded = load_tables(tables, assessment_id, path, key, bank_for)
                summary = to_assessment(loaded).summary()
        except FileNotFoundError:
            return None
        except Damaged as exc:
            if warn:
                backup = self.folder / f"{assessment_id}.bak"
                then = (
                    "opening it puts back its copy from the previous save"
                    if backup.exists()
                    else "there is no earlier copy; put the file back from a backup"
                )
                self._warn(
                    f"{path}: assessment {assessment_id} cannot be read ({exc.reason}) and is "
                    f"not listed; {then}"
                )
            return None
        except CorruptStore as exc:
            if warn:
                self._warn(exc.message)
            return None
        except OSError as exc:
            if warn:
                self._warn(f"{path}: cannot read the file ({exc.strerror}); it is not listed")
            return None
        return key, summary

    def _set_aside_index(self, reason: str) -> IndexState:
        with self._locked():
            state = self.index.load()
            if state.damaged:  # still: no one rebuilt it while we waited
                kept = set_aside(self.index.path)
                self._warn(
                    f"{self.index.path}: the list index could not be read ({reason}); it was "
                    f"rebuilt from the assessment files, and the damaged copy kept as {kept.name}"
                )
                state = IndexState({}, 0)
            return state

    def _tidy(self, read: dict[str, Found], *, compact: bool) -> None:
        """Record corrections (and compact the journal) if no one else holds the lock."""
        with self._locked(wait=False) as held:
            if not held:
                return  # not worth waiting for: the next listing will do it
            state = self.index.load()
            if state.damaged:
                return
            files = scan(self.folder)

            def read_again(assessment_id: str) -> Found | None:
                known = read.get(assessment_id)
                if known is not None and known[0] == files[assessment_id]:
                    return known
                return self.read_summary(assessment_id, warn=False)

            live, fixes = reconcile(state, files, read_again)
            if compact or state.outdated or (not state.entries and live):
                self.index.rewrite(live)
            else:
                self.index.append(fixes)
