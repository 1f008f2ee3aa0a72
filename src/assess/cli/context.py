"""What every command of one run shares: which store it uses, opened once.

`--db PATH` (or ASSESS_DB, or the default folder) names the store; commands
ask the run context for it. `using_store` also prints the store's warnings (a
damaged file found, or restored from its backup) to stderr however the
command ends, and refuses a missing store unless the command is one that adds
assessments: a typo in `--db` must not leave an empty store behind. Only a
folder marked as a store is one; a folder of other files is never used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assess.cli.output import say
from assess.store import resolve_store_path

if TYPE_CHECKING:
    from assess.domain.bank import Bank
    from assess.store import Store


@dataclass
class RunContext:
    """The run's store option, and the store once it has been opened."""

    db_option: str | None = None
    _store: Store | None = field(default=None, repr=False)

    @property
    def store_path(self) -> Path:
        return resolve_store_path(self.db_option)

    def store(self, *, create: bool = True) -> Store:
        """The assessment store, opened once per run (made if missing, with `create`)."""
        if self._store is None:
            from assess.store import Store

            self._store = Store.open(self.store_path, create=create)
        return self._store

    def has_store(self) -> bool:
        """Whether the run's folder is a store: False when it is missing or empty.

        A folder of other files, or a file, is refused (`StoreError`).
        """
        from assess.store import Store, StoreError

        state = Store.state_of(self.store_path)
        if state in ("missing", "empty"):
            return False
        if state != "store":
            Store.open(self.store_path, create=False)  # says why it is not one
            raise StoreError(f"{self.store_path}: not an assess store")
        return True

    def shipped_bank(self) -> Bank:
        """The shipped bank: from the store's cache of validated banks when the run has a store.

        Without one it is validated here, and nothing is made; a --db that is
        not a store is left for a command that needs the store to refuse.
        """
        from assess.domain.bank import load_shipped_bank
        from assess.store import StoreError

        try:
            if self.has_store():
                with self.using_store() as store:
                    return store.current_bank()
        except StoreError:
            pass
        return load_shipped_bank()

    @contextlib.contextmanager
    def using_store(self, *, create: bool = False) -> Iterator[Store]:
        """The store, with its warnings printed to stderr however the command ends.

        Without `create` (every command but those that add assessments) the
        store must exist; nothing is made, so a typo in --db leaves nothing
        behind, and a command that only reads writes nothing but the store's
        cache of checked banks (and that only when the lock is free at once).
        """
        store = self.store(create=create)
        try:
            yield store
        finally:
            for warning in store.take_warnings():
                say(f"assess: warning: {warning}", err=True)


pass_context = click.make_pass_decorator(RunContext)
