"""The HTML report: a Document as one self-contained, printable HTML page.

Inline CSS, no scripts, no external assets: the file can be emailed, opened
offline, attached to committee papers or printed. Charts are inline SVG
(`charts.py`), each with its text alternative and its figures in a table.
Printed (or made into the PDF), pages are A4 with the title and page numbers
in the footer, the protective marking (if any) at the top and bottom of every
page, table headers repeated and no row split across pages. Every piece of
data text goes through `escape.html_text`, so `<script>` in a note is shown as
text and never becomes an element.
"""

from __future__ import annotations

from assess.domain.scoring import format_score
from assess.reports.charts import bars_svg, chart_svg
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
)
from assess.reports.escape import html_text
from assess.reports.layout import report_document
from assess.reports.model import Report

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
  border-bottom: 1px solid #d8d8d8; overflow-wrap: break-word; }
th { border-bottom: 2px solid #1b1b1b; }
td.num, th.num { text-align: right; white-space: nowrap; }
svg.chart { display: block; max-width: 100%; height: auto; margin: .6rem 0 .2rem; }
figure { margin: 0; }
.marking { text-align: center; font-weight: 700; letter-spacing: .05em; margin: 0 0 1rem; }
.marking.end { margin: 2rem 0 0; }
ol.items, ul.items { padding-left: 1.6rem; }
.items li { margin: .7rem 0; }
.items .title { font-weight: 600; }
.items .line { margin: .15rem 0; }
.items .label { font-weight: 600; }
h1 { string-set: doctitle content(text); }
@page { size: A4; margin: 16mm 16mm 20mm;
  font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif;
  @bottom-left { content: string(doctitle); font-size: 7.5pt; color: #505a5f;
    vertical-align: top; padding-top: 3mm; width: 38%; }
  @bottom-center { vertical-align: top; padding-top: 3mm; width: 24%; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 7.5pt;
    color: #505a5f; vertical-align: top; padding-top: 3mm; width: 38%; text-align: right; }
}
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 9.5pt; line-height: 1.35; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 15pt; margin-bottom: .5rem; padding-bottom: .25rem; }
  h2 { font-size: 12.5pt; margin: 1.2rem 0 .4rem; break-after: avoid; }
  h3 { font-size: 10.5pt; margin: .7rem 0 .25rem; break-after: avoid; }
  h2.new-page { break-before: page; margin-top: 0; }
  p { margin: .25rem 0; }
  dl.facts { grid-template-columns: max-content 1fr max-content 1fr; gap: .1rem .8rem; }
  .score { font-size: 14pt; margin: .3rem 0; }
  table { font-size: 8.5pt; table-layout: fixed; }
  th, td { padding: .15rem .4rem; }
  thead { display: table-header-group; }
  .items li { margin: .4rem 0; }
  .items .line { margin: .05rem 0; }
  tr, li, svg.chart, dl.facts { break-inside: avoid; }
  .marking { display: none; }
}
"""

# The marking is checked to be a few plain words (`export.check_marking`), so it
# can stand in CSS as it is; anything from data stays out of the style sheet.
MARKING_CSS = """@page {
  @top-center { content: "%(marking)s"; font-weight: 700; font-size: 10pt;
    white-space: nowrap; }
  @bottom-center { content: "%(marking)s"; font-weight: 700; font-size: 10pt;
    white-space: nowrap; }
}
"""


def render(report: Report, *, marking: str = "") -> str:
    """The readiness report as a self-contained HTML page."""
    return render_document(report_document(report), marking=marking)


def render_document(document: Document, *, marking: str = "") -> str:
    """The document as a page; `marking` (e.g. OFFICIAL-SENSITIVE) heads and ends every page."""
    charts = iter(range(1, len(document.blocks) + 1))
    body = "\n".join(_block(block, f"chart-{next(charts)}") for block in document.blocks)
    style = CSS + (MARKING_CSS % {"marking": marking} if marking else "")
    banner = f'<p class="marking">{html_text(marking)}</p>\n' if marking else ""
    closing = f'\n<p class="marking end">{html_text(marking)}</p>' if marking else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(document.title)}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n<main>\n{banner}"
        f"<h1>{html_text(document.title)}</h1>\n{body}{closing}\n</main>\n</body>\n</html>\n"
    )


def table(
    headers: list[str], rows: list[list[str]], right: set[int] | None = None, caption: str = ""
) -> str:
    """An HTML table of text cells; `right` holds the indexes of numeric columns.

    Column widths are given (`<col>`), worked out from the length of what each
    column holds, so that a printed page can lay the table out in one pass
    (`table-layout: fixed`) instead of measuring every cell's text: for a long
    report that is most of the time WeasyPrint takes.
    """
    right = right or set()

    def cls(i: int) -> str:
        return ' class="num"' if i in right else ""

    head = "".join(f'<th scope="col"{cls(i)}>{html_text(h)}</th>' for i, h in enumerate(headers))
    body = "\n".join(
        "<tr>" + "".join(f"<td{cls(i)}>{html_text(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{html_text(caption)}</caption>" if caption else ""
    cols = "".join(f'<col style="width: {w}%">' for w in column_widths(headers, rows))
    return (
        f"<table>{cap}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody></table>"
    )


def column_widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    """Each column's share of the width, in whole percent: by the longest word of its
    heading and the typical length of its cells, long text columns capped."""
    shares = []
    for i, heading in enumerate(headers):
        cells = [row[i] for row in rows if i < len(row)]
        longest = max((len(c) for c in cells), default=0)
        # A short heading stays on one line; a long one may wrap between its words.
        word = len(heading) if len(heading) <= 18 else max(len(w) for w in heading.split())
        shares.append(max(word + 1, min(longest, 50), 3) + 3)
    total = sum(shares) or 1
    return [max(1, round(100 * share / total)) for share in shares]


def _block(block: Block, ident: str) -> str:
    """One block as HTML; `ident` is the id a chart's title and description take."""
    if isinstance(block, Heading):
        level = max(2, min(block.level, 6))
        page = ' class="new-page"' if block.new_page else ""
        return f"<h{level}{page}>{html_text(block.text)}</h{level}>"
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
        return _bars(block, ident)
    if isinstance(block, Chart):
        return _chart(block, ident)
    if isinstance(block, Table):
        right = {i for i, c in enumerate(block.columns) if c.align == "right"}
        return table([c.title for c in block.columns], [list(r) for r in block.rows], right)
    if isinstance(block, Items):
        return _items(block)
    raise TypeError(f"no HTML layout for {type(block).__name__}")


