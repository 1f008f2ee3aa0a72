"""The results screen's own keys: the officer's delivery confidence with a reason, sign-off
refused for a draft, the gaps with their plan entries and evidence, and the history."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from assess.domain.bank import Bank
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.history import HistoryScreen
from assess.tui.screens.pick import PickModal
from assess.tui.screens.rating import ConfidenceModal
from assess.tui.screens.results import ResultsScreen

from .helpers import asynctest, report_text, screen_text, settle, type_text


def app_for(store: Store) -> AssessApp:
    return AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)


def flat(text: str) -> str:
    return " ".join(text.split())


async def open_results(pilot, assessment_id: str) -> ResultsScreen:  # type: ignore[no-untyped-def]
    pilot.app.push_screen(ResultsScreen(assessment_id))
    await settle(pilot, lambda: bool(pilot.app.screen.query(".report-part")), "the results")
    screen = pilot.app.screen
    assert isinstance(screen, ResultsScreen)
    return screen


@asynctest
async def test_the_officers_own_delivery_confidence_with_a_reason(db, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db, clock=lambda: "2027-03-01T10:00:00.000Z")
    made = store.create(authority="Borsetshire", answers=demo_answers(bank))
    suggested = made.result.confidence
    assert suggested
    async with app_for(store).run_test(size=(100, 30)) as pilot:
        screen = await open_results(pilot, made.id)
        report = flat(report_text(screen))
        assert f"Suggested delivery confidence: {suggested}" in report
        assert "The officer's own rating" not in report
        await pilot.press("c")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ConfidenceModal), "the dialog")
        modal = pilot.app.screen
        assert f"The rules suggest: {suggested}." in flat(screen_text(pilot.app))
        ratings = modal.query_one(OptionList)
        # Green: the last but one line (the last removes the officer's own rating).
        while ratings.highlighted != 4:
            await pilot.press("down")
        await pilot.press("enter")  # on to the reason
        await settle(pilot, lambda: modal.query_one("#reason", Input).has_focus, "the reason")
        await pilot.press("enter")  # no reason: refused
        await settle(pilot, lambda: "a rating needs a reason" in screen_text(pilot.app), "why")
        await type_text(pilot, "Contract signed [with] the new partner")
        await pilot.press("enter")
        await settle(pilot, lambda: store.get(made.id).confidence == "Green", "saved")
        saved = store.get(made.id)
        assert saved.confidence_reason == "Contract signed [with] the new partner"
        await settle(pilot, lambda: "The officer's own rating" in report_text(screen), "shown")
        report = flat(report_text(screen))
        assert (
            "The officer's own rating: Green. Why: Contract signed [with] the new partner" in report
        )
        assert f"Suggested delivery confidence: {suggested}" in report
        assert [e.field for e in saved.history if e.kind == "detail"][-2:] == [
            "confidence",
            "confidence_reason",
        ]


@asynctest
async def test_a_draft_is_not_signed_off(db, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db)
    made = store.create(authority="Borsetshire", answers=demo_answers(bank))
    async with app_for(store).run_test(size=(100, 30), notifications=True) as pilot:
        await open_results(pilot, made.id)
        await pilot.press("o")
        await settle(
            pilot,
            lambda: "Only a complete assessment can be signed off" in flat(screen_text(pilot.app)),
            "the reason",
        )
        assert isinstance(pilot.app.screen, ResultsScreen)
    assert not store.get(made.id).signed_off


@asynctest
async def test_gaps_show_their_evidence_plan_and_points_and_g_lists_them(db, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db, clock=lambda: "2027-03-01T10:00:00.000Z")
    made = store.create(authority="Borsetshire", answers=demo_answers(bank))
    first = made.result.gaps[0]
    store.save_plan(made.id, {first.id: {"owner": "Jo Bloggs", "due": "2027-01-31"}})
    async with app_for(store).run_test(size=(100, 30)) as pilot:
        screen = await open_results(pilot, made.id)
        report = flat(report_text(screen))
        # Beside the gap: its action, evidence so far and plan entry; and gap points explained.
        assert f"1. {first.criterion.text}" in report
        assert "Plan: owner Jo Bloggs · due 2027-01-31 · not started" in report
        assert "Evidence so far:" in report
        assert "Gap points measure how far a criterion is from its target" in report
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(pilot.app.screen, PickModal), "the gaps")
        await settle(pilot, lambda: "Which gap's plan entry?" in screen_text(pilot.app), "drawn")
        listed = flat(screen_text(pilot.app))
        # (The dialog sits over the report, so only what fits on one of its lines is whole.)
        assert f"1. {first.criterion.text[:30]}" in listed
        assert "owner Jo Bloggs" in listed and "no plan entry yet" in listed
        await pilot.press("escape")
        await settle(pilot, lambda: pilot.app.screen is screen, "back")
        await pilot.press("h")
        await settle(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen), "the history")
        await settle(pilot, lambda: bool(pilot.app.screen.query(".report-part")), "drawn")
        assert f"Action plan entry for “{first.criterion.text}” added" in flat(
            report_text(pilot.app.screen)
        )
