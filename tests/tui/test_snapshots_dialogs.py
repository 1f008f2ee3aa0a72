"""Snapshots of the dialogs the other snapshot files do not reach by keys.

The refusals (a save conflict, an assessment deleted elsewhere, quitting with
something unsaved, a change refused once signed off) and the sign-off and
rating dialogs, at 60×20, 80×24 and 120×40, over the home screen of the same
frozen store as `test_snapshots.py`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.screen import Screen

from assess.store import Store
from assess.tui.screens.modals import DeletedModal, QuitAnywayModal, StaleSaveModal
from assess.tui.screens.rating import ConfidenceModal
from assess.tui.screens.signoff import ReopenModal, SignOffModal
from tests.tui.test_snapshots import SIZES, app_for, filled, fixed_store  # noqa: F401

ANYTOWN = "Anytown Borough Council — Waste"


def signed_off(store: Store) -> str:
    return next(s.id for s in store.list() if s.authority.startswith("Cornford"))


def newest(store: Store) -> str:
    return store.list()[0].id


DIALOGS: dict[str, Callable[[Store], Screen[object]]] = {
    "stale-save": lambda store: StaleSaveModal(
        "Is there a rigorous business case analysis for the partnership?",
        who="B. Colleague",
        at="4 March 2025 at 10:05",
        theirs="Level 3, a full business case approved by cabinet",
        yours="Level 2, a draft business case",
    ),
    "deleted": lambda store: DeletedModal(ANYTOWN),
    "quit-anyway": lambda store: QuitAnywayModal(
        ["the note on question 12 is longer than 10,000 characters, so it was not saved"]
    ),
    "reopen-refused": lambda store: ReopenModal(store.get(signed_off(store)), refused=True),
    "sign-off": lambda store: SignOffModal(ANYTOWN, "A. Officer"),
    "rating": lambda store: ConfidenceModal(store.get(newest(store))),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(DIALOGS))
def test_dialog(snap_compare, filled: Store, name: str, size) -> None:  # noqa: F811
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.push_screen(DIALOGS[name](filled))
        await pilot.pause()

    assert snap_compare(app_for(filled), run_before=run_before, terminal_size=size)
