"""The real app, on a real terminal, stopped the ways a session ends: nothing shown saved is lost.

- SIGTERM (a polite kill) while an evidence note is being typed, before the
  pause that saves it: the note is in the store.
- SIGHUP (the terminal window closed) at the same moment: the same.
- SIGKILL during quick answer changes: every answer the screen showed as
  saved is in the store, and the store opens and reads cleanly.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.tui.demo import demo_answers
from tests.tui.terminal import AppTerminal

pytestmark = pytest.mark.robustness

NOTE = "Cabinet minutes 12 March, item 4"


@pytest.fixture
def terminals() -> Iterator[list[AppTerminal]]:
    started: list[AppTerminal] = []
    yield started
    for term in started:
        term.close()


def start(store: Path, terminals: list[AppTerminal]) -> AppTerminal:
    term = AppTerminal(store)
    terminals.append(term)
    return term


def type_a_note_and_stop(term: AppTerminal, stop) -> None:
    """Create an assessment by keys, answer, type a note, and stop the app mid-note."""
    term.wait_for("Welcome")
    term.press("n")
    term.wait_for("Authority (required)")
    term.type("Signal Council")
    term.press("enter")
    term.wait_for("Signal Council", "All answers saved")
    term.settle()
    term.type("y")  # the first question is yes/no
    term.wait_for("● 1  Yes", "1 answered")
    term.press("tab")
    term.settle(0.3)  # as a person would: the focus moves before the first letter
    term.type(NOTE)
    # The note is on screen and waiting for its pause (0.6 s) to be saved: stop now.
    term.wait_for(NOTE, "saved when you pause", timeout=5)
    stop()


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_a_note_typed_when_the_app_is_stopped_is_saved(
    db: Path, terminals: list[AppTerminal], how: str
) -> None:
    term = start(db, terminals)
    if how == "SIGTERM":
        type_a_note_and_stop(term, lambda: term.signal(signal.SIGTERM))
        assert term.wait_exit() == 128 + signal.SIGTERM
    else:
        type_a_note_and_stop(term, term.close_terminal)
        term.wait_exit()
    (summary,) = Store.open(db).list()
    assessment = Store.open(db).get(summary.id)
    assert assessment.authority == "Signal Council"
    assert assessment.answers["S-EXPLORE"] == Answer("yes", None, NOTE)


def readiness_first(bank: Bank) -> dict[str, Answer]:
    """Every survey question answered, so a resumed assessment opens on the first criterion."""
    return {k: v for k, v in demo_answers(bank).items() if k.startswith("S-")}


def test_sigkill_during_quick_answer_changes_keeps_every_answer_shown_saved(
    db: Path, terminals: list[AppTerminal], bank: Bank
) -> None:
    store = Store.open(db)
    made = store.create(authority="Kill Council", answers=readiness_first(bank))
    criteria = [
        q
        for q in store.get(made.id).bank.questions
        if q.is_criterion and q.id not in made.answers and not q.show_if
    ]
    answered = len(made.answers)
    term = start(db, terminals)
    term.wait_for("Kill Council")
    term.press("enter")
    term.wait_for("All answers saved", f"{answered} answered")
    term.settle()
    confirmed: dict[str, int] = {}
    for i, question in enumerate(criteria[:8]):
        level = (i * 3) % 5
        term.type(str(level))
        answered += 1
        # Saved, and shown as saved: the mark, the save bar and the count agree.
        term.wait_for(f"● {level}", "All answers saved", f"{answered} answered")
        confirmed[question.id] = level
        term.press("pagedown")
    # A burst of changes with no waiting, killed mid-way.
    burst = criteria[8]
    term.type("3")
    term.press("pagedown")
    term.type("4")
    term.signal(signal.SIGKILL)
    term.wait_exit()

    reopened = Store.open(db)
    assert [s.id for s in reopened.list()] == [made.id]
    saved = reopened.get(made.id)
    for question_id, level in confirmed.items():
        assert saved.answers[question_id] == Answer(level), question_id
    # The change in flight was either saved whole or not at all.
    if burst.id in saved.answers:
        assert saved.answers[burst.id] == Answer(3)
