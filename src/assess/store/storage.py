"""The TinyDB storage of an assessment file: whole-file reads, atomic batched writes.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write
tears it; ours writes a temporary file in the same folder, fsyncs it, renames
it over the old one and fsyncs the folder (`fileio.atomic_write_bytes`).
Before that rename it hard-links the old file to `<id>.bak`
(`backups.link_backup`), so the last good version survives whatever later
happens to the new one. Writes made inside `batch()` are buffered and
committed as one atomic write, so one save (answers, history and metadata
are three TinyDB tables) is one file replacement.

A module of its own so that opening and listing a store, which never write
through TinyDB, do not import it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from assess.store.backups import link_backup
from assess.store.fileio import atomic_write_bytes
from assess.store.files import Damaged, dumps, read_json

# TinyDB's layout: table name -> document id -> document.
TinyData = dict[str, dict[str, Any]]


class AtomicJSONStorage(Storage):
    """TinyDB storage for one assessment file: whole-file reads, atomic batched writes.

    `backup` names the file that keeps the previous version, and `temp_dir`
    the folder for temporaries (the store's `tmp/`; beside the file when
    None). `sync_folder=False` leaves the folder's fsync to the caller (an
    import makes it once for many new files). `read()` raises `Damaged` for
    a file it cannot use rather than returning None, which TinyDB would take
    for an empty database.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        backup: Path | None = None,
        temp_dir: Path | None = None,
        sync_folder: bool = True,
    ) -> None:
        self.path = Path(path)
        self._path = os.fspath(path)  # for the writes, which take plain strings
        self.sync_folder = sync_folder
        self.backup = backup
        self.temp_dir = temp_dir
        self._data: TinyData | None = None
        self._batch_depth = 0
        self._dirty = False
        self.last_stat: os.stat_result | None = None
        self.last_payload: bytes | None = None

    def read(self) -> TinyData | None:
        if self._data is None:
            try:
                data, _ = read_json(self.path)
            except FileNotFoundError:
                return None
            if not isinstance(data, dict):
                raise Damaged("it is not a TinyDB file (the top level is not a mapping)")
            self._data = data
        return self._data

    def write(self, data: TinyData) -> None:
        self._data = data
        if self._batch_depth:
            self._dirty = True
        else:
            self.commit_bytes(dumps(data))

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Buffer every write inside the block and commit them as one atomic write."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if not self._batch_depth:
                self._dirty = False
                self._data = None  # half-applied changes must not reach the disk later
            raise
        self._batch_depth -= 1
        if not self._batch_depth and self._dirty:
            self.commit_bytes(dumps(self._data or {}))

    def commit_bytes(self, payload: bytes) -> os.stat_result:
        """Replace the file with `payload`, the exact encoding of the data (see `writer`).

        In this order, so that a crash at any moment leaves a good file: the
        current version is linked to the `backup` name (`backups.link_backup`);
        the new bytes are written under a temporary name and fsync'd; the
        temporary is renamed over the file; the folder is fsync'd (unless
        `sync_folder` is False). Returns the stat of the file written, which
        identifies this version.
        """
        path = self._path
        if self.backup is not None:
            folder = self.temp_dir if self.temp_dir is not None else os.path.dirname(path) or "."
            link_backup(path, self.backup, folder)
        written = atomic_write_bytes(
            path,
            payload,
            temp_dir=self.temp_dir,
            group_of_folder=True,
            sync_folder=self.sync_folder,
            stat=True,
        )
        assert written is not None  # asked for
        self._dirty = False
        self.last_payload = payload
        self.last_stat = written
        return written
