"""What every command of one run shares: which store it uses, opened once.

`--db PATH` (or ASSESS_DB, or the default folder) names the store; commands
ask the run context for it. `using_store` also prints the store's warnings (a
damaged file found, or restored from its backup) to stderr however the
command ends, and refuses a missing store unless the command is one that adds
assessments: a typo in `--db` must not leave an empty store behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assess.store import resolve_store_path

if TYPE_CHECKING:
    from assess.store import Store


@dataclass
class RunContext:
    """The run's store option, and the store once it has been opened."""

    db_option: str | None = None
    _store: Store | None = field(default=None, repr=False)

    @property
    def store_path(self) -> Path:
        return resolve_store_path(self.db_option)

    def store(self) -> Store:
        """The assessment store, opened once per run."""
        if self._store is None:
            from assess.store import Store

            self._store = Store.open(self.store_path)
        return self._store

    @contextlib.contextmanager
    def using_store(self, *, create: bool = False) -> Iterator[Store]:
        """The store, with its warnings printed to stderr however the command ends."""
        from assess.store import StoreError

        if not create and not self.store_path.exists():
            raise StoreError(
                f"{self.store_path}: there is no store here yet; "
                "`assess new` or `assess import` starts one"
            )
        store = self.store()
        try:
            yield store
        finally:
            for warning in store.take_warnings():
                click.echo(f"assess: warning: {warning}", err=True)


pass_context = click.make_pass_decorator(RunContext)
