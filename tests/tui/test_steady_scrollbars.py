"""A layout elsewhere on the screen leaves a scrolling widget's scrollbars alone.

Textual redraws the scrollbars of every scrolling widget whose content is
longer than itself on every layout of the screen, a frame after the rest:
moving to another section of the questions took a frame longer for it. The
app's option lists, text areas and table (`SteadyScrollbars`) keep theirs
when the layout changes nothing of their own, and still follow any change
that is theirs: their content growing, the terminal resized.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.scroll_view import ScrollView
from textual.widgets import Static
from textual.widgets.option_list import Option

from assess.store import Store
from assess.tui.base import AssessAppBase
from assess.tui.widgets.listing import SummaryTable
from assess.tui.widgets.notes import NoteArea
from assess.tui.widgets.options import Options

from .helpers import asynctest, settle

LONG_NOTE = "\n".join(f"Line {n} of a note longer than its box" for n in range(12))


class Scrolling(AssessAppBase):
    """A line of text that changes height above three scrolling widgets, each too short."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            Store.open(folder), cursor_blink=False, handle_signals=False, remember_theme=False
        )

    # Heights that follow the terminal's, so that resizing it resizes them.
    CSS = """
    #options { height: 20%; }
    #note { height: 15%; }
    #table { height: 20%; }
    """

    def compose(self) -> ComposeResult:
        yield Static("One line", id="above")
        yield Options(*(Option(f"Option {n}") for n in range(30)), id="options")
        yield NoteArea(LONG_NOTE, id="note")
        table = SummaryTable(id="table")
        yield table

    def on_mount(self) -> None:
        table = self.query_one(SummaryTable)
        columns = [("name", "Name", 20), ("score", "Score", 6)]
        headings = [("Name", ""), ("Score", "")]
        table.show(columns, headings, 40, lambda index: ((f"Row {index}", ""), (str(index), "")))


def _scrolling(app: App[None]) -> Iterator[ScrollView]:
    yield app.query_one(Options)
    yield app.query_one(NoteArea)
    yield app.query_one(SummaryTable)


def _count_scrollbar_refreshes(app: App[None]) -> dict[str, int]:
    """Count each widget's vertical scrollbar refreshes from now on (an instance wrapper)."""
    counts: dict[str, int] = {}
    for widget in _scrolling(app):
        bar = widget.vertical_scrollbar
        name = type(widget).__name__
        counts[name] = 0
        original = bar.refresh

        def counted(*args: object, _original=original, _name=name, **kwargs: object) -> object:
            counts[_name] += 1
            return _original(*args, **kwargs)

        bar.refresh = counted  # type: ignore[method-assign]
    return counts


async def _relayout(pilot: Pilot[None], text: str) -> None:
    above = pilot.app.query_one("#above", Static)
    above.update(text)
    await settle(pilot, lambda: above.size.height == text.count("\n") + 1, "the new height")
    await pilot.pause()


@asynctest
async def test_a_layout_elsewhere_leaves_the_scrollbars_alone(tmp_path: Path) -> None:
    app = Scrolling(tmp_path / "store")
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        for widget in _scrolling(app):
            assert widget.show_vertical_scrollbar, type(widget).__name__
        counts = _count_scrollbar_refreshes(app)
        # Each text changes the line's height, which lays the screen out twice.
        await _relayout(pilot, "Two\nlines")
        await _relayout(pilot, "Three\nlines\nnow")
        await _relayout(pilot, "One line")
        assert counts == dict.fromkeys(counts, 0)


@asynctest
async def test_the_scrollbars_still_follow_their_own_changes(tmp_path: Path) -> None:
    app = Scrolling(tmp_path / "store")
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        options = app.query_one(Options)
        options.add_options([Option(f"More {n}") for n in range(30)])
        note = app.query_one(NoteArea)
        note.load_text(LONG_NOTE + "\n" + LONG_NOTE)
        await _relayout(pilot, "Two\nlines")
        # Sixty options and twenty-four lines of note (none wraps at this width),
        # against thirty and twelve before.
        for widget, lines in ((options, 60), (note, 24)):
            bar = widget.vertical_scrollbar
            await settle(
                pilot,
                lambda bar=bar, lines=lines: bar.window_virtual_size == lines,
                f"{type(widget).__name__}'s scrollbar over {lines} lines",
            )
        before = {type(w).__name__: w.vertical_scrollbar.window_size for w in _scrolling(app)}
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        for widget in _scrolling(app):
            bar = widget.vertical_scrollbar
            assert bar.window_size == widget.scrollable_content_region.height
            assert bar.window_size < before[type(widget).__name__]
        options.clear_options()
        options.add_options([Option("Only one")])
        await settle(pilot, lambda: not options.show_vertical_scrollbar, "the scrollbar gone")
