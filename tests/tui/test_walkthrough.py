"""An officer completes a whole assessment by keyboard, quits, comes back, and finds it all."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from assess.domain.answers import Answer
from assess.domain.bank import Bank, Question
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.new import NewAssessmentScreen
from assess.tui.screens.questionnaire import QuestionnaireScreen
from assess.tui.widgets.notes import NoteArea
from tests.tui.helpers import asynctest, screen_text, settle, type_text

EVIDENCE = "Minutes [7]"
# Typing costs the test time, so a few criteria carry a note: early, late and the very last.
WITH_NOTE = {"R-LEAD-OWNERSHIP", "R-MKT-CAPACITY", "R-RUN-EXIT-READY"}


def plan(q: Question) -> tuple[list[str], str, object]:
    """Keys to answer `q`, text to type after them, and the value the store should hold."""
    ids = q.option_ids
    if q.type == "yesno":
        return (
            (["y"] if q.id != "S-PARTNER-BUDGET" else ["n"]),
            "",
            ("yes" if q.id != "S-PARTNER-BUDGET" else "no"),
        )
    if q.type == "ranking":
        # Rank the first option, then the second, then move the second above the first.
        return ["space", "down", "space", "shift+up"], "", (ids[1], ids[0])
    if q.type == "multi":
        keys = ["1", str(len(ids))]  # the first and the last ("other" on S-SERVICES)
        return keys, "", (ids[0], ids[-1])
    if q.type in ("single", "likert"):
        return ["2"], "", ids[1]
    if q.type == "text":
        return [], "Legal <b>", "Legal <b>"
    if q.type == "number":
        return [], "12", 12
    if q.allow_na and q.id == "R-FIT-WELLBEING":
        return ["n"], "Health [x]", None
    return [str(q.target)], "", q.target


async def answer(
    pilot: Pilot, app: AssessApp, q: Question, following: Question | None, with_evidence: bool
) -> None:
    """Answer `q` by keyboard, then PgDn to `following` (None: stay, the last question).

    Every wait is for what the keys lead to (see `settle`): under load the app
    can be well behind the keys a test has sent.
    """
    screen = app.screen
    assert isinstance(screen, QuestionnaireScreen)
    assert screen.current is not None and screen.current.id == q.id, (screen.current, q.id)
    presses, text, _ = plan(q)
    if presses:
        await pilot.press(*presses)
    if "n" in presses and q.allow_na:
        # N asks why: the reason box takes the keys that follow.
        await settle(pilot, lambda: getattr(app.focused, "id", "") == "na-reason", "reason box")
    if text:
        await type_text(pilot, text)
    if with_evidence:
        await settle(pilot, lambda: screen.session.answer(q.id) is not None, "an answer")
        note = screen.query_one("#evidence", NoteArea)
        await settle(pilot, lambda: not note.disabled, "the note box open")
        await pilot.press("tab")
        await settle(pilot, lambda: app.focused is note, "the note box focused")
        await type_text(pilot, EVIDENCE)
        await settle(pilot, lambda: note.text == EVIDENCE, "the note typed")
    if following is not None:
        await pilot.press("pagedown")
        await settle(
            pilot,
            lambda: screen.current is not None and screen.current.id == following.id,
            f"question {following.id}",
        )


def expected(bank: Bank) -> dict[str, Answer]:
    result = {}
    for q in bank.questions:
        _, text, value = plan(q)
        evidence = EVIDENCE if q.id in WITH_NOTE else ""
        if q.id == "R-FIT-WELLBEING":
            result[q.id] = Answer(None, text, evidence)
        else:
            result[q.id] = Answer(value, None, evidence)  # type: ignore[arg-type]
    return result


@asynctest
async def test_complete_resume_and_find_every_answer(
    store: Store, make_app: Callable[..., AssessApp], bank: Bank
) -> None:
    questions = list(bank.questions)
    assert len(questions) == 76
    half = 38

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, NewAssessmentScreen), "the form")
        for box, words in (("authority", "Anytown Council"), ("service", "Waste")):
            await settle(pilot, lambda box=box: getattr(app.focused, "id", "") == box, box)
            await type_text(pilot, words)
            await pilot.press("tab")
        await settle(pilot, lambda: getattr(app.focused, "id", "") == "assessor", "assessor")
        await type_text(pilot, "A. Officer")
        await pilot.press("enter")
        await settle(pilot, lambda: at_question(app), "the first question")
        for i, q in enumerate(questions[:half]):
            await answer(pilot, app, q, questions[i + 1], with_evidence=q.id in WITH_NOTE)
        await pilot.press("ctrl+q")
    assert app.return_code == 0

    (summary,) = store.list()
    saved = Store.open(store.root).get(summary.id)
    assert set(saved.answers) == {q.id for q in questions[:half]}

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: "Anytown Council" in screen_text(app), "the list")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await settle(pilot, lambda: at_question(app), "the questions")
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        # Resumes on the first unanswered question.
        assert screen.current is not None and screen.current.id == questions[half].id
        rest = questions[half:]
        for q, following in zip(rest, [*rest[1:], None], strict=True):
            await answer(pilot, app, q, following, with_evidence=q.id in WITH_NOTE)
        # The last question is answered and its note typed (not saved yet: the
        # pause has not passed); quit straight away.
        assert screen.session.has_staged
        await pilot.press("ctrl+q")

    final = Store.open(store.root).get(summary.id)
    assert dict(final.answers) == expected(bank)
    assert final.result.completeness == 1


def at_question(app: AssessApp) -> bool:
    screen = app.screen
    return isinstance(screen, QuestionnaireScreen) and screen.current is not None
