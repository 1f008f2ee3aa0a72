"""The real things the store's robustness tests do: a full disk, a colleague, a terminal.

- `small_disk(folder, size)`: a tmpfs of `size` mounted at `folder` for the
  test (root only; the test is skipped, saying why, where mounting is not
  allowed), and `fill(folder)`, which writes a filler until the disk is full.
- `colleagues()`: a Unix group and two users in it, made for the test and
  removed after it (root only), and `run_as(user, ...)`, which runs a real
  `assess` process as that user, with their own umask.
- `on_terminal(argv)`: a real process on a pseudo-terminal, and every byte it
  wrote to it, so a test can check that no escape sequence from data ever
  reached a terminal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pty
import select
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import Outcome

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def assess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ASSESS_DEBUG", "ASSESS_DB")}
    env.update(NO_COLOR="1", **extra)
    return env


# ----------------------------------------------------------------------------
# A small disk


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of `size` at `folder` (made if missing) for the block; skips where not allowed."""
    if not IS_ROOT or shutil.which("mount") is None:
        pytest.skip("a full disk needs a small filesystem of its own: mounting needs root")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path) -> Path:
    """Write a file in `folder` until its filesystem is full; the filler's path."""
    filler = folder / "filler"
    chunk = b"\0" * 4096
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(chunk)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    # Whatever small space is left goes too (tmpfs counts in pages).
    with contextlib.suppress(OSError), open(filler, "ab", buffering=0) as handle:
        while True:
            handle.write(b"\0")
    return filler


# ----------------------------------------------------------------------------
# Colleagues sharing a store


@dataclass
class Colleagues:
    group: str
    gid: int
    users: tuple[str, str]
    home: Path
    python: list[str]  # how another user starts this interpreter with this checkout
    python_env: dict[str, str]

    def uid(self, user: str) -> int:
        import pwd

        return pwd.getpwnam(user).pw_uid

    def run_as(
        self, user: str, *args: str, db: Path, umask: int = 0o002, timeout: float = 60
    ) -> Outcome:
        """`assess --db DB ARGS` as a real process of `user` (in the shared group), with `umask`."""
        home = self.home / user
        env = assess_env(HOME=str(home), XDG_DATA_HOME=str(home / "data"), USER=user)
        env.update(self.python_env, LOGNAME=user, PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run(
            [*self.python, "--db", str(db), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=home,
            timeout=timeout,
            user=self.uid(user),
            group=self.gid,
            extra_groups=[self.gid],
            umask=umask,
            check=False,
        )
        return Outcome(done.returncode, done.stdout, done.stderr)


# Start `assess` with this checkout's packages, from an interpreter that is not this
# virtual environment's (the packages' folder is added as a site folder, so an
# editable install's .pth file is read too).
_LAUNCH = (
    "import runpy, site, sys; site.addsitedir(sys.argv.pop(1)); "
    "sys.argv[0] = 'assess'; runpy.run_module('assess', run_name='__main__')"
)


@contextlib.contextmanager
def _python_for(
    user_probe: Callable[[list[str], dict[str, str]], bool],
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """How another user can run this interpreter: as it is, or through a bind mount.

    Where the interpreter lives in a folder only root can enter (a pyenv in
    /root), its installation is bind-mounted for the test at a folder others
    can enter, and its own libraries found there; nothing on the machine changes.
    """
    site_packages = sysconfig.get_paths()["purelib"]
    direct = [sys.executable, "-c", _LAUNCH, site_packages]
    if user_probe(direct, {}):
        yield direct, {}
        return
    base = Path(sys.base_prefix)
    mount_point = Path(tempfile.mkdtemp(prefix="assess-python-", dir="/tmp"))
    os.chmod(mount_point, 0o755)
    done = subprocess.run(
        ["mount", "--bind", str(base), str(mount_point)], capture_output=True, check=False
    )
    if done.returncode != 0:
        mount_point.rmdir()
        pytest.skip("another user cannot run this interpreter, and it cannot be bind-mounted")
    try:
        python = mount_point / "bin" / Path(sys.executable).resolve().name
        argv = [str(python), "-c", _LAUNCH, site_packages]
        env = {"LD_LIBRARY_PATH": str(mount_point / "lib"), "PYTHONHOME": str(mount_point)}
        if not user_probe(argv, env):
            pytest.skip("another user cannot run this interpreter or read this checkout")
        yield argv, env
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)
        with contextlib.suppress(OSError):
            mount_point.rmdir()


@contextlib.contextmanager
def colleagues() -> Iterator[Colleagues]:
    """A group and two users in it for the block, removed after it; skips unless root."""
    if not IS_ROOT or shutil.which("useradd") is None:
        pytest.skip("sharing a store needs a second user and group: making them needs root")
    tag = uuid.uuid4().hex[:6]
    group, users = f"asg{tag}", (f"asa{tag}", f"asb{tag}")
    home = Path(tempfile.mkdtemp(prefix="assess-colleagues-", dir="/tmp"))
    os.chmod(home, 0o755)
    made_users: list[str] = []
    made_group = False
    try:
        subprocess.run(["groupadd", group], check=True, capture_output=True)
        made_group = True
        import grp
        import pwd

        gid = grp.getgrnam(group).gr_gid
        for user in users:
            subprocess.run(
                ["useradd", "--no-create-home", "--gid", group, "--shell", "/bin/false", user],
                check=True,
                capture_output=True,
            )
            made_users.append(user)
            (home / user).mkdir()
            os.chown(home / user, pwd.getpwnam(user).pw_uid, gid)
        first = pwd.getpwnam(users[0]).pw_uid

        def probe(argv: list[str], env: dict[str, str]) -> bool:
            try:
                done = subprocess.run(
                    [*argv, "--version"],
                    env=assess_env(PYTHONDONTWRITEBYTECODE="1", **env),
                    user=first,
                    group=gid,
                    capture_output=True,
                    check=False,
                    cwd="/",
                    timeout=60,
                )
            except OSError:
                return False
            return done.returncode == 0

        with _python_for(probe) as (python, python_env):
            yield Colleagues(group, gid, users, home, python, python_env)
    finally:
        for user in made_users:
            subprocess.run(["userdel", user], capture_output=True, check=False)
        if made_group:
            subprocess.run(["groupdel", group], capture_output=True, check=False)
        shutil.rmtree(home, ignore_errors=True)


def shared_folder(owner_gid: int) -> Path:
    """A folder in /tmp the group can use (pytest's own temporary folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="assess-shared-", dir="/tmp"))
    os.chown(folder, 0, owner_gid)
    os.chmod(folder, 0o2775)
    return folder


# ----------------------------------------------------------------------------
# A real terminal


def on_terminal(argv: list[str], env: dict[str, str], timeout: float = 60) -> tuple[int, bytes]:
    """Run `argv` with a pseudo-terminal as its stdin, stdout and stderr; (status, raw bytes)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    data = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the other end closed: the process is done
                    chunk = b""
                if not chunk:
                    break
                data += chunk
            elif proc.poll() is not None:
                # Drained what there was; one more look for anything still buffered.
                ready, _, _ = select.select([master], [], [], 0.1)
                if not ready:
                    break
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"{argv[:6]} did not finish on the terminal")
    finally:
        os.close(master)
    return proc.wait(timeout=10), bytes(data)
