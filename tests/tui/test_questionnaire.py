"""The questionnaire: ranking by keys, conditional questions, numbers, notes, conflicts, signals."""

from __future__ import annotations

import re
import signal
from collections.abc import Callable

from textual.widgets import Static, TextArea

from assess.domain.answers import Answer
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.screens.modals import StaleSaveModal
from assess.tui.screens.questionnaire import QuestionnaireScreen
from assess.tui.widgets.sidebar import SectionList
from tests.tui.helpers import asynctest, screen_text, settle, static_text, type_text


async def open_at(pilot, app: AssessApp, question_id: str) -> QuestionnaireScreen:
    """Open the only assessment and go to `question_id`."""
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, QuestionnaireScreen)
    await screen.go_to(question_id)
    await pilot.pause()
    assert screen.current is not None and screen.current.id == question_id
    return screen


@asynctest
async def test_ranking_by_keys_is_stored_in_order(
    store: Store, make_app: Callable[..., AssessApp], bank
) -> None:
    made = store.create(authority="Rank")
    ids = bank.question("S-CHALLENGES").option_ids
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "S-CHALLENGES")
        await pilot.press("down", "down", "space")  # third option ranked first
        await settle(
            pilot, lambda: store.get(made.id).answers["S-CHALLENGES"].value == (ids[2],), "saved"
        )
        await pilot.press("down", "space")  # then the (now) second unranked: ids[1]? no:
        # after ranking, the list is [ids[2], ids[0], ids[1], ...]; down lands on ids[0]
        await settle(
            pilot,
            lambda: store.get(made.id).answers["S-CHALLENGES"].value == (ids[2], ids[0]),
            "saved",
        )
        await pilot.press("shift+up")  # move ids[0] above ids[2]
        await settle(
            pilot,
            lambda: store.get(made.id).answers["S-CHALLENGES"].value == (ids[0], ids[2]),
            "saved",
        )
        await pilot.press("down", "down", "1")  # ids[1] straight to rank 1
        await settle(
            pilot,
            lambda: store.get(made.id).answers["S-CHALLENGES"].value == (ids[1], ids[0], ids[2]),
            "saved",
        )
        await pilot.press("j")  # and down one again
        await settle(
            pilot,
            lambda: store.get(made.id).answers["S-CHALLENGES"].value == (ids[0], ids[1], ids[2]),
            "saved",
        )
        await pilot.press("space")  # Space on a ranked item takes it out
        await settle(
            pilot,
            lambda: store.get(made.id).answers["S-CHALLENGES"].value == (ids[0], ids[2]),
            "saved",
        )
        assert "2 ranked; 5 left out" in screen_text(app)
        assert screen.current.id == "S-CHALLENGES"


def sidebar_count(screen: QuestionnaireScreen, section_id: str) -> tuple[int, int]:
    rows = screen.query_one(SectionList).rows
    return next((a, s) for sid, _, _, a, s in rows if sid == section_id)


