"""The readiness report laid out as a Document: what is said, in what order, in what words.

The terminal, Markdown and HTML reports and the app's results screen all draw
this one Document, so they always agree. Sections, in the order a director
reads them: who and what, and the stage; the overall score, band, any cap and
the suggested delivery confidence; a bar per dimension and per business case;
the gaps, most urgent first, with recommended actions and the evidence so far;
every criterion that counts, with its share of the score; what is unanswered,
unevidenced, not applicable or coming at a later stage; the survey benchmark;
consistency notes; how the score is worked out; and an appendix of ids, hashes
and revisions. The body names questions by their text, never by their ids.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from fractions import Fraction

from assess.domain.assessment import percent_done
from assess.domain.authority import AUTHORITY_TYPES, REGIONS
from assess.domain.bank import Question
from assess.domain.plan import PlanEntry, progress
from assess.domain.rules import RULES_VERSION
from assess.domain.scoring import (
    CRITICAL_MINIMUM,
    NOT_READY,
    CriterionResult,
    Gap,
    band_for,
    format_score,
)
from assess.domain.stages import stage as stage_named
from assess.domain.survey import NOT_ANSWERED, ConsistencyFinding, SurveyComparison, ordinal
from assess.reports.document import (
    Bar,
    Bars,
    Block,
    Column,
    Document,
    Facts,
    Heading,
    Item,
    Items,
    Paragraph,
    Score,
    Table,
    band_tone,
)
from assess.reports.model import Report

GAP_POINTS_EXPLAINED = (
    "Gap points measure how far a criterion is from its target, weighted by how much it "
    "counts: its effective weight (its dimension's weight times its own) times the "
    "number of levels it is short."
)


def level_text(row: CriterionResult) -> str:
    """ "3 – Largely in place", "not yet rated (0)", "n/a", "later stage"."""
    if row.na_reason is not None:
        return "n/a"
    if not row.shown:
        return "not asked"
    if row.level is None:
        return "not yet rated" if row.later_stage else "not yet rated (0)"
    return f"{row.level} – {row.level_label}"


def cap_sentence(row: CriterionResult) -> str:
    """Why the band is capped, naming the criterion by its question."""
    if row.effective_level < CRITICAL_MINIMUM:
        where = (
            "not yet rated, so it counts as 0"
            if row.level is None
            else f"at level {row.level}, {row.level_label}"
        )
        return (
            f"Band capped at {NOT_READY}: “{row.text}” is a critical criterion below level "
            f"{CRITICAL_MINIMUM} ({where})."
        )
    return (
        f"Band capped at Nearly ready: “{row.text}” is a critical criterion at level "
        f"{row.level}, {row.level_label}, below its target of {row.target}."
    )


def percent(share: Fraction | None) -> str:
    """A share of the score as a percentage to one decimal ("8.0%")."""
    return "–" if share is None else f"{format_score(share * 100)}%"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def report_document(report: Report) -> Document:
    """The whole readiness report as a Document."""
    blocks: list[Block] = [facts_block(report)]
    blocks += overall_blocks(report)
    blocks += dimension_blocks(report)
    blocks += case_blocks(report)
    blocks += gap_blocks(report)
    blocks += plan_blocks(report)
    blocks += _criteria(report)
    blocks += _evidence(report)
    blocks += _unanswered(report)
    blocks += _missing_evidence(report)
    blocks += _not_applicable(report)
    blocks += _later_stage(report)
    blocks += _survey(report)
    blocks += consistency_blocks(report)
    blocks += [
        Heading("How the score is worked out"),
        Paragraph(report.rules, "muted"),
        Paragraph(GAP_POINTS_EXPLAINED, "muted"),
    ]
    blocks += appendix_blocks(report)
    return Document(title=f"Readiness report: {report.meta.title}", blocks=tuple(blocks))


def stage_text(number: int) -> str:
    """`1, Options and business case (Gate 1, Business justification)`."""
    found = stage_named(number)
    return f"{found.number}, {found.name} ({found.gateway})"


def _stage_short(number: int) -> str:
    """`1, Options and business case`: the stage without its gate, for a table column.

    The gate's name would make a column that does not wrap so wide that, at 80
    columns, the criterion's own text had no room left; the facts say the gate.
    """
    found = stage_named(number)
    return f"{found.number}, {found.name}"


def facts_block(report: Report) -> Facts:
    meta = report.meta
    pairs: list[tuple[str, str]] = [("Authority", meta.authority)]
    if meta.service:
        pairs.append(("Service", meta.service))
    pairs.append(("Assessor", meta.assessor or "not given"))
    if meta.authority_type:
        pairs.append(("Authority type", AUTHORITY_TYPES.get(meta.authority_type, "")))
    if meta.region:
        pairs.append(("Region", REGIONS.get(meta.region, "")))
    if meta.period:
        pairs.append(("Period", meta.period))
    pairs.append(("Stage", stage_text(report.result.stage)))
    if meta.status:
        pairs.append(("Status", meta.status))
    if meta.signoff is not None:
        s = meta.signoff
        pairs.append(
            ("Signed off", f"{s.name}, {s.role}, on {s.date.isoformat()}; review by {s.review}")
        )
    if meta.date:
        pairs.append(("Report date", meta.date))
    if meta.source:
        pairs.append(("Answers from", meta.source))
    return Facts(tuple(pairs))


def overall_blocks(report: Report) -> list[Block]:
    result = report.result
    blocks: list[Block] = [
        Heading("Overall readiness"),
        Score(
            "Readiness score",
            format_score(report.overall),
            report.band,
            band_tone(report.band),
        ),
    ]
    blocks += [Paragraph(cap_sentence(cap.criterion), "bad") for cap in result.caps]
    if report.is_capped and report.uncapped_band != report.band:
        blocks.append(
            Paragraph(f"Without the cap the score would be banded {report.uncapped_band}.")
        )
    if report.overall is None:
        blocks.append(Paragraph("No readiness criterion applies, so there is no score yet."))
    else:
        blocks.append(
            Paragraph(
                f"Suggested delivery confidence: {report.confidence}, by the rule at the foot "
                "of this report.",
                "strong",
            )
        )
        if report.meta.confidence:
            reason = report.meta.confidence_reason.strip()
            blocks.append(
                Paragraph(
                    f"The officer's own rating: {report.meta.confidence}"
                    + (f". Why: {reason}" if reason else "."),
                    "strong",
                )
            )
    blocks.append(
        Paragraph(
            f"{report.questions_answered} of {report.questions_shown} questions answered "
            f"({percent_done(float(report.completeness))}); "
            f"{report.criteria_answered} of {report.criteria_applicable} applicable criteria "
            "rated. Criteria not yet rated count as level 0.",
            "muted",
        )
    )
    return blocks


def dimension_blocks(report: Report) -> list[Block]:
    """A bar per dimension, each score with its weight and how much of it is rated."""
    bars = tuple(
        Bar(
            label=d.title,
            value=d.score,
            shown=format_score(d.score),
            note=(
                f"weight {d.weight} · {d.answered} of {d.applicable} rated"
                if d.applicable
                else f"weight {d.weight} · applies later"
            ),
            tone=band_tone(band_for(d.score)),
        )
        for d in report.dimensions
    )
    return [Heading("Readiness by dimension"), Bars(bars)]


def case_blocks(report: Report) -> list[Block]:
    if not report.cases:
        return []
    bars = tuple(
        Bar(
            label=c.title,
            value=c.score,
            shown=format_score(c.score),
            note=f"{_count(c.applicable, 'criterion', 'criteria')} apply",
            tone=band_tone(band_for(c.score)),
        )
        for c in report.cases
    )
    return [
        Heading("Readiness by business case"),
        Paragraph(
            "The five cases of a business case (strategic, economic, commercial, financial "
            "and management), each scored over the criteria that give evidence for it.",
            "muted",
        ),
        Bars(bars, heading="Case"),
    ]


def gap_item(gap: Gap, entry: PlanEntry | None = None) -> Item:
    """One gap as a numbered entry: where it stands, what it costs, what to do, who does it."""
    row = gap.criterion
    facts = (
        f"{'Critical · ' if row.critical else ''}{row.dimension_title} · {level_text(row)} → "
        f"target {row.target} · {gap.points} gap point{'s' if gap.points != 1 else ''}"
    )
    lines = [("", facts), ("Action", entry.action if entry else row.action)]
    lines.append(("Evidence so far", row.evidence or "none noted"))
    lines.append(("Plan", plan_text(entry) if entry else "no action-plan entry yet"))
    return Item(title=row.text, lines=tuple(lines), tone="bad" if row.critical else "plain")


def plan_text(entry: PlanEntry, today: datetime.date | None = None) -> str:
    """`owner Ann Smith · due 2027-03-31 (overdue) · in progress`."""
    parts = [f"owner {entry.owner}" if entry.owner else "no owner yet"]
    if entry.due is not None:
        late = " (overdue)" if today is not None and entry.overdue(today) else ""
        parts.append(f"due {entry.due.isoformat()}{late}")
    else:
        parts.append("no due date")
    reason = f" ({entry.reason})" if entry.status == "dropped" and entry.reason else ""
    parts.append(entry.status + reason)
    return " · ".join(parts)


def gap_blocks(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading("Gaps, most urgent first")]
    if not report.gaps:
        blocks.append(Paragraph("No gaps: every applicable criterion is at or above its target."))
        return blocks
    total = sum(g.points for g in report.gaps)
    blocks.append(
        Paragraph(
            f"{_count(len(report.gaps), 'criterion is', 'criteria are')} below target "
            f"({total} gap point{'s' if total != 1 else ''} in all). "
            "Critical criteria come first, then the largest gaps. " + GAP_POINTS_EXPLAINED,
            "muted",
        )
    )
    blocks.append(
        Items(tuple(gap_item(g, report.plan_entry(g.id)) for g in report.gaps), numbered=True)
    )
    return blocks


def plan_blocks(report: Report) -> list[Block]:
    """The action plan as it is read: overdue first, then in gap order."""
    rows = report.plan_rows
    blocks: list[Block] = [Heading("Action plan")]
    if not rows:
        blocks.append(
            Paragraph(
                "No action-plan entries yet. Each gap can have one: the action, an owner, "
                "a due date and a status.",
                "muted",
            )
        )
        return blocks
    today = report.today
    summary = progress((r.entry for r in rows), today or datetime.date.min).describe()
    blocks.append(Paragraph(f"{summary[:1].upper()}{summary[1:]}. Overdue actions first.", "muted"))
    blocks.append(
        Table(
            (
                Column("Criterion", wide=True),
                Column("Action", wide=True),
                Column("Owner"),
                Column("Due"),
                Column("Status"),
            ),
            tuple(
                (
                    r.question.text,
                    r.entry.action,
                    r.entry.owner or "–",
                    r.entry.due.isoformat() if r.entry.due else "–",
                    ("OVERDUE · " if r.overdue else "") + r.entry.status,
                )
                for r in rows
            ),
        )
    )
    return blocks


def _criteria(report: Report) -> list[Block]:
    result = report.result
    rows = tuple(
        (
            c.text,
            "yes" if c.critical else "",
            level_text(c),
            str(c.target),
            percent(result.share(c)),
            str(c.gap_points) if c.gap_points else "–",
        )
        for c in report.criteria
        if c.applicable
    )
    table = Table(
        (
            Column("Criterion", wide=True),
            Column("Critical"),
            Column("Level"),
            Column("Target", "right"),
            Column("Share", "right"),
            Column("Gap", "right"),
        ),
        rows,
    )
    return [
        Heading("Every criterion that counts at this stage"),
        Paragraph(
            "Share is the criterion's part of the overall score: its effective weight "
            "divided by the effective weights of all the criteria that count.",
            "muted",
        ),
        table,
    ]


def _evidence(report: Report) -> list[Block]:
    noted = [c for c in report.criteria if c.evidence.strip()]
    if not noted:
        return []
    rows = tuple(
        (c.text, str(c.level) if c.level is not None else level_text(c), c.evidence) for c in noted
    )
    return [
        Heading("Evidence noted"),
        Table(
            (
                Column("Criterion", wide=True),
                Column("Level", "right"),
                Column("Evidence", wide=True),
            ),
            rows,
        ),
    ]


def _unanswered(report: Report) -> list[Block]:
    if not report.unanswered:
        return []
    rows = tuple((u.section_title, u.text) for u in report.unanswered)
    return [
        Heading("Not yet answered"),
        Paragraph(
            f"{len(rows)} question{'s' if len(rows) != 1 else ''} asked at this stage "
            f"{'have' if len(rows) != 1 else 'has'} no answer yet.",
            "muted",
        ),
        Table((Column("Section"), Column("Question", wide=True)), rows),
    ]


def _missing_evidence(report: Report) -> list[Block]:
    if not report.missing_evidence:
        return []
    rows = tuple((c.text, str(c.level)) for c in report.missing_evidence)
    return [
        Heading("Rated 3 or 4 without an evidence note"),
        Paragraph(
            "A rating of largely or fully in place is a claim; note the evidence for it.",
            "muted",
        ),
        Table((Column("Criterion", wide=True), Column("Level", "right")), rows),
    ]


def _not_applicable(report: Report) -> list[Block]:
    if not report.not_applicable:
        return []
    rows = tuple((c.text, c.na_reason or "") for c in report.not_applicable)
    return [
        Heading("Marked not applicable"),
        Paragraph("These criteria are left out of the scores.", "muted"),
        Table((Column("Criterion", wide=True), Column("Reason", wide=True)), rows),
    ]


def _later_stage(report: Report) -> list[Block]:
    later = report.later_stage
    if not later:
        return []
    rows = tuple(
        (c.text, _stage_short(c.from_stage), level_text(c) if c.level is not None else "–")
        for c in later
    )
    return [
        Heading("Coming at a later stage"),
        Paragraph(
            f"These {_count(len(rows), 'criterion applies', 'criteria apply')} only from a "
            "later stage of the partnership, so they are not scored yet and never count "
            "against the authority now.",
            "muted",
        ),
        # The level wraps too ("4 – Fully in place and evidenced" is 32 cells), so that at
        # 80 columns the criterion is not squeezed out by the two columns beside it.
        Table(
            (Column("Criterion", wide=True), Column("From stage"), Column("Level", wide=True)),
            rows,
        ),
    ]


def appendix_blocks(
    report: Report, questions: Sequence[Question] | None = None, *, new_page: bool = False
) -> list[Block]:
    """Ids, hashes and revisions: for cross-checking, kept out of the report's body.

    The id of every question in the bank is listed, or of `questions` only.
    """
    meta = report.meta
    pairs: list[tuple[str, str]] = []
    if meta.assessment_id:
        pairs.append(("Assessment id", meta.assessment_id))
        if meta.revision is not None:
            pairs.append(("Revision", str(meta.revision)))
        if meta.updated:
            pairs.append(("Last changed", meta.updated))
    bank = report.bank
    pairs.append(("Question bank", f"{bank.id} {bank.version}"))
    pairs.append(("Bank content hash", bank.content_hash))
    pairs.append(("Scoring rules", f"version {RULES_VERSION}"))
    rows = tuple((q.id, q.text) for q in (bank.questions if questions is None else questions))
    return [
        Heading("Appendix: identifiers", new_page=new_page),
        Facts(tuple(pairs)),
        Paragraph(
            "Each question's id, as the JSON and CSV exports and answers files name it.", "muted"
        ),
        Table((Column("Id"), Column("Question", wide=True)), rows),
    ]


def survey_item(s: SurveyComparison) -> Item:
    """One survey question beside the chief executives' answers."""
    lines: list[tuple[str, str]] = [("Your answer", s.answer_text or "not answered yet")]
    if s.has_figures:
        lines.append(("Chief executives", s.summary))
    if len(s.placements) > 1:
        # Places only where the source orders every item; otherwise the source's groups.
        places = all(len(tier) == 1 for tier in s.tiers)
        order = "; ".join(
            f"{p.label} {ordinal(p.your_rank)} ("
            + (
                "not in their list"
                if p.tier is None
                else f"theirs {ordinal(p.tier)} of {p.tier_count}"
                if places
                else f"their group {p.tier} of {p.tier_count}"
            )
            + ")"
            for p in s.placements
        )
        lines.append(("Your order", order))
    lines += [("", sentence) for sentence in s.findings if sentence != NOT_ANSWERED]
    return Item(title=s.text, lines=tuple(lines))


