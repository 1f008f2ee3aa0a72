"""A comparison as JSON: every figure, for other tools.

Like the readiness report's JSON, each score and change is given twice: the
number shown (one decimal) and the exact fraction it came from as a string
("39/5"). Lists that run across the assessments (scores, deltas, levels) are
in column order, the order of `assessments`; `baseline` is the index of the
column changes are measured from. Over time, `plan_outcomes` says what became
of each plan entry of the baseline; across officers, `consensus` gives each
criterion's rule, every officer's view and, for an item to settle, the levels
it may be settled at, with the score (or its range while items are left).
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from assess.domain.compare import (
    DISAGREEMENT_LEVELS,
    AnswerChange,
    Comparison,
    CriterionSpread,
    DimensionScores,
    GapChange,
    describe_kind,
    kind_and_reason,
)
from assess.domain.consensus import Consensus, ConsensusItem, consensus
from assess.domain.plan import PlanOutcome
from assess.domain.scoring import round_score
from assess.domain.survey import describe_answer
from assess.reports.formats.json import exact, scored

FORMAT = "assess-comparison"
FORMAT_VERSION = 2


def render(comparison: Comparison, *, date: str = "") -> str:
    """The comparison as a JSON document."""
    data = comparison_data(comparison, date=date)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _delta(value: Fraction | None) -> dict[str, Any]:
    """A change as shown (rounded half away from zero, like `signed`) and exactly."""
    if value is None:
        return {"points": None, "exact": None}
    shown = round_score(abs(value)) or 0.0
    return {"points": shown if value >= 0 else -shown, "exact": exact(value)}


def _row(row: DimensionScores) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "scores": [scored(s) for s in row.scores],
        "deltas": [_delta(d) for d in row.deltas],
        "change": _delta(row.change),
        "trend": row.trend,
    }


def comparison_data(c: Comparison, *, date: str = "") -> dict[str, Any]:
    _, reason = kind_and_reason(c.assessments)
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "report_date": date or None,
        "kind": c.kind,
        "kind_detected": c.detected_kind,
        "kind_reason": reason,
        "description": describe_kind(c),
        "baseline": c.baseline_index,
        "baseline_chosen": c.baseline_chosen,
        "warnings": list(c.warnings),
        "assessments": [_assessment(c, i) for i in range(len(c.columns))],
        "set_aside": [
            {"id": s.assessment.id, "assessor": s.assessment.assessor, "kept": s.kept.id}
            for s in c.set_aside
        ],
        "bank": {
            "id": c.bank.id,
            "version": c.bank.version,
            "versions": list(c.bank_versions),
            "same_bank": c.same_bank,
            "shared_count": c.shared_count,
            "shared": list(c.shared_ids),
            "left_out": list(c.left_out),
        },
        "overall": _row(c.overall_row),
        "dimensions": [{**_row(row), "weight": _weight(c, row.id)} for row in c.dimensions],
        "changes": [_change(c, ch) for ch in c.changes],
        "gaps": {
            "between": [c.baseline.id, c.last.id],
            "closed": [_gap(g) for g in c.gaps_closed],
            "opened": [_gap(g) for g in c.gaps_opened],
            "persisting": [_gap(g) for g in c.gaps_persisting],
        },
        "plan_outcomes": [_outcome(o) for o in c.plan_outcomes] if c.over_time else None,
        "criteria": [_spread(s) for s in c.spreads],
        "disagreement_levels": DISAGREEMENT_LEVELS,
        "disagreements": [s.question.id for s in c.disagreements],
        "consensus": None,
        "rules": c.rules,
    }
    if c.for_officers:
        data["consensus"] = consensus_data(consensus(c))
    return data


def consensus_data(agreed: Consensus) -> dict[str, Any]:
    low, high = agreed.score_range()
    return {
        "complete": agreed.complete,
        "overall": {**scored(low.overall), "band": low.band} if agreed.complete else None,
        "range": {
            "lowest": {**scored(low.overall), "band": low.band},
            "highest": {**scored(high.overall), "band": high.band},
        },
        "to_settle": [item.id for item in agreed.to_settle],
        "criteria": [_item(item) for item in agreed.items],
        "survey_differ": [q.id for q in agreed.survey_differ],
        "answers": {qid: a.to_data() for qid, a in agreed.answers().items()},
        "stage": agreed.stage,
    }


def _item(item: ConsensusItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "text": item.question.text,
        "rule": item.rule,
        "answer": item.answer.to_data() if item.answer is not None else None,
        "choices": ["n/a" if c is None else c for c in item.choices],
        "views": [
            {
                "officer": v.officer,
                "level": v.level,
                "not_applicable": v.na_reason,
                "evidence": v.evidence,
                "answered": v.answered,
            }
            for v in item.views
        ],
    }


def _outcome(o: PlanOutcome) -> dict[str, Any]:
    return {
        "id": o.question.id,
        "text": o.question.text,
        "outcome": o.outcome,
        "entry": o.entry.to_data() if o.entry is not None else None,
        "later_entry": o.later_entry.to_data() if o.later_entry is not None else None,
        "level_before": o.level_before,
        "level_after": o.level_after,
    }


def _weight(c: Comparison, dimension_id: str) -> int:
    return next(s.weight for s in c.bank.dimensions if s.id == dimension_id)


def _assessment(c: Comparison, index: int) -> dict[str, Any]:
    column = c.columns[index]
    a = column.assessment
    r = column.result
    return {
        "id": a.id,
        "label": column.label,
        "authority": a.authority,
        "service": a.service,
        "assessor": a.assessor,
        "period": a.period,
        "stage": a.stage,
        "status": a.status,
        "signed_off": a.signed_off,
        "created": a.created,
        "updated": a.updated,
        "revision": a.revision,
        "bank": {"id": a.bank.id, "version": a.bank.version, "content_hash": a.bank.content_hash},
        "overall": {
            **scored(r.overall),
            "band": r.band,
            "uncapped_band": r.uncapped_band,
            "capped_by": [cr.id for cr in r.capped_by],
        },
        "delta": _delta(c.overall_deltas[index]),
        "questions_shown": r.questions_shown,
        "questions_answered": r.questions_answered,
        "completeness": {"share": float(r.completeness), "exact": exact(r.completeness)},
        "gap_points": column.gap_points,
        "gaps": [{"id": g.id, "points": g.points, "critical": g.critical} for g in r.gaps],
    }


def _change(c: Comparison, change: AnswerChange) -> dict[str, Any]:
    q = change.question
    return {
        "id": q.id,
        "text": q.text,
        "type": q.type,
        "section": c.bank.section_of(q.id).id,
        "answers": [
            None
            if a is None
            else {
                **a.to_data(),
                "level": a.level if q.is_criterion else None,
                "answer": describe_answer(c.bank, q, a),
                "evidence": a.evidence,
            }
            for a in change.answers
        ],
    }


def _gap(g: GapChange) -> dict[str, Any]:
    q = g.question
    return {
        "id": q.id,
        "text": q.text,
        "critical": q.critical,
        "target": q.target,
        "weight": q.weight,
        "level_before": g.level_before,
        "level_after": g.level_after,
        "points_before": g.points_before,
        "points_after": g.points_after,
        "action": q.action,
    }


def _spread(s: CriterionSpread) -> dict[str, Any]:
    return {
        "id": s.question.id,
        "levels": list(s.levels),
        "not_applicable": list(s.na),
        "spread": s.spread,
        "disagreement": s.disagreement,
    }
