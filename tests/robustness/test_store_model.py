"""A model of what the store must hold, checked against the disk after every step.

Hypothesis drives random sequences of what officers do — answer, edit an
evidence note, clear, type text that is staged and saved when they move on
(the TUI's `Session`, which has no Textual in it), mark complete, rename,
reopen the app (a new `Store` on the same folder), export and re-import into
a fresh store, duplicate, delete and restore — against a plain model. After
every step a fresh `Store` on the folder must give exactly the model: each
assessment's answers with their evidence, status, names, revision, and a
history as long as the number of changes that changed something; the list
must agree with the files.

Examples per run follow the Hypothesis profile (a quarter of its
max_examples: 25 by default, 50 with HYPOTHESIS_PROFILE=ci).
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

from assess.domain.answers import Answer, check_answer
from assess.domain.bank import Bank, load_shipped_bank
from assess.domain.visible import hidden_character
from assess.store import Store
from assess.tui.session import Session
from tests.store.support import sample_value

pytestmark = pytest.mark.robustness

BANK: Bank = load_shipped_bank()
QUESTIONS = [q.id for q in BANK.questions]
# Evidence as officers type it, in any script, with tabs and line breaks (but no
# other control characters, which are refused before they reach the store).
NOTES = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, [*range(0, 9), *range(11, 32), *range(127, 160)])),
    ),
    max_size=40,
)
# Names as officers may type them: no character that reorders the line or hides in it.
NAMES = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(lambda name: bool(name) and hidden_character(name) is None)
)


@dataclass
class Model:
    """What one assessment must hold."""

    authority: str
    service: str = ""
    assessor: str = ""
    status: str = "draft"
    answers: dict[str, Answer] = field(default_factory=dict)
    revision: int = 0
    history: int = 0


def _answer(question_id: str, seed: int, note: str) -> Answer:
    question = BANK.question(question_id)
    assert question is not None
    rng = random.Random(seed)
    if question.allow_na and rng.random() < 0.2:
        return Answer(None, "Not relevant here", note)
    return check_answer(question, {"value": sample_value(question, rng), "evidence": note})


class StoreMachine(RuleBasedStateMachine):
    assessments = Bundle("assessments")

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="assess-model-"))
        self.root = self.tmp / "store"
        self.store = Store.open(self.root)
        self.model: dict[str, Model] = {}
        self.deleted: dict[str, Model] = {}
        self.sessions: dict[str, Session] = {}
        self.staged: dict[str, dict[str, Answer | None]] = {}

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers -------------------------------------------------------------

    def session(self, assessment_id: str) -> Session:
        if assessment_id not in self.sessions:
            self.sessions[assessment_id] = Session(
                self.store, self.store.get(assessment_id), who="Model officer"
            )
        return self.sessions[assessment_id]

    def saved(self, assessment_id: str, question_id: str, new: Answer | None) -> None:
        """Record in the model one save of one answer through the session."""
        self.saved_together(assessment_id, {question_id: new})

    def saved_together(self, assessment_id: str, changes: dict[str, Answer | None]) -> None:
        """Record in the model one save of these answers: one revision, a history entry each."""
        model = self.model[assessment_id]
        changed = 0
        for question_id, new in changes.items():
            old = model.answers.get(question_id)
            if (old.to_data() if old else None) == (new.to_data() if new else None):
                continue  # an answer that did not change is not written
            if new is None:
                del model.answers[question_id]
            else:
                model.answers[question_id] = new
            changed += 1
        if not changed:
            return  # a save that changes nothing writes nothing
        model.revision += 1
        model.history += changed
        if model.status == "complete":
            # A change to a complete assessment returns it to draft, and says so.
            model.status = "draft"
            model.history += 1

    def flush(self, assessment_id: str) -> None:
        """The officer moves on: all the staged text is saved together, in one save."""
        staged = self.staged.pop(assessment_id, {})
        if assessment_id in self.sessions:
            self.sessions[assessment_id].flush()
        self.saved_together(assessment_id, staged)

    def flush_all(self) -> None:
        for assessment_id in list(self.staged):
            self.flush(assessment_id)

    # -- rules ---------------------------------------------------------------

    @initialize(target=assessments, authority=NAMES)
    def first(self, authority: str) -> str:
        return self.create(authority)

    @precondition(lambda self: len(self.model) < 4)
    @rule(target=assessments, authority=NAMES)
    def create(self, authority: str) -> str:
        made = self.store.create(authority=authority)
        self.model[made.id] = Model(authority=authority)
        return made.id

    @rule(
        assessment_id=assessments,
        question_id=st.sampled_from(QUESTIONS),
        seed=st.integers(0, 2**16),
        note=NOTES,
    )
    def answer(self, assessment_id: str, question_id: str, seed: int, note: str) -> None:
        if assessment_id not in self.model:
            return
        self.flush(assessment_id)
        new = _answer(question_id, seed, note)
        self.session(assessment_id).save(question_id, new)
        self.saved(assessment_id, question_id, new)

    @rule(assessment_id=assessments, note=NOTES)
    def edit_evidence(self, assessment_id: str, note: str) -> None:
        model = self.model.get(assessment_id)
        if model is None or not model.answers:
            return
        self.flush(assessment_id)
        question_id = sorted(model.answers)[len(note) % len(model.answers)]
        old = model.answers[question_id]
        new = Answer(old.value, old.na_reason, note)
        self.session(assessment_id).save(question_id, new)
        self.saved(assessment_id, question_id, new)

    @rule(assessment_id=assessments, question_id=st.sampled_from(QUESTIONS))
    def clear(self, assessment_id: str, question_id: str) -> None:
        if assessment_id not in self.model:
            return
        self.flush(assessment_id)
        self.session(assessment_id).save(question_id, None)
        self.saved(assessment_id, question_id, None)

    @rule(
        assessment_id=assessments,
        question_id=st.sampled_from(QUESTIONS),
        seed=st.integers(0, 2**16),
        note=NOTES,
    )
    def type_without_moving_on(
        self, assessment_id: str, question_id: str, seed: int, note: str
    ) -> None:
        """Text typed but not yet saved: the session stages it."""
        if assessment_id not in self.model:
            return
        new = _answer(question_id, seed, note)
        self.session(assessment_id).stage(question_id, new)
        self.staged.setdefault(assessment_id, {})[question_id] = new

    @rule(assessment_id=assessments)
    def move_on(self, assessment_id: str) -> None:
        if assessment_id in self.model:
            self.flush(assessment_id)

    @rule(assessment_id=assessments, complete=st.booleans())
    def set_status(self, assessment_id: str, complete: bool) -> None:
        model = self.model.get(assessment_id)
        if model is None:
            return
        status = "complete" if complete else "draft"
        self.store.set_status(assessment_id, status)
        if status != model.status:
            model.status = status
            model.revision += 1
            model.history += 1

    @rule(assessment_id=assessments, service=NAMES, assessor=NAMES)
    def rename(self, assessment_id: str, service: str, assessor: str) -> None:
        model = self.model.get(assessment_id)
        if model is None:
            return
        self.store.rename(assessment_id, service=service, assessor=assessor)
        if (model.service, model.assessor) != (service, assessor):
            # Each name that changes is a change in the history.
            model.history += (model.service != service) + (model.assessor != assessor)
            model.service, model.assessor = service, assessor
            model.revision += 1

    @rule()
    def reopen_the_app(self) -> None:
        """Quit (staged text is saved first, as the app does) and start again."""
        self.flush_all()
        self.store = Store.open(self.root)
        self.sessions.clear()

    @precondition(lambda self: len(self.model) < 4)
    @rule(target=assessments, source=assessments, authority=NAMES)
    def duplicate(self, source: str, authority: str) -> str:
        model = self.model.get(source)
        if model is None:
            return multiple()  # type: ignore[return-value]
        self.flush(source)
        copy = self.store.duplicate(source, authority=authority)
        self.model[copy.id] = Model(
            authority=authority,
            service=model.service,
            assessor=model.assessor,
            answers=dict(model.answers),
        )
        return copy.id

    @rule(assessment_id=assessments)
    def delete(self, assessment_id: str) -> None:
        if assessment_id not in self.model or len(self.model) == 1:
            return
        self.flush(assessment_id)
        self.sessions.pop(assessment_id, None)
        self.store.delete(assessment_id)
        self.deleted[assessment_id] = self.model.pop(assessment_id)

    @precondition(lambda self: bool(self.deleted))
    @rule(target=assessments)
    def restore(self) -> str:
        assessment_id = sorted(self.deleted)[0]
        self.store.restore(assessment_id)
        self.model[assessment_id] = self.deleted.pop(assessment_id)
        return assessment_id

    @rule()
    def export_and_import_elsewhere(self) -> None:
        self.flush_all()
        bundle = json.loads(json.dumps(self.store.export_bundle()))
        other = Store.open(self.tmp / f"other-{len(list(self.tmp.iterdir()))}")
        result = other.import_bundle(bundle)
        assert sorted(i for i, _ in result.added) == sorted(self.model)
        self.check(other)
        again = self.store.import_bundle(bundle)  # into the store it came from
        assert not again.added and sorted(i for i, _ in again.unchanged) == sorted(self.model)

    # -- the invariant -------------------------------------------------------

    def check(self, store: Store) -> None:
        listed = {s.id: s for s in store.list()}
        assert sorted(listed) == sorted(self.model)
        for assessment_id, model in self.model.items():
            got = store.get(assessment_id)
            assert dict(got.answers) == model.answers, assessment_id
            assert (got.authority, got.service, got.assessor, got.status) == (
                model.authority,
                model.service,
                model.assessor,
                model.status,
            )
            assert got.revision == model.revision
            assert len(got.history) == model.history
            assert listed[assessment_id] == got.summary()
        assert store.take_warnings() == []

    @invariant()
    def the_disk_holds_the_model(self) -> None:
        self.check(Store.open(self.root))


TestStoreModel = StoreMachine.TestCase
TestStoreModel.settings = settings(
    max_examples=max(10, settings.default.max_examples // 4),
    stateful_step_count=30,
)
