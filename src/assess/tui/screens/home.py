"""The home screen: the saved assessments, and everything one can do with them.

A table lists every assessment (authority, service, period, status,
completeness, score, last change; on a wide terminal the assessor, band and
delivery confidence too), and a pane under it shows all of the highlighted
one in full: names, period, stage, band, delivery confidence, the action
plan's progress ("7 actions, 2 overdue") and, once a signed-off
assessment's review date has passed, that it is due for review. Officers
sort it, filter it, open one to carry on, make a copy for the next period,
move one to the next stage, upgrade one to the current question bank,
rename, delete (with undo), select several to compare, and export a bundle.
With an empty store it explains the app in plain English and offers a demo
assessment to look around in.

Every change goes to the store off the event loop (`in_background`), so a
colleague's process holding the store never freezes the list; an assessment
deleted by a colleague is said in words and the list reloaded. Whatever
screen the officer comes back from, the highlight is on the same assessment.

This is the first screen an officer waits for, so it draws from the store's
list alone (no question bank, no scoring), mounts the welcome only when the
store is empty, and once it has been painted asks the app to load what
opening an assessment needs in the background (`AssessApp.warm_up`). A
large store's first page comes first (`Store.list_first`: every row on it
checked against its file), and the whole list a moment later from a
thread; until then the status line says the rest is being read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from assess.domain.assessment import percent_done
from assess.domain.errors import BadInput
from assess.domain.period import current_financial_year, next_period, order_key
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen, off_the_loop
from assess.tui.text import one_line, plain, plural, when
from assess.tui.widgets.field import Field
from assess.tui.widgets.listing import Cell, SummaryTable

if TYPE_CHECKING:
    from assess.domain.assessment import Assessment, Summary
    from assess.domain.upgrade import UpgradePlan

# (key, heading, how the summaries sort on it)
SORTS: list[tuple[str, str, Callable[[Summary], object]]] = [
    ("updated", "Updated", attrgetter("updated")),
    (
        "authority",
        "Authority",
        lambda s: (s.authority.casefold(), s.service.casefold(), order_key(s.period, s.created)),
    ),
    ("service", "Service", lambda s: s.service.casefold()),
    ("period", "Period", lambda s: order_key(s.period, s.created)),
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


# From this width the table has room for the assessor, the band and the confidence;
# below it they are in the detail pane only.
WIDE = 110
# Below this width the date of the last change is left to the detail pane.
NARROW = 80
# The rows shown at start-up before the whole list is read (more than any screen holds).
FIRST_PAGE = 100
# How long after the first page is drawn the whole list starts to be read.
PAINTED_S = 0.1


def column_widths(width: int) -> list[tuple[str, str, int]]:
    """Columns (key, heading, width) that fit a table `width` cells wide."""
    wide = width >= WIDE
    fixed = [
        ("period", "Period", 13 if wide else 7),
        ("status", "Status", 10),
        ("completeness", "Done", 4),
        ("score", "Score", 5),
        ("updated", "Updated", 17 if wide else 11),
    ]
    if wide:
        fixed.insert(4, ("band", "Band", 12))
        fixed.insert(5, ("confidence", "Confidence", 11))
    if width < NARROW:
        fixed.pop()  # the date of the last change is in the detail pane
    names = 3 if wide else 2
    columns = 1 + len(fixed) + names  # the selection mark, the fixed ones, the names
    spare = width - 2 * columns - 1 - 1 - sum(w for _, _, w in fixed)
    spare = max(spare, 18)
    if wide:
        authority = spare * 4 // 9
        service = spare * 3 // 9
        named = [
            ("authority", "Authority", authority),
            ("service", "Service", service),
            ("assessor", "Assessor", spare - authority - service),
        ]
    else:
        authority = spare * 5 // 9
        named = [("authority", "Authority", authority), ("service", "Service", spare - authority)]
    return [("mark", " ", 1), *named, *fixed]


def status_word(summary: Summary, today: str) -> str:
    """The status as the list shows it: draft, complete, signed off, or review due."""
    if summary.signed_off:
        return "review due" if summary.review <= today else "signed off"
    return "complete" if summary.status == "complete" else "draft"


def plan_progress(summary: Summary, today: str) -> str:
    """The action plan in a few words: "7 actions, 2 overdue" ("no action plan yet")."""
    if not summary.plan_total:
        return "no action plan yet"
    overdue = summary.overdue(today)
    words = plural(summary.plan_total, "action")
    return f"{words}, {overdue} overdue" if overdue else f"{words}, none overdue"


def details(summary: Summary, today: str) -> str:
    """Everything about one assessment, in full, for the pane under the list."""
    from assess.domain.stages import stage

    title = f"{summary.authority} — {summary.service}" if summary.service else summary.authority
    try:
        where = stage(summary.stage).title
    except ValueError:
        where = f"Stage {summary.stage}"
    first = [f"Assessor: {summary.assessor or 'not given'}"]
    first.append(f"Period: {summary.period or 'not given'}")
    first.append(where)
    score = "not scored yet" if summary.score is None else f"{summary.score:.1f}"
    second = [f"Score {score} · {summary.band}"]
    if summary.confidence:
        second.append(f"delivery confidence {summary.confidence}")
    second.append(plan_progress(summary, today))
    second.append(f"changed {when(summary.updated, with_time=True)}")
    lines = [title, " · ".join(first), " · ".join(second)]
    if summary.signed_off:
        review = when(summary.review + "T00:00:00Z")
        if summary.review <= today:
            lines.append(f"Signed off; its review was due on {review}: time to assess it again.")
        else:
            lines.append(f"Signed off; review due on {review}.")
    return "\n".join(lines)


class HomeScreen(AppScreen[None]):
    """The list of saved assessments."""

    # `reload` gives the focus: to the table (not the filter field, the first
    # focusable widget), or to the welcome's first button when there are no rows.
    AUTO_FOCUS = ""

    HELP = """\
