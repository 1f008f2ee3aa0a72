"""The store's lock: held across every read-modify-write, by threads and by processes.

`StoreLock.held()` is what the store takes around each change: a thread
mutex (one Store may serve several threads of one process, the app's
workers) and the lock on the store's `.lock` file, which keeps other
processes out. Only writers take it: reading needs no lock, because every
file is replaced whole by a rename. A lock held longer than the wait asked
for (`LOCK_TIMEOUT` seconds by default, none at all with `wait=False`)
gives `StoreBusy` rather than an endless wait; the thread mutex is never
held while waiting, so another thread of the process is never kept waiting
on a process that holds the file lock. A process that dies releases it.

Who holds it. While a writer holds the lock it keeps a line in `.lock`
saying which user, machine and process it is and since when, so that
`StoreBusy` can name them (a colleague's stopped process, say); the line is
blanked on release. The lock file follows the officer's umask and takes the
store folder's group, so colleagues in that group can all take it; one who
may only read it still can, because `flock` needs no write access.

The file lock is filelock's native lock, taken on a lock file kept open
between saves. Every save takes the store lock, so its cost is paid on
every autosave. `filelock.FileLock` opens, locks, unlocks and closes the
lock file on each acquisition, with a good deal of bookkeeping around it
(fork tracking, deadlock registries): about 0.13 ms per save on our test
machine, a fifth of an fsync'd write. The lock itself is one `flock` call. So the store
opens `.lock` once and takes the same native lock on that descriptor, which
contends with `FileLock` on the same file (an officer's other tools, or an
older assess, still exclude each other). On Unix that lock is one
non-blocking `flock`, made here directly, exactly as filelock's
`lock_descriptor` makes it, because importing filelock would add about 8 ms
to the app's start-up. Elsewhere (Windows) filelock's `lock_descriptor`
takes its own native lock.

What the kept descriptor must not get wrong, and how it does not:

- Re-entry. A save may open a damaged file's backup, which takes the lock
  again; the depth is counted and only the outermost release unlocks (the
  store's thread mutex is always held around this, so one thread at a time).
- Fork. A forked child shares the parent's open file, and with it the
  parent's lock, so a child never uses a descriptor it inherited: it opens
  its own.
- A lock file removed or replaced (someone tidying the folder). A lock on
  a file that no longer has the name `.lock` excludes no one, so after
  locking, the descriptor is checked to still be the file named `.lock`,
  and reopened if not (FileLock checks the same).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat as stat_module
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

from assess.domain.visible import visible
from assess.store.errors import StoreBusy, StoreError

if sys.platform != "win32":
    import fcntl

LOCK_TIMEOUT = 30.0
LOCK_POLL = 0.002  # short: a save holds the lock for about a millisecond

# A busy flock fails with one of these (EACCES on some filesystems), as filelock treats it.
_BUSY = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK})


def lock_descriptor(fd: int) -> bool:
    """One attempt at the exclusive lock on `fd`; False if someone else holds it."""
    if sys.platform == "win32":  # no flock: filelock's native lock instead
        from filelock import lock_descriptor as native_lock

        return native_lock(fd, blocking=False)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _BUSY:
            return False
        raise
    return True


def unlock_descriptor(fd: int) -> None:
    """Release the lock `lock_descriptor` took (the descriptor stays open)."""
    if sys.platform == "win32":
        from filelock import unlock_descriptor as native_unlock

        native_unlock(fd)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


class StoreLock:
    """An exclusive, re-entrant lock on one store, shared with other threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Held only while the file lock is held: it guards the depth count, and
        # keeps a second thread of this process out of the critical section.
        self.threads = threading.RLock()
        self._fd: int | None = None
        self._writable = False
        self._pid = 0
        self._depth = 0
        self._closer: weakref.finalize[[int], StoreLock] | None = None

    @contextlib.contextmanager
    def held(self, *, wait: bool | float = True) -> Iterator[bool]:
        """Hold the lock; with wait=False, yield False at once if it is busy.

        `wait` may also be the number of seconds to wait before `StoreBusy`.
        """
        timeout = LOCK_TIMEOUT if wait is True else float(wait or 0)
        deadline = time.monotonic() + timeout
        while True:
            if self.threads.acquire(blocking=False):
                try:
                    acquired = self._attempt()
                except BaseException:
                    self.threads.release()
                    raise
                if acquired:
                    break
                self.threads.release()
            if time.monotonic() >= deadline:
                if wait is False:
                    yield False
                    return
                raise self.busy(timeout)
            time.sleep(LOCK_POLL)
        try:
            yield True
        finally:
            try:
                self.release()
            finally:
                self.threads.release()

    def _attempt(self) -> bool:
        """One try at the file lock (`threads` held), as a StoreError when it cannot be used."""
        try:
            return self.acquire(0, LOCK_POLL)
        except StoreError:
            raise
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise StoreError(
                    f"{self.path.parent}: the store is read-only here ({exc.strerror}), so "
                    "nothing can be saved; it can still be listed, reported and exported"
                ) from None
            raise StoreError(
                f"{self.path.parent}: cannot lock the store: {exc.strerror or exc}"
            ) from None

    def holder(self) -> tuple[str, float] | None:
        """Who holds the lock, as its holder wrote it, and since when (seconds since 1970)."""
        try:
            with open(self.path, "rb", opener=_no_follow_opener) as handle:
                line = handle.read(_HOLDER_BYTES).split(b"\n", 1)[0].strip()
            data = json.loads(line) if line else None
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        who, since = data.get("who"), data.get("since")
        if not isinstance(who, str) or not isinstance(since, int | float) or len(who) > 300:
            return None
        return who, float(since)

    def busy(self, timeout: float) -> StoreBusy:
        """The error for a lock that stayed busy for `timeout` seconds, naming its holder."""
        held_by = self.holder()
        who = since = ""
        if held_by is not None:
            who = held_by[0]
            since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(held_by[1]))
        by = f"a save by {visible(who, one_line=True)}, since {since}" if who else "another save"
        waited = f"has been busy for {timeout:.0f} seconds" if timeout >= 1 else "is busy"
        return StoreBusy(
            f"{self.path.parent}: the store {waited} ({by} is holding it); "
            "nothing was changed, try again",
            who=who,
            since=since,
        )

    def acquire(self, timeout: float, poll_interval: float) -> bool:
        """Take the file lock, waiting up to `timeout` seconds; False if it stayed busy.

        Call it holding `threads` (as `held` does): the depth is not thread-safe.
        """
        if self._pid != os.getpid():
            self._forget_inherited()
        if self._depth:
            self._depth += 1
            return True
        deadline = time.monotonic() + timeout
        while True:
            fd = self._descriptor()
            if lock_descriptor(fd):
                if self._names_the_lock_file(fd):
                    self._depth = 1
                    self._say_who(fd)
                    return True
                unlock_descriptor(fd)
                self._close()
                continue
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll_interval)

    def release(self) -> None:
        """Release one acquisition of the file lock; the outermost one frees it."""
        if self._depth <= 0:
            raise RuntimeError(f"{self.path}: released more often than acquired")
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            if self._writable:
                with contextlib.suppress(OSError):
                    os.pwrite(self._fd, HOLDER_BLANK, 0)
            unlock_descriptor(self._fd)

    # ------------------------------------------------------------------

    def _say_who(self, fd: int) -> None:
        if not self._writable:
            return
        pid = os.getpid()
        if _me is None or _me_pid != pid:
            _set_me(pid)
        # json.dumps({"who": _me, "since": ...}) with the "who" part encoded once.
        record = _me_record + repr(round(time.time(), 3)).encode() + b"}"
        with contextlib.suppress(OSError):
            os.pwrite(fd, record.ljust(_HOLDER_BYTES - 1)[: _HOLDER_BYTES - 1] + b"\n", 0)

    def _descriptor(self) -> int:
        if self._fd is None:
            self._fd, self._writable = open_lock_file(self.path)
            self._pid = os.getpid()
            # The Store may simply be dropped (tests open hundreds): close with it.
            self._closer = weakref.finalize(self, os.close, self._fd)
        return self._fd

    def _names_the_lock_file(self, fd: int) -> bool:
        mine = os.fstat(fd)
        if mine.st_nlink == 0:
            return False
        try:
            named = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return False
        return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)

    def _close(self) -> None:
        if self._closer is not None:
            self._closer()  # closes the descriptor once, and only once
            self._closer = None
        self._fd = None

    def _forget_inherited(self) -> None:
        # In a forked child: the descriptor (and any hold on it) is the parent's.
        # Closing our copy does not release the parent's lock; unlocking it would.
        if self._closer is not None:
            self._closer.detach()
            self._closer = None
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd = None
        self._depth = 0
        self._pid = os.getpid()


