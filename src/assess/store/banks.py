"""Copies of every question-bank version the store has seen, keyed by content hash.

An assessment records the hash of the bank it was made with, and the store
keeps that bank as `banks/<hash>.json` (canonical JSON, written once), so an
assessment made before the shipped bank changed still opens with its own
questions, and reports and comparisons keep their meaning.

A copy that cannot be read is never overwritten in place. When a good copy
exists elsewhere (the shipped bank, or a bank carried by an imported bundle,
with the same hash) the damaged file is renamed aside, the good copy written,
and a warning says so; otherwise `CorruptStore` names the file and the file
stays exactly as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from assess.domain.errors import BankError
from assess.store.checks import HASH_PATTERN
from assess.store.clock import file_stamp
from assess.store.errors import CorruptStore
from assess.store.fileio import atomic_write_bytes
from assess.store.files import Damaged, StatKey, parse_json, read_bytes, set_aside, stat_key

if TYPE_CHECKING:
    from assess.domain.bank import Bank

# Banks are immutable once validated, so one process shares them between stores:
# hash -> (bank, the bytes of a file found to hold exactly it).
_BANKS: dict[str, tuple[Bank, bytes]] = {}
# file -> the version of it that was checked, so an unchanged copy is not re-read
# while a copy damaged since is noticed.
_VERIFIED: dict[str, StatKey] = {}


def bank_bytes(bank: Bank) -> bytes:
    """The canonical form: the same JSON the content hash is computed from."""
    canonical = json.dumps(bank.to_data(), sort_keys=True, separators=(",", ":"))
    return canonical.encode("utf-8")


def check_bank_data(data: object, bank_hash: str, source: str) -> Bank:
    """A stored or bundled bank, validated, whose content matches `bank_hash`."""
    from assess.domain.bank import bank_from_data  # the models are costly to import: only when read

    try:
        bank = bank_from_data(data, source)
    except BankError as exc:
        raise Damaged(f"it is not a valid question bank ({exc.message})") from None
    if bank.content_hash != bank_hash:
        raise Damaged("its content does not match its content hash (it has been edited)")
    return bank


class BankShelf:
    """The `banks/` folder of one store.

    Built by the Store with what it needs from it: the shipped bank, the
    store's warnings, its lock and its clock (`now`, for naming a damaged copy).
    """

    def __init__(
        self,
        folder: Path,
        *,
        shipped: Callable[[], Bank],
        warn: Callable[[str], None],
        locked: Callable[[], AbstractContextManager[bool]],
        now: Callable[[], str],
    ) -> None:
        self.folder = folder
        self._shipped = shipped
        self._warn = warn
        self._locked = locked
        self._now = now

    def path(self, bank_hash: str) -> Path:
        return self.folder / f"{bank_hash}.json"

    def get(self, bank_hash: str, *, needed_by: str = "") -> Bank:
        """The bank with this hash; `CorruptStore` when its copy is missing or unreadable."""
        if not HASH_PATTERN.match(bank_hash):
            raise CorruptStore(f"{bank_hash!r} is not a bank content hash", path=str(self.folder))
        path = self.path(bank_hash)
        try:
            return self._read(bank_hash, path)
        except FileNotFoundError:
            return self._recover(bank_hash, path, "is missing", needed_by)
        except Damaged as exc:
            return self._recover(bank_hash, path, f"cannot be read: {exc.reason}", needed_by)

    def _read(self, bank_hash: str, path: Path) -> Bank:
        known = _BANKS.get(bank_hash)
        if known is not None and _VERIFIED.get(str(path)) == stat_key(os.stat(path)):
            return known[0]
        data, key = read_bytes(path)
        if known is not None and data == known[1]:
            bank = known[0]
        else:
            bank = check_bank_data(parse_json(data), bank_hash, str(path))
            _BANKS[bank_hash] = (bank, data)
        _VERIFIED[str(path)] = key
        return bank

    def _recover(self, bank_hash: str, path: Path, problem: str, needed_by: str) -> Bank:
        try:
            shipped = self._shipped()
        except BankError:
            shipped = None
        if shipped is not None and shipped.content_hash == bank_hash:
            with self._locked():
                self.keep(shipped)
            return shipped
        who = f" Assessment {needed_by} was made with it." if needed_by else ""
        raise CorruptStore(
            f"{path}: the copy of the question bank {problem}.{who} The file has been left "
            "as it is. Put it back from a backup, or import a bundle that contains this "
            "bank version.",
            path=str(path),
        )

    def keep(self, bank: Bank) -> None:
        """Make sure the store holds a good copy of `bank` (call with the store lock held)."""
        bank_hash = bank.content_hash
        path = self.path(bank_hash)
        try:
            self._read(bank_hash, path)
            return
        except FileNotFoundError:
            pass
        except Damaged as exc:
            kept = set_aside(path, file_stamp(self._now()))
            self._warn(
                f"{path}: the copy of question bank {bank.id} {bank.version} could not be "
                f"read ({exc.reason}); a good copy was put back and the damaged file kept "
                f"as {kept.name}"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        data = bank_bytes(bank)
        atomic_write_bytes(path, data)
        _BANKS[bank_hash] = (bank, data)
        _VERIFIED[str(path)] = stat_key(os.stat(path))
