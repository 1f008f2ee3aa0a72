"""Copies of every question-bank version the store has seen, keyed by content hash.

An assessment records the hash of the bank it was made with, and the store
keeps that bank as `banks/<hash>.json` (canonical JSON, written once), so an
assessment made before the shipped bank changed still opens with its own
questions, and reports and comparisons keep their meaning.

Each bank is validated once per content: what passed is kept as plain data
in `banks/checked/` (`bank_cache`), used while its hashes and the checking
rules match, so reading an assessment needs neither the validation nor
pydantic. A copy whose bytes are not exactly those the store writes (the
canonical JSON, whose SHA-256 is its name) is validated every time, as before.

A copy that cannot be read is never overwritten in place. When a good copy
exists elsewhere (the shipped bank, or a bank carried by an imported bundle,
with the same hash) the damaged file is renamed aside, the good copy written,
and a warning says so; otherwise `CorruptStore` names the file and the file
stays exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from assess.domain.errors import BankError
from assess.store.bank_cache import cache_path, read_checked, sha256, write_checked
from assess.store.checks import HASH_PATTERN
from assess.store.clock import file_stamp
from assess.store.errors import CorruptStore, InvalidBundle
from assess.store.fileio import atomic_write_bytes
from assess.store.files import Damaged, StatKey, parse_json, read_bytes, set_aside, stat_key
from assess.store.folder import make_subfolder

if TYPE_CHECKING:
    from assess.domain.bank import Bank

# Banks are immutable once validated, so one process shares them between stores:
# hash -> (bank, the bytes of a file found to hold exactly it).
_BANKS: dict[str, tuple[Bank, bytes]] = {}
# file -> the version of it that was checked, so an unchanged copy is not re-read
# while a copy damaged since is noticed.
_VERIFIED: dict[str, StatKey] = {}
# bank file (the shipped YAML) -> the version of it read, the hash of its bytes, its bank.
_FILES: dict[str, tuple[StatKey, str, Bank]] = {}


def bank_bytes(bank: Bank) -> bytes:
    """The canonical form: the same JSON the content hash is computed from."""
    return bank.canonical


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
        temp_dir: Path | None = None,
    ) -> None:
        self.folder = folder
        self._shipped = shipped
        self._warn = warn
        self._locked = locked  # the store's lock if it can be had at once
        self._now = now
        self._temp_dir = temp_dir

    def path(self, bank_hash: str) -> Path:
        return self.folder / f"{bank_hash}.json"

    def get(self, bank_hash: str, *, needed_by: str = "") -> Bank:
        """The bank with this hash; `CorruptStore` when its copy is missing or unreadable."""
        if not HASH_PATTERN.fullmatch(bank_hash):
            raise CorruptStore(f"{bank_hash!r} is not a bank content hash", path=str(self.folder))
        path = self.path(bank_hash)
        try:
            return self._read(bank_hash, path)
        except FileNotFoundError:
            return self._recover(bank_hash, path, "is missing", needed_by)
        except Damaged as exc:
            return self._recover(bank_hash, path, f"cannot be read: {exc.reason}", needed_by)

    def _read(self, bank_hash: str, path: Path, *, locked: bool = False) -> Bank:
        """The bank in the copy at `path`; `locked` when the caller holds the store's lock."""
        known = _BANKS.get(bank_hash)
        if known is not None and _VERIFIED.get(str(path)) == stat_key(
            os.stat(path, follow_symlinks=False)
        ):
            return known[0]
        data, key = read_bytes(path)
        if known is not None and data == known[1]:
            bank = known[0]
        else:
            bank = self._checked(bank_hash, data, path, locked=locked)
            _BANKS[bank_hash] = (bank, data)
        _VERIFIED[str(path)] = key
        return bank

    def _checked(self, bank_hash: str, data: bytes, path: Path, *, locked: bool) -> Bank:
        """The bank in a copy's bytes: from the cache when it holds this content, else validated.

        Only a copy exactly as the store writes it (its bytes hash to its name)
        is looked up or kept in the cache.
        """
        as_written = sha256(data) == bank_hash
        if as_written:
            cached = read_checked(self.folder, bank_hash)
            if cached is not None and cached.content_hash == bank_hash:
                return cached
        bank = check_bank_data(parse_json(data), bank_hash, str(path))
        if as_written:
            self._keep_checked(bank_hash, bank, locked=locked)
        return bank

    def from_file(self, path: Path, load: Callable[[Path], Bank]) -> Bank:
        """The bank in a bank file (the shipped YAML): validated by `load` once per content.

        Looked up in the cache under the hash of the file's bytes, so a run
        after the first needs neither the schema, PyYAML nor the cross-checks.
        A bank validated here is cached at once if the store's lock can be had
        at once, as a copy's check is (a store made before it read the bank
        through the store, as `assess new` makes one, would otherwise validate
        it again in every reading run until the next save); and by `keep`,
        under the lock, otherwise. A bank is remembered and cached only if the
        file still holds the bytes hashed after `load` read it (an upgrade may
        replace it meanwhile). Anything wrong with the file is `load`'s to say.
        """
        try:
            data, key = read_bytes(path)
        except (OSError, Damaged):
            return load(path)
        known = _FILES.get(str(path))
        if known is not None and known[0] == key:
            return known[2]
        source = sha256(data)
        bank = read_checked(self.folder, source)
        if bank is None:
            bank = load(path)
            try:
                if read_bytes(path)[0] != data:
                    return bank
            except (OSError, Damaged):
                return bank
            self._keep_checked(source, bank, locked=False)
        _FILES[str(path)] = (key, source, bank)
        return bank

    def _keep_file_checked(self, bank: Bank) -> None:
        """Cache `bank` under the hash of each bank file it was read from (lock held)."""
        for _key, source, read in list(_FILES.values()):
            if read.content_hash == bank.content_hash and not os.path.lexists(
                cache_path(self.folder, source)
            ):
                write_checked(self.folder, source, read, temp_dir=self._temp_dir)

    def _keep_checked(self, source_hash: str, bank: Bank, *, locked: bool) -> None:
        """Cache a validated bank; a reader does so only if it can have the lock at once."""
        if locked:
            write_checked(self.folder, source_hash, bank, temp_dir=self._temp_dir)
            return
        with self._locked() as held:
            if held:
                write_checked(self.folder, source_hash, bank, temp_dir=self._temp_dir)

    def _recover(self, bank_hash: str, path: Path, problem: str, needed_by: str) -> Bank:
        try:
            shipped = self._shipped()
        except BankError:
            shipped = None
        if shipped is not None and shipped.content_hash == bank_hash:
            # Put the copy back if the store can be written at once; a reader that
            # cannot (busy, read-only) simply uses the shipped bank.
            with self._locked() as held:
                if held:  # if it fails, the next writer tries again; the bank itself is good
                    with contextlib.suppress(OSError):
                        self.keep(shipped)
            return shipped
        who = f" Assessment {needed_by} was made with it." if needed_by else ""
        raise CorruptStore(
            f"{path}: the copy of the question bank {problem}.{who} The file has been left "
            "as it is. Put it back from a backup, or import a bundle that contains this "
            "bank version.",
            path=str(path),
        )

    def known_versions(self) -> dict[tuple[str, str], set[str]]:
        """(id, version) -> the content hashes of every bank by that name this store knows.

        The shipped bank and every copy in `banks/`. A copy that cannot be
        read is left out (it is reported when an assessment needs it).
        """
        known: dict[tuple[str, str], set[str]] = {}
        try:
            shipped = self._shipped()
        except BankError:
            shipped = None
        if shipped is not None:
            known.setdefault((shipped.id, shipped.version), set()).add(shipped.content_hash)
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            names = []
        for name in names:
            bank_hash = name[:-5] if name.endswith(".json") else ""
            if not HASH_PATTERN.fullmatch(bank_hash):
                continue
            try:
                data = parse_json(read_bytes(self.folder / name)[0])
            except (OSError, Damaged):
                continue
            if isinstance(data, dict):
                ident, version = data.get("id"), data.get("version")
                if isinstance(ident, str) and isinstance(version, str):
                    known.setdefault((ident, version), set()).add(bank_hash)
        return known

    def refuse_impostors(self, banks: Mapping[str, Bank], source: str) -> None:
        """Refuse bundled banks that take the id and version of another bank (`InvalidBundle`).

        A bank's id and version name its content: two banks by one name with
        different content are one bank altered (its actions, weights or
        critical flags changed and the hash worked out again), and a report or
        comparison would take one for the other. A changed bank must carry a
        new version number; so a bundle bank whose id and version this store
        (or the same bundle) knows with another content hash is refused, and
        nothing is imported.
        """
        known = self.known_versions()
        problems = []
        seen: dict[tuple[str, str], str] = {}
        for bank_hash, bank in banks.items():
            name = (bank.id, bank.version)
            hashes = known.get(name, set())
            if hashes and bank_hash not in hashes:
                other = sorted(hashes)[0]
                problems.append(
                    f"banks.{bank_hash[:12]}: calls itself question bank {bank.id} "
                    f"{bank.version}, but its content is not that of the bank of that id and "
                    f"version this store has (content hash {bank_hash[:12]}…, not "
                    f"{other[:12]}…); it may have been altered"
                )
            elif name in seen and seen[name] != bank_hash:
                problems.append(
                    f"banks.{bank_hash[:12]}: the bundle holds two different banks called "
                    f"{bank.id} {bank.version}; one of them has been altered"
                )
            seen.setdefault(name, bank_hash)
        if problems:
            raise InvalidBundle(
                f"{source}: this bundle cannot be imported: a question bank in it has the id "
                "and version of another with different content (a changed bank must have a "
                "new version number); nothing was imported",
                problems,
            )

    def keep(self, bank: Bank) -> None:
        """Make sure the store holds a good copy of `bank` (call with the store lock held)."""
        bank_hash = bank.content_hash
        path = self.path(bank_hash)
        try:
            self._read(bank_hash, path, locked=True)
            self._keep_file_checked(bank)
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
        make_subfolder(self.folder)
        data = bank_bytes(bank)
        atomic_write_bytes(path, data, temp_dir=self._temp_dir, group_of_folder=True)
        # Validated on the way in (a bundle's banks, the shipped bank), so kept as checked.
        write_checked(self.folder, bank_hash, bank, temp_dir=self._temp_dir)
        _BANKS[bank_hash] = (bank, data)
        self._keep_file_checked(bank)
        _VERIFIED[str(path)] = stat_key(os.stat(path, follow_symlinks=False))
