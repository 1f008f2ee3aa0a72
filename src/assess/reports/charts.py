"""Charts as inline SVG: no script, no font file, no external asset, readable without colour.

The HTML report (and so the PDF made from it) draws a bar chart of the
dimension and business-case scores, and comparisons draw a trend over time
and the spread of officers' views. Each chart is an `<svg role="img">` with a
`<title>` and a `<desc>` (its text alternative); the figures themselves are
always in a table beside it. Every label comes from data, so it is escaped
for XML, control characters are shown as �, and bidirectional controls are
shown by their code rather than obeyed (a label cannot turn the chart's
other text round). Positions are computed from scores, never from text.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from assess.domain.scoring import format_score
from assess.reports.document import Bars, Chart, Series, Tone
from assess.reports.escape import bidi_visible, html_text

WIDTH = 640
LABEL_WIDTH = 250  # room for a dimension's title on the left of the bars
SCALE = 3  # pixels per point out of 100: a bar area 300 pixels wide
ROW = 18
TOP = 22  # room for the axis labels above the first row
LABEL_CHARS = 40
# Where a band starts, and on which side of its line the band's name is written.
THRESHOLDS = ((50, "Nearly ready", "end"), (75, "Ready", "start"))

FILLS: dict[Tone, str] = {
    "plain": "#505a5f",
    "strong": "#1b1b1b",
    "muted": "#505a5f",
    "good": "#00703c",
    "warning": "#b58105",
    "bad": "#b10e1e",
}
# Okabe and Ito's palette, told apart by people with the common colour-vision
# deficiencies; the yellow is left out (too faint on white paper).
LINE_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#882255",
    "#117733",
    "#332288",
    "#999999",
)
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def text(value: str) -> str:
    """Data text for an SVG `<text>` or `<title>`: escaped, one line, bidi shown by name."""
    return html_text(bidi_visible(" ".join(value.split())))


def short(value: str, limit: int = LABEL_CHARS) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _x(score: Fraction | float, left: int = LABEL_WIDTH) -> float:
    clamped = min(max(Fraction(score), Fraction(0)), Fraction(100))
    return round(left + float(clamped) * SCALE, 1)


def _svg(ident: str, title: str, description: str, height: int, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="12">'
        f'<title id="{ident}-title">{text(title)}</title>'
        f'<desc id="{ident}-desc">{text(description)}</desc>' + "".join(body) + "</svg>"
    )


def _axis(rows: int, left: int = LABEL_WIDTH) -> list[str]:
    """Grid lines at every 25 points, labelled above, and the band thresholds marked below."""
    bottom = TOP + rows * ROW
    out = []
    for tick in (0, 25, 50, 75, 100):
        x = _x(tick, left)
        out.append(
            f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{bottom}" stroke="#d8d8d8" '
            'stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x}" y="{TOP - 8}" text-anchor="middle" fill="#505a5f" '
            f'font-size="10">{tick}</text>'
        )
    for score, name, side in THRESHOLDS:
        x = _x(score, left)
        out.append(
            f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{bottom}" stroke="#505a5f" '
            'stroke-width="1" stroke-dasharray="3 3"/>'
        )
        at = x - 3 if side == "end" else x + 3
        out.append(
            f'<text x="{at}" y="{bottom + 12}" text-anchor="{side}" fill="#505a5f" '
            f'font-size="10">{name} from {score}</text>'
        )
    return out


def bars_svg(block: Bars, *, ident: str, title: str) -> str:
    """A horizontal bar per row of `block`, each score written at the end of its bar."""
    body = _axis(len(block.rows))
    described = []
    for n, bar in enumerate(block.rows):
        y = TOP + n * ROW
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 13}" text-anchor="end" fill="#1b1b1b">'
            f"{text(short(bar.label))}</text>"
        )
        if bar.value is not None:
            end = _x(bar.value)
            width = round(end - LABEL_WIDTH, 1)
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="12" '
                f'fill="{FILLS[bar.tone]}"/>'
            )
        else:
            end = float(LABEL_WIDTH)
        body.append(
            f'<text x="{end + 6}" y="{y + 13}" fill="#1b1b1b" font-weight="bold">'
            f"{text(bar.shown)}</text>"
        )
        described.append(f"{bar.label} {bar.shown}")
    height = TOP + len(block.rows) * ROW + 18
    description = f"{block.heading} scores out of 100, one bar each: " + "; ".join(described) + "."
    if block.data_in:
        description += f" {block.data_in[:1].upper()}{block.data_in[1:]} gives the notes."
    return _svg(ident, title, description, height, body)


def _values_text(values: Sequence[Fraction | None]) -> str:
    return ", ".join(format_score(v) for v in values)


def trend_svg(chart: Chart, *, ident: str) -> str:
    """One line per series across the chart's points (assessments in order), 0 to 100 up."""
    plot_left, plot_right, plot_top, plot_bottom = 44, 440, 16, 236
    legend_left = 456
    n = len(chart.points)
    step = (plot_right - plot_left) / max(1, n - 1)

    def x_of(i: int) -> float:
        return round(plot_left + i * step, 1) if n > 1 else (plot_left + plot_right) / 2

    def y_of(score: Fraction) -> float:
        clamped = min(max(Fraction(score), Fraction(0)), Fraction(100))
        return round(plot_bottom - float(clamped) * (plot_bottom - plot_top) / 100, 1)

    body: list[str] = []
    for tick in (0, 25, 50, 75, 100):
        y = y_of(Fraction(tick))
        dash = ' stroke-dasharray="3 3"' if tick in (50, 75) else ""
        colour = "#505a5f" if dash else "#d8d8d8"
        body.append(
            f'<line x1="{plot_left}" y1="{y}" x2="{plot_right}" y2="{y}" stroke="{colour}"{dash}/>'
        )
        body.append(
            f'<text x="{plot_left - 6}" y="{y + 4}" text-anchor="end" fill="#505a5f" '
            f'font-size="10">{tick}</text>'
        )
    every = max(1, -(-n // 10))  # at most ten labels along the bottom
    for i, point in enumerate(chart.points):
        if i % every:
            continue
        x = x_of(i)
        body.append(
            f'<text x="{x}" y="{plot_bottom + 14}" text-anchor="end" fill="#1b1b1b" '
            f'font-size="10" transform="rotate(-30 {x} {plot_bottom + 14})">'
            f"{text(short(point, 18))}</text>"
        )
    described = []
    for number, series in enumerate(chart.series):
        colour = "#1b1b1b" if series.strong else LINE_COLOURS[number % len(LINE_COLOURS)]
        stroke = 3 if series.strong else 1.5
        for segment in _segments(series):
            points = " ".join(f"{x_of(i)},{y_of(v)}" for i, v in segment)
            if len(segment) > 1:
                body.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="{stroke}"/>'
                )
            for i, v in segment:
                body.append(
                    f'<circle cx="{x_of(i)}" cy="{y_of(v)}" r="{stroke + 1.5}" fill="{colour}"/>'
                )
        y = plot_top + number * 16
        body.append(
            f'<rect x="{legend_left}" y="{y}" width="12" height="{stroke + 1}" fill="{colour}"/>'
        )
        weight = ' font-weight="bold"' if series.strong else ""
        body.append(
            f'<text x="{legend_left + 18}" y="{y + 5}" font-size="10" fill="#1b1b1b"{weight}>'
            f"{text(short(series.label, 26))}</text>"
        )
        described.append(f"{series.label}: {_values_text(series.values)}")
    height = max(plot_bottom + 70, plot_top + 16 * len(chart.series) + 10)
    description = (
        f"{chart.description} Scores out of 100 in the order "
        f"{', '.join(chart.points)}. " + "; ".join(described) + "."
    )
    return _svg(ident, chart.title, description, height, body)


def _segments(series: Series) -> list[list[tuple[int, Fraction]]]:
    """The runs of consecutive scores (a column with no score breaks the line)."""
    runs: list[list[tuple[int, Fraction]]] = [[]]
    for i, value in enumerate(series.values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((i, value))
    return [run for run in runs if run]


def spread_svg(chart: Chart, *, ident: str) -> str:
    """Per row, a dot for each view and a bar from the lowest to the highest."""
    body = _axis(len(chart.series))
    described = []
    for n, series in enumerate(chart.series):
        y = TOP + n * ROW
        weight = ' font-weight="bold"' if series.strong else ""
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" fill="#1b1b1b"{weight}>'
            f"{text(short(series.label))}</text>"
        )
        scored = [v for v in series.values if v is not None]
        if not scored:
            body.append(f'<text x="{LABEL_WIDTH + 6}" y="{y + 16}" fill="#505a5f">–</text>')
            described.append(f"{series.label}: no scores")
            continue
        low, high = min(scored), max(scored)
        body.append(
            f'<rect x="{_x(low)}" y="{y + 9}" width="{round(_x(high) - _x(low), 1)}" '
            'height="6" fill="#b1b4b6"/>'
        )
        for value in scored:
            body.append(
                f'<circle cx="{_x(value)}" cy="{y + 12}" r="4.5" fill="#0072b2" '
                'fill-opacity="0.7" stroke="#ffffff" stroke-width="0.5"/>'
            )
        body.append(
            f'<text x="{_x(high) + 9}" y="{y + 16}" fill="#1b1b1b" font-size="11">'
            f"{format_score(low)}–{format_score(high)}</text>"
        )
        described.append(
            f"{series.label}: from {format_score(low)} to {format_score(high)} "
            f"({_values_text(series.values)})"
        )
    height = TOP + len(chart.series) * ROW + 18
    description = f"{chart.description} " + "; ".join(described) + "."
    return _svg(ident, chart.title, description, height, body)


def chart_svg(chart: Chart, *, ident: str) -> str:
    return (
        trend_svg(chart, ident=ident) if chart.kind == "trend" else spread_svg(chart, ident=ident)
    )
