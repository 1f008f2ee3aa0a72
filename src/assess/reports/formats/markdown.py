"""The Markdown report: a Document as GitHub-flavoured Markdown.

Every piece of data text goes through `escape.markdown_text`, so a note with
`<script>` or `[link](x)` shows those characters instead of becoming HTML or
a link. Bars are drawn in block characters inside a table, which reads well
both rendered and as plain text.
"""

from __future__ import annotations

from assess.reports.document import (
    Bars,
    Block,
    Chart,
    Document,
    Facts,
    Heading,
    Items,
    Paragraph,
    Score,
    Table,
    chart_rows,
    text_bar,
)
from assess.reports.escape import markdown_text as md
from assess.reports.layout import report_document
from assess.reports.model import Report


def render(report: Report, *, marking: str = "") -> str:
    """The readiness report as Markdown."""
    return render_document(report_document(report), marking=marking)


def render_document(document: Document, *, marking: str = "") -> str:
    """The document as Markdown; `marking` (e.g. OFFICIAL) is its first and last line."""
    parts = [f"**{md(marking)}**"] if marking else []
    parts.append(f"# {md(document.title)}")
    parts += [_block(block) for block in document.blocks]
    if marking:
        parts.append(f"**{md(marking)}**")
    return "\n\n".join(part for part in parts if part) + "\n"


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A GFM table; `right` holds the indexes of right-aligned columns."""
    right = right or set()
    head = "| " + " | ".join(md(h) for h in headers) + " |"
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"
    body = ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def _emphasis(text: str, tone: str) -> str:
    escaped = md(text)
    if tone in ("strong", "bad") and escaped:
        return f"**{escaped}**"
    if tone == "muted" and escaped:
        return f"*{escaped}*"
    return escaped


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * max(2, min(block.level, 6))} {md(block.text)}"
    if isinstance(block, Paragraph):
        return _emphasis(block.text, block.tone)
    if isinstance(block, Facts):
        return "\n".join(f"- **{md(label)}:** {md(value)}" for label, value in block.pairs)
    if isinstance(block, Score):
        return f"**{md(block.label)}: {md(block.shown)} / 100 — {md(block.band)}**"
    if isinstance(block, Bars):
        rows = [[bar.label, bar.shown, text_bar(bar.value), bar.note] for bar in block.rows]
        return table([block.heading, "Score", "Out of 100", "Notes"], rows, right={1})
    if isinstance(block, Chart):
        headers, drawing = chart_rows(block)
        drawn = table(list(headers), [list(r) for r in drawing], right={2})
        return f"**{md(block.title)}**\n\n{drawn}"
    if isinstance(block, Table):
        right = {i for i, c in enumerate(block.columns) if c.align == "right"}
        return table([c.title for c in block.columns], [list(r) for r in block.rows], right)
    if isinstance(block, Items):
        return _items(block)
    raise TypeError(f"no Markdown layout for {type(block).__name__}")


def _items(block: Items) -> str:
    out: list[str] = []
    for number, item in enumerate(block.items, 1):
        marker = f"{number}." if block.numbered else "-"
        indent = " " * (len(marker) + 1)
        title = _emphasis(item.title, "strong")
        lines = [f"{marker} {title}"]
        for label, text in item.lines:
            if not text:
                continue
            shown = f"**{md(label)}:** {md(text)}" if label else md(text)
            # A trailing backslash is a hard line break that works in every renderer.
            lines[-1] += "\\"
            lines.append(f"{indent}{shown}")
        out.append("\n".join(lines))
    return "\n".join(out)
