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

Why it is quick. A small journal is read in one JSON parse, each line's
field types checked with one set lookup (every allowed sequence of types is
known in advance) and each `Summary` tuple made straight from the line's
fields. A store of `SNAPSHOT_MIN` entries or more also keeps a snapshot of
the journal, `index-snapshot.json`, written by a lister that finds the lock
free once the journal has grown `SNAPSHOT_SLACK` lines past the last one:

- its first line, a header: which journal it stands for (the journal's
  inode, its length then, its line count and a checksum of its last bytes:
  the journal is only appended to, so while the inode is the same and the
  bytes before that length are the same, the snapshot stands for them),
  the count, and the first `HEAD_ROWS` summaries in list order, as journal
  lines, for the home screen's first page (`head`);
- its second line, every entry as columns (`summaries.to_columns`): a
  column of repeated values as its distinct values and one character per
  row, checked a column at a time (`summaries.from_columns`).

Listing then parses the snapshot and only the journal's lines after it. A
snapshot that is missing, damaged, of another version, or of another
journal (compacted since, edited by hand) is not used and is written again
by the next listing: like the journal, it is only a cache, and every entry
it gives is still compared with the directory scan. When every entry
matches the scan, as it almost always does, that comparison is one
dictionary comparison of one number per file (`identity`).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from assess.domain.assessment import Summary
from assess.domain.rules import RULES_VERSION
from assess.store.fileio import atomic_write_bytes
from assess.store.files import (
    MAX_FILE_BYTES,
    Damaged,
    StatKey,
    dumps,
    not_regular,
    open_regular,
    parse_json,
)
from assess.store.summaries import (
    SUMMARY_ORDER,
    SUMMARY_SIGNATURES,
    from_columns,
    to_columns,
    values_ok,
)

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

SNAPSHOT_NAME = "index-snapshot.json"
SNAPSHOT_FORMAT = "assess-index-snapshot"
SNAPSHOT_VERSION = 2
# A store of fewer entries lists quickly from the journal alone, and never has a snapshot.
SNAPSHOT_MIN = 1000
# Journal lines after the snapshot before a lister that finds the lock free writes a new one.
SNAPSHOT_SLACK = 500
# Summaries at the head of the snapshot, in list order: the home screen's first page.
HEAD_ROWS = 100
# The journal's bytes just before the snapshot's end that its checksum covers.
_CHECKED_BYTES = 256
_COLUMNS = ("identity", *SUMMARY_ORDER)
_new_summary = partial(tuple.__new__, Summary)


class IndexEntry(NamedTuple):
    key: int  # the file's identity when the summary was taken (`identity`)
    summary: Summary


# A file's identity (inode, size, mtime) as one number: the listing compares
# 100,000 of them with a directory scan, and one number is a third of the
# memory of a tuple of three and compared in one step.
_MTIME_BITS = (1 << 64) - 1


def identity(key: StatKey) -> int:
    """One number for a stat key, different for every different key (mtime to ±292 years)."""
    ino, size, mtime = key
    return (ino << 128) | (size << 64) | (mtime & _MTIME_BITS)


def stat_key_of(ident: int) -> StatKey:
    """The stat key `identity` was made from."""
    mtime = ident & _MTIME_BITS
    return (ident >> 128, (ident >> 64) & _MTIME_BITS, mtime - (1 << 64) if mtime >> 63 else mtime)


# As IndexEntry._make without its length check, for making 100,000 at C speed.
_new_entry = partial(tuple.__new__, IndexEntry)


@dataclass
class IndexState:
    entries: dict[str, IndexEntry]
    lines: int
    # id -> key of each entry, for comparing with a directory scan in one go
    keys: dict[str, int] | None = None
    damaged: str | None = None
    outdated: bool = False
    # Journal lines the snapshot stood for, when one was used (None: none was).
    snapshot_lines: int | None = None
    # The entries are in list order: a snapshot's, with no journal line since.
    ordered: bool = False

    def bloated(self) -> bool:
        return self.lines > 2 * len(self.entries) + COMPACT_SLACK

    def snapshot_due(self) -> bool:
        """Whether a new snapshot would save the next listings' parsing (see `Index`)."""
        return snapshot_wanted(len(self.entries), self.lines, self.snapshot_lines)