def _bars(block: Bars, ident: str) -> str:
    """A bar chart, then its figures in a table (the chart's data, for every reader)."""
    svg = bars_svg(block, ident=ident, title=f"{block.heading} scores out of 100")
    if block.data_in:
        return f"<figure>{svg}</figure>"
    rows = [[b.label, b.shown, b.note] for b in block.rows]
    figures = table([block.heading, "Score out of 100", "Notes"], rows, right={1})
    return f"<figure>{svg}</figure>\n{figures}"


def _chart(block: Chart, ident: str) -> str:
    svg = f"<figure>{chart_svg(block, ident=ident)}</figure>"
    if block.data_in:
        return svg
    if block.kind == "spread":
        rows = []
        for series in block.series:
            scored = [v for v in series.values if v is not None]
            low = format_score(min(scored)) if scored else "–"
            high = format_score(max(scored)) if scored else "–"
            rows.append([series.label, low, high, str(len(scored))])
        headers = ["", "Lowest", "Highest", "Views"]
        return svg + "\n" + table(headers, rows, right={1, 2, 3}, caption=block.title)
    headers = ["", *block.points]
    rows = [[s.label, *(format_score(v) for v in s.values)] for s in block.series]
    right = set(range(1, len(headers)))
    return svg + "\n" + table(headers, rows, right=right, caption=block.title)


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
