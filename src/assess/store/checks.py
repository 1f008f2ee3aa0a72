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

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeGuard

from assess.domain.assessment import STATUSES
from assess.domain.confidence import CONFIDENCE_RATINGS
from assess.domain.errors import AnswersError, BadInput
from assess.domain.names import check_name
from assess.store.clock import TIME_PATTERN
from assess.store.errors import UnknownQuestion
from assess.store.ids import ID_PATTERN

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank
    from assess.domain.plan import PlanEntry

HASH_PATTERN = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EXTRA_FIELDS = {"copied_from"}
# A record of bundle format 2 adds these; one of format 1 lacks them all.
RECORD_V2_FIELDS = {
    "stage",
    "period",
    "authority_type",
    "region",
    "signoff",
    "confidence",
    "confidence_reason",
    "plan",
    "plan_changes",
}
HISTORY_FIELDS = {"at", "who", "question_id", "before", "after", "revision"}
DETAIL_FIELDS = {
    "authority",
    "service",
    "assessor",
    "status",
    "stage",
    "period",
    "authority_type",
    "region",
    "signoff",
    "reopened",
    "confidence",
    "confidence_reason",
}
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
    *RECORD_V2_FIELDS,
}
Report = Callable[[str, str], None]
# check_value(kind, question id, stored value, place): an answer or a plan entry ("plan").
ValueCheck = Callable[[str, object, object, str], None]


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def key_text(key: object) -> str:
    """A key or id from a file, for a message: as it is if plain, else quoted (repr-style).

    Keys come from files an officer was sent; one holding an escape sequence
    must be shown, never acted on by the terminal.
    """
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return key
    shown = ascii(key)  # repr-style, with every non-ASCII character escaped
    return shown if len(shown) <= 60 else shown[:57] + "..."


def keys_text(keys: Iterable[object]) -> str:
    return ", ".join(key_text(key) for key in keys)


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
            problems.append(f"{key_text(qid)}: {exc}")
    if problems:
        count = len(problems)
        raise AnswersError(
            f"{count} bad value{'s' if count > 1 else ''}; nothing was saved", problems
        )
    return checked


def check_plan_changes(
    bank: Bank, current: Mapping[str, PlanEntry], changes: Mapping[str, object]
) -> dict[str, PlanEntry | None]:
    """Plan changes an officer is saving (None removes an entry), merged over `current`.

    Every bad value is listed in one `AnswersError`, and nothing is saved.
    """
    from assess.domain.plan import PlanProblem, check_entry

    checked: dict[str, PlanEntry | None] = {}
    problems: list[str] = []
    for qid, raw in changes.items():
        question = bank.question(qid) if isinstance(qid, str) else None
        if question is None:
            raise UnknownQuestion(
                f"question {qid!r} is not in bank {bank.id} {bank.version}, "
                "which this assessment uses; nothing was saved"
            )
        if raw is None:
            checked[qid] = None
            continue
        try:
            checked[qid] = check_entry(question, raw, current.get(qid))
        except PlanProblem as exc:
            problems.append(f"{key_text(qid)}: {exc}")
    if problems:
        count = len(problems)
        raise AnswersError(
            f"{count} bad plan value{'s' if count > 1 else ''}; nothing was saved", problems
        )
    return checked


# Names found good, by value: a bundle repeats each officer's name in every change it
# records, and a name is good or not whatever field it is in (only the message differs).
_GOOD_NAMES: set[str] = set()
_GOOD_NAMES_KEPT = 4096


def check_name_field(value: object, what: str, place: str, report: Report, required: bool) -> None:
    if isinstance(value, str) and value in _GOOD_NAMES and (value or not required):
        return
    try:
        checked = check_name(value, what, required=required)
    except BadInput as exc:
        report(place, exc.message)
        return
    if checked != value:
        report(place, f"the {what} has spaces around it")
    elif isinstance(value, str):
        if len(_GOOD_NAMES) >= _GOOD_NAMES_KEPT:
            _GOOD_NAMES.clear()
        _GOOD_NAMES.add(value)


def check_time(value: object, place: str, report: Report) -> None:
    if not isinstance(value, str) or not TIME_PATTERN.fullmatch(value):
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
        report(place, f"question {key_text(qid)} {exc}")
        return None
    if answer.to_data() != raw:
        report(place, f"question {key_text(qid)}: the stored answer is not in its usual form")
        return None
    return answer


