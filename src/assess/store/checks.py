"""Checks on the assessment data that comes into the store, each problem named.

Three kinds of data come in:

- answers an officer saves (`check_answers`): every value is checked against
  the assessment's bank, and one bad value stops the whole save;
- assessment files the store wrote itself, perhaps damaged since: the first
  problem stops the read;
- bundles from elsewhere, untrusted: every problem is collected and shown.

The file and bundle checks call `report(place, message)` for each problem
they find. Listing a store uses the metadata checks only, so the answer
checks import `assess.domain.answers` (and with it the bank models) when
they first run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeGuard

from assess.domain.assessment import STATUSES
from assess.domain.errors import AnswersError, BadInput
from assess.domain.names import check_name
from assess.store.errors import UnknownQuestion
from assess.store.ids import ID_PATTERN

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank

HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")
TIME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")
EXTRA_FIELDS = {"copied_from"}
RECORD_FIELDS = {
    "id",
    "authority",
    "service",
    "assessor",
    "created",
    "updated",
    "status",
    "bank",
    "revision",
    "answers",
    "changes",
    "history",
    "extra",
}
Report = Callable[[str, str], None]


def is_int(value: object) -> TypeGuard[int]:
    """A whole number, and not a bool (which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_answers(bank: Bank, answers: Mapping[str, object]) -> dict[str, Answer | None]:
    """Answers an officer is saving (None clears one), checked against the assessment's bank.

    A question the bank does not have stops everything (`UnknownQuestion`);
    otherwise every bad value is listed in one `AnswersError`. Either way
    nothing is saved.
    """
    from assess.domain.answers import Answer, AnswerProblem, check_answer

    checked: dict[str, Answer | None] = {}
    problems: list[str] = []
    for qid, answer in answers.items():
        question = bank.question(qid) if isinstance(qid, str) else None
        if question is None:
            raise UnknownQuestion(
                f"question {qid!r} is not in bank {bank.id} {bank.version}, "
                "which this assessment uses; nothing was saved"
            )
        if answer is None:
            checked[qid] = None
            continue
        # An Answer is re-checked from its data: check_answer trusts Answer objects.
        raw = answer.to_data() if isinstance(answer, Answer) else answer
        try:
            checked[qid] = check_answer(question, raw)
        except AnswerProblem as exc:
            problems.append(f"{qid}: {exc}")
    if problems:
        count = len(problems)
        raise AnswersError(
            f"{count} bad value{'s' if count > 1 else ''}; nothing was saved", problems
        )
    return checked


def check_name_field(value: object, what: str, place: str, report: Report, required: bool) -> None:
    try:
        checked = check_name(value, what, required=required)
    except BadInput as exc:
        report(place, exc.message)
        return
    if checked != value:
        report(place, f"the {what} has spaces around it")


def check_time(value: object, place: str, report: Report) -> None:
    if not isinstance(value, str) or not TIME_PATTERN.match(value):
        report(place, "is not a date and time such as 2025-04-01T09:30:00.000Z")


def check_answer_data(
    bank: Bank, qid: object, raw: object, place: str, report: Report
) -> Answer | None:
    """The Answer for stored data, reporting a value that does not fit (or is not normalised)."""
    from assess.domain.answers import AnswerProblem, check_answer

    if not isinstance(qid, str) or bank.question(qid) is None:
        report(place, f"names question {qid!r}, which bank {bank.id} {bank.version} does not have")
        return None
    question = bank.question(qid)
    assert question is not None
    if not isinstance(raw, dict):
        report(place, "is not a stored answer (a mapping with value, na and evidence)")
        return None
    try:
        answer = check_answer(question, raw)
    except AnswerProblem as exc:
        report(place, f"question {qid} {exc}")
        return None
    if answer.to_data() != raw:
        report(place, f"question {qid}: the stored answer is not in its usual form")
        return None
    return answer


def check_change(data: object, place: str, report: Report, revision: int) -> None:
    if not isinstance(data, dict):
        report(place, "is not a mapping")
        return
    rev = data.get("revision")
    if not is_int(rev) or not 0 <= rev <= revision:
        report(f"{place}.revision", f"must be a whole number from 0 to {revision}")
    check_time(data.get("at"), f"{place}.at", report)
    check_name_field(data.get("who"), "officer's name", f"{place}.who", report, required=False)


def check_meta_fields(
    data: Mapping[str, object], place: str, report: Report, expected_id: str | None
) -> None:
    """The fields shared by a file's metadata and a bundle record."""
    ident = data.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        report(f"{place}.id", "is not an assessment id (8 lowercase hexadecimal characters)")
    elif expected_id is not None and ident != expected_id:
        report(f"{place}.id", f"says {ident}, but the file is named for {expected_id}")
    check_name_field(data.get("authority"), "authority", f"{place}.authority", report, True)
    check_name_field(data.get("service"), "service", f"{place}.service", report, False)
    check_name_field(data.get("assessor"), "assessor", f"{place}.assessor", report, False)
    check_time(data.get("created"), f"{place}.created", report)
    check_time(data.get("updated"), f"{place}.updated", report)
    if data.get("status") not in STATUSES:
        report(f"{place}.status", f"must be one of {', '.join(STATUSES)}")
    revision = data.get("revision")
    if not is_int(revision) or revision < 0:
        report(f"{place}.revision", "must be a whole number, 0 or more")
    ref = data.get("bank")
    if (
        not isinstance(ref, dict)
        or set(ref) != {"id", "version", "hash"}
        or not all(isinstance(v, str) for v in ref.values())
        or not HASH_PATTERN.match(ref["hash"])
    ):
        report(f"{place}.bank", "must give the bank's id, version and content hash")
    extra = data.get("extra", {})
    if not isinstance(extra, dict) or set(extra) - EXTRA_FIELDS:
        report(f"{place}.extra", f"may only hold {', '.join(sorted(EXTRA_FIELDS))}")
    elif "copied_from" in extra and not (
        isinstance(extra["copied_from"], str) and ID_PATTERN.match(extra["copied_from"])
    ):
        report(f"{place}.extra.copied_from", "is not an assessment id")


def check_history_entry(
    bank: Bank, entry: object, place: str, report: Report, revision: int, *, deep: bool
) -> None:
    if not isinstance(entry, dict) or set(entry) != {
        "at",
        "who",
        "question_id",
        "before",
        "after",
        "revision",
    }:
        report(place, "must have exactly at, who, question_id, before, after and revision")
        return
    check_time(entry["at"], f"{place}.at", report)
    if not isinstance(entry["who"], str):
        report(f"{place}.who", "must be text")
    elif deep:
        check_name_field(entry["who"], "officer's name", f"{place}.who", report, False)
    rev = entry["revision"]
    if not is_int(rev) or not 0 <= rev <= revision:
        report(f"{place}.revision", f"must be a whole number from 0 to {revision}")
    for side in ("before", "after"):
        value = entry[side]
        if value is None:
            continue
        if not isinstance(value, dict):
            report(f"{place}.{side}", "must be a stored answer or null")
        elif deep:
            check_answer_data(bank, entry["question_id"], value, f"{place}.{side}", report)
    if not isinstance(entry["question_id"], str):
        report(f"{place}.question_id", "must be a question id")
    elif deep and bank.question(entry["question_id"]) is None:
        report(f"{place}.question_id", f"{entry['question_id']!r} is not a question in the bank")


def check_record(raw: object, bank: Bank, place: str, report: Report) -> None:
    """Every check on a bundle record (untrusted data), reporting each problem."""
    if not isinstance(raw, dict):
        report(place, "must be a mapping of the assessment's fields")
        return
    missing = sorted(RECORD_FIELDS - {"extra"} - set(raw))
    unknown = sorted(set(raw) - RECORD_FIELDS)
    if missing:
        report(place, f"is missing {', '.join(missing)}")
        return
    if unknown:
        report(place, f"has fields an assessment does not have: {', '.join(unknown)}")
    check_meta_fields(raw, place, report, None)
    revision = raw["revision"] if is_int(raw["revision"]) else 0
    answers, changes, history = raw["answers"], raw["changes"], raw["history"]
    if not isinstance(answers, dict):
        report(f"{place}.answers", "must map question ids to answers")
        answers = {}
    if not isinstance(changes, dict):
        report(f"{place}.changes", "must map question ids to their last change")
        changes = {}
    if not isinstance(history, list):
        report(f"{place}.history", "must be a list of changes")
        history = []
    for qid, data in answers.items():
        check_answer_data(bank, qid, data, f"{place}.answers.{qid}", report)
        if qid not in changes:
            report(f"{place}.changes", f"has no entry for answered question {qid}")
    for qid, data in changes.items():
        if bank.question(qid) is None:
            report(f"{place}.changes.{qid}", "is not a question in the bank")
        check_change(data, f"{place}.changes.{qid}", report, revision)
    for n, entry in enumerate(history):
        check_history_entry(bank, entry, f"{place}.history[{n}]", report, revision, deep=True)
