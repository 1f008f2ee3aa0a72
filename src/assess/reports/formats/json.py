"""The JSON report: every figure of the report model, for other tools.

Each score is given twice: `score`, the number shown (one decimal, as in every
report), and `exact`, the exact fraction it was computed from as a string
("39/5"), so a tool can check the arithmetic or round its own way.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from assess.domain.rules import RULES_VERSION
from assess.domain.scoring import CriterionResult, Result, round_score
from assess.domain.survey import ConsistencyFinding, SurveyComparison
from assess.reports.model import Report

FORMAT = "assess-report"
FORMAT_VERSION = 2


def exact(value: Fraction | None) -> str | None:
    """A fraction as a string, "39/5" (or "75" for a whole number)."""
    return None if value is None else str(Fraction(value))


def scored(value: Fraction | None) -> dict[str, Any]:
    """The shown score and the exact fraction behind it."""
    return {"score": round_score(value), "exact": exact(value)}


def render(report: Report) -> str:
    """The readiness report as a JSON document."""
    return json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n"


def report_data(report: Report) -> dict[str, Any]:
    meta = report.meta
    result = report.result
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "rules_version": RULES_VERSION,
        "assessment": {
            "id": meta.assessment_id or None,
            "authority": meta.authority,
            "service": meta.service,
            "assessor": meta.assessor,
            "status": meta.status or None,
            "stage": result.stage,
            "period": meta.period or None,
            "authority_type": meta.authority_type or None,
            "region": meta.region or None,
            "signoff": meta.signoff.to_data() if meta.signoff else None,
            "created": meta.created or None,
            "updated": meta.updated or None,
            "revision": meta.revision,
            "answers_from": meta.source or None,
            "report_date": meta.date or None,
        },
        "bank": {
            "id": report.bank.id,
            "version": report.bank.version,
            "title": report.bank.title,
            "content_hash": report.bank.content_hash,
        },
        "overall": {
            **scored(report.overall),
            "band": report.band,
            "uncapped_band": report.uncapped_band,
            "caps": [{"id": cap.criterion.id, "band": cap.band} for cap in result.caps],
            "capped_by": [c.id for c in report.capped_by],
            "delivery_confidence": {
                "suggested": report.confidence,
                "officer": meta.confidence or None,
                "reason": meta.confidence_reason or None,
            },
            "total_effective_weight": result.total_effective_weight,
        },
        "completeness": {
            "questions_shown": report.questions_shown,
            "questions_answered": report.questions_answered,
            "share": float(report.completeness),
            "exact": exact(report.completeness),
            "criteria_applicable": report.criteria_applicable,
            "criteria_answered": report.criteria_answered,
        },
        "dimensions": [
            {
                "id": d.id,
                "title": d.title,
                "weight": d.weight,
                **scored(d.score),
                "criteria": len(d.criteria),
                "applicable": d.applicable,
                "answered": d.answered,
            }
            for d in report.dimensions
        ],
        "cases": [
            {
                "id": c.id,
                "title": c.title,
                **scored(c.score),
                "criteria": [cr.id for cr in c.criteria],
                "applicable": c.applicable,
            }
            for c in report.cases
        ],
        "criteria": [_criterion(c, result) for c in report.criteria],
        "gaps": [
            {
                "rank": g.rank,
                "id": g.id,
                "level": g.criterion.level,
                "target": g.criterion.target,
                "weight": g.criterion.weight,
                "effective_weight": g.criterion.effective_weight,
                "points": g.points,
                "critical": g.criterion.critical,
                "action": g.criterion.action,
                "evidence": g.criterion.evidence,
            }
            for g in report.gaps
        ],
        "plan": [
            {
                "id": r.question.id,
                **r.entry.to_data(),
                "aim": r.aim,
                "overdue": r.overdue,
                "level": r.level,
                "gap_points": r.gap_points,
            }
            for r in report.plan_rows
        ],
        "later_stage": [{"id": c.id, "from_stage": c.from_stage} for c in report.later_stage],
        "unanswered": [
            {"id": u.id, "instrument": u.instrument, "section": u.section_title, "text": u.text}
            for u in report.unanswered
        ],
        "evidence_missing": [c.id for c in report.missing_evidence],
        "not_applicable": [{"id": c.id, "reason": c.na_reason} for c in report.not_applicable],
        "benchmark": [_survey(s) for s in report.benchmark.survey],
        "consistency": [_consistency(f) for f in report.benchmark.consistency],
        "rules": report.rules,
    }


def _criterion(c: CriterionResult, result: Result) -> dict[str, Any]:
    share = result.share(c)
    return {
        "id": c.id,
        "dimension": c.dimension_id,
        "text": c.text,
        "level": c.level if c.shown else None,
        "level_label": c.level_label,
        "answered": c.answered,
        "applicable": c.applicable,
        "later_stage": c.later_stage,
        "from_stage": c.from_stage,
        "cases": list(c.question.cases),
        "not_applicable_reason": c.na_reason,
        "target": c.target,
        "weight": c.weight,
        "dimension_weight": c.dimension.weight,
        "effective_weight": c.effective_weight,
        "share": None if share is None else {"value": float(share), "exact": exact(share)},
        "critical": c.critical,
        **scored(None if c.score is None else c.score * 100),
        "gap_points": c.gap_points,
        "evidence": c.evidence,
        "action": c.action,
    }


def _survey(s: SurveyComparison) -> dict[str, Any]:
    return {
        "id": s.question_id,
        "section": s.section_title,
        "text": s.text,
        "type": s.type,
        "answered": s.answered,
        "answer": s.answer_text or None,
        "origin": s.origin,
        "has_figures": s.has_figures,
        "summary": s.summary or None,
        "source": {"file": s.source_file, "quote": s.source_quote or None},
        "shares": [
            {"option": o.option_id, "label": o.label, "percent": o.percent, "chosen": o.chosen}
            for o in s.shares
        ],
        "most_common": [o.option_id for o in s.most_common],
        "asked": s.asked or None,
        "tiers": [[option_id for option_id, _ in tier] for tier in s.tiers],
        "placements": [
            {"option": p.option_id, "your_rank": p.your_rank, "their_tier": p.tier}
            for p in s.placements
        ],
        "agreement": (
            None
            if s.agreement is None
            else {
                "kendall_tau_b": s.agreement.tau_b,
                "shown": s.agreement.formatted() or None,
                "shared": s.agreement.shared,
                "concordant": s.agreement.concordant,
                "discordant": s.agreement.discordant,
                "tied_yours": s.agreement.tied_yours,
                "tied_theirs": s.agreement.tied_theirs,
            }
        ),
        "findings": list(s.findings),
    }


def _consistency(f: ConsistencyFinding) -> dict[str, Any]:
    return {
        "id": f.id,
        "title": f.title,
        "criterion": f.criterion_id,
        "level": f.level,
        "level_label": f.level_label or None,
        "below": {"kind": f.threshold_kind, "value": f.threshold},
        "applicable": f.applicable,
        "conditions_met": f.conditions_met,
        "fires": f.fires,
        "because": list(f.because),
        "context": f.context,
        "explanation": f.explanation,
    }
