"""The home screen: the saved assessments, and everything one can do with them.

A table lists every assessment (authority, service, assessor, status,
completeness, score, last change). Officers sort it, filter it, open one to
carry on, make copies, rename, delete (with undo), select several to
compare, and export a bundle. With an empty store it explains the app in
plain English and offers a demo assessment to look around in.

This is the first screen an officer waits for, so it draws from the store's
list alone (no question bank, no scoring), mounts the welcome only when the
store is empty, and once it has been painted asks the app to load what
opening an assessment needs in the background (`AssessApp.warm_up`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from assess.domain.assessment import percent_done
from assess.domain.errors import BadInput
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.text import plain, plural, when
from assess.tui.widgets.field import Field
from assess.tui.widgets.listing import Cell, SummaryTable

if TYPE_CHECKING:
    from assess.domain.assessment import Summary

# (key, heading, how the summaries sort on it)
SORTS: list[tuple[str, str, Callable[[Summary], object]]] = [
    ("updated", "Updated", attrgetter("updated")),
    ("authority", "Authority", lambda s: (s.authority.casefold(), s.service.casefold())),
    ("service", "Service", lambda s: s.service.casefold()),
    ("assessor", "Assessor", lambda s: s.assessor.casefold()),
    ("status", "Status", lambda s: s.status),
    ("completeness", "Done", lambda s: s.completeness),
    ("score", "Score", lambda s: -1.0 if s.score is None else s.score),
]

WELCOME = """\
Welcome. This app helps you assess how ready your authority is for a strategic \
service-delivery partnership: an outsourcing, joint venture or other partnering \
arrangement with a private or third-sector partner.

You answer two sets of questions: a short survey (the questions put to council \
chief executives in 2019, so you can see how your answers compare) and the \
readiness criteria, each rated from 0 "not started" to 4 "fully in place and \
evidenced". Every answer is saved the moment you give it, so you can stop at any \
time and carry on later. At the end you get a readiness score, the gaps to close \
and the actions that close them.

