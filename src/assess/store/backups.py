"""Each assessment file's previous version, `<id>.bak`: keeping it, and putting it back.

Before a file is replaced, its current version is hard-linked to the `.bak`
name (one metadata write, not a copy), so the last good version survives
whatever later happens to the new one. When a file cannot be read and its
`.bak` can, the damaged file is renamed aside (its bytes kept), the `.bak`
copy put in its place and the officer told that the last change may be
missing. Without a good `.bak` nothing is touched and `CorruptStore` names
the file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from assess.store.clock import file_stamp, when_text
from assess.store.errors import CorruptStore, UnknownAssessment
from assess.store.fileio import TEMP_PREFIX, atomic_write_bytes
from assess.store.files import Damaged, read_bytes, set_aside
from assess.store.ids import random_id
from assess.store.snapshot import Snapshot


def link_backup(path: Path, backup: Path) -> None:
    """Make `backup` another name for the current `path` (the version about to be replaced)."""
    tmp = backup.with_name(f"{TEMP_PREFIX}{backup.name}.{random_id()}")
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


def restore_from_backup(
    assessment_id: str,
    path: Path,
    backup: Path,
    *,
    read: Callable[[Path], Snapshot],
    now: Callable[[], str],
) -> tuple[Snapshot, str | None]:
    """Put the `.bak` copy back in place of a damaged `path` (call with the store lock held).

    `read(path)` reads and checks one version of the file (raising
    `FileNotFoundError` or `Damaged`) and `now()` reads the store's clock
    for the damaged file's new name. Returns the file as read after the
    repair, and the warning for the officer (None when another process
    repaired it while this one waited for the lock).
    """
    try:  # still damaged? Another process may have repaired it while we waited
        return read(path), None
    except FileNotFoundError:
        raise UnknownAssessment(f"no assessment with id {assessment_id}") from None
    except Damaged as exc:
        reason = exc.reason
    try:
        good = read(backup)
        good_bytes, _ = read_bytes(backup)
    except (FileNotFoundError, Damaged) as exc:
        why = "there is none" if isinstance(exc, FileNotFoundError) else str(exc)
        raise CorruptStore(
            f"{path}: assessment {assessment_id} cannot be read ({reason}). The file "
            f"has been left as it is; no earlier copy can be used ({backup.name}: "
            f"{why}). Put the file back from a backup of this folder, or move it out "
            "of the store to carry on without it.",
            path=str(path),
        ) from None
    kept = set_aside(path, file_stamp(now()))
    # A copy, not a link: the next save links this file to the .bak name.
    atomic_write_bytes(path, good_bytes)
    when = when_text(good.loaded.meta["updated"])
    warning = (
        f"{path}: assessment {assessment_id} could not be read ({reason}). Its copy "
        f"from the previous save ({when}) was put back, so the last change may be "
        f"missing; the damaged file is kept as {kept.name}."
    )
    return read(path), warning