This screen lists your saved assessments, the latest change first. The pane
under the list shows the highlighted one in full: who assessed it, its period
and stage, its score, band and delivery confidence, how its action plan is
going, and whether a signed-off assessment is due for review.

A copy for the next period (D) proposes the period after this one's and
carries the answers and the actions still open. Moving to the next stage (T)
brings in the criteria that apply from then on. Upgrading (G) makes a new
draft on the current question bank, carrying every answer that still fits,
and says which questions need a fresh answer."""

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
            "d",
            "duplicate",
            help="copy it for the next period (the period is proposed; answers and open "
            "actions are carried)",
            bar="Copy",
            command="Copy for the next period",
            command_help="A new draft with the same answers, for another period",
        ),
        Key(
            "space",
            "select",
            help="select it, or unselect it, and move to the next one (to compare or "
            "export several)",
            bar="Select",
        ),
        Key(
            "c",
            "compare",
            help="compare the selected assessments (select two or more)",
            bar="Compare",
            command="Compare selected",
            command_help="Compare the assessments selected with Space",
        ),
        Key(
            "r",
            "rename",
            help="rename it (authority, service, assessor)",
            command="Rename assessment",
            command_help="Change authority, service or assessor",
        ),
        Key(
            "t",
            "next_stage",
            help="move it to the next stage of the partnership (you are asked first)",
            command="Move to the next stage",
            command_help="Bring in the criteria of the next stage",
        ),
        Key(
            "g",
            "upgrade",
            help="upgrade it to the current question bank (a new draft; you are asked first)",
            command="Upgrade to the current questions",
            command_help="A new draft on the current question bank",
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
            help="filter the list by name, service, assessor, period or status",
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
        # The assessment to highlight when the officer comes back to this screen.
        self._return_to: str | None = None
        self.today = ""
        # False while the list shows only its first page (start-up, a large store).
        self.complete = True
        self._total = 0  # the count shown while not complete
        self._reads = 0  # list reads started: a late answer to an earlier one is dropped

    def compose(self) -> ComposeResult:
        yield Static("Assess · readiness for a strategic partnership", id="topbar", markup=False)
        # The welcome (see `_welcome`) goes here when the store is empty.
        with Vertical(id="listing"):
            yield Field(
                placeholder="/ to filter by authority, service, assessor or period",
                id="filter",
            )
            yield SummaryTable(id="table")
            yield Static(id="details", markup=False)
        yield Static(id="status", markup=False)
        yield self.key_bar()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: one read of the store at start-up.
        keep, self._return_to = self._return_to, None
        if self._painted or not self._first_page():
            self.reload(keep=keep)
        if not self._painted:
            self._painted = True
            self.call_after_refresh(self.app.warm_up)

    def _first_page(self) -> bool:
        """At start-up, a large store's first page now and the whole list in the background.

        Every row shown is checked against its file (`Store.list_first`); the
        whole list replaces the page as soon as it is read, and until then the
        status line says the rest is being read. Sorting and filtering
        work on what is there, and again on everything once it is. False for
        a store without a snapshot of its index (a small one): read it all now.
        """
        self.today = self.store.clock()[:10]
        try:
            first = self.store.list_first(FIRST_PAGE)
        except BadInput:
            first = None
        if first is None:
            return False
        self.summaries, self._total = first
        self.complete = False
        self._haystacks = {}
        self._draw()
        self.table.focus()
        self._reads += 1
        reading = self._reads

        def read() -> tuple[bool, Any]:
            try:
                return True, self.store.list()
            except BadInput as exc:
                return False, exc

        def done(outcome: tuple[bool, Any]) -> None:
            if reading != self._reads or not self.is_attached:
                return  # the list was read again since
            ok, value = outcome
            if ok:
                self._show(value, self.highlighted_id())
            else:
                self._show([], self.highlighted_id())
                self.refused("reading the list of assessments", value)

        def start() -> None:
            # A moment after the first paint, so the page is on the terminal first:
            # the listing's long steps (parsing megabytes of JSON in one call) hold
            # the interpreter, and the thread writing the frame out would wait for them.
            self.set_timer(PAINTED_S, lambda: off_the_loop(self.app, "listing", read, done))

        self.call_after_refresh(start)
        return True

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
        self.today = self.store.clock()[:10]
        self._reads += 1
        try:
            summaries = self.store.list()
        except BadInput as exc:
            summaries = []
            self.refused("reading the list of assessments", exc)
        self._show(summaries, current)

    def _show(self, summaries: list[Summary], current: str | None) -> None:
        """Show the whole list, just read, keeping the cursor on `current`."""
        self.summaries = summaries
        self.complete = True
        for warning in self.store.take_warnings():
            self.notify(warning, severity="warning", timeout=10, markup=False)
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
                (
                    summary.authority,
                    summary.service,
                    summary.assessor,
                    summary.period,
                    status_word(summary, self.today),
                )
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
        self.table.show(self._widths, headings, len(rows), self._cells, cursor, moved=self._moved)
        self._status()
        self._details()

    def _cells(self, index: int) -> list[Cell]:
        s = self.shown[index]
        size = {key: width for key, _, width in self._widths}
        wide = "assessor" in size
        cells: list[Cell] = [
            ("●" if s.id in self.selected else " ", "bold"),
            (s.authority, ""),
            (s.service or "–", "" if s.service else "dim"),
        ]
        if wide:
            cells.append((s.assessor or "–", "" if s.assessor else "dim"))
        status = status_word(s, self.today)
        cells += [
            (s.period or "–", "" if s.period else "dim"),
            (status, "bold" if status == "review due" else ""),
            (percent_done(s.completeness).rjust(size["completeness"]), ""),
            (("–" if s.score is None else f"{s.score:.1f}").rjust(size["score"]), ""),
        ]
        if wide:
            cells.append((s.band, ""))
            cells.append((s.confidence or "–", "" if s.confidence else "dim"))
        if "updated" in size:
            cells.append((when(s.updated, with_time=wide), ""))
        return cells

    def _moved(self, index: int) -> None:
        self._details()

    def _details(self) -> None:
        pane = self.query_one("#details", Static)
        summary = self.highlighted()
        text = details(summary, self.today) if summary is not None else ""
        pane.update(plain(text))

    def _status(self) -> None:
        total = len(self.summaries) if self.complete else self._total
        shown = len(self.shown) if self.complete else total
        heading = next(h for k, h, _ in SORTS if k == self.sort_key)
        order = "high to low" if self.descending else "low to high"
        if self.sort_key == "updated":
            order = "newest first" if self.descending else "oldest first"
        elif self.sort_key == "period":
            order = "latest first" if self.descending else "earliest first"
        elif self.sort_key in ("authority", "service", "assessor", "status"):
            order = "Z to A" if self.descending else "A to Z"
        parts = [f"{total:,} assessment{'' if total == 1 else 's'}"]
        if not self.complete:  # first, so that a narrow terminal never cuts it off
            parts.append("reading the rest…")
        if shown != total:
            parts.append(f"{shown:,} match the filter")
        parts.append(f"sorted by {heading.lower()}, {order}")
        if self.selected:
            parts.append(f"{len(self.selected)} selected")
        self.query_one("#status", Static).update(plain(" · ".join(parts)))

    def highlighted_id(self) -> str | None:
        summary = self.highlighted()
        return summary.id if summary is not None else None

    def highlighted(self) -> Summary | None:
        if not self.shown:
            return None
        index = self.table.cursor_row
        return self.shown[index] if 0 <= index < len(self.shown) else None

    def _need_row(self) -> Summary | None:
        summary = self.highlighted()
        if summary is None:
            self.notify("There is no assessment here yet: press N to start one.", timeout=4)
        return summary

    def _push(self, screen: Screen[Any], returning: str | None, callback: Any = None) -> None:
        """Open another screen; coming back, the highlight is on `returning` again."""
        self._return_to = returning
        self.app.push_screen(screen, callback)

    def _refused(self, doing: str) -> Callable[[BadInput], None]:
        """What a refused store call does: say why; if the assessment is gone, reload."""

        def failed(problem: BadInput) -> None:
            from assess.store import UnknownAssessment

            if isinstance(problem, UnknownAssessment):
                self.notify(
                    "That assessment is no longer in the store (deleted, perhaps by a "
                    "colleague). The list now shows what there is.",
                    severity="warning",
                    timeout=8,
                )
                self.reload()
            else:
                self.refused(doing, problem)

        return failed

    def _exists(self, summary: Summary) -> bool:
        """Whether the highlighted assessment is still in the store (a colleague may have
        deleted it since the list was read); if not, say so and reload."""
        from assess.store import UnknownAssessment

        try:
            self.store.get(summary.id)
        except UnknownAssessment as exc:
            self._refused("opening it")(exc)
            return False
        except BadInput as exc:
            self.refused("opening it", exc)
            return False
        return True

    # -- actions -----------------------------------------------------------------

    @on(Button.Pressed, "#welcome-new")
    def action_new(self) -> None:
        from assess.tui.screens.new import NewAssessmentScreen

        self._push(NewAssessmentScreen(), self.highlighted_id(), self._created)

    def _created(self, assessment_id: str | None) -> None:
        if assessment_id:
            self.open(assessment_id)

    @on(Button.Pressed, "#welcome-demo")
    def action_demo(self) -> None:
        from assess.tui.demo import DEMO_ASSESSOR, DEMO_AUTHORITY, DEMO_SERVICE, demo_answers

        def make() -> str:
            bank = self.store.current_bank()
            return self.store.create(
                authority=DEMO_AUTHORITY,
                service=DEMO_SERVICE,
                assessor=DEMO_ASSESSOR,
                answers=demo_answers(bank),
            ).id

        def made(assessment_id: str) -> None:
            self.reload(keep=assessment_id)
            self.notify(
                "Demo assessment created. Enter opens it; V shows its results. "
                "Delete it (X) whenever you like.",
                timeout=6,
                markup=False,
            )

        self.in_background("making the demo assessment", make, made)

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

        self._push(QuestionnaireScreen(assessment_id, question_id), assessment_id)

    def action_results(self) -> None:
        from assess.tui.screens.results import ResultsScreen

        summary = self._need_row()
        if summary is not None and self._exists(summary):
            self._push(ResultsScreen(summary.id), summary.id)

    def action_rename(self) -> None:
        from assess.tui.screens.modals import RenameModal

        summary = self._need_row()
        if summary is None:
            return

        def done(names: dict[str, str] | None) -> None:
            if names is None:
                return

            def renamed(_: object) -> None:
                self.reload(keep=summary.id)
                self.notify("Renamed.", timeout=3)

            self.in_background(
                "renaming it",
                lambda: self.store.rename(summary.id, **names),
                renamed,
                failed=self._refused("renaming it"),
            )

        self._push(RenameModal(summary), summary.id, done)

    def action_duplicate(self) -> None:
        from assess.tui.screens.modals import CopyModal

        summary = self._need_row()
        if summary is None:
            return
        proposed = next_period(summary.period) or next_period(
            current_financial_year(date.fromisoformat(self.today))
        )

        def chosen(period: str | None) -> None:
            if period is None:
                return

            def copied(copy: Assessment) -> None:
                self.reload(keep=copy.id)
                self.notify(
                    f"Made a copy of {copy.title} for {copy.period or 'no period'} (a draft "
                    "with the same answers and the actions still open). R renames it.",
                    timeout=6,
                    markup=False,
                )

            self.in_background(
                "making the copy",
                lambda: self.store.duplicate(summary.id, period=period),
                copied,
                failed=self._refused("making the copy"),
            )

        self._push(CopyModal(summary, proposed), summary.id, chosen)

    def action_next_stage(self) -> None:
        from assess.domain.stages import LAST_STAGE, stage
        from assess.tui.screens.modals import ConfirmModal

        summary = self._need_row()
        if summary is None:
            return
        if summary.stage >= LAST_STAGE:
            self.notify(f"It is at the last stage already ({stage(LAST_STAGE).title}).", timeout=4)
            return
        later = stage(summary.stage + 1)

        def moved(assessment: Assessment) -> None:
            self.reload(keep=assessment.id)
            self.notify(
                f"Moved to {later.title}. The criteria of this stage now count; answer them "
                "to keep the score up to date.",
                timeout=6,
                markup=False,
            )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.in_background(
                    "moving it to the next stage",
                    lambda: self.store.next_stage(summary.id),
                    moved,
                    failed=self._refused("moving it to the next stage"),
                )

        self._push(
            ConfirmModal(
                f"Move to {later.title}?",
                f"{later.gateway}: {later.question}\n\nThe criteria that apply from this "
                "stage will count in the score from now on (unanswered, they count as 0). "
                "The move is recorded in the assessment's history.",
                confirm="Move on",
            ),
            summary.id,
            confirmed,
        )

    def action_upgrade(self) -> None:
        from assess.tui.screens.modals import ConfirmModal

        summary = self._need_row()
        if summary is None:
            return
        bank = self.store.current_bank()
        if (summary.bank_id, summary.bank_version) == (bank.id, bank.version):
            self.notify("It is on the current question bank already.", timeout=4)
            return

        def upgraded(outcome: tuple[Assessment, UpgradePlan]) -> None:
            assessment, plan = outcome
            self.reload(keep=assessment.id)
            fresh = [assessment.bank.question(qid) for qid in plan.fresh]
            listed = "; ".join(one_line(q.text, 70) for q in fresh[:3] if q is not None)
            more = f" and {len(fresh) - 3} more" if len(fresh) > 3 else ""
            self.notify(
                f"Made a new draft on the current questions, with {len(plan.carried)} answers "
                "carried. "
                + (
                    f"{plural(len(fresh), 'question needs', 'questions need')} a fresh answer: "
                    f"{listed}{more}."
                    if fresh
                    else "No question needs a fresh answer."
                ),
                timeout=12,
                markup=False,
            )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.in_background(
                    "upgrading it",
                    lambda: self.store.upgrade(summary.id),
                    upgraded,
                    failed=self._refused("upgrading it"),
                )

        self._push(
            ConfirmModal(
                "Upgrade to the current questions?",
                f"This makes a new draft on {bank.title} (version {bank.version}), carrying "
                f"every answer that still fits; this one (version {summary.bank_version}) "
                "stays as it is. You are told which questions need a fresh answer.",
                confirm="Upgrade",
            ),
            summary.id,
            confirmed,
        )

    def action_delete(self) -> None:
        from assess.tui.screens.modals import ConfirmModal

        summary = self._need_row()
        if summary is None:
            return
        title = f"{summary.authority} — {summary.service}" if summary.service else summary.authority

        def gone(_: object) -> None:
            self.deleted.append((summary.id, title))
            self.selected.discard(summary.id)
            self.reload()
            self.notify(f"Deleted {title}. Press U to undo.", timeout=6, markup=False)

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                self.notify("Nothing was deleted.", timeout=3)
                return
            self.in_background(
                "deleting it",
                lambda: self.store.delete(summary.id),
                gone,
                failed=self._refused("deleting it"),
            )

        period = f" · {summary.period}" if summary.period else ""
        self._push(
            ConfirmModal(
                "Delete this assessment?",
                f"{title}{period}\nAssessor: {summary.assessor or '–'} · "
                f"{percent_done(summary.completeness)} done\n\n"
                "It goes to the store's bin: U on this screen brings it back.",
                confirm="Delete",
                danger=True,
            ),
            summary.id,
            done,
        )

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("There is no delete to undo.", timeout=3)
            return
        assessment_id, title = self.deleted[-1]

        def back(_: object) -> None:
            self.deleted.pop()
            self.reload(keep=assessment_id)
            self.notify(f"Brought back {title}.", timeout=4, markup=False)

        def failed(problem: BadInput) -> None:
            self.deleted.pop()
            self.notify(
                f"Could not bring it back: {problem.message}", severity="error", markup=False
            )

        self.in_background(
            "bringing it back", lambda: self.store.restore(assessment_id), back, failed=failed
        )

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
        self._push(CompareScreen(chosen), self.highlighted_id())

    def action_export(self) -> None:
        from assess.tui.screens.modals import ExportBundleModal

        if not self.summaries:
            self.notify("There is nothing to export yet.", timeout=3)
            return
        ids = [s.id for s in self.summaries if s.id in self.selected]
        count = len(self.summaries) if self.complete else self._total
        if ids:
            what = plural(len(ids), "selected assessment")
        else:
            what = "the one assessment" if count == 1 else f"all {count} assessments"

        def done(path: Path | None) -> None:
            if path is None:
                return
            self.export_to(path, ids or None, what)

        self._push(ExportBundleModal(what), self.highlighted_id(), done)

    def export_to(self, path: Path, ids: list[str] | None, what: str) -> None:
        def write() -> None:
            try:
                self.store.export_file(path, ids)
            except OSError as exc:
                raise BadInput(f"{path}: {exc.strerror or exc}") from None

        def written(_: object) -> None:
            self.notify(f"Exported {what} to {path}", timeout=6, markup=False)

        self.in_background("exporting the bundle", write, written)

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
        self.descending = self.sort_key in ("updated", "completeness", "score", "period")
        self._draw()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._draw()
