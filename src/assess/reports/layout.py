"""The readiness report laid out as a Document: what is said, in what order, in what words.

The terminal, Markdown and HTML reports all draw this one Document, so the
three always agree. Sections, in the order a director reads them: who and
what; the overall score and band (with any critical cap); a bar per
dimension; the gaps, most urgent first, with recommended actions; every
criterion and its evidence; what is unanswered, unevidenced or not
applicable; the survey benchmark; consistency notes; and how the score is
worked out.
"""

from __future__ import annotations

from assess.domain.assessment import percent_done
from assess.domain.scoring import CRITICAL_MINIMUM, NOT_READY, band_for, format_score
from assess.domain.survey import ConsistencyFinding, SurveyComparison, ordinal
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
from assess.reports.model import CriterionRow, GapRow, Report


def level_text(row: CriterionRow) -> str:
    """ "3 – Largely in place", "not yet rated (0)", "n/a"."""
    if row.na_reason is not None:
        return "n/a"
    if not row.applicable:
        return "not asked"
    if row.level is None:
        return "not yet rated (0)"
    return f"{row.level} – {row.level_label}"


def cap_sentence(row: CriterionRow) -> str:
    """Why the band is capped, naming the criterion."""
    where = (
        "not yet rated, so it counts as 0"
        if row.level is None
        else f"at level {row.level}, {row.level_label}"
    )
    return (
        f"Band capped at {NOT_READY} because {row.id} is below level {CRITICAL_MINIMUM} "
        f"({where}; a critical criterion)."
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def report_document(report: Report) -> Document:
    """The whole readiness report as a Document."""
    blocks: list[Block] = [_facts(report)]
    blocks += _overall(report)
    blocks += _dimensions(report)
    blocks += _gaps(report)
    blocks += _criteria(report)
    blocks += _evidence(report)
    blocks += _unanswered(report)
    blocks += _missing_evidence(report)
    blocks += _not_applicable(report)
    blocks += _survey(report)
    blocks += _consistency(report)
    blocks += [Heading("How the score is worked out"), Paragraph(report.rules, "muted")]
    return Document(title=f"Readiness report: {report.meta.title}", blocks=tuple(blocks))


def _facts(report: Report) -> Facts:
    meta = report.meta
    pairs: list[tuple[str, str]] = [("Authority", meta.authority)]
    if meta.service:
        pairs.append(("Service", meta.service))
    pairs.append(("Assessor", meta.assessor or "not given"))
    if meta.date:
        pairs.append(("Report date", meta.date))
    if meta.assessment_id:
        state = [meta.status] if meta.status else []
        if meta.revision is not None:
            state.append(f"revision {meta.revision}")
        if meta.updated:
            state.append(f"last changed {meta.updated}")
        suffix = f" ({', '.join(state)})" if state else ""
        pairs.append(("Assessment", f"{meta.assessment_id}{suffix}"))
    if meta.source:
        pairs.append(("Answers from", meta.source))
    bank = report.bank
    pairs.append(("Question bank", f"{bank.id} {bank.version} (hash {bank.short_hash})"))
    return Facts(tuple(pairs))


def _overall(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Heading("Overall readiness"),
        Score(
            "Readiness score",
            format_score(report.overall),
            report.band,
            band_tone(report.band),
        ),
    ]
    blocks += [Paragraph(cap_sentence(row), "bad") for row in report.capped_by]
    if report.is_capped and report.uncapped_band != report.band:
        blocks.append(
            Paragraph(f"Without the cap the score would be banded {report.uncapped_band}.")
        )
    if report.overall is None:
        blocks.append(Paragraph("No readiness criterion applies, so there is no score yet."))
    blocks.append(
        Paragraph(
            f"{report.questions_answered} of {report.questions_shown} questions answered "
            f"({percent_done(report.completeness)}); "
            f"{report.criteria_answered} of {report.criteria_applicable} applicable criteria "
            "rated. Criteria not yet rated count as level 0.",
            "muted",
        )
    )
    return blocks


def _dimensions(report: Report) -> list[Block]:
    bars = tuple(
        Bar(
            label=d.title,
            value=d.score,
            shown=format_score(d.score),
            note=(
                f"weight {d.weight} · {d.answered} of {d.applicable} rated"
                if d.applicable
                else f"weight {d.weight} · not applicable"
            ),
            tone=band_tone(band_for(d.score)),
        )
        for d in report.dimensions
    )
    return [Heading("Readiness by dimension"), Bars(bars)]


def gap_item(gap: GapRow) -> Item:
    """One gap as a numbered entry: where it stands, what it costs, what to do."""
    row = gap.criterion
    facts = (
        f"{'Critical · ' if row.critical else ''}{level_text(row)} → target {row.target} · "
        f"weight {row.weight} · {gap.points} gap point{'s' if gap.points != 1 else ''}"
    )
    lines = [("", facts), ("Action", row.action)]
    if row.evidence:
        lines.append(("Evidence so far", row.evidence))
    return Item(
        title=f"{row.id}: {row.text}",
        lines=tuple(lines),
        tone="bad" if row.critical else "plain",
    )


def _gaps(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading("Gaps, most urgent first")]
    if not report.gaps:
        blocks.append(Paragraph("No gaps: every applicable criterion is at or above its target."))
        return blocks
    total = sum(g.points for g in report.gaps)
    blocks.append(
        Paragraph(
            f"{_count(len(report.gaps), 'criterion is', 'criteria are')} below target "
            f"({total} gap point{'s' if total != 1 else ''} in all). "
            "Critical criteria come first, then the largest gaps.",
            "muted",
        )
    )
    blocks.append(Items(tuple(gap_item(g) for g in report.gaps), numbered=True))
    return blocks


def _criteria(report: Report) -> list[Block]:
    rows = tuple(
        (
            c.id,
            "yes" if c.critical else "",
            level_text(c),
            str(c.target),
            str(c.weight),
            str(c.gap_points) if c.gap_points else "–",
        )
        for c in report.criteria
    )
    table = Table(
        (
            Column("Criterion"),
            Column("Critical"),
            Column("Level", wide=True),
            Column("Target", "right"),
            Column("Weight", "right"),
            Column("Gap", "right"),
        ),
        rows,
    )
    return [Heading("Every criterion"), table]


def _evidence(report: Report) -> list[Block]:
    noted = [c for c in report.criteria if c.evidence.strip()]
    if not noted:
        return []
    rows = tuple(
        (c.id, str(c.level) if c.level is not None else level_text(c), c.evidence) for c in noted
    )
    return [
        Heading("Evidence noted"),
        Table((Column("Criterion"), Column("Level", "right"), Column("Evidence", wide=True)), rows),
    ]


def _unanswered(report: Report) -> list[Block]:
    if not report.unanswered:
        return []
    rows = tuple((u.id, u.text) for u in report.unanswered)
    return [
        Heading("Not yet answered"),
        Paragraph(
            f"{len(rows)} question{'s' if len(rows) != 1 else ''} shown to you "
            f"{'have' if len(rows) != 1 else 'has'} no answer yet.",
            "muted",
        ),
        Table((Column("Question"), Column("Text", wide=True)), rows),
    ]


def _missing_evidence(report: Report) -> list[Block]:
    if not report.missing_evidence:
        return []
    rows = tuple((c.id, str(c.level), c.text) for c in report.missing_evidence)
    return [
        Heading("Rated 3 or 4 without an evidence note"),
        Paragraph(
            "A rating of largely or fully in place is a claim; note the evidence for it.",
            "muted",
        ),
        Table((Column("Criterion"), Column("Level", "right"), Column("Text", wide=True)), rows),
    ]


def _not_applicable(report: Report) -> list[Block]:
    if not report.not_applicable:
        return []
    rows = tuple((c.id, c.na_reason or "") for c in report.not_applicable)
    return [
        Heading("Marked not applicable"),
        Paragraph("These criteria are left out of the scores.", "muted"),
        Table((Column("Criterion"), Column("Reason", wide=True)), rows),
    ]


def survey_item(s: SurveyComparison) -> Item:
    """One survey question beside the chief executives' answers."""
    lines: list[tuple[str, str]] = [("Your answer", s.answer_text or "not answered yet")]
    if s.has_figures:
        lines.append(("Chief executives", s.summary))
    if len(s.placements) > 1:
        order = "; ".join(
            f"{p.label} {ordinal(p.your_rank)} (theirs "
            f"{ordinal(p.their_rank) if p.their_rank else 'not ranked'})"
            for p in s.placements
        )
        lines.append(("Your order", order))
    lines += [("", sentence) for sentence in s.findings if sentence != "Not answered yet."]
    return Item(title=f"{s.question_id}: {s.text}", lines=tuple(lines))


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


def _consistency(report: Report) -> list[Block]:
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
