"""Each screen's keys are declared once: the bindings, the key bar, the help screen and
the command palette all come from that one table."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.actions import parse
from textual.binding import Binding

from assess.store import Store
from assess.tui import screens
from assess.tui.app import AssessApp
from assess.tui.base import GLOBAL_KEYS, AssessAppBase
from assess.tui.keys import Key, bindings, help_rows, key_name, rebind
from assess.tui.screens.base import AppScreen
from assess.tui.screens.help import HelpScreen
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.new import NewAssessmentScreen
from assess.tui.widgets.factory import WIDGETS
from tests.tui.helpers import asynctest, screen_text, settle, type_text


class MovedHome(HomeScreen, inherit_bindings=False):
    """The home screen with one edit to its table: New is on A instead of N."""

    KEYS = rebind(HomeScreen.KEYS, "new", "a")


class MovedApp(AssessApp):
    def get_default_screen(self) -> MovedHome:
        return MovedHome()


@asynctest
async def test_one_edit_to_a_key_moves_its_binding_bar_help_and_palette_entry(
    store: Store,
) -> None:
    app = MovedApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, lambda: "Help" in screen_text(app).splitlines()[-1], "the key bar")
        home = app.screen
        assert isinstance(home, MovedHome)
        # The key bar.
        bar = screen_text(app).splitlines()[-1]
        assert " A  New " in bar and " N  New " not in bar
        # The palette.
        (new,) = [c for c in home.palette_commands() if c[0] == "New assessment"]
        assert new[1] == "Start a new assessment (A)"
        # The help screen.
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        rows = [" ".join(line.split()) for line in screen_text(app).splitlines()]
        assert any("A start a new assessment" in row for row in rows)
        assert not any("N start a new assessment" in row for row in rows)
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is home, "back from help")
        # The binding: N does nothing here now, A starts a new assessment.
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is home
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.screen, NewAssessmentScreen), "the form")
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is home, "back from the form")
        # And the palette runs it: typed by name, it opens the form.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "new assessment")
        await settle(pilot, lambda: "Start a new assessment (A)" in screen_text(app), "the entry")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, NewAssessmentScreen), "the form")


def every_screen() -> list[type[AppScreen[object]]]:
    """Every screen and dialog the app has, found by importing each screen module."""
    for module in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{module.name}")
    found: list[type[AppScreen[object]]] = []
    todo: list[type[AppScreen[object]]] = [AppScreen]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__ != "assess.tui.screens.base" and not cls.__name__.startswith("_"):
            found.append(cls)
    return sorted(set(found), key=lambda cls: cls.__name__)


SCREENS = every_screen()


def test_every_screen_is_found() -> None:
    names = {cls.__name__ for cls in SCREENS}
    assert {"HomeScreen", "PlanScreen", "HistoryScreen", "SettleScreen", "ReopenModal"} <= names
    assert len(names) == len(SCREENS)  # one class for each name: no two dialogs alike


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.__name__)
def test_every_key_of_every_table_runs_an_action_that_exists(
    screen: type[AppScreen[object]],
) -> None:
    # A key whose action is misspelt would do nothing when pressed, silently.
    for key in screen.KEYS:
        if not key.action:
            continue
        name = key.action.split("(")[0]
        where = AssessAppBase if name.startswith("app.") else screen
        name = name.removeprefix("app.").removeprefix("screen.")
        assert callable(getattr(where, f"action_{name}", None)), (screen.__name__, key.action)
        assert key.help or any(k.action.split("(")[0] == name for k in screen.KEYS if k.help), key
        # Its arguments are Python literals, as Textual reads them ("move(down)" is not).
        for binding in key.bindings():
            parse(binding.action)


def test_every_answer_key_and_every_global_key_runs_an_action_that_exists() -> None:
    for widget in {*WIDGETS.values()}:
        for key in widget.KEYS:
            if key.action and not key.action.startswith("screen."):
                assert callable(getattr(widget, f"action_{key.action.split('(')[0]}", None))
    for key in GLOBAL_KEYS:
        assert callable(getattr(AssessApp, f"action_{key.action}", None)), key.action


def test_bindings_come_from_the_table() -> None:
    table = (
        Key("x,delete", "delete", help="delete it"),
        Key("1,2,3", "pick", help="pick one", per_key=True),
        Key("up,down", help="move"),  # described only: a widget handles it
    )
    made = bindings(table)
    assert [(b.key, b.action) for b in made] == [
        ("x,delete", "delete"),
        ("1", "pick(1)"),
        ("2", "pick(2)"),
        ("3", "pick(3)"),
    ]
    assert all(isinstance(b, Binding) and not b.show for b in made)
    # The screen's class bindings are the table's.
    keys = {key for key, _ in MovedHome._merged_bindings or ()}
    assert "a" in keys and "n" not in keys


def test_keys_are_written_for_people() -> None:
    assert key_name("ctrl+p") == "Ctrl+P"
    assert key_name("escape") == "Escape" and key_name("escape", short=True) == "Esc"
    assert key_name("right_square_bracket") == "]" and key_name("question_mark") == "?"
    assert key_name("shift+tab") == "Shift+Tab" and key_name("pagedown") == "PgDn"
    # A key with no words of its own, for the same action, joins the row before it.
    assert help_rows(GLOBAL_KEYS)[0] == ("F1 or ?", "show this help (Escape closes it)")


def test_rebind_refuses_an_action_the_table_does_not_have() -> None:
    with pytest.raises(ValueError, match="no key runs 'nothing'"):
        rebind(HomeScreen.KEYS, "nothing", "z")