def check_plan_data(
    bank: Bank, qid: object, raw: object, place: str, report: Report
) -> PlanEntry | None:
    """The PlanEntry for stored data, reporting one that does not fit (or is not normalised)."""
    from assess.domain.plan import PlanProblem, check_entry

    question = bank.question(qid) if isinstance(qid, str) else None
    if question is None:
        report(place, f"names question {qid!r}, which bank {bank.id} {bank.version} does not have")
        return None
    if not isinstance(raw, dict):
        report(place, "is not a stored plan entry (a mapping of action, owner, due, status...)")
        return None
    try:
        entry = check_entry(question, raw)
    except PlanProblem as exc:
        report(place, f"question {question.id}: {exc}")
        return None
    if entry.to_data() != raw:
        report(place, f"question {question.id}: the stored plan entry is not in its usual form")
        return None
    return entry


def check_details(data: Mapping[str, object], place: str, report: Report) -> None:
    """The details of format 2: stage, period, authority type, region, sign-off, rating."""
    from assess.domain.authority import AuthorityProblem, check_authority_type, check_region
    from assess.domain.period import PeriodProblem, check_period
    from assess.domain.signoff import SignOffProblem, signoff_from_data

    stage = data.get("stage", 0)
    if not is_int(stage) or not 0 <= stage <= 5:
        report(f"{place}.stage", "must be a stage, a whole number from 0 to 5")
    for name, check in (
        ("period", check_period),
        ("authority_type", check_authority_type),
        ("region", check_region),
    ):
        value = data.get(name, "")
        try:
            if check(value) != value:
                report(f"{place}.{name}", "is not in its usual form")
        except (PeriodProblem, AuthorityProblem) as exc:
            report(f"{place}.{name}", str(exc))
    signoff = data.get("signoff")
    if signoff is not None:
        try:
            if signoff_from_data(signoff).to_data() != signoff:
                report(f"{place}.signoff", "is not in its usual form")
        except (SignOffProblem, BadInput) as exc:
            report(f"{place}.signoff", str(exc))
    confidence = data.get("confidence", "")
    if confidence not in ("", *CONFIDENCE_RATINGS):
        report(f"{place}.confidence", f"must be one of {', '.join(CONFIDENCE_RATINGS)}")
    reason = data.get("confidence_reason", "")
    if not isinstance(reason, str) or _CONTROL.search(reason) or len(reason) > 2_000:
        report(f"{place}.confidence_reason", "must be plain text of at most 2,000 characters")


def plain_change(data: dict[str, Any], revision: int) -> bool:
    """Whether `check_change` accepts this change, told quickly for the usual one.

    True only for a change it accepts: a whole-number revision in range, a
    time in the store's form and an officer's name already found good. False
    means only "not known here": ask `check_change`, which says what is wrong.
    A file holds one change per answer and plan entry, and a comparison of
    hundreds reads tens of thousands of them.
    """
    rev, at, who = data.get("revision"), data.get("at"), data.get("who")
    return (
        type(rev) is int
        and 0 <= rev <= revision
        and type(at) is str
        and TIME_PATTERN.fullmatch(at) is not None
        and type(who) is str
        and who in _GOOD_NAMES
    )


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
    if not isinstance(ident, str) or not ID_PATTERN.fullmatch(ident):
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
        or not HASH_PATTERN.fullmatch(ref["hash"])
    ):
        report(f"{place}.bank", "must give the bank's id, version and content hash")
    extra = data.get("extra", {})
    if not isinstance(extra, dict) or set(extra) - EXTRA_FIELDS:
        report(f"{place}.extra", f"may only hold {', '.join(sorted(EXTRA_FIELDS))}")
    elif "copied_from" in extra and not (
        isinstance(extra["copied_from"], str) and ID_PATTERN.fullmatch(extra["copied_from"])
    ):
        report(f"{place}.extra.copied_from", "is not an assessment id")
    check_details(data, place, report)


_PLAN_HISTORY_FIELDS = frozenset(HISTORY_FIELDS | {"kind"})


