"""The questionnaire never surprises: undo, refusals said in words, and nothing lost or stuck.

Each test drives the app through Pilot as an officer would and checks both
what the screen says and what the store holds.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

from textual.command import CommandPalette
from textual.widgets import Input, Static

from assess.domain.answers import MAX_TEXT, Answer
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.modals import DeletedModal, JumpModal, QuitAnywayModal
from assess.tui.screens.questionnaire import QuestionnaireScreen
from assess.tui.screens.signoff import ReopenModal
from assess.tui.widgets.notes import NoteArea
from tests.tui.helpers import asynctest, screen_text, settle, static_text, type_text
from tests.tui.test_questionnaire import open_at


def flat(app: AssessApp) -> str:
    return " ".join(screen_text(app).split())


@asynctest
async def test_clear_asks_nothing_but_ctrl_z_brings_it_back(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Undo", answers={"R-LEAD-OWNERSHIP": Answer(3, None, "Minutes")})
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        await pilot.press("x")
        await settle(pilot, lambda: "R-LEAD-OWNERSHIP" not in store.get(made.id).answers, "clear")
        await settle(pilot, lambda: "Ctrl+Z brings it back" in screen_text(app), "the notice")
        await pilot.press("ctrl+z")
        await settle(
            pilot,
            lambda: (
                store.get(made.id).answers.get("R-LEAD-OWNERSHIP") == Answer(3, None, "Minutes")
            ),
            "the answer back",
        )
        assert screen.query_one("#evidence", NoteArea).text == "Minutes"
        # A change, then undo from another question: it goes back to that question.
        await pilot.press("1", "pagedown")
        await settle(pilot, lambda: screen.current.id == "R-LEAD-REALISM", "the next question")
        await pilot.press("ctrl+z")
        await settle(pilot, lambda: screen.current.id == "R-LEAD-OWNERSHIP", "back to it")
        await settle(
            pilot, lambda: store.get(made.id).answers["R-LEAD-OWNERSHIP"].value == 3, "level 3"
        )
        await pilot.press("ctrl+z")  # the clear was undone already: nothing is left to undo
        await settle(pilot, lambda: "no answer change to undo" in screen_text(app), "told so")
        assert store.get(made.id).answers["R-LEAD-OWNERSHIP"] == Answer(3, None, "Minutes")


@asynctest
async def test_ctrl_a_selects_the_whole_note(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Note", answers={"R-LEAD-OWNERSHIP": Answer(2, None, "Old")})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        await pilot.press("tab")
        note = screen.query_one("#evidence", NoteArea)
        await settle(pilot, lambda: app.focused is note, "the note")
        await pilot.press("ctrl+a")
        await type_text(pilot, "New")
        await settle(pilot, lambda: note.text == "New", "the note replaced")
        await pilot.press("shift+tab")
        await settle(
            pilot, lambda: store.get(made.id).answers["R-LEAD-OWNERSHIP"].evidence == "New", "s"
        )


@asynctest
async def test_a_change_makes_a_complete_assessment_a_draft_and_says_so(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Done", answers={"R-LEAD-OWNERSHIP": Answer(2)})
    store.set_status(made.id, "complete")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        assert "complete" in screen_text(app).splitlines()[0]
        await pilot.press("3")
        await settle(pilot, lambda: store.get(made.id).status == "draft", "back to draft")
        await settle(pilot, lambda: "was marked complete" in screen_text(app), "the notice")
        assert "draft" in screen_text(app).splitlines()[0]


@asynctest
async def test_a_signed_off_assessment_refuses_with_the_reason_and_can_be_reopened(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Signed", answers={"R-LEAD-OWNERSHIP": Answer(2)})
    store.set_status(made.id, "complete")
    store.sign_off(made.id, name="Pat Chief", role="Chief executive")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        await pilot.press("4")
        await settle(pilot, lambda: isinstance(app.screen, ReopenModal), "the refusal")
        body = static_text(app.screen.query_one(".dialog-body", Static), 300)
        assert "signed off by Pat Chief (Chief executive)" in " ".join(body.split())
        assert store.get(made.id).answers["R-LEAD-OWNERSHIP"].value == 2
        await pilot.press("enter")  # no reason: refused, stays
        assert isinstance(app.screen, ReopenModal)
        assert "Say why it is being reopened" in flat(app)
        await type_text(pilot, "New evidence")
        await pilot.press("enter")
        await settle(pilot, lambda: not store.get(made.id).signed_off, "reopened")
        await settle(pilot, lambda: app.screen is screen, "the questions")
        # The level shown went back to the stored one; now the change is taken.
        assert screen.session.answer("R-LEAD-OWNERSHIP").value == 2
        await pilot.press("4")
        await settle(
            pilot, lambda: store.get(made.id).answers["R-LEAD-OWNERSHIP"].value == 4, "saved"
        )
    history = store.get(made.id).history
    assert any(h.field == "reopened" and h.after == "New evidence" for h in history) or any(
        "New evidence" in str(h.after) for h in history
    )


@asynctest
async def test_letters_in_a_number_box_are_refused_with_a_reason(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Numbers", answers={"R-MKT-PEERS": Answer(2)})
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_at(pilot, app, "R-MKT-RESEARCH-COUNT")
        await type_text(pilot, "4x")
        await settle(pilot, lambda: "'4x' is not a number" in flat(app), "the reason")
        assert "R-MKT-RESEARCH-COUNT" not in store.get(made.id).answers
        await pilot.press("backspace", "pagedown")
        await settle(
            pilot, lambda: store.get(made.id).answers["R-MKT-RESEARCH-COUNT"].value == 4, "4"
        )


@asynctest
async def test_survey_notes_do_not_ask_for_evidence_and_later_criteria_say_so(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    store.create(authority="Words")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_at(pilot, app, "S-EXPLORE")
        note = screen.query_one("#evidence", NoteArea)
        assert "What shows this is true" not in note.placeholder
        await screen.go_to("R-LEAD-OWNERSHIP")
        await pilot.pause()
        assert "What shows this is true" in note.placeholder
        await screen.go_to("R-SEL-TRACK-RECORD")  # from stage 3; the assessment is at 0
        await pilot.pause()
        later = " ".join(static_text(screen.query_one("#q-stage", Static), 300).split())
        assert "applies from Stage 3, Selection and award" in later
        assert "it counts from that stage" in later


@asynctest
async def test_ctrl_g_goes_to_a_question_by_number_or_by_words(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    store.create(authority="Jump")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "S-EXPLORE")
        await pilot.press("ctrl+g")
        await settle(pilot, lambda: isinstance(app.screen, JumpModal), "the dialog")
        await type_text(pilot, "30")
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen is screen, "back")
        assert screen.number_of(screen.current) == 30
        await pilot.press("ctrl+g")
        await settle(pilot, lambda: isinstance(app.screen, JumpModal), "the dialog")
        await type_text(pilot, "section 151")
        await pilot.press("enter")
        await settle(pilot, lambda: screen.current.id == "R-GOV-S151", "the s151 question")
        # Up and Down choose among the questions found.
        await pilot.press("ctrl+g")
        await settle(pilot, lambda: isinstance(app.screen, JumpModal), "the dialog")
        await type_text(pilot, "business case")
        await pilot.press("down", "down", "up", "enter")  # the second found
        await settle(pilot, lambda: app.screen is screen, "back")
        assert screen.current.id == "R-CASE-FIVE-CASES"
        await pilot.press("ctrl+g")
        await settle(pilot, lambda: isinstance(app.screen, JumpModal), "the dialog")
        await type_text(pilot, "zzzz")
        assert "No question has that number" in flat(app)
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen, "back")
        assert screen.current.id == "R-CASE-FIVE-CASES"  # Escape stays put


@asynctest
async def test_the_reason_box_never_traps(store: Store, make_app: Callable[..., AssessApp]) -> None:
    made = store.create(authority="Reason")
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_at(pilot, app, "R-FIT-WELLBEING")
        await pilot.press("n")
        await settle(pilot, lambda: getattr(app.focused, "id", "") == "na-reason", "the box")
        await pilot.press("enter")  # nothing typed: told what to do, stays
        assert screen.current.id == "R-FIT-WELLBEING"
        await type_text(pilot, "Back office only")
        await pilot.press("enter")  # saves the reason and moves on
        await settle(pilot, lambda: screen.current.id == "R-FIT-BENEFITS-LIFE", "the next")
        await settle(
            pilot,
            lambda: (
                store.get(made.id).answers.get("R-FIT-WELLBEING")
                == Answer(None, "Back office only")
            ),
            "the reason saved",
        )
        await pilot.press("pageup")
        await settle(pilot, lambda: screen.current.id == "R-FIT-WELLBEING", "back")
        await pilot.press("n")
        await settle(pilot, lambda: getattr(app.focused, "id", "") == "na-reason", "the box")
        # Typing adds to the reason (the box's text is not selected), and PgDn moves on.
        await type_text(pilot, "!")
        await pilot.press("pagedown")
        await settle(pilot, lambda: screen.current.id == "R-FIT-BENEFITS-LIFE", "the next")
        await settle(
            pilot,
            lambda: store.get(made.id).answers["R-FIT-WELLBEING"].na_reason == "Back office only!",
            "the longer reason",
        )


@asynctest
async def test_every_level_can_be_reached_at_60_by_20(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    store.create(authority="Small")
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await open_at(pilot, app, "R-FIT-WELLBEING")
        assert "F1" in screen_text(app).splitlines()[-1] + screen_text(app).splitlines()[-2]
        for level in ("Planned", "In progress", "Largely in place", "Fully in place"):
            await pilot.press("down")
            await pilot.pause()
            assert level in screen_text(app), level
        await pilot.press("down")  # Not applicable, the last
        await pilot.pause()
        assert "Not applicable" in screen_text(app)


@asynctest
async def test_an_assessment_deleted_elsewhere_can_be_saved_as_new(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Gone", service="Waste", answers={"R-LEAD-OWNERSHIP": Answer(1)})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, app, "R-LEAD-REALISM")
        Store.open(store.root).delete(made.id)  # a colleague deletes it
        await pilot.press("3")
        await settle(pilot, lambda: isinstance(app.screen, DeletedModal), "the news")
        assert "was deleted while you had it open" in flat(app)
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")
    (kept,) = store.list()
    again = store.get(kept.id)
    assert (again.authority, again.service) == ("Gone", "Waste")
    assert again.answers["R-LEAD-OWNERSHIP"] == Answer(1)
    assert again.answers["R-LEAD-REALISM"] == Answer(3)


HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


@asynctest
async def test_a_busy_store_never_freezes_the_screen(
    store: Store, make_app: Callable[..., AssessApp], monkeypatch
) -> None:
    monkeypatch.setattr("assess.store.lock.LOCK_TIMEOUT", 0.3)
    monkeypatch.setattr("assess.tui.screens.questionnaire.RETRY_PAUSE", 0.2)
    made = store.create(authority="Busy")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store.root / ".lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_at(pilot, app, "R-LEAD-OWNERSHIP")
            assert holder.stdout is not None and holder.stdout.readline() == "held\n"
            await pilot.press("2")
            await settle(pilot, lambda: "Not saved, retrying" in screen_text(app), "retrying")
            # The screen still answers keys while the store is held.
            await pilot.press("pagedown")
            await settle(pilot, lambda: screen.current.id == "R-LEAD-REALISM", "moved on")
            await pilot.press("3")
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(10)
            await settle(pilot, lambda: "All answers saved" in screen_text(app), "saved")
        answers = store.get(made.id).answers
        assert answers["R-LEAD-OWNERSHIP"] == Answer(2) and answers["R-LEAD-REALISM"] == Answer(3)
    finally:
        holder.kill()
        holder.wait()


@asynctest
async def test_a_note_too_long_is_said_before_quitting(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Long", answers={"R-LEAD-OWNERSHIP": Answer(2)})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        note = screen.query_one("#evidence", NoteArea)
        await pilot.press("tab")
        await settle(pilot, lambda: app.focused is note, "the note")
        note.insert("x" * (MAX_TEXT + 1))
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, QuitAnywayModal), "the warning")
        assert "shorten it" in flat(app)
        await pilot.press("escape")  # stay
        await settle(pilot, lambda: app.screen is screen, "stayed")
        note.text = "Short"
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert store.get(made.id).answers["R-LEAD-OWNERSHIP"].evidence == "Short"


@asynctest
async def test_double_enter_on_the_form_makes_one_assessment(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot, lambda: getattr(app.focused, "id", "") == "authority", "the form")
        await type_text(pilot, "Once")
        period = app.screen.query_one("#period", Input)
        assert (
            period.value == store.clock()[:4] + "/" + f"{(int(store.clock()[:4]) + 1) % 100:02d}"
            or "/" in period.value
        )
        period.value = "2026/28"
        await pilot.press("enter")
        await settle(pilot, lambda: "not a financial year" in flat(app), "the period refused")
        period.value = "2026/27"
        await pilot.press("enter", "enter", "enter")
        await settle(pilot, lambda: isinstance(app.screen, QuestionnaireScreen), "the questions")
        await pilot.pause()
    (made,) = store.list()
    assert made.authority == "Once" and made.period == "2026/27"


@asynctest
async def test_the_form_says_when_the_store_refuses(
    store: Store, make_app: Callable[..., AssessApp], monkeypatch
) -> None:
    from assess.store import StoreError

    def refuse(**_: object) -> None:
        raise StoreError("/shared/store: could not save (No space left on device)")

    monkeypatch.setattr(store, "create", refuse)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot, lambda: getattr(app.focused, "id", "") == "authority", "the form")
        await type_text(pilot, "Full Disk Council")
        await pilot.press("enter")
        await settle(pilot, lambda: "No space left on device" in flat(app), "the refusal")
        assert "Nothing was saved" in flat(app)
        assert app.screen.query_one("#authority", Input).value == "Full Disk Council"


@asynctest
async def test_paging_the_palette_with_no_room_for_its_list_does_nothing(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    # Found by the key storm: on a terminal too small to lay the palette's list
    # out, PgUp / PgDn raised KeyError from inside Textual's command list.
    store.create(authority="Palette")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "S-EXPLORE")
        for size in [(1, 1), (3, 2), (10, 3)]:
            await pilot.resize_terminal(*size)
            await pilot.press("ctrl+p", "a", "pageup", "pagedown")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, CommandPalette), size
            await pilot.press("escape")
            await settle(pilot, lambda: app.screen is screen, "the questions")
