"""The store's lock: filelock's native lock, taken on a lock file kept open between saves.

Every save takes the store lock, so its cost is paid on every autosave.
`filelock.FileLock` opens, locks, unlocks and closes the lock file on each
acquisition, with a good deal of bookkeeping around it (fork tracking,
deadlock registries): about 0.13 ms per save on our test machine, a fifth
of an fsync'd write. The lock itself is one `flock` call. So the store
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
import time
import weakref
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; filelock's native lock instead
    fcntl = None  # type: ignore[assignment]

# A busy flock fails with one of these (EACCES on some filesystems), as filelock treats it.
_BUSY = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK})


def lock_descriptor(fd: int) -> bool:
    """One attempt at the exclusive lock on `fd`; False if someone else holds it."""
    if fcntl is None:
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
    if fcntl is None:
        from filelock import unlock_descriptor as native_unlock

        native_unlock(fd)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


class StoreLock:
    """An exclusive, re-entrant lock on one lock file, shared with other processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0
        self._closer: weakref.finalize | None = None

    def acquire(self, timeout: float, poll_interval: float) -> bool:
        """Take the lock, waiting up to `timeout` seconds; False if it stayed busy."""
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
        """Release one acquisition; the lock is freed by the outermost one."""
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
            with contextlib.suppress(OSError):
                os.close(self._fd)  # type: ignore[arg-type]
        self._fd = None
        self._depth = 0
        self._pid = os.getpid()
