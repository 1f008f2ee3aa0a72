"""Crash-safe file writing shared by the store and the exporters.

A file is never rewritten in place: the new content goes to a temporary file
on the same filesystem, is flushed and fsync'd, then `os.replace` swaps it in
and the folder is fsync'd so the rename itself survives a power cut. A reader
therefore sees either the old file or the new one, never a torn mix.

What the new file looks like to others:

- A file that replaces another keeps the old one's permissions (and, where
  this process may set them, its owner and group): a colleague's file stays
  theirs to write.
- A new file follows the officer's umask, as any program's would (the
  temporary is never left at mkstemp's 0600). `group_of_folder` gives it the
  group of the folder it is made in: the store's, so that everyone in the
  store's group can read and replace it.

Temporaries. Each temporary's name says which process made it:
`.tmp-<name>.<host>-<pid>-<random>`, where `<host>` stands for this machine
and its current boot. A writer killed between writing and renaming leaves its
temporary behind; `remove_dead_temporaries(folder)` removes those whose
process is gone (this machine, this boot, no such process), and never one of
a process still running, of another machine sharing the folder, or any file
that merely starts with `.tmp-`. The store keeps its temporaries in its own
`tmp/` folder instead (`temp_dir`), where every file is its own.

Output files the officer names (`write_output`) may be something other than
a regular file: a device such as /dev/null or a terminal, a FIFO another
program reads, or a symbolic link to the real file. A device or a FIFO is
written directly (replacing one with a new regular file would break it), a
link is followed to the file it names, which is replaced in its own folder,
and only a regular file (or a new one) is ever replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat as stat_module
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

TEMP_PREFIX = ".tmp-"
# `.tmp-<name>.<host>-<pid>-<random>`; see the module docstring.
_TEMP_NAME = re.compile(r"\.tmp-.+\.([0-9a-f]{8})-([0-9]{1,10})-[0-9a-f]{8}")
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CREATE |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_host: str | None = None


class BundleOut(Protocol):
    """Where a bundle is written: a binary file, or anything taking bytes and flushed."""

    def write(self, data: bytes, /) -> object: ...

    def flush(self) -> object: ...


def host_tag() -> str:
    """Eight hex digits standing for this machine and its current boot."""
    global _host
    if _host is None:
        try:
            boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        except OSError:
            boot = ""
        uname = getattr(os, "uname", None)
        node = uname().nodename if uname is not None else os.environ.get("COMPUTERNAME", "")
        _host = f"{zlib.crc32(f'{node}{chr(0)}{boot}'.encode('utf-8', 'replace')):08x}"
    return _host


def temp_name(name: str) -> str:
    return f"{TEMP_PREFIX}{name}.{host_tag()}-{os.getpid()}-{os.urandom(4).hex()}"


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a rename in `folder` durable (a no-op where the OS cannot open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _set_owner_and_mode(fd: int, like: os.stat_result | None, folder_gid: int | None) -> None:
    """Give the new file the replaced file's mode and owners, or the folder's group."""
    if like is not None:
        os.fchmod(fd, stat_module.S_IMODE(like.st_mode))
        if (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.fchown(fd, like.st_uid, like.st_gid)
            except PermissionError:
                # Not root: keep at least the group, where we are a member of it.
                with contextlib.suppress(PermissionError):
                    os.fchown(fd, -1, like.st_gid)
    elif folder_gid is not None and folder_gid != os.fstat(fd).st_gid:
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, folder_gid)


def _replaced_stat(path: str) -> os.stat_result | None:
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    return found if stat_module.S_ISREG(found.st_mode) else None


def write_temporary(
    path: Path,
    data: bytes,
    *,
    durable: bool = True,
    temp_dir: Path | None = None,
    group_of_folder: bool = False,
) -> Path:
    """The new content of `path`, written (and with `durable`, fsync'd) under a temporary name.

    The caller renames it into place (`os.replace`), or removes it. The
    temporary has the mode, owner and group the file should end with.
    """
    tmp, _ = write_temporary_at(
        os.fspath(path),
        data,
        durable=durable,
        temp_dir=None if temp_dir is None else os.fspath(temp_dir),
        group_of_folder=group_of_folder,
    )
    return Path(tmp)


def write_temporary_at(
    path: str,
    data: bytes,
    *,
    durable: bool = True,
    temp_dir: str | None = None,
    group_of_folder: bool = False,
    stat: bool = False,
) -> tuple[str, os.stat_result | None]:
    """`write_temporary` on plain string paths; with `stat`, also the temporary's stat.

    The stat is taken after the last write (and fsync), so it is the stat of
    the file the temporary becomes when renamed into place: a rename changes
    neither its inode, nor its size, nor its modification time. A save uses
    it to know the version it wrote without a `stat` of the path afterwards.
    """
    folder = os.path.dirname(path) or "."
    tmp = os.path.join(folder if temp_dir is None else temp_dir, temp_name(os.path.basename(path)))
    like = _replaced_stat(path)
    folder_gid = None
    if group_of_folder and like is None:
        folder_gid = os.stat(folder).st_gid
    # 0o666 less the umask, as for any file a program makes; a replacement is
    # given the old file's mode exactly (fchmod ignores the umask).
    fd = os.open(tmp, _CREATE, 0o666)
    try:
        try:
            _set_owner_and_mode(fd, like, folder_gid)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
            written = os.fstat(fd) if stat else None
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp, written


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    durable: bool = True,
    temp_dir: str | os.PathLike[str] | None = None,
    group_of_folder: bool = False,
    sync_folder: bool = True,
    stat: bool = False,
) -> os.stat_result | None:
    """Replace `path` with `data` atomically; `durable` adds the fsyncs.

    `sync_folder=False` leaves the folder's fsync (which makes the rename
    itself durable) to the caller, who does it once for many files. With
    `stat`, returns the stat of the file written (see `write_temporary_at`).

    `temp_dir` is where the temporary is made (beside `path` by default); it
    must be on the same filesystem. See the module docstring for the mode,
    owner and group the file gets.
    """
    # Plain string paths: the store's autosave comes through here, and each
    # pathlib object made or joined costs microseconds that add up over a save.
    path = os.fspath(path)
    tmp, written = write_temporary_at(
        path,
        data,
        durable=durable,
        temp_dir=None if temp_dir is None else os.fspath(temp_dir),
        group_of_folder=group_of_folder,
        stat=stat,
    )
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable and sync_folder:
        fsync_dir(os.path.dirname(path) or ".")
    return written


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process, or not a pid
        return True
    return True


def remove_dead_temporaries(folder: Path) -> int:
    """Remove the temporaries in `folder` left by writers of this machine that have died.

    Only files named as `temp_name` names them, made on this machine since it
    last started, by a process that no longer exists. Returns how many.
    """
    removed = 0
    mine = host_tag()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None or match[1] != mine or _alive(int(match[2])):
            continue
        if entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed += 1
    return removed


def remove_temporaries(folder: Path) -> int:
    """Remove every file in a folder that holds only temporaries (the store's `tmp/`).

    Call it only while holding the lock that writers take: a live writer's
    temporary looks exactly like a dead one's.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed += 1
    return removed


def write_output(path: Path, data: bytes) -> Path:
    """Write a file the officer named (see the module docstring); the path written.

    OSError passes, saying what went wrong.
    """
    with streamed_output(path) as (handle, target):
        handle.write(data)
    return target


@contextlib.contextmanager
def streamed_output(path: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """(a file to write to, the path it ends at): `write_output` for content made a piece at a time.

    A regular file (or a new one) is written under a temporary name and
    renamed into place when the block ends; if the block raises, the
    temporary is removed and the old file kept. OSError passes.
    """
    path = Path(path)
    try:
        final = os.stat(path)  # through any symbolic link
    except FileNotFoundError:
        final = None
    if final is not None and not stat_module.S_ISREG(final.st_mode):
        if stat_module.S_ISDIR(final.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if stat_module.S_ISSOCK(final.st_mode):
            raise OSError(errno.ENXIO, "is a socket, which cannot be written to", str(path))
        # A device (a terminal, /dev/null) or a FIFO: written as it is, never replaced.
        with open(path, "wb") as device:
            yield device, path
        return
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    remove_dead_temporaries(target.parent)
    tmp = write_temporary(target, b"", durable=False)
    try:
        with open(tmp, "r+b") as handle:
            yield handle, target
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
