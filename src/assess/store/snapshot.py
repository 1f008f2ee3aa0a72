"""One assessment file as this process last read or wrote it, and the few a Store keeps.

A `Snapshot` holds a checked file (`records.Loaded`), the `Assessment` made
from it, and the encodings a save reuses (see `writer`). A Store keeps the
last few it used in a `SnapshotCache`, because an officer's autosaves go to
the one assessment open on screen, and re-reading and re-checking the file
before each save would cost as much as writing it.

Before reusing a snapshot the store checks that the file on disk is still
that version: same inode, size and mtime (an atomic rewrite always makes a
new inode), and the same first bytes, which hold the revision and the time
of the last save. Another officer's save therefore always shows.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assess.domain.assessment import Assessment, Summary
from assess.store.files import (
    Damaged,
    StatKey,
    dumps,
    open_regular,
    parse_json,
    read_bytes,
    stat_key,
)
from assess.store.records import (
    ANSWERS,
    HISTORY,
    AnswerDoc,
    HistoryDoc,
    Loaded,
    load_tables,
    to_assessment,
)

if TYPE_CHECKING:
    from assess.domain.bank import Bank

PREFIX_BYTES = 96  # holds the revision and updated time (see records.MetaDoc)
CACHE_SIZE = 16


def part(doc_id: str, doc: AnswerDoc | HistoryDoc) -> bytes:
    """One document of a table as encoded in the file: `"id":{...}`."""
    return dumps(doc_id) + b":" + dumps(doc)


@dataclass
class Snapshot:
    """An assessment file as last read or written by this process."""

    loaded: Loaded
    prefix: bytes
    _assessment: Assessment | None = field(default=None, repr=False)
    # The encoded history documents: `"1":{...}`, then `,"2":{...}` and so on.
    _history_chunks: list[bytes] | None = field(default=None, repr=False)
    # document id -> `"id":{...}` for each answer document, in table order
    _answer_parts: dict[str, bytes] | None = field(default=None, repr=False)
    # The list summary this process worked out and wrote with this version (None
    # for a version read from disk, whose stored summary must be checked first).
    summary: Summary | None = field(default=None, repr=False)

    @property
    def key(self) -> StatKey:
        return self.loaded.key

    def assessment(self) -> Assessment:
        if self._assessment is None:
            self._assessment = to_assessment(self.loaded)
        return self._assessment

    def history_chunks(self) -> list[bytes]:
        if self._history_chunks is None:
            body = dumps(self.loaded.tables[HISTORY])[1:-1]
            self._history_chunks = [body] if body else []
        return self._history_chunks

    def answer_parts(self) -> dict[str, bytes]:
        if self._answer_parts is None:
            self._answer_parts = {
                doc_id: part(doc_id, doc) for doc_id, doc in self.loaded.tables[ANSWERS].items()
            }
        return self._answer_parts


def read_snapshot(assessment_id: str, path: Path, bank_for: Callable[[str], Bank]) -> Snapshot:
    """Read and check one version of an assessment file (FileNotFoundError and Damaged pass)."""
    data, key = read_bytes(path)
    loaded = load_tables(parse_json(data), assessment_id, path, key, bank_for)
    return Snapshot(loaded, data[:PREFIX_BYTES])


class SnapshotCache:
    """The last few snapshots a Store used, each given back only while its file is unchanged.

    Safe to share between the threads of one process: a snapshot is never
    changed once made (a save makes a new one), and the cache's own mutex is
    held only around its dictionary, never while a file is read or written.
    """

    def __init__(self) -> None:
        self._kept: dict[str, Snapshot] = {}
        self._mutex = threading.Lock()

    def current(self, assessment_id: str, path: Path) -> Snapshot | None:
        """The kept snapshot of `path`, if the file on disk is still that version."""
        with self._mutex:
            kept = self._kept.get(assessment_id)
        if kept is None or kept.loaded.path != path:
            return None
        try:
            fd = open_regular(path)
        except Damaged:
            return None
        # The descriptor itself, not a file object: this runs before every save.
        try:
            if stat_key(os.fstat(fd)) == kept.key and os.pread(fd, PREFIX_BYTES, 0) == kept.prefix:
                return kept
        finally:
            os.close(fd)
        return None

    def remember(self, snapshot: Snapshot) -> None:
        assessment_id = snapshot.loaded.id
        with self._mutex:
            self._kept.pop(assessment_id, None)  # to the end: the most recently used
            self._kept[assessment_id] = snapshot
            while len(self._kept) > CACHE_SIZE:
                self._kept.pop(next(iter(self._kept)))

    def forget(self, assessment_id: str) -> None:
        with self._mutex:
            self._kept.pop(assessment_id, None)