def snapshot_wanted(
    entries: int, lines: int, snapshot_lines: int | None, *, rewritten: bool = False
) -> bool:
    """Whether to write a snapshot of a journal of `entries` live entries in `lines` lines.

    `snapshot_lines`: the lines the current snapshot stands for (None: there
    is none); `rewritten`: the journal was just rewritten, so it stands for none.
    """
    if entries < SNAPSHOT_MIN:
        return False
    if rewritten or snapshot_lines is None:
        return True
    return lines - snapshot_lines > SNAPSHOT_SLACK


class Head(NamedTuple):
    """What the first page of the list needs (`Index.head`)."""

    entries: list[tuple[str, IndexEntry]]  # the snapshot's first HEAD_ROWS, in list order
    total: int  # how many entries the snapshot holds
    changed: dict[str, IndexEntry | None]  # the journal's lines since: None for a delete


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


def _replay(
    records: list[object],
    entries: dict[str, IndexEntry] | None = None,
    keys: dict[str, int] | None = None,
) -> tuple[dict[str, IndexEntry], dict[str, int]]:
    """The live entries after the journal's records, in order (the last line per id wins).

    `entries` and `keys` (changed in place) are what came before the records
    (a snapshot's), if anything. A record that is not one we wrote (wrong
    shape or field types) is skipped. This runs once per line of the journal,
    so it is written for speed: the checks are the same as
    `summaries.summary_from_data` makes.
    """
    entries = {} if entries is None else entries
    keys = {} if keys is None else keys
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
            key = identity((record[0], record[1], record[2]))
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
        self.snapshot_path = root / SNAPSHOT_NAME
        self.temp_dir = temp_dir

    def load(self) -> IndexState:
        """Read the journal (no lock needed: appends are whole lines, rewrites atomic).

        With a snapshot that stands for the journal's first part, only the
        lines after that part are parsed.
        """
        try:
            fd = open_regular(self.path)  # never through a link, never a FIFO
        except FileNotFoundError:
            return IndexState({}, 0)
        except Damaged as exc:
            return IndexState({}, 0, damaged=exc.reason)
        except OSError as exc:
            return IndexState({}, 0, damaged=f"it cannot be read ({exc.strerror})")
        with gc_paused():
            try:
                return self._load_from(fd)
            except OSError as exc:
                return IndexState({}, 0, damaged=f"it cannot be read ({exc.strerror})")
            finally:
                os.close(fd)

    def _load_from(self, fd: int) -> IndexState:
        size = os.fstat(fd).st_size
        if size > MAX_FILE_BYTES:
            return IndexState(
                {}, 0, damaged=f"it is {size // (1024 * 1024)} MB, far larger than any store file"
            )
        snapshot = self._snapshot(fd, size)
        if snapshot is not None:
            entries, keys, covered, snapshot_lines = snapshot
            records, count = _parse_lines(_pread_all(fd, covered, size - covered))
            _replay(records, entries, keys)
            return IndexState(
                entries,
                snapshot_lines + count,
                keys=keys,
                snapshot_lines=snapshot_lines,
                ordered=not records,
            )
        data = _pread_all(fd, 0, size)
        if not data.startswith(HEADER_LINE):
            reason = self._why_damaged(data)
            if reason is None:
                return IndexState({}, 0, outdated=True)
            return IndexState({}, 0, damaged=reason)
        records, count = _parse_lines(data[len(HEADER_LINE) :])
        entries, keys = _replay(records)
        return IndexState(entries, count, keys=keys)

    # -- the snapshot ------------------------------------------------------------

    def _snapshot_header(self, fd: int, size: int, whole: bool) -> tuple[dict[str, Any], str]:
        """The snapshot's header if it stands for the first part of the journal open as `fd`.

        Returns the header and the rest of the snapshot as text (the columns;
        only with `whole`, else ""), both read from one open file, since a
        lister may replace the snapshot meanwhile. ValueError when there is
        no snapshot, or it is not one of ours, or it stands for another
        journal or another version of it.
        """
        rest = ""
        try:
            snapshot = open_regular(self.snapshot_path)
        except (OSError, Damaged):
            raise ValueError("no snapshot") from None
        try:
            first, after = _first_line(snapshot)
            if whole:
                length = os.fstat(snapshot).st_size - after
                if length > MAX_FILE_BYTES:
                    raise ValueError("far too large to be a snapshot")
                # As text at once, and the bytes let go: they are megabytes.
                rest = _pread_all(snapshot, after, length).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            raise ValueError("no snapshot") from None
        finally:
            os.close(snapshot)
        header = json.loads(first)
        if type(header) is not dict or header.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("not a snapshot")
        if header.get("format_version") != SNAPSHOT_VERSION:
            raise ValueError("a snapshot of another version")
        if header.get("fields") != list(SUMMARY_ORDER):
            raise ValueError("a snapshot of other fields")
        journal = header.get("journal")
        if type(journal) is not list or len(journal) != 4:
            raise ValueError("a snapshot of no journal")
        ino, covered, lines, check = journal
        count = header.get("count")
        if not all(type(n) is int for n in (ino, covered, lines, check, count)):
            raise ValueError("a snapshot of no journal")
        if ino != os.fstat(fd).st_ino or not len(HEADER_LINE) <= covered <= size:
            raise ValueError("a snapshot of another journal")
        if os.pread(fd, len(HEADER_LINE), 0) != HEADER_LINE or _checksum(fd, covered) != check:
            raise ValueError("a snapshot of another journal")
        return header, rest

    def _snapshot(
        self, fd: int, size: int
    ) -> tuple[dict[str, IndexEntry], dict[str, int], int, int] | None:
        """The snapshot's entries and keys, the journal bytes and lines it stands for; or None.

        None whenever it cannot be used as it is: it is only a cache of the
        journal, which is then read whole (and a listing writes a new one).
        """
        try:
            header, rest = self._snapshot_header(fd, size, whole=True)
            count: int = header["count"]
            body = json.loads(rest)
            del rest  # megabytes of text, let go before the summaries are made
            columns = from_columns(body, _COLUMNS, count)
            del body
        except (ValueError, TypeError, OverflowError, RecursionError):
            return None
        ids = columns[1]
        if len(set(ids)) != count:
            return None
        keys = columns[0]
        if not {type(key) for key in keys} <= {int}:
            return None
        summaries = map(_new_summary, zip(*columns[1:], strict=True))
        entries = dict(zip(ids, map(_new_entry, zip(keys, summaries, strict=True)), strict=True))
        _, covered, lines, _ = header["journal"]
        return entries, dict(zip(ids, keys, strict=True)), covered, lines

    def head(self) -> Head | None:
        """The first page of the list from the snapshot's head, and the journal's lines since.

        Reads the snapshot's first line and the journal after the part the
        snapshot stands for: a few kilobytes, however large the store. None
        when there is no usable snapshot.
        """
        try:
            fd = open_regular(self.path)
        except (OSError, Damaged):
            return None
        try:
            with gc_paused():
                size = os.fstat(fd).st_size
                header, _ = self._snapshot_header(fd, size, whole=False)
                _, covered, _, _ = header["journal"]
                head = header.get("head")
                if type(head) is not list or len(head) > HEAD_ROWS:
                    return None
                rows, _ = _replay(list(head))
                if len(rows) != len(head):
                    return None  # a row not of ours: the whole list is needed
                records, _ = _parse_lines(_pread_all(fd, covered, size - covered))
                changed: dict[str, IndexEntry | None] = {}
                for record in records:
                    if type(record) is list and len(record) == 1 and type(record[0]) is str:
                        changed[record[0]] = None  # deleted
                    else:
                        found, _ = _replay([record])
                        changed.update(found)
                return Head(list(rows.items()), header["count"], changed)
        except (OSError, ValueError, TypeError, OverflowError, RecursionError):
            return None
        finally:
            os.close(fd)

    def write_snapshot(self, entries: Sequence[tuple[str, IndexEntry]], lines: int) -> None:
        """Write the snapshot of the journal as it is now (lock held; atomic).

        `entries` are the journal's live entries in list order, `lines` how
        many lines the journal has. Under the lock no one appends, so the
        journal's length now is the part the snapshot stands for.
        """
        fd = open_regular(self.path)
        try:
            stat = os.fstat(fd)
            check = _checksum(fd, stat.st_size)
        finally:
            os.close(fd)
        with gc_paused():  # tens of thousands of lists made, none of them garbage
            head = [[*stat_key_of(e.key), *e.summary] for _, e in entries[:HEAD_ROWS]]
            header = {
                "format": SNAPSHOT_FORMAT,
                "format_version": SNAPSHOT_VERSION,
                "fields": list(SUMMARY_ORDER),
                "journal": [stat.st_ino, stat.st_size, lines, check],
                "count": len(entries),
                "head": head,
            }
            keys = [entry.key for _, entry in entries]
            summaries = [entry.summary for _, entry in entries]
            fields = list(zip(*summaries, strict=True)) if summaries else [()] * len(SUMMARY_ORDER)
            data = dumps(header) + b"\n" + dumps(to_columns([keys, *fields])) + b"\n"
        atomic_write_bytes(
            self.snapshot_path, data, temp_dir=self.temp_dir, group_of_folder=True, durable=False
        )

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
        body = b"".join(entry_line(i, stat_key_of(e.key), e.summary) for i, e in entries.items())
        atomic_write_bytes(
            self.path, HEADER_LINE + body, temp_dir=self.temp_dir, group_of_folder=True
        )