def plain_history_entry(entry: object, revision: int) -> bool:
    """Whether `check_history_entry` (not `deep`) accepts this entry, told quickly.

    True only for an entry it accepts: a change to an answer or a plan entry
    with its fields exactly, a whole-number revision in range, a time in the
    store's form, a name and a question id that are text, and each side a
    stored value or null. False means only "not known here" (a change to a
    detail always is): ask `check_history_entry`, which says what is wrong.
    Every read of an assessment checks its whole history, thousands of
    entries for one edited for years.
    """
    if type(entry) is not dict:
        return False
    keys = entry.keys()
    if keys != HISTORY_FIELDS and not (keys == _PLAN_HISTORY_FIELDS and entry["kind"] == "plan"):
        return False
    rev, at, before, after = entry["revision"], entry["at"], entry["before"], entry["after"]
    return (
        type(rev) is int
        and 0 <= rev <= revision
        and type(at) is str
        and TIME_PATTERN.fullmatch(at) is not None
        and type(entry["who"]) is str
        and type(entry["question_id"]) is str
        and (before is None or type(before) is dict)
        and (after is None or type(after) is dict)
    )


def check_history_entry(
    bank: Bank,
    entry: object,
    place: str,
    report: Report,
    revision: int,
    *,
    deep: bool,
    check_value: ValueCheck | None = None,
) -> None:
    """One history entry; `deep` checks its answers and plan entries too (`check_value`)."""
    if not isinstance(entry, dict) or not (
        set(entry) == HISTORY_FIELDS
        or (set(entry) == HISTORY_FIELDS | {"kind"} and entry["kind"] == "plan")
        or (set(entry) == HISTORY_FIELDS | {"kind", "field"} and entry["kind"] == "detail")
    ):
        report(
            place,
            "must have exactly at, who, question_id, before, after and revision "
            "(and a kind, plan or detail, with the field of a detail)",
        )
        return
    kind = entry.get("kind", "answer")
    check_time(entry["at"], f"{place}.at", report)
    if not isinstance(entry["who"], str):
        report(f"{place}.who", "must be text")
    elif deep:
        check_name_field(entry["who"], "officer's name", f"{place}.who", report, False)
    rev = entry["revision"]
    if not is_int(rev) or not 0 <= rev <= revision:
        report(f"{place}.revision", f"must be a whole number from 0 to {revision}")
    if kind == "detail":
        if not isinstance(entry["field"], str) or entry["field"] not in DETAIL_FIELDS:
            report(f"{place}.field", f"must be one of {', '.join(sorted(DETAIL_FIELDS))}")
        if entry["question_id"] != "":
            report(f"{place}.question_id", "must be empty for a change to a detail")
        for side in ("before", "after"):
            value = entry[side]
            if not isinstance(value, str | int | dict) or isinstance(value, bool):
                if value is not None:
                    report(f"{place}.{side}", "must be text, a number, a sign-off or null")
            elif isinstance(value, str) and (_CONTROL.search(value) or len(value) > 2_000):
                report(f"{place}.{side}", "must be plain text of at most 2,000 characters")
        return
    for side in ("before", "after"):
        value = entry[side]
        if value is None:
            continue
        if not isinstance(value, dict):
            report(f"{place}.{side}", f"must be a stored {kind} or null")
        elif deep and check_value is not None:
            check_value(kind, entry["question_id"], value, f"{place}.{side}")
        elif deep and kind == "plan":
            check_plan_data(bank, entry["question_id"], value, f"{place}.{side}", report)
        elif deep:
            check_answer_data(bank, entry["question_id"], value, f"{place}.{side}", report)
    if not isinstance(entry["question_id"], str):
        report(f"{place}.question_id", "must be a question id")
    elif deep and bank.question(entry["question_id"]) is None:
        report(f"{place}.question_id", f"{entry['question_id']!r} is not a question in the bank")


# A history longer than this is not an officer's (one assessment saved every
# minute of every working day for years has fewer); a bundle claiming one is refused.
MAX_HISTORY = 100_000


