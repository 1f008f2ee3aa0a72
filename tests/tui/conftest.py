"""Fixtures for the TUI tests: a fresh store per test and an app that is quiet to drive.

Times are shown in local time, so every TUI test runs with TZ=UTC; together
with fixed timestamps this keeps snapshots independent of the day they run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assess.store import Store
from assess.tui.app import AssessApp


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(db: Path) -> Store:
    return Store.open(db)


@pytest.fixture
def make_app(store: Store) -> Callable[..., AssessApp]:
    def make(**kwargs: object) -> AssessApp:
        options = {"cursor_blink": False, "handle_signals": False, "remember_theme": False}
        options.update(kwargs)
        return AssessApp(store, **options)  # type: ignore[arg-type]

    return make
