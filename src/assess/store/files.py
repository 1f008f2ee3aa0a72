"""The store's files on disk: reading them warily, writing them atomically.

Every JSON file of the store goes through here:

- `read_json` reads a whole file and says precisely why it cannot be used
  (empty, NUL bytes, cut short, not UTF-8, not JSON) by raising `Damaged`.
  Nothing here ever treats an unreadable file as empty.
- `link_backup` keeps the previous version of an assessment file as
  `<id>.bak` (the atomic TinyDB storage that calls it is in `store_tinydb`).
- `set_aside` renames a damaged file to `<stem>.damaged-<time><suffix>` so a
  good copy can take its place while the damaged bytes are kept untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assess.store.fileio import TEMP_PREFIX

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


def parse_json(data: bytes) -> Any:
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


def read_json(path: Path) -> tuple[Any, StatKey]:
    data, key = read_bytes(path)
    return parse_json(data), key


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON: officers' text is kept exactly as typed, in any script."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def stamp() -> str:
    """A compact UTC time for file names, sortable as text."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def set_aside(path: Path) -> Path:
    """Rename a damaged file out of the way, keeping its bytes; returns the new name."""
    name = path.name
    stem, dot, suffix = name.partition(".")
    for attempt in range(100):
        extra = f"-{attempt}" if attempt else ""
        target = path.with_name(f"{stem}.damaged-{stamp()}{extra}{dot}{suffix}")
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


def link_backup(path: Path, backup: Path) -> None:
    """Make `backup` another name for the current `path` (the version about to be replaced)."""
    # os.urandom(4).hex() is secrets.token_hex(4), without importing secrets
    # (2 ms of the app's start-up).
    tmp = backup.with_name(f"{TEMP_PREFIX}{backup.name}.{os.urandom(4).hex()}")
    try:
        os.link(path, tmp)
    except FileNotFoundError:
        return  # the first write of a new file: nothing to keep yet
    except OSError:
        # A filesystem without hard links: copy the bytes instead.
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return
        tmp.write_bytes(data)
    try:
        os.replace(tmp, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