def _history_fits(
    history: list[object], bank: Bank, revision: int, place: str, report: Report
) -> bool:
    """Whether a bundled history is one that `revision` saves could have made.

    Each save is one revision, and records each question, plan entry and
    detail it changed at most once: so no revision has more entries than the
    bank has questions and criteria plus the details, and the revisions never
    go down. A history of 300,000 copies of one entry is refused here.
    """
    if len(history) > MAX_HISTORY:
        report(place, f"has {len(history):,} entries, more than the {MAX_HISTORY:,} allowed")
        return False
    per_save = len(bank.questions) + len(bank.criteria) + len(DETAIL_FIELDS)
    counts: dict[int, int] = {}
    last = 0
    for n, entry in enumerate(history):
        rev = entry.get("revision") if isinstance(entry, dict) else None
        if not is_int(rev):
            continue  # reported by the entry's own check
        if rev < last:
            report(f"{place}[{n}].revision", "goes back: the history is not in the order made")
            return False
        last = rev
        counts[rev] = counts.get(rev, 0) + 1
        if counts[rev] > per_save:
            report(
                f"{place}[{n}]",
                f"revision {rev} has more entries than one save can make ({per_save}); "
                "the history has been padded or duplicated",
            )
            return False
    return True


class _ValuesOnce:
    """Checks a record's stored answers and plan entries, each value once.

    A history repeats the values of the answers: each change's `after` is the
    next change's `before`, and the last is the answer itself. A value the
    same as one of the last few found good for the same question is good, so
    checking a record checks each value once, not three times. "The same"
    is the same JSON text, not Python's `==`, for which `true`, `1` and
    `1.0` are equal.
    """

    KEPT = 2

    def __init__(self, bank: Bank, report: Report) -> None:
        self.bank = bank
        self.report = report
        self.good: dict[tuple[str, str], list[str]] = {}

    def __call__(self, kind: str, qid: object, value: object, place: str) -> None:
        key = (kind, qid) if isinstance(qid, str) else None
        try:
            text = json.dumps(value, sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError):  # not JSON (a bundle built in memory)
            key = None
            text = ""
        recent = self.good.get(key) if key is not None else None
        if recent is not None and text in recent:
            return
        check = check_plan_data if kind == "plan" else check_answer_data
        if check(self.bank, qid, value, place, self.report) is not None and key is not None:
            recent = self.good.setdefault(key, [])
            recent.append(text)
            del recent[: -self.KEPT]


def check_record(raw: object, bank: Bank, place: str, report: Report) -> None:
    """Every check on a bundle record (untrusted data), reporting each problem."""
    if not isinstance(raw, dict):
        report(place, "must be a mapping of the assessment's fields")
        return
    optional = {"extra"} | RECORD_V2_FIELDS
    missing = sorted(RECORD_FIELDS - optional - set(raw))
    unknown = sorted(set(raw) - RECORD_FIELDS)
    if missing:
        report(place, f"is missing {keys_text(missing)}")
        return
    partial = sorted(RECORD_V2_FIELDS - set(raw))
    if partial and len(partial) != len(RECORD_V2_FIELDS):
        report(place, f"is missing {keys_text(partial)}")
        return
    if unknown:
        report(place, f"has fields an assessment does not have: {keys_text(unknown)}")
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
    elif not _history_fits(history, bank, revision, f"{place}.history", report):
        history = []  # reported; its entries are not worth checking one by one
    values = _ValuesOnce(bank, report)
    for qid, data in answers.items():
        values("answer", qid, data, f"{place}.answers.{key_text(qid)}")
        if qid not in changes:
            report(f"{place}.changes", f"has no entry for answered question {key_text(qid)}")
    for qid, data in changes.items():
        if bank.question(qid) is None:
            report(f"{place}.changes.{key_text(qid)}", "is not a question in the bank")
        check_change(data, f"{place}.changes.{key_text(qid)}", report, revision)
    plan, plan_changes = raw.get("plan", {}), raw.get("plan_changes", {})
    if not isinstance(plan, dict):
        report(f"{place}.plan", "must map criterion ids to plan entries")
        plan = {}
    if not isinstance(plan_changes, dict):
        report(f"{place}.plan_changes", "must map criterion ids to their last change")
        plan_changes = {}
    for qid, data in plan.items():
        values("plan", qid, data, f"{place}.plan.{key_text(qid)}")
        if qid not in plan_changes:
            report(f"{place}.plan_changes", f"has no entry for planned criterion {key_text(qid)}")
    for qid, data in plan_changes.items():
        if bank.question(qid) is None:
            report(f"{place}.plan_changes.{key_text(qid)}", "is not a question in the bank")
        check_change(data, f"{place}.plan_changes.{key_text(qid)}", report, revision)
    for n, entry in enumerate(history):
        where = f"{place}.history[{n}]"
        check_history_entry(bank, entry, where, report, revision, deep=True, check_value=values)
