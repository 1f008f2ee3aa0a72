"""An officer completes a whole assessment by keyboard, quits, comes back, and finds it all."""

from __future__ import annotations

from collections.abc import Callable

from assess.domain.answers import Answer
from assess.domain.bank import Bank, Question
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.questionnaire import QuestionnaireScreen
from tests.tui.helpers import asynctest, keys, screen_text, type_text

EVIDENCE = "Minutes [7]"
# Typing costs the test time, so a few criteria carry a note: early, late and the very last.
WITH_NOTE = {"R-LEAD-OWNERSHIP", "R-MKT-CAPACITY", "R-PV-USER-DESIGN"}


def plan(q: Question) -> tuple[list[str], str, object]:
    """Keys to answer `q`, text to type after them, and the value the store should hold."""
    ids = q.option_ids
    if q.type == "yesno":
        return (
            (["y"] if q.id != "S-STRATEGIC-PLANNING" else ["n"]),
            "",
            ("yes" if q.id != "S-STRATEGIC-PLANNING" else "no"),
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


async def answer(pilot, app: AssessApp, q: Question, with_evidence: bool) -> None:
    screen = app.screen
    assert isinstance(screen, QuestionnaireScreen)
    assert screen.current is not None and screen.current.id == q.id, (screen.current, q.id)
    presses, text, _ = plan(q)
    # Keys go out in batches, each as if it came in one read from the terminal,
    # ending with PgDn: the app must act on them in order. A batch never follows
    # a key that moves the focus (Tab, or N asking why), as a terminal's keys
    # are sent to wherever the focus is when they arrive.
    batches = [[*presses]]
    if q.type in ("text", "number") or (q.allow_na and "n" in presses):
        batches.append([])
    batches[-1] += ["space" if ch == " " else ch for ch in text]
    if with_evidence:
        await keys(pilot, *batches.pop(0))
        await pilot.press("tab")
        batches = [[*batches[0], *EVIDENCE]] if batches else [[*EVIDENCE]]
    for batch in batches[:-1]:
        await keys(pilot, *batch)
    await keys(pilot, *batches[-1], "pagedown")


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
    assert len(questions) == 42
    half = 20

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Anytown Council")
        await pilot.press("tab")
        await type_text(pilot, "Waste")
        await pilot.press("tab")
        await type_text(pilot, "A. Officer")
        await pilot.press("enter")
        await pilot.pause()
        for q in questions[:half]:
            await answer(pilot, app, q, with_evidence=q.id in WITH_NOTE)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0

    (summary,) = store.list()
    saved = Store.open(store.root).get(summary.id)
    assert set(saved.answers) == {q.id for q in questions[:half]}

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Anytown Council" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        # Resumes on the first unanswered question.
        assert screen.current is not None and screen.current.id == questions[half].id
        for q in questions[half:]:
            await answer(pilot, app, q, with_evidence=q.id in WITH_NOTE)
        # The last question is answered; quit straight away, with its note just typed.
        await pilot.press("ctrl+q")
        await pilot.pause()

    final = Store.open(store.root).get(summary.id)
    assert dict(final.answers) == expected(bank)
    assert final.result.completeness == 1