def _parse_lines(body: bytes) -> tuple[list[Any], int]:
    """The records of journal lines, and how many lines there were (blank ones not counted)."""
    body = body.strip()
    if not body:
        return [], 0
    try:
        # The lines as one JSON array: one parse of the whole journal is
        # several times faster than one per line.
        records = json.loads(b"[" + body.replace(b"\n", b",") + b"]")
        if type(records) is list:
            return records, len(records)
    except (ValueError, RecursionError):  # a torn, blank or garbled line
        pass
    lines = [line for line in body.split(b"\n") if line.strip()]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except (ValueError, RecursionError):
            continue  # not ours: the stat comparison covers what it said
    return records, len(lines)


def _pread_all(fd: int, offset: int, length: int) -> bytes:
    chunks = []
    while length > 0:
        chunk = os.pread(fd, length, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
        length -= len(chunk)
    return b"".join(chunks)


def _checksum(fd: int, end: int) -> int:
    """A checksum of the journal's last bytes before `end`: that it is the same journal."""
    start = max(0, end - _CHECKED_BYTES)
    return zlib.crc32(os.pread(fd, end - start, start))


def _first_line(fd: int) -> tuple[bytes, int]:
    """The first line of an open file, read in pieces, and the offset just after it."""
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 16, offset)
        cut = chunk.find(b"\n")
        if cut >= 0:
            chunks.append(chunk[:cut])
            return b"".join(chunks), offset + cut + 1
        if not chunk or offset > MAX_FILE_BYTES:
            chunks.append(chunk)
            return b"".join(chunks), offset + len(chunk)
        chunks.append(chunk)
        offset += len(chunk)


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
    files: dict[str, int],
    read: Callable[[str], tuple[StatKey, Summary] | None],
) -> tuple[dict[str, IndexEntry], list[bytes]]:
    """Bring the cached entries in line with the files on disk.

    `files` maps each assessment id found in the folder to its `identity`;
    `read(id)` reads one file and returns its stat key and summary, or None
    when it cannot be read (the caller reports it). Returns the live entries
    (when all are current, `state.entries` itself) and the journal lines
    that would record the corrections.
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
        live[assessment_id] = IndexEntry(identity(found[0]), found[1])
        fixes.append(entry_line(assessment_id, *found))
    for assessment_id in state.entries.keys() - files.keys():
        fixes.append(gone_line(assessment_id))
    return live, fixes
