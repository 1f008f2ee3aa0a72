"""Reading the store's files warily, and moving a damaged one aside.

- `read_bytes` and `parse_json` read a whole file and say precisely why it
  cannot be used (empty, NUL bytes, cut short, not UTF-8, not JSON, far too
  large; a link, a FIFO, a device or a folder in its place) by raising
  `Damaged`. Nothing here ever treats an unreadable file as empty, follows a
  symbolic link or waits on a FIFO (`open_regular`).
- `stat_key` is what identifies one version of a file, so a process can
  tell whether the file it read is still the one on disk.
- `set_aside` renames a damaged file to `<stem>.damaged-<time><suffix>` so a
  good copy can take its place while the damaged bytes are kept untouched.
- `dumps` is the one JSON encoding of every file the store writes.
"""

from __future__ import annotations

import errno
import json
import os
import stat as stat_module
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


# Store files are opened without following a symbolic link (a link could point
# anywhere: another store, a system file) and without blocking (a FIFO in place
# of a file would otherwise wait forever for a writer); what opens is then
# refused unless it is a regular file.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is not a store file; None for a regular file."""
    if stat_module.S_ISREG(mode):
        return None
    if stat_module.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat_module.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a file"
    if stat_module.S_ISLNK(mode):
        return "it is a symbolic link; the store never follows links"
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        return "it is a device, not a file"
    if stat_module.S_ISSOCK(mode):
        return "it is a socket, not a file"
    return "it is not a regular file"


def open_regular(path: Path) -> int:
    """A read-only descriptor of the regular file at `path` (FileNotFoundError passes).

    Raises `Damaged` for a symbolic link, a FIFO, a device or a folder in its place.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Damaged("it is a symbolic link; the store never follows links") from None
        if exc.errno == errno.EISDIR:
            raise Damaged("it is a folder, not a file") from None
        if exc.errno in (errno.ENXIO, errno.ENODEV):  # a socket, or a device with no driver
            raise Damaged("it is not a regular file") from None
        raise
    try:
        reason = not_regular(os.fstat(fd).st_mode)
    except BaseException:
        os.close(fd)
        raise
    if reason is not None:
        os.close(fd)
        raise Damaged(reason)
    return fd


def read_bytes(path: Path) -> tuple[bytes, StatKey]:
    """The whole file and the stat of exactly the version read (FileNotFoundError passes)."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        stat = os.fstat(fd)
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


# `json.dumps` with any option makes a new encoder on every call; a save encodes a
# few small documents, where making the encoder costs as much as the encoding.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(data: object) -> bytes:
    """Compact UTF-8 JSON: officers' text is kept exactly as typed, in any script."""
    return _encode(data).encode("utf-8")


def set_aside(path: Path, stamp: str) -> Path:
    """Rename a damaged file out of the way, keeping its bytes; returns the new name.

    `stamp` (from `clock.file_stamp`) says when it was found damaged. A link,
    a FIFO or a folder in a store file's place is moved aside the same way
    (a link's target is never touched).
    """
    target, linked = keep_aside(path, stamp)
    if linked:
        os.unlink(path)
    return target


def keep_aside(path: Path, stamp: str, *, move: bool = False) -> tuple[Path, bool]:
    """Give a damaged file a second name, `<stem>.damaged-<stamp><suffix>`.

    A hard link where the filesystem has them (no bytes copied, so this works
    on a full disk, and `path` still names the file); otherwise, or for a
    folder, or with `move`, a rename. An existing name is never replaced.
    Returns the new name and whether it is a second link (`path` still there).
    """
    name = path.name
    stem, dot, suffix = name.partition(".")
    for attempt in range(100):
        extra = f"-{attempt}" if attempt else ""
        target = path.with_name(f"{stem}.damaged-{stamp}{extra}{dot}{suffix}")
        if os.path.lexists(target):
            continue
        if not move:
            try:
                os.link(path, target, follow_symlinks=False)
                return target, True
            except FileExistsError:
                continue
            except OSError:
                pass  # no hard links here (or a folder): the name moves instead
        if os.path.lexists(target):
            continue
        os.rename(path, target)
        return target, False
    raise OSError(f"cannot find a free name to keep the damaged file {path}")
