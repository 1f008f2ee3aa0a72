"""A comparison as CSV: one row per shared question, one set of columns per assessment.

Each assessment gets three columns (its answer in words, its level for a
criterion, its evidence note), headed with its column label. Then: whether
the answers differ, the spread of levels, whether officers disagree, the
consensus and the rule that gave it ("agreed", "middle", "to settle",
"settled"; filled in only for a comparison across officers, where a consensus
means something), and over time what became of the baseline's plan entry
(or "a new gap with no plan entry"). Levels and spreads are numbers; every text cell
(headings too, since labels come from names) passes through
`escape.csv_cell`, so nothing is ever run as a formula.
"""

from __future__ import annotations

import csv
import io

from assess.domain.compare import Comparison, column_answers
from assess.domain.consensus import TO_SETTLE, consensus
from assess.domain.survey import describe_answer
from assess.reports.escape import csv_cell

LEADING = ("id", "instrument", "section", "question", "type")
TRAILING = ("differs", "spread", "disagreement", "consensus", "consensus_rule", "plan_outcome")


def header(c: Comparison) -> list[str]:
    per_column = [
        f"{column.label}: {what}"
        for column in c.columns
        for what in ("answer", "level", "evidence")
    ]
    return [*LEADING, *per_column, *TRAILING]


def render(comparison: Comparison) -> str:
    """Every shared question as a CSV row, in bank order."""
    c = comparison
    bank = c.bank
    answers = [column_answers(c, i) for i in range(len(c.columns))]
    spreads = {s.question.id: s for s in c.spreads}
    changed = {ch.question.id for ch in c.changes}
    agreed = consensus(c) if c.for_officers else None
    agreed_answers = agreed.answers() if agreed is not None else {}
    rules = {item.id: item.rule for item in agreed.items} if agreed is not None else {}
    outcomes = {o.question.id: o.outcome for o in c.plan_outcomes}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header(c)])
    for q in bank.questions:
        row: list[object] = [
            q.id,
            bank.instrument_of(q.id),
            bank.section_of(q.id).title,
            q.text,
            q.type,
        ]
        for given in answers:
            answer = given.get(q.id)
            row += [
                describe_answer(bank, q, answer),
                answer.level if answer is not None and q.is_criterion else None,
                answer.evidence if answer is not None else "",
            ]
        spread = spreads.get(q.id)
        view = agreed_answers.get(q.id)
        if rules.get(q.id) == TO_SETTLE:
            shown: object = "to settle"
        elif view is None:
            shown = None
        elif q.is_criterion and view.level is not None:
            shown = view.level
        else:
            shown = describe_answer(bank, q, view)
        row += [
            q.id in changed,
            spread.spread if spread is not None else None,
            spread.disagreement if spread is not None else None,
            shown,
            rules.get(q.id),
            outcomes.get(q.id),
        ]
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()
