"""One officer's editing session on one assessment: what is shown, what is saved.

The questionnaire screen asks this object to save; it keeps the latest copy
of the assessment from the store and the revision that copy was read at, so
that the store can refuse a save that would overwrite someone else's change
to the same answer (`StaleSave`). Typed text is *staged* first and saved a
moment later (or when the officer moves on, quits, or the app is stopped), so
every keystroke does not cost a disk write, yet nothing is lost.

No Textual here: the session is plain Python and is tested on its own.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from typing import TYPE_CHECKING

from assess.domain.answers import Answer, visible_ids
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank, Question, Section

if TYPE_CHECKING:
    from assess.store import Store


def current_user() -> str:
    """Who is making changes, for the answer history."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment: history still works
        return ""


class Session:
    """Saves answers for one assessment and tracks which questions are shown."""

    def __init__(self, store: Store, assessment: Assessment, who: str | None = None) -> None:
        self.store = store
        self.assessment = assessment
        self.who = current_user() if who is None else who
        self.staged: dict[str, Answer | None] = {}
        self._visible: set[str] = visible_ids(assessment.bank, assessment.answers)

    # -- what is shown -------------------------------------------------------

    @property
    def id(self) -> str:
        return self.assessment.id

    @property
    def bank(self) -> Bank:
        return self.assessment.bank

    @property
    def answers(self) -> Mapping[str, Answer]:
        return self.assessment.answers

    def answer(self, question_id: str) -> Answer | None:
        """The answer as the officer sees it: staged text first, then the stored answer."""
        if question_id in self.staged:
            return self.staged[question_id]
        return self.assessment.answers.get(question_id)

    def is_visible(self, question_id: str) -> bool:
        return question_id in self._visible

    def visible_questions(self) -> list[Question]:
        return [q for q in self.bank.questions if q.id in self._visible]

    def sections(self) -> list[Section]:
        """Sections with at least one question shown."""
        return [s for s in self.bank.sections if any(q.id in self._visible for q in s.questions)]

    def section_progress(self, section: Section) -> tuple[int, int]:
        """(answered, shown) for one section."""
        shown = [q for q in section.questions if q.id in self._visible]
        answered = sum(1 for q in shown if self.answer(q.id) is not None)
        return answered, len(shown)

    def first_unanswered(self) -> Question | None:
        """Where a resumed assessment should land."""
        return next((q for q in self.visible_questions() if self.answer(q.id) is None), None)

    def _refresh_visibility(self) -> None:
        merged = {k: v for k, v in self.assessment.answers.items() if k not in self.staged}
        merged.update({k: v for k, v in self.staged.items() if v is not None})
        self._visible = visible_ids(self.bank, merged)

    # -- saving --------------------------------------------------------------

    def save(self, question_id: str, answer: Answer | None) -> Assessment:
        """Save one answer now (None clears it); raises the store's errors unchanged."""
        saved = self.store.save_answer(
            self.id,
            question_id,
            answer,
            who=self.who,
            base_revision=self.assessment.revision,
        )
        # Only forget the staged text once it is safely stored.
        self.staged.pop(question_id, None)
        self.assessment = saved
        self._refresh_visibility()
        return saved

    def stage(self, question_id: str, answer: Answer | None) -> None:
        """Remember typed text to be saved by the next `flush`."""
        self.staged[question_id] = answer
        self._refresh_visibility()

    def unstage(self, question_id: str) -> None:
        """Forget typed text that turned out not to be valid; the stored answer stands."""
        if self.staged.pop(question_id, None) is not None or question_id in self.answers:
            self._refresh_visibility()

    @property
    def has_staged(self) -> bool:
        return bool(self.staged)

    def flush(self) -> None:
        """Save every staged answer; an error leaves the unsaved ones staged."""
        for question_id in list(self.staged):
            answer = self.staged[question_id]
            self.save(question_id, answer)

    def reload(self) -> Assessment:
        """Read the assessment again (after someone else changed it); staged text is dropped."""
        self.staged.clear()
        self.assessment = self.store.get(self.id)
        self._refresh_visibility()
        return self.assessment

    def overwrite(self, question_id: str, answer: Answer | None) -> Assessment:
        """Save over someone else's change, having been told about it."""
        fresh = self.store.get(self.id)
        self.assessment = fresh
        return self.save(question_id, answer)
