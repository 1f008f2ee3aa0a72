"""Listing a store: the summaries from the index, checked against the files, in order.

`Store.list()` reads the index journal, scans the assessments folder (one
stat per file, no reads), and reads only the files whose identity differs
from what the index recorded (see `index` for why that is always right).
Listing never repairs a damaged assessment: it lists the others and adds a
warning naming the file. It does tidy the index when it can take the lock
without waiting: recording the corrections it found, compacting a journal
grown long, and rebuilding an index that cannot be read (the damaged index
is renamed aside and kept).

`Lister.first_page` gives a large store's first page without reading the
whole list: the snapshot's first rows and the journal's lines since, each
checked against its file. The home screen shows it at start-up while the
whole list is read.

The order is fixed whatever the clock did: most recently updated first,
then most recently created, then by id (highest first), so two listings of
the same store are always in the same order, even when several assessments
were saved within one tick of the clock.
"""

from __future__ import annotations

import contextlib
import os
import stat as stat_module
from collections.abc import Callable
from contextlib import AbstractContextManager
from operator import attrgetter
from typing import TYPE_CHECKING

from assess.domain.assessment import Summary
from assess.store.clock import file_stamp
from assess.store.errors import CorruptStore
from assess.store.files import Damaged, StatKey, parse_json, read_bytes, set_aside
from assess.store.folder import StoreFolder
from assess.store.index import Index, IndexState, identity, reconcile, snapshot_wanted
from assess.store.records import check_file_meta, load_tables, to_assessment
from assess.store.summaries import stored_summary

if TYPE_CHECKING:
    from assess.domain.bank import Bank

# Past this many corrections, rewriting the index is cheaper than appending.
REWRITE_AFTER_FIXES = 200

Found = tuple[StatKey, Summary]


def in_order(summaries: list[Summary]) -> list[Summary]:
    """The summaries sorted in place, newest first (see the module docstring), and returned."""
    # One sort on `updated` when no two share a time. Otherwise one stable sort
    # per field, least significant first: for 10,000 summaries that share a
    # time (a bundle imported in one go) that is four times quicker than one
    # sort on a key tuple built for every summary.
    if len({s.updated for s in summaries}) < len(summaries):
        summaries.sort(key=attrgetter("id"), reverse=True)
        summaries.sort(key=attrgetter("created"), reverse=True)
    summaries.sort(key=attrgetter("updated"), reverse=True)
    return summaries


