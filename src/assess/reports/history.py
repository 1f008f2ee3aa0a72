"""An assessment's history in words: who changed what, when, from what to what.

The store keeps every change as a `HistoryEntry` (an answer, a plan entry,
or a detail of the assessment such as its status, stage, sign-off or the
officer's own rating) with its stored form before and after. This module
says each one in plain English, naming questions by their text ("Answer to
“Is there a business case?”: 1 – Planned → 3 – Largely in place"), and lays
the changes out as a Document, newest first, one entry per save (who and
when), for the app's history screen. Text from data stays as typed; the
renderers make it harmless.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assess.domain.answers import AnswerProblem, check_answer
from assess.domain.assessment import Assessment, HistoryEntry
from assess.domain.authority import AUTHORITY_TYPES, REGIONS
from assess.domain.bank import Bank
from assess.domain.plan import FIELDS
from assess.domain.stages import stage as stage_named
from assess.domain.survey import describe_answer
from assess.reports.document import Document, Heading, Item, Items, Paragraph

# How long a quoted note or reason may run in a line of the history.
QUOTE_CHARS = 160

DETAIL_NAMES = {
    "authority": "Authority",
    "service": "Service",
    "assessor": "Assessor",
    "status": "Status",
    "stage": "Stage",
    "period": "Period",
    "authority_type": "Type of authority",
    "region": "Region",
    "confidence": "Officer's own delivery confidence",
    "confidence_reason": "Reason for the officer's rating",
}
PLAN_FIELD_NAMES = {
    "action": "action",
    "owner": "owner",
    "due": "due date",
    "status": "status",
    "reason": "reason for dropping",
    "aim": "level aimed for",
    "note": "note",
}


def quoted(text: Any) -> str:
    """A note, reason or name in quotes, cut to a line or two."""
    flat = " ".join(str(text).split())
    if len(flat) > QUOTE_CHARS:
        flat = flat[: QUOTE_CHARS - 1] + "…"
    return f"“{flat}”"


def question_name(bank: Bank, question_id: str) -> str:
    question = bank.question(question_id)
    return quoted(question.text) if question is not None else "a question the bank no longer asks"


def answer_words(bank: Bank, question_id: str, stored: Any) -> str:
    """A stored answer in words: `3 – Largely in place`, `not applicable (reason)`, `no answer`."""
    if stored is None:
        return "no answer"
    question = bank.question(question_id)
    if question is None or not isinstance(stored, Mapping):
        return "an answer"
    try:
        answer = check_answer(question, dict(stored))
    except AnswerProblem:
        return "an answer that no longer fits the question"
    if answer.is_na:
        return f"not applicable ({quoted(answer.na_reason)})"
    return describe_answer(bank, question, answer) or "an answer"


def describe_answer_change(bank: Bank, entry: HistoryEntry) -> str:
    """`Answer to “…”: 1 – Planned → 3 – Largely in place`, with a note's change."""
    name = question_name(bank, entry.question_id)
    before, after = entry.before, entry.after
    if after is None:
        return f"Answer to {name} cleared (it was {answer_words(bank, entry.question_id, before)})"
    then = answer_words(bank, entry.question_id, before)
    now = answer_words(bank, entry.question_id, after)
    note_then = before.get("evidence", "") if isinstance(before, Mapping) else ""
    note_now = after.get("evidence", "") if isinstance(after, Mapping) else ""
    parts = []
    if before is None:
        parts.append(f"Answer to {name}: {now}")
    elif then != now:
        parts.append(f"Answer to {name}: {then} → {now}")
    else:
        parts.append(f"Answer to {name}: still {now}")
    if note_now != note_then:
        if not note_now:
            parts.append("evidence note removed")
        elif not note_then:
            parts.append(f"evidence noted: {quoted(note_now)}")
        else:
            parts.append(f"evidence note changed to {quoted(note_now)}")
    return "; ".join(parts)


def _plan_value(field: str, value: Any) -> str:
    if value in (None, ""):
        return "none"
    if field in ("action", "note", "reason", "owner"):
        return quoted(value)
    return str(value)


