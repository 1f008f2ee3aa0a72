"""Each assessment file's previous version, `<id>.bak`: keeping it, and putting it back.

Before a file is replaced, its current version is hard-linked to the `.bak`
name (one metadata write, not a copy), so the last good version survives
whatever later happens to the new one.

When a file cannot be read and its `.bak` can, the `.bak`'s copy is put in
its place, in an order that never leaves the assessment without a readable
copy, whatever fails (a full disk, a read-only folder, a kill):

1. the good copy is written and fsync'd under a temporary name; a full disk
   stops the repair here, with nothing changed;
2. the damaged file is given a second name, `<id>.damaged-<time>.json`, by
   a hard link (no bytes copied), so its bytes are kept;
3. one rename puts the good copy in place of the damaged one.

The `.bak` itself is never moved or changed. The officer is told that the
last change may be missing. Without a good `.bak` nothing is touched and
`CorruptStore` names the file. A repair needs the store's lock; a reader
that cannot have it at once (another officer is saving, or the store is
read-only) uses the good copy as it is, without repairing anything.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from assess.store.clock import file_stamp, when_text
from assess.store.errors import CorruptStore, StoreError, UnknownAssessment
from assess.store.fileio import fsync_dir, temp_name, write_temporary
from assess.store.files import Damaged, keep_aside, read_bytes
from assess.store.snapshot import Snapshot


def link_backup(
    path: str | os.PathLike[str], backup: str | os.PathLike[str], temp_dir: str | os.PathLike[str]
) -> None:
    """Make `backup` another name for the current `path` (the version about to be replaced).

    A link under a temporary name, then one rename over the old `.bak`, so
    that there is a `.bak` at every moment: linking straight to the `.bak`
    name would mean removing the old one first.
    """
    tmp: str | Path = os.path.join(temp_dir, temp_name(os.path.basename(backup)))
    try:
        os.link(path, tmp, follow_symlinks=False)
    except FileNotFoundError:
        return  # the first write of a new file: nothing to keep yet
    except OSError:
        # A filesystem without hard links: copy the bytes instead.
        try:
            data, _ = read_bytes(Path(path))
        except (FileNotFoundError, Damaged):
            return
        tmp = write_temporary(Path(backup), data, temp_dir=Path(temp_dir))
    try:
        os.replace(tmp, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def good_backup(
    assessment_id: str, path: Path, backup: Path, reason: str, read: Callable[[Path], Snapshot]
) -> tuple[Snapshot, bytes]:
    """The `.bak`'s version, read and checked, and its bytes (`CorruptStore` if unusable)."""
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
    return good, good_bytes


def restore_from_backup(
    assessment_id: str,
    path: Path,
    backup: Path,
    *,
    read: Callable[[Path], Snapshot],
    now: Callable[[], str],
    temp_dir: Path,
) -> tuple[Snapshot, str | None]:
    """Put the `.bak` copy back in place of a damaged `path` (call with the store lock held).

    `read(path)` reads and checks one version of the file (raising
    `FileNotFoundError` or `Damaged`) and `now()` reads the store's clock
    for the damaged file's new name. Returns the file as read after the
    repair, and the warning for the officer (None when another process
    repaired it while this one waited for the lock). A repair that cannot be
    made raises `StoreError`, and then nothing has changed.
    """
    try:  # still damaged? Another process may have repaired it while we waited
        return read(path), None
    except FileNotFoundError:
        raise UnknownAssessment(f"no assessment with id {assessment_id}") from None
    except Damaged as exc:
        reason = exc.reason
    good, good_bytes = good_backup(assessment_id, path, backup, reason, read)
    try:
        kept = _put_back(path, good_bytes, file_stamp(now()), temp_dir)
    except OSError as exc:
        raise StoreError(
            f"{path}: assessment {assessment_id} cannot be read ({reason}), and its copy "
            f"from the previous save could not be put back ({exc.strerror or exc}); "
            "nothing was changed. Free some space on the disk, then open it again."
        ) from None
    when = when_text(good.loaded.meta["updated"])
    warning = (
        f"{path}: assessment {assessment_id} could not be read ({reason}). Its copy "
        f"from the previous save ({when}) was put back, so the last change may be "
        f"missing; the damaged file is kept as {kept.name}."
    )
    return read(path), warning


def _put_back(path: Path, good_bytes: bytes, stamp: str, temp_dir: Path) -> Path:
    """Steps 1–3 of the module docstring; the name the damaged file is kept under."""
    # A copy, not a link: the next save links this file to the .bak name.
    tmp = write_temporary(path, good_bytes, temp_dir=temp_dir)
    try:
        kept, linked = keep_aside(path, stamp)
        try:
            os.replace(tmp, path)
        except BaseException:
            if linked:
                with contextlib.suppress(OSError):
                    os.unlink(kept)
            else:  # the damaged file's only name moved: give it back
                os.rename(kept, path)
            raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
    return kept
