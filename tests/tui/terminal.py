"""A real `assess` process on a pseudo-terminal, and what its screen shows (via pyte).

Used by the robustness tests that stop the app the ways an officer's session
ends: a polite kill (SIGTERM), a closed terminal window (SIGHUP), a hard kill.
The process is a session leader with the terminal as its controlling tty, so
closing our end of the terminal sends it SIGHUP exactly as a terminal
emulator closing does.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pyte

KEYS = {
    "enter": b"\r",
    "tab": b"\t",
    "escape": b"\x1b",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "ctrl+q": b"\x11",
}


class AppTerminal:
    """`python -m assess` with ASSESS_DB=`store`, on a terminal `size` (columns, rows)."""

    def __init__(self, store: Path, size: tuple[int, int] = (100, 30)) -> None:
        columns, rows = size
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL")}
        env.update(TERM="xterm-256color", ASSESS_DB=str(store), TZ="UTC")
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            try:
                os.close(master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                os.execve(sys.executable, [sys.executable, "-m", "assess"], env)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid = pid
        self.fd: int | None = master
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.status: int | None = None

    # -- reading the screen ------------------------------------------------------

    def pump(self, timeout: float = 0.05) -> None:
        """Read whatever the app has written (it must never block on a full terminal)."""
        if self.fd is None:
            return
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                data = b""
            if data:
                self.stream.feed(data)

    def settle(self, seconds: float = 0.5) -> None:
        """Keep reading for `seconds` (a screen that just opened takes the focus a moment later)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.pump(0.02)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, *phrases: str, timeout: float = 30) -> str:
        """Wait until every phrase is on screen; the screen text."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            text = self.text
            if all(p in text for p in phrases):
                return text
            if self.exited() or time.monotonic() > deadline:
                raise AssertionError(f"never showed {phrases!r}; the screen:\n{text}")

    # -- keys and signals --------------------------------------------------------

    def press(self, *keys: str) -> None:
        assert self.fd is not None
        for key in keys:
            os.write(self.fd, KEYS.get(key, key.encode()))

    def type(self, text: str) -> None:
        assert self.fd is not None
        os.write(self.fd, text.encode())

    def signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def close_terminal(self) -> None:
        """Close the terminal as a terminal window does (the app gets SIGHUP)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def exited(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def wait_exit(self, timeout: float = 20) -> int:
        """The exit status (as the shell shows it: 128 + signal when killed)."""
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("the app did not stop")
            self.pump(0.02)
        assert self.status is not None
        if os.WIFSIGNALED(self.status):
            return 128 + os.WTERMSIG(self.status)
        return os.WEXITSTATUS(self.status)

    def kill(self) -> None:
        if not self.exited():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.status = 0

    def close(self) -> None:
        self.kill()
        self.close_terminal()
