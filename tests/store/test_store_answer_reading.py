"""Reading a file the quick way accepts exactly what the full checks accept.

`records.stored_answer` reads the answers in the form the store writes them
without the full `check_answer_data`, which is most of the cost of reading a
file. It must never let through what the full check refuses, and must give
the same Answer for what it accepts; whatever it does not vouch for goes to
the full check (the file is read, or refused as damaged, as before). The
same holds for the change that set each value (`checks.plain_change`
against `check_change`) and for each history entry
(`checks.plain_history_entry` against `check_history_entry`).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.domain.answers import MAX_TEXT, Answer, AnswerProblem
from assess.domain.bank import Bank, Question
from assess.store.checks import check_answer_data
from assess.store.records import stored_answer


class _Refused(Exception):
    pass


def _refuse(place: str, message: str) -> None:
    raise _Refused(f"{place}: {message}")


def _full(bank: Bank, qid: object, raw: object) -> Answer | None:
    try:
        return check_answer_data(bank, qid, raw, "the answer", _refuse)
    except (_Refused, AnswerProblem):
        return None


notes = st.one_of(
    st.sampled_from(["", " ", "Minutes of cabinet, 12 March.", "£2m", "‘quoted’", "x" * MAX_TEXT]),
    st.just("x" * (MAX_TEXT + 1)),
    st.text(max_size=30),  # any character: controls, surrogates, bidi marks, line breaks
    st.none(),
    st.integers(),
)
values = st.one_of(
    st.integers(min_value=-2, max_value=6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.text(max_size=12), max_size=5),
    st.lists(st.integers(), max_size=3),
)


def _usual_value(question: Question) -> st.SearchStrategy[object]:
    """A value of the kind the question takes (which may still not fit it)."""
    options = list(question.option_ids)
    if question.type == "maturity":
        return st.integers(min_value=-1, max_value=5)
    if question.type in ("multi", "ranking"):
        return st.lists(st.sampled_from(options), max_size=len(options) + 1)
    if options:
        return st.sampled_from([*options, options[0].upper()])
    return values


@st.composite
def stored(draw: st.DrawFn, bank: Bank) -> tuple[object, object]:
    """A question id and stored data, mostly near the usual form, sometimes far from it."""
    question = draw(st.sampled_from(bank.questions))
    near = draw(st.integers(0, 3)) > 0
    raw: dict[str, Any] = {"value": draw(_usual_value(question) if near else values)}
    if draw(st.booleans()):
        raw["evidence"] = draw(st.text(min_size=1, max_size=30) if near else notes)
    if draw(st.integers(0, 5)) == 0:
        key = draw(st.sampled_from(["na", "level", "other"]))
        raw[key] = draw(st.one_of(st.text(max_size=8), st.integers(0, 4)))
    if draw(st.integers(0, 9)) == 0:
        raw.pop("value")
    qid: object = question.id
    if draw(st.integers(0, 9)) == 0:
        qid = draw(st.sampled_from([question.id.lower(), "NO-SUCH", 3]))
    if draw(st.integers(0, 19)) == 0:
        return qid, draw(st.sampled_from([[raw], "text", None]))
    return qid, raw


@pytest.mark.parametrize("which", ["shipped", "v1"])
def test_the_quick_reading_accepts_only_what_the_full_check_accepts(
    which: str, bank: Bank, v1_bank: Bank
) -> None:
    chosen = bank if which == "shipped" else v1_bank

    @settings(max_examples=500)
    @given(stored(chosen))
    def check(case: tuple[object, object]) -> None:
        qid, raw = case
        quick = stored_answer(chosen, qid, raw, Answer, MAX_TEXT)
        if quick is not None:
            assert quick == _full(chosen, qid, raw)
            assert type(quick.value) is type(_full(chosen, qid, raw).value)  # type: ignore[union-attr]

    check()


def test_the_usual_answers_are_read_the_quick_way(bank: Bank) -> None:
    for question in bank.questions:
        if question.type in ("number", "text"):
            continue
        value: object = 2 if question.type == "maturity" else question.option_ids[0]
        if question.type in ("multi", "ranking"):
            value = list(question.option_ids[:2])
        for raw in ({"value": value}, {"value": value, "evidence": "Board minutes, 3 May."}):
            quick = stored_answer(bank, question.id, raw, Answer, MAX_TEXT)
            assert quick is not None and quick == _full(bank, question.id, raw)


@pytest.mark.parametrize(
    "raw",
    [
        {"value": 2, "evidence": "line one\nline two"},  # several lines: checked in full
        {"value": 2, "evidence": "bell \x07"},  # a control character: refused in full
        {"value": 2, "evidence": "\ud800"},  # a lone surrogate
        {"value": 2, "evidence": ""},  # not the usual form
        {"value": True},  # a bool is not a level
        {"value": 5},
        {"na": "Not our service"},
    ],
)
def test_anything_else_goes_to_the_full_check(bank: Bank, raw: dict[str, object]) -> None:
    criterion = next(q for q in bank.questions if q.type == "maturity")
    assert stored_answer(bank, criterion.id, raw, Answer, MAX_TEXT) is None


changes = st.fixed_dictionaries(
    {
        "revision": st.one_of(
            st.integers(min_value=-3, max_value=12), st.booleans(), st.floats(), st.none()
        ),
        "at": st.one_of(
            st.sampled_from(
                [
                    "2026-12-01T09:30:00.000Z",
                    "2026-12-01T09:30:00Z",
                    "2026-13-01T09:30:00.000Z",
                    "2026-12-01T09:30:00.000Z\n",
                    "",
                ]
            ),
            st.text(max_size=26),
            st.integers(),
        ),
        "who": st.one_of(
            st.sampled_from(["", "Pat", " Pat", "Pat ", "A. Officer-Smythe", "\x1b[2J", "\u202e"]),
            st.text(max_size=12),
            st.none(),
            st.lists(st.text(max_size=3), max_size=2),
        ),
    }
)


@settings(max_examples=600, deadline=None)
@given(change=changes, revision=st.integers(min_value=0, max_value=10))
def test_a_change_told_good_quickly_is_one_the_full_check_accepts(
    change: dict[str, Any], revision: int
) -> None:
    from assess.store.checks import check_change, plain_change

    told_good = plain_change(change, revision)
    try:
        check_change(change, "the change", _refuse, revision)
        accepted = True
    except _Refused:
        accepted = False
    if told_good:
        assert accepted, change
    if accepted:  # the full check has now seen its name: the quick one knows it too
        assert plain_change(change, revision), change


_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 12),
    st.floats(),
    st.sampled_from(["", "Pat", "plan", "detail", "stage", "2026-12-01T09:30:00Z", "\x1b[2J"]),
    st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
    st.fixed_dictionaries({"value": st.integers(0, 4)}),
)
_USUAL_ENTRY = {
    "at": "2026-12-01T09:30:00.000Z",
    "who": "Pat",
    "question_id": "R-LEAD-OWNERSHIP",
    "before": None,
    "after": {"value": 3},
    "revision": 1,
}
_EDIT = st.one_of(
    st.tuples(st.just("set"), st.sampled_from([*_USUAL_ENTRY, "kind", "field"]), _ANY),
    st.tuples(st.just("drop"), st.sampled_from(list(_USUAL_ENTRY)), st.none()),
)


def _edited(kind: str | None, edits: list[tuple[str, str, object]]) -> dict[str, object]:
    entry: dict[str, object] = dict(_USUAL_ENTRY)
    if kind is not None:
        entry["kind"] = kind
    for action, key, value in edits:
        if action == "set":
            entry[key] = value
        else:
            entry.pop(key, None)
    return entry


# The usual entry with a few fields changed, dropped or added: near the edge of
# what the checks accept, where a quick check that says too much would show.
history_entries = st.builds(
    _edited, st.sampled_from([None, "plan"]), st.lists(_EDIT, min_size=0, max_size=2)
)


@settings(max_examples=600, deadline=None)
@given(
    entry=st.one_of(history_entries, st.none(), st.lists(st.integers())),
    revision=st.integers(0, 10),
)
def test_a_history_entry_told_good_quickly_is_one_the_full_check_accepts(
    bank: Bank, entry: object, revision: int
) -> None:
    from assess.store.checks import check_history_entry, plain_history_entry

    try:
        check_history_entry(bank, entry, "the entry", _refuse, revision, deep=False)
        accepted = True
    except _Refused:
        accepted = False
    if plain_history_entry(entry, revision):
        assert accepted, entry


def test_every_history_entry_the_store_writes_is_told_good_quickly(bank: Bank, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assess.store import Store
    from assess.store.checks import plain_history_entry

    store = Store.open(tmp_path / "store")
    made = store.create(authority="Kent", answers={"R-LEAD-OWNERSHIP": Answer(3, None, "a")})
    store.save_answer(made.id, "R-LEAD-OWNERSHIP", Answer(4, None, "b"), who="Pat")
    store.save_answer(made.id, "R-LEAD-OWNERSHIP", None)
    store.save_plan(made.id, {"R-LEAD-OWNERSHIP": {"owner": "Chief Executive"}})
    history = store.export_bundle([made.id])["assessments"][0]["history"]
    kinds = {entry.get("kind", "answer") for entry in history}
    assert {"answer", "plan"} <= kinds
    revision = store.get(made.id).revision
    assert all(
        plain_history_entry(entry, revision) for entry in history if entry.get("kind") != "detail"
    )
