"""PgUp / PgDn on every list in the app, with the terminal shrunk until the list has no room.

Textual's OptionList pages by the lines it has laid out; with no room it has
none, and paging raised a KeyError from inside Textual (the key storm found it
on the plan screen). The app's `Options` list makes paging there do nothing.
These tests press the keys on each screen that holds a list, at 1×1 and at a
height that squeezes the list to nothing, then check the app is still running
on the same screen and that the list pages normally once there is room again.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList, Select

import assess.tui
from assess.domain.bank import Bank
from assess.domain.stages import STAGES
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.new import NewAssessmentScreen
from assess.tui.screens.pick import Choice, PickModal
from assess.tui.screens.plan import PlanScreen
from assess.tui.screens.rating import ConfidenceModal
from assess.tui.widgets.options import Dropdown, Options

from .helpers import asynctest, settle

Size = tuple[int, int]
SCREENS: dict[str, Callable[[Store, str], Screen[object]]] = {
    "plan": lambda store, made: PlanScreen(made),
    "rating": lambda store, made: ConfidenceModal(store.get(made)),
    "pick": lambda store, made: PickModal(
        "Pick one", "", [Choice(f"c{n}", f"Choice {n}") for n in range(40)]
    ),
}


async def _page_squeezed(
    app: AssessApp, pilot: Pilot[object], screen: Screen[object], sizes: tuple[Size, ...]
) -> None:
    """PgDn, PgUp, PgDn at each size; the app still running on `screen`; then back to 80×24."""
    for size in sizes:
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.press("pagedown", "pageup", "pagedown")
        await pilot.pause()
        assert app.is_running and app.screen is screen, size
    await pilot.resize_terminal(80, 24)


@pytest.mark.parametrize("name", list(SCREENS))
@asynctest
async def test_paging_a_list_with_no_room_does_nothing_and_pages_again_with_room(
    name: str, store: Store, bank: Bank, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Squeezed", answers=demo_answers(bank)).id
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = SCREENS[name](store, made)
        app.push_screen(screen)
        await settle(pilot, lambda: app.screen is screen and bool(screen.query(OptionList)), name)
        listing = screen.query_one(OptionList)
        assert isinstance(listing, Options)
        listing.focus()
        await _page_squeezed(app, pilot, screen, ((1, 1), (80, 3), (3, 24)))
        await pilot.pause()
        listing.highlighted = 0
        await pilot.press("pagedown")
        await settle(pilot, lambda: (listing.highlighted or 0) > 0, "a page down")


@asynctest
async def test_paging_an_open_drop_down_with_no_room_does_nothing(
    make_app: Callable[..., AssessApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = NewAssessmentScreen()
        app.push_screen(screen)
        await settle(pilot, lambda: app.screen is screen and bool(screen.query(Select)), "form")
        stage = screen.query_one("#stage", Select)
        assert isinstance(stage, Dropdown)
        stage.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: stage.expanded, "the open list")
        await _page_squeezed(app, pilot, screen, ((1, 1), (80, 1), (3, 24)))
        await pilot.press("escape")
        await settle(pilot, lambda: not stage.expanded, "closed")
        assert stage.value == STAGES[0].number  # paging with no room changed nothing


def test_every_option_list_in_the_app_is_the_safe_one() -> None:
    # A bare OptionList or Select anywhere in the app would bring the crash back.
    root = Path(assess.tui.__file__).parent
    bare = []
    for source in root.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("OptionList", "Select")
            ):
                bare.append(f"{source.relative_to(root)}:{node.lineno}")
    assert bare == []
