"""A large store's home screen: its first page at once, then the whole list, never a wrong row."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from assess.store import Store
from assess.store import index as index_module
from assess.tui.app import AssessApp
from assess.tui.screens.home import HomeScreen
from tests.tui.helpers import asynctest, screen_text, settle


@pytest.fixture(autouse=True)
def _small_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "SNAPSHOT_MIN", 3)


def _filled(store: Store, count: int) -> None:
    for n in range(count):
        store.create(authority=f"Council {n:03d}")
    Store.open(store.root).list()  # writes the snapshot


@asynctest
async def test_the_first_page_is_shown_and_then_the_whole_list(
    store: Store, make_app: Callable[..., AssessApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    _filled(store, 130)  # more than the snapshot's head holds
    newest = store.list()[0]
    released = threading.Event()
    listing = Store.list

    def held_back(self: Store) -> list[object]:
        released.wait(10)  # the whole list arrives only when the test says so
        return listing(self)  # type: ignore[return-value]

    monkeypatch.setattr(Store, "list", held_back)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and not home.complete
        text = screen_text(app)
        assert newest.authority in text and "reading the rest" in text
        assert "130 assessments" in text
        assert home.summaries == listing(store)[: len(home.summaries)]
        released.set()
        await settle(pilot, lambda: home.complete, "the whole list")
        await pilot.pause()
        assert len(home.summaries) == 130
        assert "reading the rest" not in screen_text(app)
        # Sorting now sees every row: the oldest is first when reversed.
        await pilot.press("o")
        await pilot.pause()
        assert home.shown[0].authority == "Council 000"


@asynctest
async def test_a_row_changed_behind_the_snapshot_is_shown_as_it_is(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    _filled(store, 10)
    first = store.list()[0]
    journal = (store.root / "index.jsonl").read_bytes()
    renamed = store.rename(first.id, authority="Renamed Council")
    (store.root / "index.jsonl").write_bytes(journal)  # as if killed before its index line
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert first.authority not in screen_text(app)
        assert renamed.authority in screen_text(app)
        await settle(pilot, lambda: home.complete, "the whole list")
