"""The errors the assessment store raises, each one a `BadInput` an officer can act on.

Each message says what happened, to which file or assessment, and what to
do next. The rest of the app imports them from the front door, `assess.store`.
"""

from __future__ import annotations

from assess.domain.errors import BadInput


class StoreError(BadInput):
    """Something about the store (not about an answer) that stops an operation."""


class UnknownAssessment(StoreError):
    """No assessment has this id (or the prefix matches none, or several)."""


class UnknownQuestion(StoreError):
    """A save names a question that the assessment's bank does not have."""


class StaleSave(StoreError):
    """Another officer changed this question after the saver loaded the assessment.

    `question_id`, `who`, `at` and `revision` describe the other officer's change,
    `theirs` is the value they saved and `yours` the one refused (each as stored:
    `Answer.to_data()` or `PlanEntry.to_data()`, None for a cleared one), and
    `plan` says whether it was an action-plan entry; so the app can show both
    and offer to reload.
    """

    def __init__(
        self,
        message: str,
        *,
        question_id: str,
        who: str,
        at: str,
        revision: int,
        theirs: object = None,
        yours: object = None,
        plan: bool = False,
    ):
        super().__init__(message)
        self.question_id = question_id
        self.who = who
        self.at = at
        self.revision = revision
        self.theirs = theirs
        self.yours = yours
        self.plan = plan


class CorruptStore(StoreError):
    """A store file that cannot be read. It is left exactly as it is."""

    def __init__(self, message: str, *, path: str, problems: list[str] | None = None):
        super().__init__(message, problems)
        self.path = path


class StoreBusy(StoreError):
    """Another process held the store's lock for longer than we are prepared to wait.

    `who` names the holder as it wrote itself into the lock file (user, machine,
    process; "" when it did not say) and `since` when it took the lock. Nothing
    was changed: the save can simply be tried again.
    """

    def __init__(self, message: str, *, who: str = "", since: str = ""):
        super().__init__(message)
        self.who = who
        self.since = since


class InvalidBundle(StoreError):
    """An export bundle that cannot be imported; nothing was written."""


class ImportConflict(StoreError):
    """Bundle assessments whose ids are already used here by different content."""


class SignedOff(StoreError):
    """A change to an assessment that has been signed off (reopen it first)."""
