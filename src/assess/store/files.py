"""Reading the store's files warily, and moving a damaged one aside.

- `read_bytes` and `parse_json` read a whole file and say precisely why it
  cannot be used (empty, NUL bytes, cut short, not UTF-8, not JSON, far too
  large) by raising `Damaged`. Nothing here ever treats an unreadable file
  as empty.
- `stat_key` is what identifies one version of a file, so a process can
  tell whether the file it read is still the one on disk.
- `set_aside` renames a damaged file to `<stem>.damaged-<time><suffix>` so a
  good copy can take its place while the damaged bytes are kept untouched.
- `dumps` is the one JSON encoding of every file the store writes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

# An assessment with a long history of long evidence notes is a few MB; a file
# far beyond that is not one of ours, and reading it whole would be a hazard.
MAX_FILE_BYTES = 512 * 1024 * 1024

StatKey = tuple[int, int, int]


class Damaged(Exception):
    """A file that exists but cannot be used; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def stat_key(stat: os.stat_result) -> StatKey:
    """What identifies one version of a file: a rewrite always gives a new inode."""
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def read_bytes(path: Path) -> tuple[bytes, StatKey]:
    """The whole file and the stat of exactly the version read (FileNotFoundError passes)."""
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        if stat.st_size > MAX_FILE_BYTES:
            raise Damaged(
                f"it is {stat.st_size // (1024 * 1024)} MB, far larger than any store file"
            )
        data = handle.read()
    return data, stat_key(stat)


def parse_json(data: bytes) -> object:
    """Parse the bytes of a store file, or raise `Damaged` saying what is wrong."""
    if not data.strip():
        raise Damaged("it is empty")
    if b"\x00" in data:
        raise Damaged("it contains NUL bytes (a crash or a failing disk can leave these)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Damaged(f"it is not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise Damaged("it is cut short (the end of the file is missing)") from None
        raise Damaged(f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise Damaged("it is nested too deeply to be one of ours") from None


def read_json(path: Path) -> tuple[object, StatKey]:
    data, key = read_bytes(path)
    return parse_json(data), key


def dumps(data: object) -> bytes:
    """Compact UTF-8 JSON: officers' text is kept exactly as typed, in any script."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def set_aside(path: Path, stamp: str) -> Path:
    """Rename a damaged file out of the way, keeping its bytes; returns the new name.

    `stamp` (from `clock.file_stamp`) says when it was found damaged.
    """
    name = path.name
    stem, dot, suffix = name.partition(".")
    for attempt in range(100):
        extra = f"-{attempt}" if attempt else ""
        target = path.with_name(f"{stem}.damaged-{stamp}{extra}{dot}{suffix}")
        if not target.exists():
            # link + unlink rather than rename, so an existing name is never replaced.
            try:
                os.link(path, target)
            except FileExistsError:
                continue
            except OSError:
                os.replace(path, target)
                return target
            os.unlink(path)
            return target
    raise OSError(f"cannot find a free name to keep the damaged file {path}")