Press N to start a new assessment, or M to open a demo assessment ("Demo Council") \
with example answers to look around in. Press F1 on any screen for help."""


def column_widths(width: int) -> list[tuple[str, str, int]]:
    """Columns (key, heading, width) that fit a table `width` cells wide."""
    wide = width >= 110
    fixed = [
        ("status", "Status", 8),
        ("completeness", "Done", 4),
        ("score", "Score", 5),
        ("updated", "Updated", 17 if wide else 11),
    ]
    if wide:
        fixed.insert(3, ("band", "Band", 12))
    columns = 1 + len(fixed) + 3  # the selection mark, the fixed ones, three names
    spare = width - 2 * columns - 1 - 1 - sum(w for _, _, w in fixed)
    spare = max(spare, 18)
    authority = spare * 4 // 9
    service = spare * 3 // 9
    assessor = spare - authority - service
    return [
        ("mark", " ", 1),
        ("authority", "Authority", authority),
        ("service", "Service", service),
        ("assessor", "Assessor", assessor),
        *fixed,
    ]


class HomeScreen(AppScreen[None]):
    """The list of saved assessments."""

    # `reload` gives the focus: to the table (not the filter field, the first
    # focusable widget), or to the welcome's first button when there are no rows.
    AUTO_FOCUS = ""

    HELP = "This screen lists your saved assessments, the latest change first."

    KEYS = (
        Key("up,down", help="move between assessments", shown="Up / Down"),
        Key(
            "n",
            "new",
            help="start a new assessment",
            bar="New",
            command="New assessment",
            command_help="Start a new assessment",
        ),
        Key(
            "enter",
            "open",
            help="open the highlighted one and carry on where you left off",
            bar="Open",
            command="Open assessment",
            command_help="Carry on with the highlighted assessment",
        ),
        Key(
            "v",
            "results",
            help="view its results (score, gaps and actions)",
            bar="Results",
            command="Results",
            command_help="Score, gaps and actions of the highlighted one",
        ),
        Key(
            "r",
            "rename",
            help="rename it (authority, service, assessor)",
            bar="Rename",
            command="Rename assessment",
            command_help="Change authority, service or assessor",
        ),
        Key(
            "d",
            "duplicate",
            help="make a copy (to assess again later, or another service)",
            bar="Copy",
            command="Copy assessment",
            command_help="Duplicate the highlighted assessment",
        ),
        Key(
            "x,delete",
            "delete",
            help="delete it (you are asked first)",
            bar="Delete",
            command="Delete assessment",
            command_help="Delete the highlighted assessment",
        ),
        Key(
            "u",
            "undo",
            help="undo the last delete",
            command="Undo delete",
            command_help="Bring back the last deleted assessment",
        ),
        Key("space", "select", help="select it, or unselect it (to compare or export several)"),
        Key(
            "c",
            "compare",
            help="compare the selected assessments (select two or more)",
            command="Compare selected",
            command_help="Compare the assessments selected with Space",
        ),
        Key(
            "e",
            "export",
            help="export to a bundle file (the selected ones, or all)",
            command="Export bundle",
            command_help="Save assessments to a bundle file",
        ),
        Key(
            "slash",
            "filter",
            help="filter the list by name, service, assessor or status",
            command="Filter the list",
            command_help="Show only matching assessments",
        ),
        Key("escape", "leave_filter", help="from the filter, back to the list; then clear it"),
        Key(
            "s",
            "sort",
            help="sort by the next column",
            command="Sort by next column",
            command_help="Change the order of the list",
        ),
        Key("o", "reverse", help="reverse the order"),
        Key(
            "m",
            "demo",
            help='create the demo assessment ("Demo Council")',
            command="Demo assessment",
            command_help="Create Demo Council with example answers",
        ),
    )

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[Summary] = []
        self.shown: list[Summary] = []
        self.selected: set[str] = set()
        self.sort_key = "updated"
        self.descending = True
        self.deleted: list[tuple[str, str]] = []  # (id, title) for undo
        self._widths: list[tuple[str, str, int]] = []
        self._haystacks: dict[str, str] = {}
        self._painted = False
        self._welcome_new: Button | None = None

    def compose(self) -> ComposeResult:
        yield Static("Assess · readiness for a strategic partnership", id="topbar", markup=False)
        # The welcome (see `_welcome`) goes here when the store is empty.
        with Vertical(id="listing"):
            yield Field(
                placeholder="/ to filter: part of an authority, service, assessor or status",
                id="filter",
            )
            yield SummaryTable(id="table")
        yield Static(id="status", markup=False)
        yield self.key_bar()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: one read of the store at start-up.
        self.reload()
        if not self._painted:
            self._painted = True
            self.call_after_refresh(self.app.warm_up)

    def _welcome(self, *, create: bool) -> Vertical | None:
        """The welcome for an empty store, mounted the first time it is needed.

        Most starts have assessments to show, and its buttons' styles alone
        take several milliseconds to set up, so they are not made until then.
        """
        found = self.query("#welcome")
        if found:
            return found.first(Vertical)
        if not create:
            return None
        self._welcome_new = Button("New assessment (N)", id="welcome-new", variant="primary")
        welcome = Vertical(
            Static(WELCOME, id="welcome-text", markup=False),
            Horizontal(
                self._welcome_new,
                Button("Demo assessment (M)", id="welcome-demo"),
                id="welcome-buttons",
            ),
            id="welcome",
        )
        self.mount(welcome, before="#listing")
        return welcome

    def on_resize(self) -> None:
        widths = column_widths(self.size.width)
        if widths != self._widths:
            self._draw()

    @property
    def table(self) -> SummaryTable:
        return self.query_one(SummaryTable)

    # -- data ------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Read the list from the store again and redraw, keeping the cursor where it was."""
        current = keep or self.highlighted_id()
        self.summaries = self.store.list()
        self._haystacks = {}
        known = {s.id for s in self.summaries}
        self.selected &= known
        empty = not self.summaries
        welcome = self._welcome(create=empty)
        if welcome is not None:
            welcome.display = empty
        self.query_one("#listing").display = not empty
        self._draw(current)
        if empty and self._welcome_new is not None:
            # Once it is mounted: a widget cannot take the focus before.
            self.call_after_refresh(self._welcome_new.focus)
        elif not isinstance(self.focused, Input):
            self.table.focus()

    def _haystack(self, summary: Summary) -> str:
        hay = self._haystacks.get(summary.id)
        if hay is None:
            hay = "\n".join(
                (summary.authority, summary.service, summary.assessor, summary.status)
            ).casefold()
            self._haystacks[summary.id] = hay
        return hay

    def _draw(self, keep: str | None = None) -> None:
        """Filter and sort the summaries, and show them (the table draws only what is seen)."""
        keep = keep or self.highlighted_id()
        needle = self.query_one("#filter", Input).value.strip().casefold()
        if needle:
            rows = [s for s in self.summaries if needle in self._haystack(s)]
        else:
            rows = list(self.summaries)
        if self.sort_key != "updated" or not self.descending:  # else: the store's order
            sort = next(f for k, _, f in SORTS if k == self.sort_key)
            rows.sort(key=sort, reverse=self.descending)  # type: ignore[arg-type]
        self.shown = rows
        width = max(self.size.width, 40)
        self._widths = column_widths(width)
        headings: list[Cell] = []
        for key, heading, _ in self._widths:
            if key == self.sort_key:
                heading = f"{heading}{'▼' if self.descending else '▲'}"
            headings.append((heading, ""))
        cursor = 0
        if keep is not None:
            cursor = next((i for i, s in enumerate(rows) if s.id == keep), 0)
        self.table.show(self._widths, headings, len(rows), self._cells, cursor)
        self._status()

    def _cells(self, index: int) -> list[Cell]:
        s = self.shown[index]
        size = {key: width for key, _, width in self._widths}
        wide = "band" in size
        cells: list[Cell] = [
            ("●" if s.id in self.selected else " ", "bold"),
            (s.authority, ""),
            (s.service or "–", "" if s.service else "dim"),
            (s.assessor or "–", "" if s.assessor else "dim"),
            ("complete" if s.status == "complete" else "draft", ""),
            (percent_done(s.completeness).rjust(size["completeness"]), ""),
            (("–" if s.score is None else f"{s.score:.1f}").rjust(size["score"]), ""),
        ]
        if wide:
            cells.append((s.band, ""))
        cells.append((when(s.updated, with_time=wide), ""))
        return cells

    def _status(self) -> None:
        total = len(self.summaries)
        shown = len(self.shown)
        heading = next(h for k, h, _ in SORTS if k == self.sort_key)
        order = "high to low" if self.descending else "low to high"
        if self.sort_key == "updated":
            order = "newest first" if self.descending else "oldest first"
        elif self.sort_key in ("authority", "service", "assessor", "status"):
            order = "Z to A" if self.descending else "A to Z"
        parts = [f"{total:,} assessment{'' if total == 1 else 's'}"]
        if shown != total:
            parts.append(f"{shown:,} match the filter")
        parts.append(f"sorted by {heading.lower()}, {order}")
        if self.selected:
            parts.append(f"{len(self.selected)} selected")
        self.query_one("#status", Static).update(plain(" · ".join(parts)))

    def highlighted_id(self) -> str | None:
        if not self.shown:
            return None
        index = self.table.cursor_row
        return self.shown[index].id if 0 <= index < len(self.shown) else None

    def highlighted(self) -> Summary | None:
        index = self.table.cursor_row
        return self.shown[index] if 0 <= index < len(self.shown) else None

    def _need_row(self) -> Summary | None:
        summary = self.highlighted()
        if summary is None:
            self.notify("There is no assessment here yet: press N to start one.", timeout=4)
        return summary

    # -- actions -----------------------------------------------------------------

    @on(Button.Pressed, "#welcome-new")
    def action_new(self) -> None:
        from assess.tui.screens.new import NewAssessmentScreen

        self.app.push_screen(NewAssessmentScreen(), self._created)

    def _created(self, assessment_id: str | None) -> None:
        if assessment_id:
            self.open(assessment_id)

    @on(Button.Pressed, "#welcome-demo")
    def action_demo(self) -> None:
        from assess.tui.demo import DEMO_ASSESSOR, DEMO_AUTHORITY, DEMO_SERVICE, demo_answers

        bank = self.store.current_bank()
        made = self.store.create(
            authority=DEMO_AUTHORITY,
            service=DEMO_SERVICE,
            assessor=DEMO_ASSESSOR,
            answers=demo_answers(bank),
        )
        self.reload(keep=made.id)
        self.notify(
            "Demo assessment created. Enter opens it; V shows its results. "
            "Delete it (X) whenever you like.",
            timeout=6,
            markup=False,
        )

    def on_summary_table_chosen(self, event: SummaryTable.Chosen) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if isinstance(self.focused, Input):
            self.table.focus()
            return
        summary = self._need_row()
        if summary is not None:
            self.open(summary.id)

    def open(self, assessment_id: str, question_id: str | None = None) -> None:
        from assess.tui.screens.questionnaire import QuestionnaireScreen

        self.app.push_screen(QuestionnaireScreen(assessment_id, question_id))

    def action_results(self) -> None:
        from assess.tui.screens.results import ResultsScreen

        summary = self._need_row()
        if summary is not None:
            self.app.push_screen(ResultsScreen(summary.id))

    def action_rename(self) -> None:
        from assess.tui.screens.modals import RenameModal

        summary = self._need_row()
        if summary is None:
            return

        def done(names: dict[str, str] | None) -> None:
            if names is None:
                return
            self.store.rename(summary.id, **names)
            self.reload(keep=summary.id)
            self.notify("Renamed.", timeout=3)

        self.app.push_screen(RenameModal(summary), done)

    def action_duplicate(self) -> None:
        summary = self._need_row()
        if summary is None:
            return
        copy = self.store.duplicate(summary.id)
        self.reload(keep=copy.id)
        self.notify(
            f"Made a copy of {copy.title} (a draft with the same answers). R renames it.",
            timeout=5,
            markup=False,
        )

    def action_delete(self) -> None:
        from assess.tui.screens.modals import ConfirmModal

        summary = self._need_row()
        if summary is None:
            return
        title = f"{summary.authority} — {summary.service}" if summary.service else summary.authority

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                self.notify("Nothing was deleted.", timeout=3)
                return
            self.store.delete(summary.id)
            self.deleted.append((summary.id, title))
            self.selected.discard(summary.id)
            self.reload()
            self.notify(f"Deleted {title}. Press U to undo.", timeout=6, markup=False)

        self.app.push_screen(
            ConfirmModal(
                "Delete this assessment?",
                f"{title}\nAssessor: {summary.assessor or '–'} · "
                f"{percent_done(summary.completeness)} done\n\n"
                "It goes to the store's bin: U on this screen brings it back.",
                confirm="Delete",
                danger=True,
            ),
            done,
        )

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("There is no delete to undo.", timeout=3)
            return
        assessment_id, title = self.deleted.pop()
        try:
            self.store.restore(assessment_id)
        except BadInput as exc:
            self.notify(f"Could not bring it back: {exc}", severity="error", markup=False)
            return
        self.reload(keep=assessment_id)
        self.notify(f"Brought back {title}.", timeout=4, markup=False)

    def action_select(self) -> None:
        summary = self.highlighted()
        if summary is None:
            return
        if summary.id in self.selected:
            self.selected.discard(summary.id)
        else:
            self.selected.add(summary.id)
        table = self.table
        table.refresh_row(table.cursor_row)
        table.cursor_row += 1  # on to the next, so Space Space selects two
        self._status()

    def action_compare(self) -> None:
        from assess.tui.screens.compare import CompareScreen

        # In the order on screen: the first column is the baseline, and should be
        # the row the officer sees first (then any the filter hides, in list order).
        shown = [s.id for s in self.shown if s.id in self.selected]
        hidden = [s.id for s in self.summaries if s.id in self.selected and s.id not in shown]
        chosen = shown + hidden
        if len(chosen) < 2:
            self.notify("Select two or more assessments with Space first, then press C.", timeout=5)
            return
        self.app.push_screen(CompareScreen(chosen))

    def action_export(self) -> None:
        from assess.tui.screens.modals import ExportBundleModal

        if not self.summaries:
            self.notify("There is nothing to export yet.", timeout=3)
            return
        ids = [s.id for s in self.summaries if s.id in self.selected]
        count = len(self.summaries)
        if ids:
            what = plural(len(ids), "selected assessment")
        else:
            what = "the one assessment" if count == 1 else f"all {count} assessments"

        def done(path: Path | None) -> None:
            if path is None:
                return
            self.export_to(path, ids or None, what)

        self.app.push_screen(ExportBundleModal(what), done)

    def export_to(self, path: Path, ids: list[str] | None, what: str) -> None:
        from assess.store import atomic_write_text

        try:
            bundle = self.store.export_bundle(ids)
            atomic_write_text(path, json.dumps(bundle, ensure_ascii=False, indent=2) + "\n")
        except (OSError, BadInput) as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False, timeout=8)
            return
        self.notify(f"Exported {what} to {path}", timeout=6, markup=False)

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_leave_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if field.has_focus:
            self.table.focus()
        elif field.value:
            field.value = ""

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._draw()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_sort(self) -> None:
        keys = [k for k, _, _ in SORTS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        # Text sorts A→Z first; numbers and dates highest / newest first.
        self.descending = self.sort_key in ("updated", "completeness", "score")
        self._draw()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._draw()