_HOLDER_BYTES = 400
HOLDER_BLANK = b" " * (_HOLDER_BYTES - 1) + b"\n"
_me: str | None = None
_me_pid = 0
_me_record = b""  # the holder line up to its time: `{"who": "...", "since": `


def _set_me(pid: int) -> None:
    """Who this process is, for the holder line (again after a fork: a new pid)."""
    global _me, _me_pid, _me_record
    _me = f"{_user()} on {platform_node()} (process {pid})"
    _me_pid = pid
    _me_record = b'{"who": ' + json.dumps(_me).encode() + b', "since": '


_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _user() -> str:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, AttributeError):
        return f"user {os.getuid()}" if hasattr(os, "getuid") else "another user"


def platform_node() -> str:
    """This machine's name (without importing socket, a few ms of every start)."""
    uname = getattr(os, "uname", None)
    return uname().nodename if uname is not None else os.environ.get("COMPUTERNAME", "?")


def _no_follow_opener(path: str, flags: int) -> int:
    return os.open(path, flags | _FLAGS)


def open_lock_file(path: Path) -> tuple[int, bool]:
    """A descriptor of the lock file, made if missing, and whether it could be opened to write.

    Never through a symbolic link, never a FIFO or a device (`StoreError`).
    """
    try:
        made = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _FLAGS, 0o666)
    except FileExistsError:
        pass
    else:
        # Made just now: the store's group, so that colleagues can take the lock too.
        with contextlib.suppress(OSError):
            folder_gid = os.stat(path.parent).st_gid
            if folder_gid != os.fstat(made).st_gid:
                os.fchown(made, -1, folder_gid)
        return made, True
    writable = True
    try:
        try:
            fd = os.open(path, os.O_RDWR | _FLAGS)
        except (PermissionError, OSError) as exc:
            if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            fd = os.open(path, os.O_RDONLY | _FLAGS)  # flock needs no write access
            writable = False
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(
                f"{path}: the store's lock file is a symbolic link; the store never follows "
                "links. Remove it and assess will make a new one."
            ) from None
        if exc.errno in (errno.ENXIO, errno.ENODEV):
            raise _not_a_lock_file(path) from None
        raise
    if not stat_module.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _not_a_lock_file(path)
    return fd, writable


def _not_a_lock_file(path: Path) -> StoreError:
    return StoreError(
        f"{path}: the store's lock file is not a regular file (a FIFO, a device or a "
        "folder is in its place); remove it and assess will make a new one"
    )