def _survey(report: Report) -> list[Block]:
    survey = report.benchmark.survey
    if not survey:
        return []
    return [
        Heading("Your survey answers beside the chief executives'"),
        Paragraph(
            "Survey answers are not scored. Each is set beside how the local authority "
            "chief executives surveyed in 2019 answered, where the survey gives figures.",
            "muted",
        ),
        Items(tuple(survey_item(s) for s in survey)),
    ]


def consistency_item(f: ConsistencyFinding) -> Item:
    because = "; ".join(f.because)
    return Item(
        title=f.title,
        lines=(
            ("Because", because[:1].upper() + because[1:] + "." if because else ""),
            ("Readiness", f.context),
            ("", f.explanation),
        ),
        tone="warning",
    )


def consistency_blocks(report: Report) -> list[Block]:
    fired = report.benchmark.fired
    checked = len(report.benchmark.consistency)
    blocks: list[Block] = [Heading("Consistency notes")]
    if not checked:
        blocks.append(Paragraph("This question bank has no consistency checks.", "muted"))
    elif not fired:
        blocks.append(
            Paragraph(
                f"None of the {checked} consistency checks found a survey answer at odds "
                "with your readiness answers.",
                "muted",
            )
        )
    else:
        blocks.append(
            Paragraph(
                f"{len(fired)} of {checked} checks found a survey answer that sits uneasily "
                "with a readiness criterion below target.",
                "muted",
            )
        )
        blocks.append(Items(tuple(consistency_item(f) for f in fired)))
    return blocks
