"""`assess list`'s table, built a column at a time, is the table cell by cell would make."""

from __future__ import annotations

import json

import pytest

from assess.cli.assessments import CELL_WIDTH, _json_list, _table, cell
from assess.domain.assessment import Summary, percent_done
from assess.domain.rules import RULES_VERSION


def by_cell(summaries: list[Summary], today: str) -> str:
    """The table as the first version of `assess list` made it, one cell at a time."""
    head = ("ID", "Authority", "Service", "Assessor", "Period", "Stage", "Status", "Complete")
    rows = [(*head, "Score", "Band", "Confidence", "Actions", "Updated (UTC)")]
    for s in summaries:
        score = "–" if s.score is None else f"{s.score:.1f}"
        status: str = "signed off" if s.signed_off else s.status
        if s.signed_off and s.review <= today:
            status += ", review due"
        overdue = s.overdue(today)
        actions = f"{s.plan_total}" + (f" ({overdue} overdue)" if overdue else "")
        rows.append(
            (
                s.id,
                cell(s.authority),
                cell(s.service),
                cell(s.assessor),
                cell(s.period, 18),
                str(s.stage),
                cell(status, 24),
                percent_done(s.completeness),
                score,
                cell(s.band, 14),
                cell(s.confidence or "–", 12),
                actions,
                cell(f"{s.updated[:10]} {s.updated[11:16]}"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            c.rjust(widths[i]) if i in {5, 7, 8} else c.ljust(widths[i]) for i, c in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def summary(n: int, **changes: object) -> Summary:
    base = Summary(
        id=f"{n:08x}",
        authority=f"Council {n}",
        service="",
        assessor="A. Officer",
        status="draft",
        created="2026-01-01T00:00:00Z",
        updated=f"2026-02-{n % 28 + 1:02d}T10:{n % 60:02d}:00Z",
        completeness=n / 7 % 1,
        score=None if n % 3 == 0 else n * 7 % 100 + 0.25,
        band="Not ready",
        bank_id="partnering",
        bank_version="2.0.0",
        revision=n,
        stage=n % 6,
        period="2026/27" if n % 2 else "",
        confidence="" if n % 4 else "Amber",
        plan_total=n % 5,
        plan_due=("2026-01-15", "2027-03-01") if n % 5 else (),
        review="" if n % 7 else ("2026-01-31" if n % 2 else "2027-01-31"),
        rules_version=RULES_VERSION,
    )
    return base._replace(**changes)


@pytest.mark.parametrize(
    "odd",
    [
        {},
        {"authority": "A name far longer than the column has room for, by a long way"},
        {"authority": "\x1b]0;pwned\x07Council", "service": "Waste\x1b[2J"},
        {"assessor": "Tab\tand\nline", "band": "\u202eydaer"},
        {"confidence": "[bold]Amber[/bold]", "period": "as at 2026-12-01, a long one"},
    ],
)
def test_the_table_is_the_one_cell_by_cell_makes(odd: dict[str, object]) -> None:
    summaries = [summary(n) for n in range(40)]
    summaries[7] = summaries[7]._replace(**odd)
    assert _table(summaries, "2026-06-01") == by_cell(summaries, "2026-06-01")


def test_hidden_characters_are_shown_by_their_code() -> None:
    table = _table([summary(1, authority="\x1b[31mRed\u202e")], "2026-06-01")
    assert "\x1b" not in table and "\u202e" not in table
    assert "\\x1b[31mRed\\u202e" in table
    assert all(len(line) < 20 * CELL_WIDTH for line in table.splitlines())


def test_an_empty_list_is_the_heading_alone() -> None:
    assert _table([], "2026-06-01") == by_cell([], "2026-06-01")


@pytest.mark.parametrize(
    "odd",
    [
        {},
        {"authority": '\x1b]0;pwned\x07Council "quoted" \\ back', "service": "Waste\u202e"},
        {"score": 50, "completeness": 1},  # whole numbers stay as they were stored
        {"plan_due": ("2026-01-01",), "review": "2027-01-01"},
        {"assessor": "Émile Zoë 😀", "period": "as at 2026-12-01"},
    ],
)
def test_the_json_is_the_one_the_indenting_encoder_makes(odd: dict[str, object]) -> None:
    summaries = [summary(n) for n in range(30)]
    summaries[3] = summaries[3]._replace(**odd)
    expected = json.dumps([s.to_data() for s in summaries], indent=2, ensure_ascii=False)
    assert _json_list(summaries) == expected
    assert _json_list([]) == json.dumps([], indent=2)
