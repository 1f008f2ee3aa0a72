"""The HTML report: a Document as one self-contained, printable HTML page.

Inline CSS, no scripts, no external assets: the file can be emailed, opened
offline, attached to committee papers or printed (bars keep their colour in
print). Every piece of data text goes through `escape.html_text`, so `<script>`
in a note is shown as text and never becomes an element.
"""

from __future__ import annotations

from assess.reports.document import (
    Bars,
    Block,
    Document,
    Facts,
    Heading,
    Items,
    Paragraph,
    Score,
    Table,
    bar_cells,
)
from assess.reports.escape import html_attr, html_text
from assess.reports.layout import report_document
from assess.reports.model import Report

BAR_STEPS = 100

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #1b1b1b;
  line-height: 1.45; margin: 0; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; border-bottom: 3px solid #1b1b1b; padding-bottom: .4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #b1b4b6; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p { margin: .4rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.score { font-size: 1.5rem; font-weight: 700; margin: .4rem 0; }
.band { display: inline-block; padding: .05rem .6rem; border-radius: .3rem; margin-left: .6rem;
  font-size: 1.1rem; }
.tone-good { color: #00703c; } .tone-warning { color: #8a5a00; } .tone-bad { color: #b10e1e; }
.tone-muted { color: #505a5f; } .tone-strong { font-weight: 700; }
.band.tone-good { background: #cce2d8; } .band.tone-warning { background: #fff2cc; }
.band.tone-bad { background: #f6d7d2; } .band.tone-muted { background: #e8e8e8; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem;
  border-bottom: 1px solid #d8d8d8; overflow-wrap: anywhere; }
th { border-bottom: 2px solid #1b1b1b; }
td.num, th.num { text-align: right; white-space: nowrap; }
.bar { width: 12rem; height: .9rem; background: #e8e8e8; border: 1px solid #b1b4b6; }
.bar span { display: block; height: 100%; }
.fill-good { background: #00703c; } .fill-warning { background: #d4a017; }
.fill-bad { background: #b10e1e; } .fill-muted, .fill-plain, .fill-strong { background: #505a5f; }
ol.items, ul.items { padding-left: 1.6rem; }
.items li { margin: .7rem 0; }
.items .title { font-weight: 600; }
.items .line { margin: .15rem 0; }
.items .label { font-weight: 600; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, li { break-inside: avoid; }
}
"""


def render(report: Report) -> str:
    """The readiness report as a self-contained HTML page."""
    return render_document(report_document(report))


def render_document(document: Document) -> str:
    body = "\n".join(_block(block) for block in document.blocks)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(document.title)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{html_text(document.title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def table(
    headers: list[str], rows: list[list[str]], right: set[int] | None = None, caption: str = ""
) -> str:
    """An HTML table of text cells; `right` holds the indexes of numeric columns."""
    right = right or set()

    def cls(i: int) -> str:
        return ' class="num"' if i in right else ""

    head = "".join(f'<th scope="col"{cls(i)}>{html_text(h)}</th>' for i, h in enumerate(headers))
    body = "\n".join(
        "<tr>" + "".join(f"<td{cls(i)}>{html_text(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{html_text(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>"


def bar(value_cells: int, tone: str, label: str) -> str:
    """A bar out of 100 drawn with CSS; the width is a number we computed, never data."""
    return (
        f'<div class="bar" role="img" aria-label="{html_attr(label)}">'
        f'<span class="fill-{tone}" style="width: {value_cells}%"></span></div>'
    )


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        level = max(2, min(block.level, 6))
        return f"<h{level}>{html_text(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f'<p class="tone-{block.tone}">{html_text(block.text)}</p>'
    if isinstance(block, Facts):
        pairs = "".join(
            f"<dt>{html_text(label)}</dt><dd>{html_text(value)}</dd>"
            for label, value in block.pairs
        )
        return f'<dl class="facts">{pairs}</dl>'
    if isinstance(block, Score):
        return (
            f'<p class="score">{html_text(block.label)}: {html_text(block.shown)} / 100'
            f'<span class="band tone-{block.tone}">{html_text(block.band)}</span></p>'
        )
    if isinstance(block, Bars):
        return _bars(block)
    if isinstance(block, Table):
        right = {i for i, c in enumerate(block.columns) if c.align == "right"}
        return table([c.title for c in block.columns], [list(r) for r in block.rows], right)
    if isinstance(block, Items):
        return _items(block)
    raise TypeError(f"no HTML layout for {type(block).__name__}")


def _bars(block: Bars) -> str:
    rows = []
    for b in block.rows:
        cells = bar_cells(b.value, BAR_STEPS)
        rows.append(
            "<tr>"
            f"<td>{html_text(b.label)}</td>"
            f'<td class="num">{html_text(b.shown)}</td>'
            f"<td>{bar(cells, b.tone, f'{b.label}: {b.shown} out of 100')}</td>"
            f'<td class="tone-muted">{html_text(b.note)}</td>'
            "</tr>"
        )
    head = (
        f'<thead><tr><th scope="col">{html_text(block.heading)}</th>'
        '<th scope="col" class="num">Score</th>'
        '<th scope="col">Out of 100</th><th scope="col">Notes</th></tr></thead>'
    )
    return f"<table>{head}\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"


def _items(block: Items) -> str:
    tag = "ol" if block.numbered else "ul"
    entries = []
    for item in block.items:
        lines = "".join(
            '<div class="line">'
            + (f'<span class="label">{html_text(label)}:</span> ' if label else "")
            + f"{html_text(text)}</div>"
            for label, text in item.lines
            if text
        )
        entries.append(
            f'<li><div class="title tone-{item.tone}">{html_text(item.title)}</div>{lines}</li>'
        )
    return f'<{tag} class="items">\n' + "\n".join(entries) + f"\n</{tag}>"
