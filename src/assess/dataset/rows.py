"""The tidy rows one assessment gives: one per table row, every figure from its one scoring.

Each function here reads an `Assessment` (scored once, by `assess.domain.scoring`,
with the exact bank it was made with) and yields plain dicts keyed by the
column names in `schema`. Names and free text are always in the dicts; it
is `TableRows` that keeps only the columns the dataset has, so a dataset
without names never holds them, not even in memory on their way to a file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from assess.dataset.keys import ExportKey
from assess.dataset.schema import (
    ANSWERS,
    ASSESSMENTS,
    CASE_SCORES,
    DIMENSION_SCORES,
    GAPS_AND_PLAN,
    SURVEY_ANSWERS,
    TABLES,
    Table,
)
from assess.domain.answers import visible_ids
from assess.domain.assessment import Assessment
from assess.domain.scoring import Result, round_score
from assess.domain.survey import compare_survey

Row = dict[str, Any]


class TableRows:
    """The rows of one table so far, column by column (as Parquet is written)."""

    def __init__(self, table: Table, with_names: bool) -> None:
        self.table = table
        self.columns = table.columns_for(with_names)
        self.values: dict[str, list[Any]] = {c.name: [] for c in self.columns}

    def add(self, row: Mapping[str, Any]) -> None:
        for name, values in self.values.items():
            values.append(row.get(name))

    def __len__(self) -> int:
        return len(self.values[self.columns[0].name])


class DatasetRows:
    """Every table's rows, for the assessments added so far."""

    def __init__(self, key: ExportKey, *, with_names: bool, today: datetime.date) -> None:
        self.key = key
        self.today = today
        self.tables = {t.name: TableRows(t, with_names) for t in TABLES}

    def add(self, assessment: Assessment) -> None:
        key = self.key.assessment(assessment.id)
        result = assessment.result
        self.tables[ASSESSMENTS.name].add(assessment_row(assessment, result, key, self))
        for name, rows in (
            (ANSWERS.name, answer_rows(assessment, result)),
            (DIMENSION_SCORES.name, dimension_rows(result)),
            (CASE_SCORES.name, case_rows(result)),
            (GAPS_AND_PLAN.name, gap_and_plan_rows(assessment, result, self.today)),
            (SURVEY_ANSWERS.name, survey_rows(assessment)),
        ):
            table = self.tables[name]
            for row in rows:
                row["assessment_key"] = key
                table.add(row)

    @property
    def assessments(self) -> int:
        return len(self.tables[ASSESSMENTS.name])


def _day(iso: str) -> datetime.date:
    """The UTC day of a stored time ("2026-12-01T10:00:00.000Z")."""
    return datetime.date.fromisoformat(iso[:10])


def _or_none(text: str) -> str | None:
    return text or None


def assessment_row(assessment: Assessment, result: Result, key: str, rows: DatasetRows) -> Row:
    signoff = assessment.signoff
    plan = assessment.plan.values()
    return {
        "assessment_key": key,
        "authority_key": rows.key.authority(assessment.authority),
        "service_key": rows.key.service(assessment.service),
        "authority_type": _or_none(assessment.authority_type),
        "region": _or_none(assessment.region),
        "period": _or_none(assessment.period),
        "stage": assessment.stage,
        "status": assessment.status,
        "created": _day(assessment.created),
        "updated": _day(assessment.updated),
        "signed_off": signoff is not None,
        "signoff_date": signoff.date if signoff else None,
        "review_date": signoff.review if signoff else None,
        "score": round_score(result.overall),
        "band": result.band,
        "capped": result.band != result.uncapped_band,
        "confidence": result.confidence,
        "officer_confidence": _or_none(assessment.confidence),
        "completeness": float(result.completeness),
        "criteria_applicable": result.criteria_applicable,
        "criteria_answered": result.criteria_answered,
        "gaps": len(result.gaps),
        "critical_gaps": sum(1 for g in result.gaps if g.critical),
        "plan_entries": len(assessment.plan),
        "plan_overdue": sum(1 for entry in plan if entry.overdue(rows.today)),
        "bank_id": assessment.bank_id,
        "bank_version": assessment.bank_version,
        "bank_hash": assessment.bank_hash,
        "rules_version": result.rules_version,
        # Named: only kept in a dataset exported with names.
        "assessment_id": assessment.id,
        "authority": assessment.authority,
        "service": _or_none(assessment.service),
        "assessor": _or_none(assessment.assessor),
        "signoff_name": signoff.name if signoff else None,
        "signoff_role": signoff.role if signoff else None,
        "officer_confidence_reason": _or_none(assessment.confidence_reason),
    }


