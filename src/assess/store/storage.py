"""The TinyDB storage of an assessment file: whole-file reads, atomic batched writes.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write
tears it; ours writes a temporary file in the same folder, fsyncs it, renames
it over the old one and fsyncs the folder (`assess.store.fileio.atomic_write_bytes`).
Before that rename it hard-links the old file to `<id>.bak`
(`store_files.link_backup`), so the last good version survives whatever later
happens to the new one; a hard link costs one metadata write, not a copy.
Writes made inside `batch()` are buffered and committed as one atomic write,
so one save (answers, history and metadata are three TinyDB tables) is one
file replacement.

A module of its own so that opening and listing a store, which never write
through TinyDB, do not import it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from assess.store.fileio import atomic_write_bytes
from assess.store.files import Damaged, dumps, link_backup, read_json


class AtomicJSONStorage(Storage):
    """TinyDB storage for one assessment file: whole-file reads, atomic batched writes.

    `preloaded` hands over data the caller has already read (and checked), so
    a save reads its file once. `backup` names the file that keeps the
    previous version. `encoder` lets the store reuse the encoding of the
    parts that did not change (see store_writer); it must return exactly the
    JSON of the data. `read()` raises `Damaged` for a file it cannot use
    rather than returning None, which TinyDB would take for an empty database.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        preloaded: dict[str, Any] | None = None,
        backup: Path | None = None,
        durable: bool = True,
        encoder: Callable[[dict[str, Any]], bytes] | None = None,
    ) -> None:
        self.path = Path(path)
        self.backup = backup
        self.durable = durable
        self._encode = encoder or dumps
        self._data = preloaded
        self._batch_depth = 0
        self._dirty = False
        self.last_stat: os.stat_result | None = None
        self.last_payload: bytes | None = None

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            try:
                data, _ = read_json(self.path)
            except FileNotFoundError:
                return None
            if not isinstance(data, dict):
                raise Damaged("it is not a TinyDB file (the top level is not a mapping)")
            self._data = data
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        if self._batch_depth:
            self._dirty = True
        else:
            self._commit()

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
            self._commit()

    def _commit(self) -> None:
        payload = self._encode(self._data or {})
        if self.backup is not None:
            link_backup(self.path, self.backup)
        atomic_write_bytes(self.path, payload, durable=self.durable)
        self._dirty = False
        self.last_payload = payload
        self.last_stat = os.stat(self.path)
