"""The store's lock: held across every read-modify-write, by threads and by processes.

`StoreLock.held()` is what the store takes around each change: first a
thread mutex (one Store may serve several threads of one process, the TUI's
workers), then the lock on the store's `.lock` file, which keeps other
processes out. A lock held longer than `LOCK_TIMEOUT` seconds gives
`StoreBusy` rather than an endless wait. A process that dies releases it.

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
import os
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

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
        # Held around the file lock, and alone around what the threads of this
        # process share without touching the disk (the Store's cache).
        self.threads = threading.RLock()
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0
        self._closer: weakref.finalize[[int], StoreLock] | None = None

    @contextlib.contextmanager
    def held(self, *, wait: bool = True) -> Iterator[bool]:
        """Hold the lock; with wait=False, yield False at once if it is busy."""
        timeout = LOCK_TIMEOUT if wait else 0
        if not self.threads.acquire(timeout=timeout):
            if not wait:
                yield False
                return
            raise self._busy()
        try:
            try:
                acquired = self.acquire(timeout, LOCK_POLL)
            except OSError as exc:
                raise StoreError(
                    f"{self.path.parent}: cannot lock the store: {exc.strerror}"
                ) from None
            if not acquired:
                if not wait:
                    yield False
                    return
                raise self._busy()
            try:
                yield True
            finally:
                self.release()
        finally:
            self.threads.release()

    def _busy(self) -> StoreBusy:
        return StoreBusy(
            f"{self.path.parent}: the store has been busy for {LOCK_TIMEOUT:.0f} seconds "
            "(another save is holding it); nothing was changed, try again"
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
            unlock_descriptor(self._fd)

    # ------------------------------------------------------------------

    def _descriptor(self) -> int:
        if self._fd is None:
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
            flags |= getattr(os, "O_NOFOLLOW", 0)
            self._fd = os.open(self.path, flags, 0o644)
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
