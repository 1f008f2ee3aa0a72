"""Score bars for the results screen: a labelled bar out of 100 that reads without colour."""

from __future__ import annotations

from fractions import Fraction

from rich.text import Text

from assess.domain.scoring import format_score


def bar(score: Fraction | None, width: int) -> Text:
    """`████████░░░░ 67.3` — the filled part is the score out of 100."""
    width = max(width, 4)
    if score is None:
        return Text("n/a (no criterion applies)", style="dim", end="")
    filled = int(Fraction(score) * width / 100)
    text = Text(end="")
    text.append("█" * filled, style="bold")
    text.append("░" * (width - filled), style="dim")
    text.append(f" {format_score(score):>5}")
    return text


def score_line(title: str, score: Fraction | None, label_width: int, bar_width: int) -> Text:
    """One dimension: its title (literal text, cut to fit) and its bar."""
    from assess.tui.text import one_line

    line = Text(end="", no_wrap=True)
    line.append(one_line(title, label_width).ljust(label_width))
    line.append(" ")
    line.append_text(bar(score, bar_width))
    return line