class Lister:
    """Lists one store.

    Built by the Store with what it needs from it: how to find an
    assessment's bank, its lock, its warnings and its clock (`now`, for
    naming a damaged index when it is set aside).
    """

    def __init__(
        self,
        folder: StoreFolder,
        index: Index,
        *,
        bank_for: Callable[[str], Callable[[str], Bank]],
        locked: Callable[[], AbstractContextManager[bool]],
        warn: Callable[[str], None],
        now: Callable[[], str],
    ) -> None:
        self.folder = folder
        self.index = index
        self._bank_for = bank_for
        self._locked = locked  # the store's lock if it can be had at once, never waiting
        self._warn = warn
        self._now = now

    def summaries(self) -> list[Summary]:
        state = self.index.load()
        if state.damaged:
            state = self._set_aside_index(state.damaged)
        files, stale = self.folder.scan()
        read: dict[str, Found] = {}

        def read_one(assessment_id: str) -> Found | None:
            found = self.read_summary(assessment_id, warn=True)
            if found is not None:
                read[assessment_id] = found
            return found

        live, fixes = reconcile(state, files, read_one)
        if fixes or state.bloated() or state.outdated or stale or state.snapshot_due():
            compact = state.bloated() or state.outdated or len(fixes) > REWRITE_AFTER_FIXES
            self._tidy(read, compact=compact, stale=stale)
        summaries = [entry.summary for entry in live.values()]
        # A snapshot is written in list order: when nothing changed since, it still is.
        return summaries if state.ordered and live is state.entries else in_order(summaries)

    def first_page(self, count: int) -> tuple[list[Summary], int] | None:
        """The first `count` summaries of the list, and about how many there are; None if unknown.

        For showing a large store's first page before the whole list is read:
        the snapshot's first rows (`Index.head`) with the journal's lines
        since, in list order, each checked against its file (one stat) and
        read again if it changed. So every summary given is right; what this
        cannot know is a newer one written without its journal line (a writer
        killed between its rename and its index line), which only the full
        listing finds, and the count is the snapshot's. None when there is no
        usable snapshot (a small store): then list the whole store.
        """
        head = self.index.head()
        if head is None:
            return None
        candidates = dict(head.entries)
        for assessment_id, changed in head.changed.items():
            if changed is None:
                candidates.pop(assessment_id, None)
            else:
                candidates[assessment_id] = changed
        page: list[Summary] = []
        for summary in in_order([entry.summary for entry in candidates.values()]):
            if len(page) == count:
                break
            try:
                found = os.lstat(self.folder.file(summary.id))
            except OSError:
                continue  # gone (or unreadable: the full listing says why)
            key = identity((found.st_ino, found.st_size, found.st_mtime_ns))
            if stat_module.S_ISREG(found.st_mode) and key == candidates[summary.id].key:
                page.append(summary)
                continue
            read = self.read_summary(summary.id, warn=False)
            if read is not None:
                page.append(read[1])
        return in_order(page), head.total

    def read_summary(self, assessment_id: str, *, warn: bool) -> Found | None:
        """One file's identity and summary, or None (with a warning) if it cannot be read."""
        path = self.folder.file(assessment_id)
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
                then = (
                    "opening it puts back its copy from the previous save"
                    if self.folder.backup(assessment_id).exists()
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
        with self._locked() as held:
            if not held:  # busy or read-only: list from the files, repair another time
                self._warn(
                    f"{self.index.path}: the list index could not be read ({reason}); the "
                    "list was made from the assessment files, and the index will be rebuilt "
                    "by the next listing that can write to the store"
                )
                return IndexState({}, 0)
            state = self.index.load()
            if state.damaged:  # still: no one rebuilt it meanwhile
                try:
                    kept = set_aside(self.index.path, file_stamp(self._now()))
                except OSError as exc:
                    self._warn(
                        f"{self.index.path}: the list index could not be read ({reason}) nor "
                        f"moved aside ({exc.strerror}); the list was made from the files"
                    )
                    return IndexState({}, 0, damaged=reason)
                self._warn(
                    f"{self.index.path}: the list index could not be read ({reason}); it was "
                    f"rebuilt from the assessment files, and the damaged copy kept as {kept.name}"
                )
                state = IndexState({}, 0)
            return state

    def _tidy(self, read: dict[str, Found], *, compact: bool, stale: list[str]) -> None:
        """Record corrections (and compact the journal) if the lock can be had at once.

        Also removes `stale`, temporaries an earlier version of assess left
        beside the assessment files (with the lock held, no writer is making one).
        """
        with self._locked() as held:
            if not held:
                return  # not worth waiting for: the next listing will do it
            for name in stale:
                with contextlib.suppress(OSError):
                    os.unlink(self.folder.assessments / name)
            state = self.index.load()
            if state.damaged:
                return
            files, _ = self.folder.scan()

            def read_again(assessment_id: str) -> Found | None:
                known = read.get(assessment_id)
                if known is not None and identity(known[0]) == files[assessment_id]:
                    return known
                return self.read_summary(assessment_id, warn=False)

            live, fixes = reconcile(state, files, read_again)
            try:
                rewrite = compact or state.outdated or (not state.entries and live)
                if rewrite:
                    self.index.rewrite(live)
                    journal, lines = live, len(live)
                else:
                    self.index.append(fixes)
                    # What the journal now says: the old entries of files still
                    # there (even unreadable ones), then the corrections.
                    journal = {i: e for i, e in state.entries.items() if i in files}
                    journal.update(live)
                    lines = state.lines + len(fixes)
                if snapshot_wanted(
                    len(journal), lines, state.snapshot_lines, rewritten=bool(rewrite)
                ):
                    order = in_order([entry.summary for entry in journal.values()])
                    self.index.write_snapshot([(s.id, journal[s.id]) for s in order], lines)
            except (OSError, Damaged):
                pass  # only a cache: the next listing finds the same and tries again
