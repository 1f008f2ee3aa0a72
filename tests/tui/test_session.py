"""The editing session on its own (no Textual): saving with base revisions, staged text,
where a resumed assessment opens, follow-up questions, and someone else's change."""

from __future__ import annotations

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import StaleSave, Store
from assess.tui.session import Session


@pytest.fixture
def store(db) -> Store:
    return Store.open(db)


def test_each_save_sends_the_revision_it_was_read_at(store: Store) -> None:
    made = store.create(authority="Revisions")
    session = Session(store, store.get(made.id), who="ann")
    first = session.assessment.revision
    session.save("R-LEAD-OWNERSHIP", Answer(2))
    assert session.assessment.revision == first + 1
    session.save("R-LEAD-REALISM", Answer(3))
    assert session.assessment.revision == first + 2
    stored = store.get(made.id)
    assert stored.answers["R-LEAD-OWNERSHIP"] == Answer(2)
    assert stored.answers["R-LEAD-REALISM"] == Answer(3)
    assert [h.who for h in stored.history][-2:] == ["ann", "ann"]


def test_staged_text_is_shown_but_saved_only_on_flush(store: Store) -> None:
    made = store.create(authority="Staged", answers={"R-LEAD-OWNERSHIP": Answer(2)})
    session = Session(store, store.get(made.id), who="")
    session.stage("R-LEAD-OWNERSHIP", Answer(2, None, "Cabinet paper"))
    assert session.has_staged
    assert session.answer("R-LEAD-OWNERSHIP") == Answer(2, None, "Cabinet paper")
    assert store.get(made.id).answers["R-LEAD-OWNERSHIP"].evidence == ""
    session.flush()
    assert not session.has_staged
    assert store.get(made.id).answers["R-LEAD-OWNERSHIP"].evidence == "Cabinet paper"


def test_a_failed_flush_keeps_the_text_staged(store: Store) -> None:
    made = store.create(authority="Kept")
    session = Session(store, store.get(made.id), who="")
    session.stage("R-LEAD-OWNERSHIP", Answer(1, None, "Typed"))
    other = Store.open(store.root)
    other.save_answer(made.id, "R-LEAD-OWNERSHIP", Answer(4), who="bob")
    with pytest.raises(StaleSave) as caught:
        session.flush()
    assert caught.value.question_id == "R-LEAD-OWNERSHIP" and caught.value.who == "bob"
    # Nothing typed is dropped because the save was refused.
    assert session.staged["R-LEAD-OWNERSHIP"] == Answer(1, None, "Typed")
    assert store.get(made.id).answers["R-LEAD-OWNERSHIP"] == Answer(4)


def test_unstage_forgets_invalid_text_and_the_stored_answer_stands(store: Store) -> None:
    made = store.create(authority="Unstage", answers={"R-MKT-RESEARCH-COUNT": Answer(6)})
    session = Session(store, store.get(made.id), who="")
    session.stage("R-MKT-RESEARCH-COUNT", Answer(7))
    session.unstage("R-MKT-RESEARCH-COUNT")
    assert session.answer("R-MKT-RESEARCH-COUNT") == Answer(6)
    session.flush()
    assert store.get(made.id).answers["R-MKT-RESEARCH-COUNT"] == Answer(6)


def test_resume_lands_on_the_first_unanswered_shown_question(store: Store, bank: Bank) -> None:
    shown = [q for q in bank.questions if not q.show_if]
    answers = {q.id: None for q in shown[:5]}
    made = store.create(authority="Resume")
    session = Session(store, store.get(made.id), who="")
    assert session.first_unanswered() == shown[0]
    for question_id in answers:
        question = bank.question(question_id)
        value = question.option_ids[0] if question.option_ids else 1
        if question.type == "multi" or question.type == "ranking":
            value = (question.option_ids[0],)
        session.save(question_id, Answer(value))
    resumed = Session(store, store.get(made.id), who="")
    first = resumed.first_unanswered()
    assert first is not None and first.id not in answers
    assert first == next(q for q in resumed.visible_questions() if q.id not in answers)


def test_follow_up_questions_follow_the_answers(store: Store) -> None:
    made = store.create(authority="Conditional")
    session = Session(store, store.get(made.id), who="")
    assert not session.is_visible("S-SERVICES")
    partnering = next(s for s in session.sections() if s.id == "partnering")
    before = session.section_progress(partnering)
    session.save("S-EXPLORE", Answer("yes"))
    assert session.is_visible("S-SERVICES")
    assert session.section_progress(partnering) == (before[0], before[1] + 1)
    # A staged answer counts too (the officer sees it at once), and so does taking it back.
    session.stage("S-SERVICES", Answer(("other",)))
    assert session.is_visible("S-SERVICES-OTHER")
    session.unstage("S-SERVICES")
    assert not session.is_visible("S-SERVICES-OTHER")
    session.save("S-EXPLORE", Answer("no"))
    assert not session.is_visible("S-SERVICES")
    assert session.section_progress(partnering) == before


def test_someone_elses_change_to_another_question_merges(store: Store) -> None:
    made = store.create(authority="Merge")
    session = Session(store, store.get(made.id), who="ann")
    Store.open(store.root).save_answer(made.id, "R-LEAD-REALISM", Answer(1), who="bob")
    session.save("R-LEAD-OWNERSHIP", Answer(3))  # not the same question: no conflict
    stored = store.get(made.id)
    assert stored.answers["R-LEAD-REALISM"] == Answer(1)
    assert stored.answers["R-LEAD-OWNERSHIP"] == Answer(3)
    assert session.assessment.answers["R-LEAD-REALISM"] == Answer(1)


def test_reload_and_overwrite_after_a_conflict(store: Store) -> None:
    made = store.create(authority="Conflict")
    session = Session(store, store.get(made.id), who="ann")
    Store.open(store.root).save_answer(made.id, "R-LEAD-OWNERSHIP", Answer(1), who="bob")
    with pytest.raises(StaleSave):
        session.save("R-LEAD-OWNERSHIP", Answer(4))
    # Keep mine: saved over theirs, knowingly.
    session.overwrite("R-LEAD-OWNERSHIP", Answer(4))
    assert store.get(made.id).answers["R-LEAD-OWNERSHIP"] == Answer(4)
    # Another clash, and this time reload theirs: staged text is dropped.
    Store.open(store.root).save_answer(made.id, "R-LEAD-OWNERSHIP", Answer(0), who="bob")
    session.stage("R-LEAD-REALISM", Answer(2, None, "mine"))
    session.reload()
    assert not session.has_staged
    assert session.answer("R-LEAD-OWNERSHIP") == Answer(0)
    assert session.answer("R-LEAD-REALISM") is None


def test_clearing_an_answer_saves_none(store: Store) -> None:
    made = store.create(authority="Clear", answers={"R-LEAD-OWNERSHIP": Answer(3)})
    session = Session(store, store.get(made.id), who="")
    session.save("R-LEAD-OWNERSHIP", None)
    assert "R-LEAD-OWNERSHIP" not in store.get(made.id).answers
    assert session.answer("R-LEAD-OWNERSHIP") is None
