"""The list index: an append-only journal of assessment summaries, a cache of the files.

Why a journal. `assess list` and the home screen must answer in well under a
second at 10,000 assessments without opening 10,000 files, so the summary of
each assessment (names, status, completeness, score, band, updated) is kept in
one index. But a save must cost the same at 10 or 10,000 assessments, and
rewriting a 10,000-entry index on every save is O(N). So the index is a JSON
Lines journal: a header line naming the summary fields, then one line per
change: `[inode, size, mtime, <summary fields in header order>]` after a
save, `[id]` after a delete (lists, not objects, because parsing 10,000 lines
is most of the cost of listing). A save appends one short line (O(1), no
fsync: it is a cache); a reader keeps the last line per id. When the journal
holds many more lines than live entries, a lister that finds the lock free
rewrites it compactly (atomically), so its cost is amortised over at least
as many saves as there are assessments.

Why it is always right. The assessment files are the truth and the index
only a cache of them. Every index line records the file's identity when the
summary was taken (inode, size, mtime: an atomic rewrite always makes a new
inode). Listing compares those with a directory scan, which is cheap
(one stat per file, no reads), and reads only the files that differ: one
written by a process killed between its rename and its index append, one
copied in by hand, one damaged since. Files gone from the folder are dropped.
An invalid line (a torn append after a crash) is skipped, since the
comparison catches whatever it described. An index whose header cannot be
read (empty, NUL bytes, not JSON) is renamed aside, kept, and rebuilt from
the files; one written for other summary fields (another version of assess)
is simply rebuilt.

Why it is quick. Listing 10,000 assessments reads the journal in one JSON
parse, checks each line's field types with one set lookup (every allowed
sequence of types is known in advance) and makes each `Summary` tuple
straight from the line's fields; when every entry matches the directory
scan, as it almost always does, the comparison is one dictionary comparison.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from assess.domain.assessment import Summary
from assess.domain.rules import RULES_VERSION
from assess.store.fileio import atomic_write_bytes
from assess.store.files import Damaged, StatKey, dumps, not_regular, parse_json, read_bytes
from assess.store.summaries import SUMMARY_ORDER, SUMMARY_SIGNATURES, values_ok

INDEX_NAME = "index.jsonl"
INDEX_FORMAT = "assess-index"
HEADER: dict[str, object] = {
    "format": INDEX_FORMAT,
    "format_version": 2,
    "fields": list(SUMMARY_ORDER),
}
HEADER_LINE = dumps(HEADER) + b"\n"
# The field types of a valid entry line: inode, size and mtime, then a summary.
_ENTRY_SIGNATURES = frozenset((int, int, int, *types) for types in SUMMARY_SIGNATURES)
_GONE_SIGNATURE = (str,)
# Where two fields sit in an entry line: after the inode, size and mtime.
_PLAN_DUE = 3 + SUMMARY_ORDER.index("plan_due")
_RULES = 3 + SUMMARY_ORDER.index("rules_version")
# Compact when the journal has this many more lines than live entries, and
# more than twice as many: amortised O(1) per save, and rare.
COMPACT_SLACK = 500


class IndexEntry(NamedTuple):
    key: StatKey
    summary: Summary


@dataclass
class IndexState:
    entries: dict[str, IndexEntry]
    lines: int
    # id -> key of each entry, for comparing with a directory scan in one go
    keys: dict[str, StatKey] | None = None
    damaged: str | None = None
    outdated: bool = False

    def bloated(self) -> bool:
        return self.lines > 2 * len(self.entries) + COMPACT_SLACK


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (then as before).

    For building tens of thousands of objects that are all kept: a collection
    could free none of them, yet the ones their allocation sets off walk the
    process's objects (about 20 ms of listing 10,000 assessments in the app).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def entry_line(assessment_id: str, key: StatKey, summary: Summary) -> bytes:
    data = summary.to_data()
    if data["id"] != assessment_id:
        raise ValueError("the summary is of another assessment")
    return dumps([*key, *(data[name] for name in SUMMARY_ORDER)]) + b"\n"


def gone_line(assessment_id: str) -> bytes:
    return dumps([assessment_id]) + b"\n"


def _replay(records: list[object]) -> tuple[dict[str, IndexEntry], dict[str, StatKey]]:
    """The live entries after the journal's records, in order (the last line per id wins).

    A record that is not one we wrote (wrong shape or field types) is skipped.
    This runs once per line of the journal, so it is written for speed: the
    checks are the same as `summaries.summary_from_data` makes.
    """
    entries: dict[str, IndexEntry] = {}
    keys: dict[str, StatKey] = {}
    new = tuple.__new__
    for record in records:
        if type(record) is not list:
            continue
        signature = tuple(map(type, record))
        if signature in _ENTRY_SIGNATURES:
            # A summary worked out under other scoring rules is scored again.
            if record[_RULES] != RULES_VERSION:
                continue
            due = record[_PLAN_DUE]
            if not all(type(day) is str for day in due):
                continue
            record[_PLAN_DUE] = tuple(due)
            values = record[3:]
            if not values_ok(values):  # a line not of ours: the files are read instead
                continue
            # As Summary._make, without its call: the length is checked.
            summary: Summary = new(Summary, values)
            key = (record[0], record[1], record[2])
            entries[record[3]] = IndexEntry(key, summary)
            keys[record[3]] = key
        elif signature == _GONE_SIGNATURE:
            entries.pop(record[0], None)
            keys.pop(record[0], None)
    return entries, keys


class Index:
    """The journal file of one store (`temp_dir`: where its rewrites are made)."""

    def __init__(self, root: Path, temp_dir: Path | None = None) -> None:
        self.path = root / INDEX_NAME
        self.temp_dir = temp_dir

    def load(self) -> IndexState:
        """Read the journal (no lock needed: appends are whole lines, rewrites atomic)."""
        try:
            data, _ = read_bytes(self.path)  # never through a link, never a FIFO
        except FileNotFoundError:
            return IndexState({}, 0)
        except Damaged as exc:
            return IndexState({}, 0, damaged=exc.reason)
        except OSError as exc:
            return IndexState({}, 0, damaged=f"it cannot be read ({exc.strerror})")
        if not data.startswith(HEADER_LINE):
            reason = self._why_damaged(data)
            if reason is None:
                return IndexState({}, 0, outdated=True)
            return IndexState({}, 0, damaged=reason)
        body = data[len(HEADER_LINE) :].rstrip()
        with gc_paused():
            try:
                # The lines as one JSON array: one parse of the whole journal is
                # several times faster than one per line.
                records = json.loads(b"[" + body.replace(b"\n", b",") + b"]")
                count = len(records)
            except (ValueError, RecursionError):  # a torn, blank or garbled line
                lines = [line for line in body.split(b"\n") if line.strip()]
                count = len(lines)
                records = []
                for line in lines:
                    try:
                        records.append(json.loads(line))
                    except (ValueError, RecursionError):
                        continue  # not ours: the stat comparison covers what it said
            entries, keys = _replay(records)
        return IndexState(entries, count, keys=keys)

    @staticmethod
    def _why_damaged(data: bytes) -> str | None:
        """Why the index cannot be read; None for an index of another version of assess."""
        first = data.split(b"\n", 1)[0]
        try:
            header = parse_json(first)
        except Damaged as exc:
            return exc.reason
        if isinstance(header, dict) and header.get("format") == INDEX_FORMAT:
            return None
        return "it does not start with the index header"

    def append(self, lines: Iterable[bytes]) -> None:
        """Add journal lines (call with the store lock held).

        A journal that does not start with our header (damaged, or left empty
        by a crash) is not written to: like every store file that cannot be
        read, it is kept as it is, for the next listing to set aside and
        rebuild. Nothing is lost by skipping the line, because listing finds
        the changed file by its identity anyway.
        """
        payload = b"".join(lines)
        if not payload:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | _NO_FOLLOW)
            created = False
        except FileNotFoundError:
            fd = os.open(
                self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o666
            )
            created = True
            _store_group(fd, self.path.parent)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link in the index's place is never written through
                raise Damaged("it is a symbolic link; the store never follows links") from None
            raise
        try:
            reason = not_regular(os.fstat(fd).st_mode)
            if reason is not None:
                raise Damaged(reason)
            if created:
                payload = HEADER_LINE + payload
            elif os.pread(fd, len(HEADER_LINE), 0) != HEADER_LINE:
                return
            elif os.pread(fd, 1, os.fstat(fd).st_size - 1) != b"\n":
                payload = b"\n" + payload  # start clean after a torn last line
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)

    def rewrite(self, entries: dict[str, IndexEntry]) -> None:
        """Replace the journal with one line per live entry (lock held; atomic)."""
        body = b"".join(entry_line(i, e.key, e.summary) for i, e in entries.items())
        atomic_write_bytes(
            self.path, HEADER_LINE + body, temp_dir=self.temp_dir, group_of_folder=True
        )


_NO_FOLLOW = (
    getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
)


def _store_group(fd: int, folder: Path) -> None:
    """A file just made takes the store folder's group (see `fileio`)."""
    with contextlib.suppress(OSError):
        gid = os.stat(folder).st_gid
        if os.fstat(fd).st_gid != gid:
            os.fchown(fd, -1, gid)


def reconcile(
    state: IndexState,
    files: dict[str, StatKey],
    read: Callable[[str], tuple[StatKey, Summary] | None],
) -> tuple[dict[str, IndexEntry], list[bytes]]:
    """Bring the cached entries in line with the files on disk.

    `files` maps each assessment id found in the folder to its stat key;
    `read(id)` reads one file and returns its key and summary, or None when
    it cannot be read (the caller reports it). Returns the live entries (when
    all are current, `state.entries` itself) and the journal lines that would
    record the corrections.
    """
    if state.keys == files:  # the usual case: every entry is current, nothing to read
        return state.entries, []
    live: dict[str, IndexEntry] = {}
    fixes: list[bytes] = []
    for assessment_id, key in files.items():
        entry = state.entries.get(assessment_id)
        if entry is not None and entry.key == key:
            live[assessment_id] = entry
            continue
        found = read(assessment_id)
        if found is None:
            continue
        live[assessment_id] = IndexEntry(*found)
        fixes.append(entry_line(assessment_id, *found))
    for assessment_id in state.entries.keys() - files.keys():
        fixes.append(gone_line(assessment_id))
    return live, fixes
