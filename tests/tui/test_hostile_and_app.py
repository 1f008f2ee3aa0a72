"""Text from data is shown exactly as typed; the palette, help, theme and NO_COLOR work."""

from __future__ import annotations

import os
from collections.abc import Callable

from assess.domain.answers import Answer
from assess.domain.bank import Bank, bank_from_data
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.screens.help import HelpScreen
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.new import NewAssessmentScreen
from assess.tui.screens.questionnaire import QuestionnaireScreen
from tests.tui.helpers import asynctest, screen_text, type_text

HOSTILE = "[bold]Big[/bold] [link=https://x.example]go[/link] <script>x</script> [/x]"


def hostile_bank(bank: Bank) -> Bank:
    data = bank.to_data()
    section = data["instruments"][0]["sections"][0]
    section["title"] = "[red]Pressures[/red]"
    first = section["questions"][0]
    first["text"] = f"Question {HOSTILE}?"
    first["help"] = "Help [dim]x[/]"
    first["options"] = [{"id": "yes", "label": "[b]Yes[/b]"}, {"id": "no", "label": "No [/]"}]
    return bank_from_data(data, "hostile")


@asynctest
async def test_hostile_text_is_shown_as_typed(
    store: Store, make_app: Callable[..., AssessApp], bank: Bank
) -> None:
    store.create(
        authority=HOSTILE[:60],
        service="[/]",
        assessor="[link=x]me",
        bank=hostile_bank(bank),
        answers={"R-LEAD-OWNERSHIP": Answer(3, None, "Note [bold]x[/bold]")},
    )
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert HOSTILE[:40] in text
        assert "[/]" in text and "[link=x]me" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)
        text = screen_text(app)
        assert f"Question {HOSTILE}?" in text
        assert "Help [dim]x[/]" in text
        assert "[b]Yes[/b]" in text and "No [/]" in text
        assert "[red]Pressures[/red]" in text
        await app.screen.go_to("R-LEAD-OWNERSHIP")
        await pilot.pause()
        assert "Note [bold]x[/bold]" in screen_text(app)
        await pilot.press("escape", "v")
        await pilot.pause()
        assert HOSTILE[:40] in screen_text(app)


@asynctest
async def test_hostile_names_typed_in_the_form(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "[b]A[/b] <i>")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)
        assert "[b]A[/b] <i>" in screen_text(app)
    assert [s.authority for s in store.list()] == ["[b]A[/b] <i>"]


@asynctest
async def test_new_form_requires_an_authority(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NewAssessmentScreen)
        assert "The authority is required." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert store.list() == []


@asynctest
async def test_palette_runs_app_commands(store: Store, make_app: Callable[..., AssessApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "new assessment")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewAssessmentScreen)


@asynctest
async def test_help_on_every_screen_and_theme_switch(
    store: Store, make_app: Callable[..., AssessApp], bank: Bank
) -> None:
    from assess.tui.demo import demo_answers

    store.create(authority="Helpful", answers=demo_answers(bank))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for keys, phrase in [
            ((), "lists your saved assessments"),
            (("enter",), "Answer the questions one at a time"),
            (("r",), "what is left to do"),
            (("escape", "v"), "Readiness is out of 100"),
        ]:
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert phrase in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)
        dark = app.theme
        await pilot.press("f2")
        assert app.theme != dark and app.theme == "textual-light"


def test_no_color_is_honoured(store: Store, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = AssessApp(store, handle_signals=False, remember_theme=False)
    assert app.no_color
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not AssessApp(store, handle_signals=False, remember_theme=False).no_color
    assert "NO_COLOR" not in os.environ


def test_theme_choice_is_remembered(store: Store) -> None:
    from assess.tui.app import load_theme, save_theme

    assert load_theme() == "textual-dark"
    save_theme("textual-light")
    assert load_theme() == "textual-light"
    assert AssessApp(store, handle_signals=False).theme == "textual-light"
