"""An assessment's history: recent changes in its file, older ones in an append-only log.

Every change is kept (who, when, what, before, after), and a long-used
assessment has thousands. Kept inside the assessment file, they would make
every save rewrite all of them: the file, and the cost of a save, would grow
with every change ever made. So the file keeps only the most recent changes
(its `history` table, at most `RECENT` of them), and a save that takes it
past that moves them, in one append, to `<id>.history` beside it: a JSON
Lines log that is only ever appended to. A save's cost and the file's size
stay flat however long the history grows.

How the two stay one history, whatever happens:

- The file records how much of the log is its own: `history_log` in its
  metadata gives the number of entries and of bytes. Only those bytes are
  ever read. A writer killed in the middle of an append leaves extra bytes
  after them, which no one reads, and which the next append cuts off first.
- The log is appended to and fsync'd before the file that counts the new
  entries replaces the old one (atomically, as every store file). A crash
  between the two leaves the old file, which counts only the old entries,
  and still holds the moved ones in its own table: nothing is lost or doubled.
- The `.bak` (the file's previous version) counts no more of the log than
  the file does, so putting it back is still consistent with the log.

Each note is stored once. A log line leaves out `before` when it is what the
entry before it (of the same answer, plan entry or detail) set it to, as
almost every entry's is; the reader puts it back. So a note typed and
autosaved a hundred times is stored a hundred times, not two hundred.

A file of format version 2 holds its whole history in its table; the first
save that passes `RECENT` moves it to a log, like any other.

A log that cannot be read as its file counts it (cut short, garbled, gone)
never stops the officer: the assessment opens with its answers and the
history in the file itself, and a warning says the older history cannot be
read. The log is left as it is until the next move to the log, which keeps
it aside (`<id>.damaged-<time>.history`, bytes untouched) and starts a new one.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypedDict

from assess.store.files import Damaged, dumps, open_regular

RECENT = 64  # changes kept in the file itself; a save that passes this moves them to the log
# A new file (made, imported, upgraded) keeps up to this many in itself; more go to the log.
NEW_FILE_KEEPS = 1_000
MAX_LOG_BYTES = 1024 * 1024 * 1024
_CREATE = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

HistoryKey = tuple[str, str, str]


class LogDamaged(Damaged):
    """The log cannot be read as its file counts it (the file itself is fine)."""


class LogRef(TypedDict):
    """How much of the log belongs to a version of the file."""

    entries: int
    bytes: int


EMPTY: LogRef = {"entries": 0, "bytes": 0}


def log_path(file: Path) -> Path:
    """`<id>.history` beside `<id>.json`."""
    return file.with_suffix(".history")


def key_of(doc: dict[str, Any]) -> HistoryKey:
    """What an entry changed: an answer or plan entry (by question) or a detail (by field)."""
    return (doc.get("kind", "answer"), doc.get("question_id", ""), doc.get("field", ""))


def check_ref(value: object) -> LogRef | None:
    """A file's `history_log`, if it is one (whole numbers, 0 or more); else None."""
    if not isinstance(value, dict) or set(value) != {"entries", "bytes"}:
        return None
    entries, size = value["entries"], value["bytes"]
    for number in (entries, size):
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            return None
    if size > MAX_LOG_BYTES or (entries == 0) != (size == 0):
        return None
    return {"entries": entries, "bytes": size}


def read_log(file: Path, ref: LogRef) -> tuple[list[dict[str, Any]], dict[HistoryKey, Any]]:
    """The log's entries that `ref` counts, in full, and each key's last `after`.

    Raises `LogDamaged` (naming the log) when the log holds fewer than those
    bytes or entries, or a line that is not one of ours.
    """
    if ref["entries"] == 0:
        return [], {}
    path = log_path(file)
    try:
        fd = open_regular(path)
    except FileNotFoundError:
        raise LogDamaged(f"its history log {path.name} is missing") from None
    except Damaged as exc:
        raise LogDamaged(f"its history log {path.name}: {exc.reason}") from None
    try:
        data = os.pread(fd, ref["bytes"], 0)
    finally:
        os.close(fd)
    if len(data) != ref["bytes"] or not data.endswith(b"\n"):
        raise LogDamaged(f"its history log {path.name} has been cut short")
    try:
        lines = json.loads(b"[" + data.rstrip(b"\n").replace(b"\n", b",") + b"]")
    except (ValueError, RecursionError):
        raise LogDamaged(
            f"its history log {path.name} holds a line that is not one of ours"
        ) from None
    if len(lines) != ref["entries"]:
        raise LogDamaged(f"its history log {path.name} does not hold the entries its file counts")
    last: dict[HistoryKey, Any] = {}
    docs = []
    for line in lines:
        if not isinstance(line, dict) or "after" not in line:
            raise LogDamaged(f"its history log {path.name} holds a line that is not one of ours")
        key = key_of(line)
        if "before" not in line:
            line["before"] = last.get(key)
        last[key] = line["after"]
        docs.append(_in_order(line))
    return docs, last


def last_values(
    docs: Iterable[dict[str, Any]], start: dict[HistoryKey, Any]
) -> dict[HistoryKey, Any]:
    """Each key's last `after` once `docs` follow the entries `start` describes."""
    last = dict(start)
    for doc in docs:
        last[key_of(doc)] = doc["after"]
    return last


def log_lines(docs: Sequence[dict[str, Any]], last: dict[HistoryKey, Any]) -> bytes:
    """The log lines for `docs`, following entries whose last values are `last`."""
    seen = dict(last)
    out = []
    for doc in docs:
        key = key_of(doc)
        line = {name: value for name, value in doc.items() if name != "before"}
        if seen.get(key) != doc["before"]:
            line["before"] = doc["before"]  # not what the entry before it set: kept
        seen[key] = doc["after"]
        out.append(dumps(line))
    return b"\n".join(out) + b"\n" if out else b""


def append(file: Path, ref: LogRef, lines: bytes, count: int) -> LogRef:
    """Add `count` entries (as `log_lines` encoded them) after the bytes `ref` counts.

    Anything after those bytes (a killed writer's half append, or entries of
    a version since put back from its `.bak`) is cut off first. The log is
    fsync'd before this returns, so the file that counts the new entries is
    only ever written after them. The new `LogRef`. OSError passes.
    """
    path = log_path(file)
    fd = os.open(path, _CREATE, 0o666)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: the history log is not a regular file")
        if info.st_size < ref["bytes"]:
            raise OSError(f"{path}: the history log is shorter than its file counts")
        if info.st_size == 0:
            _store_group(fd, path.parent)
        os.ftruncate(fd, ref["bytes"])
        view = memoryview(lines)
        offset = ref["bytes"]
        while view:
            written = os.pwrite(fd, view, offset)
            view, offset = view[written:], offset + written
        os.fsync(fd)
    finally:
        os.close(fd)
    return {"entries": ref["entries"] + count, "bytes": ref["bytes"] + len(lines)}


def _in_order(line: dict[str, Any]) -> dict[str, Any]:
    """A log line as the history document it stands for (the file's field order)."""
    doc = {
        "at": line.get("at"),
        "who": line.get("who"),
        "question_id": line.get("question_id"),
        "before": line["before"],
        "after": line["after"],
        "revision": line.get("revision"),
    }
    for name, value in line.items():
        if name not in doc:
            doc[name] = value  # kind and field, or anything the checks will refuse
    return doc


def _store_group(fd: int, folder: Path) -> None:
    with contextlib.suppress(OSError):
        gid = os.stat(folder).st_gid
        if os.fstat(fd).st_gid != gid:
            os.fchown(fd, -1, gid)
