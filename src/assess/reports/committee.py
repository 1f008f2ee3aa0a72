"""The committee view of a readiness report: what members need, in the order they read it.

A Document of its own, made from the same `Report` as the full report and
drawn by the same renderers (HTML and PDF above all; text and Markdown too).
First a one-page executive summary: the score and band, delivery confidence
(suggested and the officer's own), a chart of the dimensions, the three
biggest gaps with their action, owner and due date, and where the
partnership stands and what comes next. Then the body in plain words (no
ids, hashes or revision numbers): every dimension and business case, every
gap, the action plan and what the score rests on. Then an appendix with the
identifiers, and the scoring rules last.
"""

from __future__ import annotations

from dataclasses import replace

from assess.domain.stages import LAST_STAGE, stage
from assess.reports.document import (
    Bars,
    Block,
    Document,
    Facts,
    Heading,
    Item,
    Items,
    Paragraph,
    Score,
)
from assess.reports.layout import (
    GAP_POINTS_EXPLAINED,
    appendix_blocks,
    case_blocks,
    dimension_blocks,
    gap_blocks,
    level_text,
    overall_blocks,
)
from assess.reports.layout import plan_blocks as action_plan_blocks
from assess.reports.model import Report

SUMMARY_GAPS = 3  # the biggest gaps named on the summary page


def committee_document(report: Report) -> Document:
    """The committee view as a Document: summary page, body, appendix, rules."""
    blocks: list[Block] = summary_blocks(report)
    body = dimension_blocks(report)
    body[0] = replace(body[0], new_page=True) if isinstance(body[0], Heading) else body[0]
    blocks += body
    blocks += case_blocks(report)
    blocks += gap_blocks(report)
    blocks += action_plan_blocks(report)
    blocks += _rests_on(report)
    gaps = [gap.criterion.question for gap in report.gaps]
    appendix = appendix_blocks(report, gaps, new_page=True)
    appendix[2] = Paragraph(
        "Each gap's question id, as the JSON and CSV exports, the workbook and answers "
        "files name it.",
        "muted",
    )
    blocks += appendix
    blocks += [
        Heading("How the score is worked out"),
        Paragraph(report.rules, "muted"),
        Paragraph(GAP_POINTS_EXPLAINED, "muted"),
    ]
    return Document(title=f"Partnership readiness: {report.meta.title}", blocks=tuple(blocks))


def summary_blocks(report: Report) -> list[Block]:
    """The executive summary: one printed page."""
    blocks: list[Block] = [Heading("Executive summary"), _facts(report)]
    overall = overall_blocks(report)
    # The score and both delivery confidence ratings; the caps are said in one
    # sentence here (their criteria lead the gaps), in full in the body.
    blocks.append(next(b for b in overall if isinstance(b, Score)))
    if report.is_capped:
        capped = len(report.result.caps)
        blocks.append(
            Paragraph(
                f"The band is capped at {report.band}: "
                f"{capped} critical criteri{'on is' if capped == 1 else 'a are'} below "
                "the level needed; they head the gaps below.",
                "bad",
            )
        )
    blocks += [b for b in overall if isinstance(b, Paragraph) and b.tone == "strong"]
    dimensions = next(b for b in dimension_blocks(report) if isinstance(b, Bars))
    blocks.append(Heading("Readiness by dimension", level=3))
    # Dimensions with nothing to score at this stage are named, not drawn as empty bars.
    scored = tuple(bar for bar in dimensions.rows if bar.value is not None)
    later = [bar.label for bar in dimensions.rows if bar.value is None]
    where = "the table of dimensions after this summary"
    blocks.append(replace(dimensions, rows=scored, data_in=where))
    if later:
        blocks.append(
            Paragraph(f"Nothing to score yet at this stage: {', '.join(later)}.", "muted")
        )
    blocks += _biggest_gaps(report)
    blocks += _next_stage(report)
    return blocks


def _facts(report: Report) -> Facts:
    meta = report.meta
    found = stage(report.result.stage)
    pairs = [("Authority", meta.authority)]
    if meta.service:
        pairs.append(("Service", meta.service))
    if meta.period:
        pairs.append(("Period", meta.period))
    pairs.append(("Stage", f"{found.name} ({found.gateway})"))
    pairs.append(("Assessed by", meta.assessor or "not given"))
    if meta.signoff is not None:
        s = meta.signoff
        pairs.append(("Signed off", f"{s.name}, {s.role}, on {s.date.isoformat()}"))
    if meta.date:
        pairs.append(("Report date", meta.date))
    return Facts(tuple(pairs))


def _biggest_gaps(report: Report) -> list[Block]:
    gaps = report.gaps[:SUMMARY_GAPS]
    if not gaps:
        return [
            Heading("The biggest gaps", level=3),
            Paragraph("None: every criterion that counts at this stage is at its target."),
        ]
    today = report.today
    items = []
    for gap in gaps:
        row = gap.criterion
        entry = report.plan_entry(gap.id)
        due = "no date yet"
        if entry is not None and entry.due is not None:
            late = today is not None and entry.overdue(today)
            due = entry.due.isoformat() + (" (overdue)" if late else "")
        owner = entry.owner if entry and entry.owner else "not yet named"
        lines = (
            ("", f"{row.dimension_title}: {level_text(row)}, target {row.target}"),
            ("Action", entry.action if entry else row.action),
            ("Owner", f"{owner} · due {due}" if due[0].isdigit() else f"{owner} · {due}"),
        )
        items.append(Item(row.text, lines, tone="bad" if row.critical else "plain"))
    heading = (
        "The biggest gap" if len(gaps) == 1 else f"The {len(gaps)} biggest gaps"
    ) + f" (of {len(report.gaps)})"
    return [Heading(heading, level=3), Items(tuple(items), numbered=True)]


def _next_stage(report: Report) -> list[Block]:
    now = stage(report.result.stage)
    said = [f"This assessment is made at the {now.name.lower()} stage: {now.question}"]
    if now.number < LAST_STAGE:
        after = stage(now.number + 1)
        later = len(report.later_stage)
        said.append(
            f"Next comes {after.name.lower()} ({after.gateway}): {after.question}"
            + (
                f" {later} more {'criterion applies' if later == 1 else 'criteria apply'} from "
                "later stages; they are not scored yet."
                if later
                else ""
            )
        )
    else:
        said.append("This is the last stage: the partnership is running and is reviewed.")
    return [Heading("Where it stands and what comes next", level=3), Paragraph(" ".join(said))]


def _rests_on(report: Report) -> list[Block]:
    """The caps in full, and how much of the assessment is answered."""
    said = [b for b in overall_blocks(report) if isinstance(b, Paragraph) and b.tone != "strong"]
    return [Heading("What the score rests on"), *said]