def answer_rows(assessment: Assessment, result: Result) -> Iterator[Row]:
    for c in result.criteria:
        share = result.share(c)
        yield {
            "question_id": c.id,
            "dimension_id": c.dimension_id,
            "shown": c.shown,
            "not_applicable": c.na_reason is not None,
            "level": c.level,
            "applicable": c.applicable,
            "later_stage": c.later_stage,
            "weight": c.weight,
            "dimension_weight": c.dimension.weight,
            "effective_weight": c.effective_weight,
            "share": None if share is None else float(share),
            "target": c.target,
            "critical": c.critical,
            "from_stage": c.from_stage,
            "cases": list(c.question.cases),
            "gap_points": c.gap_points,
            "na_reason": c.na_reason,
            "evidence": _or_none(c.evidence),
        }


def dimension_rows(result: Result) -> Iterator[Row]:
    for d in result.dimensions:
        yield {
            "dimension_id": d.id,
            "weight": d.weight,
            "score": round_score(d.score),
            "criteria_applicable": d.applicable,
            "criteria_answered": d.answered,
        }


def case_rows(result: Result) -> Iterator[Row]:
    for case in result.cases:
        yield {
            "case": case.id,
            "score": round_score(case.score),
            "criteria_applicable": case.applicable,
        }


def gap_and_plan_rows(
    assessment: Assessment, result: Result, today: datetime.date
) -> Iterator[Row]:
    ranks = {g.id: g.rank for g in result.gaps}
    for c in result.criteria:
        entry = assessment.plan.get(c.id)
        if c.id not in ranks and entry is None:
            continue
        yield {
            "question_id": c.id,
            "dimension_id": c.dimension_id,
            "gap": c.id in ranks,
            "gap_rank": ranks.get(c.id),
            "critical": c.critical,
            "level": c.level,
            "target": c.target,
            "gap_points": c.gap_points,
            "planned": entry is not None,
            "plan_status": entry.status if entry else None,
            "due": entry.due if entry else None,
            "aim": (entry.aim if entry.aim is not None else c.target) if entry else None,
            "overdue": bool(entry and entry.overdue(today)),
            "action": entry.action if entry else None,
            "owner": _or_none(entry.owner) if entry else None,
            "note": _or_none(entry.note) if entry else None,
            "drop_reason": _or_none(entry.reason) if entry else None,
        }


def survey_rows(assessment: Assessment) -> Iterator[Row]:
    bank = assessment.bank
    survey = bank.instrument("survey")
    if survey is None:
        return
    shown = visible_ids(bank, assessment.answers)
    for section in survey.sections:
        for q in section.questions:
            answer = assessment.answers.get(q.id)
            value = answer.value if answer is not None and not answer.is_na else None
            options: Sequence[str] = ()
            if isinstance(value, tuple):
                options = value
            elif isinstance(value, str) and q.options:
                options = (value,)
            percent = agreement = None
            if q.id in shown:
                compared = compare_survey(bank, q, answer, section.title)
                chosen = [s for s in compared.shares if s.chosen]
                # A share of respondents means one answer: a single choice, yes/no or scale.
                if len(chosen) == 1 and len(options) == 1:
                    percent = chosen[0].percent
                if compared.agreement is not None:
                    agreement = compared.agreement.tau_b
            number = (
                float(value)
                if isinstance(value, int | float) and not isinstance(value, bool)
                else None
            )
            yield {
                "question_id": q.id,
                "section_id": section.id,
                "question_type": q.type,
                "origin": q.origin,
                "shown": q.id in shown,
                "answered": answer is not None,
                "not_applicable": answer is not None and answer.is_na,
                "options": list(options),
                "number": number if q.type == "number" else None,
                "respondents_percent": percent,
                "rank_agreement": agreement,
                "text": value if isinstance(value, str) and not q.options else None,
                "na_reason": answer.na_reason if answer is not None else None,
                "evidence": _or_none(answer.evidence) if answer is not None else None,
            }
