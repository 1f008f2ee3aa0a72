"""The output folder of `assess dataset`: made whole in a temporary folder, then renamed into place.

A dataset is written into a new hidden folder beside the one asked for
(`.NAME.partial-…`), every file flushed to disk, and only then renamed to
NAME, so a reader (or a crash) never meets half a dataset. The folder asked
for may be missing, empty, or a dataset this program wrote before (its
datapackage.json and the files it lists, nothing else), which is replaced
whole. Any other folder is refused: an export never deletes a file it did
not write.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

from assess.dataset.package import PACKAGE_FILE, is_previous_dataset
from assess.dataset.schema import TABLES
from assess.domain.errors import BadInput

_OURS = frozenset({PACKAGE_FILE, *(t.file_name for t in TABLES)})


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _is_empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def check_target(folder: Path) -> None:
    """Refuse a place the dataset cannot go, before any work is done."""
    if not folder.parent.is_dir():
        raise BadInput(f"{folder.parent}: there is no such folder to write the dataset into")
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise BadInput(f"{folder}: is a file, not a folder; give a folder for the dataset")
    try:
        empty = not folder.is_dir() or _is_empty(folder)
    except OSError as exc:
        raise BadInput(f"{folder}: cannot read the folder: {exc.strerror or exc}") from None
    if not empty and not is_previous_dataset(folder):
        raise BadInput(
            f"{folder}: this folder already holds other files, and a dataset is only written "
            "into a new or empty folder, or over a dataset exported before; give another folder"
        )


def remove_dataset_files(folder: Path) -> None:
    """Remove a folder of ours: only the files a dataset has, then the folder if empty."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        names = [e.name for e in entries if e.name in _OURS and e.is_file(follow_symlinks=False)]
    for name in names:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """A temporary folder to write the dataset into; renamed to `folder` when all went well."""
    check_target(folder)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.partial-", dir=folder.parent))
        # A dataset is made to be shared: the folder gets the usual permissions, not 0700.
        staging.chmod(0o777 & ~_umask())
    except OSError as exc:
        raise BadInput(f"{folder.parent}: cannot write here: {exc.strerror or exc}") from None
    try:
        yield staging
        _fsync_dir(staging)
        _put_in_place(staging, folder)
    except BaseException:
        remove_dataset_files(staging)
        raise


def _put_in_place(staging: Path, folder: Path) -> None:
    check_target(folder)  # again: the folder may have changed while the dataset was made
    old: Path | None = None
    try:
        if folder.is_dir() and not _is_empty(folder):
            old = folder.parent / f".{folder.name}.old-{secrets.token_hex(4)}"
            os.rename(folder, old)
        # Renaming over an empty folder replaces it; over one that gained a file, it fails.
        os.rename(staging, folder)
    except OSError as exc:
        if old is not None and not folder.exists():
            with contextlib.suppress(OSError):
                os.rename(old, folder)
        raise BadInput(
            f"{folder}: cannot put the dataset in place: {exc.strerror or exc}; nothing was changed"
        ) from None
    _fsync_dir(folder.parent)
    if old is not None:
        remove_dataset_files(old)
