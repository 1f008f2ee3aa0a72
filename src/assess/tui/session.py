"""One officer's editing session on one assessment: what is shown, what is saved.

The questionnaire screen asks this object to save; it keeps the latest copy
of the assessment from the store and the revision that copy was read at, so
that the store can refuse a save that would overwrite someone else's change
to the same answer (`StaleSave`). Every change is *staged* first: the screen
shows it at once, and it is saved a moment later by `save_staged`, which the
screen runs in a background thread (a store held by another process must
never freeze the screen), or at once by `flush` when the officer quits or the
app is stopped. Nothing staged is forgotten until the store has it.

Changes are undone one at a time (`undo`), newest first, clearing included.

No Textual here: the session is plain Python and is tested on its own. The
staged changes and the copy of the assessment are shared between the event
loop and the saving thread, so both are read and changed under one lock.
"""

from __future__ import annotations

import getpass
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assess.domain.answers import Answer, visible_ids
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank, Question, Section

if TYPE_CHECKING:
    from assess.store import Store

# How many answer changes `undo` can take back.
UNDO_DEPTH = 50


def current_user() -> str:
    """Who is making changes, for the answer history."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment: history still works
        return ""


@dataclass(frozen=True)
class Change:
    """One answer change the officer made: the question, and its answer before and after."""

    question_id: str
    before: Answer | None
    after: Answer | None


@dataclass(frozen=True)
class Saved:
    """What one save did: the assessment as saved, and whether it was complete before."""

    assessment: Assessment
    was_complete: bool


class Session:
    """Saves answers for one assessment and tracks which questions are shown."""

    def __init__(self, store: Store, assessment: Assessment, who: str | None = None) -> None:
        self.store = store
        self.assessment = assessment
        self.who = current_user() if who is None else who
        self.staged: dict[str, Answer | None] = {}
        self.changes: list[Change] = []
        self._lock = threading.RLock()
        # One save at a time: a quit's `flush` waits for a save under way in a thread.
        self._saving = threading.Lock()
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
        """The answer as the officer sees it: a staged change first, then the stored answer."""
        with self._lock:
            if question_id in self.staged:
                return self.staged[question_id]
            return self.assessment.answers.get(question_id)

    def shown_answers(self) -> dict[str, Answer]:
        """Every answer as the officer sees it (stored, with the staged changes over them)."""
        with self._lock:
            merged = {k: v for k, v in self.assessment.answers.items() if k not in self.staged}
            merged.update({k: v for k, v in self.staged.items() if v is not None})
            return merged

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
        self._visible = visible_ids(self.bank, self.shown_answers())

    # -- changing ------------------------------------------------------------

    def stage(self, question_id: str, answer: Answer | None, *, undoable: bool = True) -> None:
        """Show `answer` at once; `save_staged` (or `flush`) saves it.

        `undoable`: a change the officer made (typed text comes in many small
        changes; only the first since the answer was last saved is recorded).
        """
        with self._lock:
            before = self.answer(question_id)
            if undoable and before != answer:
                last = self.changes[-1] if self.changes else None
                if (
                    last is not None
                    and last.question_id == question_id
                    and question_id in (self.staged)
                ):
                    # The same answer again before it was saved (more letters typed):
                    # one undo takes back the whole run.
                    self.changes[-1] = Change(question_id, last.before, answer)
                else:
                    self.changes.append(Change(question_id, before, answer))
                    del self.changes[:-UNDO_DEPTH]
            self.staged[question_id] = answer
            self._refresh_visibility()

    def unstage(self, question_id: str) -> None:
        """Forget typed text that turned out not to be valid; the stored answer stands."""
        with self._lock:
            if self.staged.pop(question_id, None) is not None or question_id in self.answers:
                self._refresh_visibility()

    def undo(self) -> Change | None:
        """Take back the newest change (staged to be saved like any other); None if none."""
        with self._lock:
            if not self.changes:
                return None
            change = self.changes.pop()
            self.staged[change.question_id] = change.before
            self._refresh_visibility()
            return change

    @property
    def has_staged(self) -> bool:
        return bool(self.staged)

    # -- saving --------------------------------------------------------------

    def save_staged(self) -> Saved | None:
        """Save every staged change in one store write (any thread); None if there was none.

        A change staged again while this save was under way stays staged for
        the next one. Raises the store's errors unchanged, leaving the staged
        changes as they were.
        """
        with self._saving:
            with self._lock:
                batch = dict(self.staged)
                base = self.assessment
            if not batch:
                return None
            saved = self.store.save_answers(
                base.id, batch, who=self.who, base_revision=base.revision
            )
            with self._lock:
                for question_id, answer in batch.items():
                    if question_id in self.staged and self.staged[question_id] is answer:
                        del self.staged[question_id]
                self.assessment = saved
                self._refresh_visibility()
            return Saved(saved, base.status == "complete")

    def flush(self) -> Saved | None:
        """Save every staged change now (on quitting, or when the app is stopped)."""
        return self.save_staged()

    def save(self, question_id: str, answer: Answer | None) -> Assessment:
        """Save one answer now (None clears it); raises the store's errors unchanged."""
        self.stage(question_id, answer, undoable=False)
        self.save_staged()
        return self.assessment

    def reload(self) -> Assessment:
        """Read the assessment again (after someone else changed it); staged changes are dropped."""
        fresh = self.store.get(self.id)
        with self._lock:
            self.staged.clear()
            self.changes.clear()
            self.assessment = fresh
            self._refresh_visibility()
            return fresh

    def overwrite(self, question_id: str, answer: Answer | None) -> Assessment:
        """Save over someone else's change, having been told about it."""
        fresh = self.store.get(self.id)
        with self._lock:
            self.assessment = fresh
        return self.save(question_id, answer)

    def refresh(self) -> Assessment:
        """Read the stored assessment again, keeping the staged changes (after another screen)."""
        fresh = self.store.get(self.id)
        with self._lock:
            self.assessment = fresh
            self._refresh_visibility()
            return fresh