@asynctest
async def test_conditional_questions_appear_and_disappear(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Conditional")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "S-EXPLORE")
        assert not screen.session.is_visible("S-SERVICES")
        assert sidebar_count(screen, "partnering") == (0, 3)
        await pilot.press("y")
        await pilot.pause()
        assert screen.session.is_visible("S-SERVICES")
        assert sidebar_count(screen, "partnering") == (0, 4)

        await screen.go_to("S-SERVICES")
        await pilot.pause()
        await pilot.press("6")  # "other"
        await pilot.pause()
        await settle(
            pilot, lambda: store.get(made.id).answers["S-SERVICES"].value == ("other",), "saved"
        )
        assert screen.session.is_visible("S-SERVICES-OTHER")
        await pilot.press("pagedown")
        await pilot.pause()
        assert screen.current.id == "S-SERVICES-OTHER"  # the follow-up comes next
        assert "Which other services" in screen_text(app)
        await pilot.press("6")  # back on S-SERVICES? No: we are in the text box; "6" is typed
        await pilot.press("pageup")
        await pilot.pause()
        await settle(
            pilot, lambda: store.get(made.id).answers["S-SERVICES-OTHER"].value == "6", "saved"
        )
        await pilot.press("6")  # untick "other": the follow-up goes
        await pilot.pause()
        assert not screen.session.is_visible("S-SERVICES-OTHER")

        await screen.go_to("S-EXPLORE")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not screen.session.is_visible("S-SERVICES")
        assert sidebar_count(screen, "partnering") == (0, 3)


@asynctest
async def test_number_is_checked_before_it_is_saved(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Numbers", answers={"R-MKT-PEERS": Answer(2)})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "R-MKT-RESEARCH-COUNT")
        await type_text(pilot, "600")
        await pilot.pause()
        assert "above the maximum of 500" in screen_text(app)
        screen.flush()
        assert "R-MKT-RESEARCH-COUNT" not in store.get(made.id).answers
        await pilot.press("backspace", "backspace")  # "6"
        await pilot.press("pagedown")  # leaving saves at once
        await pilot.pause()
        await settle(
            pilot, lambda: store.get(made.id).answers["R-MKT-RESEARCH-COUNT"].value == 6, "saved"
        )


@asynctest
async def test_maturity_levels_not_applicable_and_evidence(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Levels")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "R-FIT-WELLBEING")
        note = screen.query_one("#evidence", TextArea)
        assert note.disabled  # no note before there is an answer to attach it to
        await pilot.press("3")
        await pilot.pause()
        await settle(
            pilot, lambda: store.get(made.id).answers["R-FIT-WELLBEING"] == Answer(3), "saved"
        )
        assert "Largely in place" in screen_text(app)
        assert not note.disabled
        await pilot.press("tab")
        await type_text(pilot, "Board [b]paper")
        await pilot.press("shift+tab")  # leaving the note saves it
        await pilot.pause()
        await settle(
            pilot,
            lambda: (
                store.get(made.id).answers["R-FIT-WELLBEING"] == Answer(3, None, "Board [b]paper")
            ),
            "saved",
        )
        await pilot.press("n")  # not applicable: asks why; saved once there is a reason
        await pilot.pause()
        await type_text(pilot, "No link")
        screen.flush()
        saved = store.get(made.id).answers["R-FIT-WELLBEING"]
        assert saved.is_na and saved.na_reason == "No link" and saved.evidence == "Board [b]paper"
        await pilot.press("escape", "x")  # back to the levels, then clear
        await settle(pilot, lambda: "R-FIT-WELLBEING" not in store.get(made.id).answers, "clear")


@asynctest
async def test_a_conflicting_save_is_refused_and_can_be_reloaded(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Shared")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        # A colleague, in another process, rates the same criterion.
        Store.open(store.root).save_answer(made.id, "R-LEAD-OWNERSHIP", Answer(1), who="Bob")
        await pilot.press("4")
        await settle(pilot, lambda: isinstance(app.screen, StaleSaveModal), "the conflict")
        # Who, when, their answer and yours.
        text = " ".join(static_text(app.screen.query_one(".dialog-body", Static), 300).split())
        assert "Bob changed the answer" in text
        assert "Bob changed the answer to “Do the political" in text
        assert re.search(r"” on \d{2} \w{3} \d{4} \d{2}:\d{2}", text), text
        assert "Their answer: 1 – Planned" in text
        assert "Your answer: 4 – Fully in place and evidenced" in text
        await settle(
            pilot, lambda: store.get(made.id).answers["R-LEAD-OWNERSHIP"] == Answer(1), "saved"
        )
        await pilot.press("r")  # reload theirs
        await settle(pilot, lambda: app.screen is screen, "the questions")
        assert screen.session.answer("R-LEAD-OWNERSHIP") == Answer(1)
        assert "● 1" in screen_text(app)
        # Another clash, and this time keep mine.
        Store.open(store.root).save_answer(made.id, "R-LEAD-OWNERSHIP", Answer(2), who="Bob")
        await pilot.press("4")
        await settle(pilot, lambda: isinstance(app.screen, StaleSaveModal), "the conflict")
        await pilot.press("k")
        await settle(
            pilot,
            lambda: store.get(made.id).answers["R-LEAD-OWNERSHIP"] == Answer(4),
            "mine kept",
        )


@asynctest
async def test_sigterm_mid_note_saves_the_note_and_exits(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Signal", answers={"R-LEAD-OWNERSHIP": Answer(2)})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        await pilot.press("tab")
        await type_text(pilot, "Half-typed")
        assert "R-LEAD-OWNERSHIP" in app.screen.session.staged  # not saved yet: mid-pause
        app._stop_on_signal(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM
    assert store.get(made.id).answers["R-LEAD-OWNERSHIP"].evidence == "Half-typed"


@asynctest
async def test_typed_text_saves_after_a_pause(
    store: Store, make_app: Callable[..., AssessApp], monkeypatch
) -> None:
    # Long enough that the typing is done (on a busy machine too) before the pause ends.
    monkeypatch.setattr("assess.tui.screens.questionnaire.SAVE_PAUSE", 1.0)
    made = store.create(authority="Pause", answers={"R-LEAD-OWNERSHIP": Answer(2)})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        await pilot.press("tab")
        await type_text(pilot, "Note")
        assert "saved when you pause" in screen_text(app)
        assert "R-LEAD-OWNERSHIP" in app.screen.session.staged
        # Without leaving the box: saved once the pause has passed.
        await settle(
            pilot,
            lambda: store.get(made.id).answers["R-LEAD-OWNERSHIP"].evidence == "Note",
            "saved",
        )
        await settle(pilot, lambda: "All answers saved" in screen_text(app), "said so")


@asynctest
async def test_sections_and_review_and_results_keys(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    store.create(authority="Moving")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "S-EXPLORE")
        await pilot.press("right_square_bracket")
        assert screen.current.id == "S-PARTNER-PRIORITY"
        await pilot.press("right_square_bracket", "left_square_bracket")
        assert screen.current.id == "S-PARTNER-PRIORITY"
        await pilot.press("pageup")
        assert screen.current.id == "S-CHALLENGES"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuestionnaireScreen)


@asynctest
async def test_keys_still_on_their_way_when_ctrl_q_comes_are_acted_on_first(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    # Keys that arrive together (a paste-like burst, or a busy machine): Ctrl+Q is
    # acted on as it arrives, before the keys ahead of it have reached the note box.
    made = store.create(authority="Burst", answers={"R-LEAD-OWNERSHIP": Answer(2)})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_at(pilot, app, "R-LEAD-OWNERSHIP")
        await pilot.press("tab")
        await settle(pilot, lambda: app.focused is screen.query_one("#evidence"), "the note")
        for key in [*"Board minutes", "pagedown", "ctrl+q"]:
            app.simulate_key(key)
    assert app.return_code == 0
    assert store.get(made.id).answers["R-LEAD-OWNERSHIP"] == Answer(2, None, "Board minutes")