def describe_plan_change(bank: Bank, entry: HistoryEntry) -> str:
    """`Action plan for “…”: owner none → “Jo Bloggs”; status not started → in progress`."""
    name = question_name(bank, entry.question_id)
    before = entry.before if isinstance(entry.before, Mapping) else None
    after = entry.after if isinstance(entry.after, Mapping) else None
    if after is None:
        return f"Action plan entry for {name} removed"
    changes = []
    for field in FIELDS:
        then, now = (before or {}).get(field), after.get(field)
        if then == now or (before is None and now in (None, "")):
            continue
        words = PLAN_FIELD_NAMES[field]
        if before is None:
            changes.append(f"{words} {_plan_value(field, now)}")
        elif field in ("action", "note") and now:
            changes.append(f"{words} changed to {_plan_value(field, now)}")
        else:
            changes.append(f"{words} {_plan_value(field, then)} → {_plan_value(field, now)}")
    if before is None:
        return f"Action plan entry for {name} added: {'; '.join(changes)}"
    if not changes:
        return f"Action plan entry for {name} saved unchanged"
    return f"Action plan for {name}: {'; '.join(changes)}"


def _detail_value(field: str, value: Any) -> str:
    if value in (None, ""):
        return "none"
    if field == "stage" and isinstance(value, int):
        try:
            found = stage_named(value)
        except ValueError:
            return str(value)
        return f"{found.number}, {found.name}"
    if field == "authority_type":
        return AUTHORITY_TYPES.get(str(value), str(value))
    if field == "region":
        return REGIONS.get(str(value), str(value))
    if field in ("authority", "service", "assessor", "confidence_reason"):
        return quoted(value)
    return str(value)


def describe_detail_change(entry: HistoryEntry) -> str:
    """A change to the assessment itself: its status, stage, sign-off, reopening, rating."""
    field, before, after = entry.field, entry.before, entry.after
    if field == "signoff":
        if isinstance(after, Mapping):
            return (
                f"Signed off by {quoted(after.get('name', ''))} "
                f"({after.get('role', '')}) on {after.get('date', '')}; review by "
                f"{after.get('review', '')}. Read-only until reopened"
            )
        if isinstance(before, Mapping):
            name, date = quoted(before.get("name", "")), before.get("date", "")
            return f"Sign-off by {name} of {date} withdrawn"
        return "Sign-off changed"
    if field == "reopened":
        return f"Reopened for changes, because {quoted(after)}"
    name = DETAIL_NAMES.get(field, field.replace("_", " ").capitalize())
    return f"{name}: {_detail_value(field, before)} → {_detail_value(field, after)}"


def describe(bank: Bank, entry: HistoryEntry) -> str:
    """One change in words."""
    if entry.kind == "plan":
        return describe_plan_change(bank, entry)
    if entry.kind == "detail":
        return describe_detail_change(entry)
    return describe_answer_change(bank, entry)


def entries_for(assessment: Assessment, question_id: str | None = None) -> list[HistoryEntry]:
    """The history, newest first: all of it, or the answers and plan of one question."""
    found: Sequence[HistoryEntry] = assessment.history
    if question_id is not None:
        found = [e for e in found if e.kind != "detail" and e.question_id == question_id]
    return list(reversed(found))


def history_document(
    assessment: Assessment, question_id: str | None = None, *, when: Any = None
) -> Document:
    """The history as a Document: one entry per save (when, who), newest first.

    `when` turns a stored UTC time into the words shown (the app shows local time).
    """
    show = when or (lambda at: at[:16].replace("T", " "))
    bank = assessment.bank
    found = entries_for(assessment, question_id)
    if question_id is not None:
        title = f"History of {question_name(bank, question_id)}"
    else:
        title = f"History: {assessment.title}"
    blocks: list[Any] = []
    if not found:
        blocks.append(Paragraph("No changes have been recorded yet.", "muted"))
        return Document(title=title, blocks=tuple(blocks))
    groups: list[tuple[str, str, list[str]]] = []
    for entry in found:
        key = (entry.at, entry.who)
        if groups and (groups[-1][0], groups[-1][1]) == key:
            groups[-1][2].append(describe(bank, entry))
        else:
            groups.append((entry.at, entry.who, [describe(bank, entry)]))
    blocks.append(
        Paragraph(
            f"{len(found)} change{'s' if len(found) != 1 else ''}, newest first. Each shows "
            "who made it, when, and what it was before and after.",
            "muted",
        )
    )
    blocks.append(Heading("Changes", level=3))
    blocks.append(
        Items(
            tuple(
                Item(
                    title=f"{show(at)} · {who or 'no name recorded'}",
                    lines=tuple(("", line) for line in lines),
                )
                for at, who, lines in groups
            )
        )
    )
    return Document(title=title, blocks=tuple(blocks))
