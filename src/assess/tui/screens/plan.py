"""The action plan on screen: who closes each gap, by when, and how far it has got.

Each line is a criterion with a plan entry, or a gap without one yet:
overdue actions first, then in gap order (the most urgent gap first), then
the actions done or dropped. Enter edits the highlighted entry (O, D and S
go straight to its owner, due date and status): the action (the bank's
recommendation unless rewritten), the owner, the due date typed as
YYYY-MM-DD, the status (and why, when dropped) and a note. Each edit is
checked as the command line and answers files check it (`domain.plan`), so
a bad date is refused with the reason before anything is saved, and saved
through `Store.save_plan` with the revision the screen read, so a
colleague's change to the same entry is never overwritten unseen. A
signed-off assessment is read-only: the screen says so, and why, and
refuses every edit. H shows the highlighted criterion's history.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from assess.domain.assessment import Assessment
from assess.domain.bank import Question
from assess.domain.errors import BadInput
from assess.domain.plan import STATUSES, PlanEntry, PlanProblem, check_entry, progress
from assess.reports.layout import level_text, plan_text
from assess.reports.model import report_for
from assess.store import SignedOff, StaleSave
from assess.tui.keys import Key
from assess.tui.screens.base import AppModal, AppScreen
from assess.tui.screens.reading import BACK
from assess.tui.screens.signoff import read_only_reason
from assess.tui.text import hang, plain, plural
from assess.tui.widgets.field import Field
from assess.tui.widgets.options import Options

EDIT_FIELDS = ("action", "owner", "due", "status", "reason", "note")


@dataclass(frozen=True)
class PlanLine:
    """One line of the plan screen: a criterion, its entry (if any) and where it stands."""

    question: Question
    entry: PlanEntry | None
    where: str  # the criterion's level in words
    target: int
    gap_rank: int | None
    gap_points: int
    overdue: bool

    @property
    def id(self) -> str:
        return self.question.id


def plan_lines(assessment: Assessment, today: datetime.date) -> list[PlanLine]:
    """The plan as the screen reads it: overdue first, then in gap order, then done or dropped.

    The entries come in the report's order (`domain.plan.plan_rows`); each gap
    with no entry yet is put among the open entries at its place in the gap order.
    """
    report = report_for(assessment, today.isoformat())
    result = report.result
    criteria = {c.id: c for c in result.criteria}
    lines = [
        PlanLine(
            row.question,
            row.entry,
            level_text(criteria[row.question.id]),
            row.target,
            row.gap_rank,
            row.gap_points,
            row.overdue,
        )
        for row in report.plan_rows
    ]
    planned = {line.id for line in lines}
    lines += [
        PlanLine(
            g.criterion.question, None, level_text(g.criterion), g.target, g.rank, g.points, False
        )
        for g in result.gaps
        if g.id not in planned
    ]
    order = {q.id: n for n, q in enumerate(assessment.bank.questions)}

    def key(line: PlanLine) -> tuple[int, int, int]:
        entry = line.entry
        group = 0 if line.overdue else 1 if entry is None or entry.is_open else 2
        rank = line.gap_rank if line.gap_rank is not None else len(order) + 1
        return (group, rank, order.get(line.id, 0))

    return sorted(lines, key=key)


class PlanScreen(AppScreen[None]):
    """The action plan of one assessment, to read and to edit."""

    CSS_PATH = "governance.tcss"

    HELP = """\
The action plan: for each gap (a criterion below its target), the action that
closes it, who owns it, when it is due and how far it has got. Overdue actions
(due date passed, neither done nor dropped) come first, then the gaps in order
of urgency, then what is done or dropped.

Enter edits the highlighted line, or adds an entry for a gap that has none:
the action starts as the bank's recommendation and can be rewritten. Type the
due date as YYYY-MM-DD (for example 2027-03-31). A dropped action needs a
reason. Every change is saved at once and kept in the history (H).

A signed-off assessment cannot be changed until it is reopened with a reason
(R on the results screen)."""

    KEYS = (
        Key("up,down", help="move between the actions", shown="Up / Down"),
        Key(
            "enter",
            "edit('action')",
            help="edit the highlighted entry (or add one for a gap)",
            bar="Edit",
            command="Edit the plan entry",
            command_help="Action, owner, due date, status and note",
        ),
        Key(
            "o",
            "edit('owner')",
            help="change its owner",
            bar="Owner",
            command="Change the owner",
            command_help="Who is responsible for the action",
        ),
        Key(
            "d",
            "edit('due')",
            help="change its due date (YYYY-MM-DD)",
            bar="Due",
            command="Change the due date",
            command_help="When the action is due, as YYYY-MM-DD",
        ),
        Key(
            "s",
            "edit('status')",
            help="change its status (not started, in progress, done, dropped)",
            bar="Status",
            command="Change the status",
            command_help="Not started, in progress, done or dropped",
        ),
        Key(
            "h",
            "history",
            help="the history of the highlighted criterion (answers and plan)",
            bar="History",
            command="History of this criterion",
            command_help="Who changed its answer and plan entry, and when",
        ),
        BACK,
    )

    def __init__(self, assessment_id: str, focus: str | None = None, *, edit: bool = False) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.focus_id = focus
        self.edit_first = edit
        self.assessment: Assessment
        self.lines: list[PlanLine] = []

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield Static(id="plan-summary", markup=False)
        yield Options(id="plan-list")
        yield self.key_bar()

    def on_mount(self) -> None:
        self.reload(self.focus_id)
        self.query_one(OptionList).focus()
        if self.edit_first and self.focus_id is not None:
            self.call_after_refresh(self.action_edit, "action")

    def today(self) -> datetime.date:
        """The store's clock decides what day it is, so what is overdue is the same everywhere."""
        return datetime.date.fromisoformat(self.store.clock()[:10])

    def reload(self, keep: str | None = None) -> None:
        """Read the assessment again and redraw, the cursor on `keep` (or where it was)."""
        keep = keep or self.highlighted_id()
        self.assessment = self.store.get(self.assessment_id)
        a = self.assessment
        today = self.today()
        self.lines = plan_lines(a, today)
        self.query_one("#topbar", Static).update(
            plain(f"Action plan · {a.title}" + (" · signed off" if a.signed_off else ""))
        )
        entries = [line.entry for line in self.lines if line.entry is not None]
        unplanned = sum(1 for line in self.lines if line.entry is None)
        words = progress(entries, today).describe()
        summary = f"{words[:1].upper()}{words[1:]}"
        if unplanned:
            summary += f"; {plural(unplanned, 'gap')} without an entry yet"
        summary += ". Overdue first, then in gap order."
        if a.signed_off:
            summary += " " + read_only_reason(a)
        self.query_one("#plan-summary", Static).update(plain(summary))
        listing = self.query_one(OptionList)
        options = [Option(self._line(line), id=line.id) for line in self.lines]
        if not options:
            options = [
                Option(
                    Text("No gaps and no action-plan entries: nothing to plan.", style="bold"),
                    disabled=True,
                )
            ]
        listing.set_options(options)
        index = next((i for i, line in enumerate(self.lines) if line.id == keep), 0)
        if self.lines:
            listing.highlighted = index

    def _line(self, line: PlanLine) -> Group:
        facts = []
        if line.gap_rank is not None:
            facts.append(f"gap {line.gap_rank}, {plural(line.gap_points, 'gap point')}")
        facts.append(f"now {line.where}, target {line.target}")
        title = Text(line.question.text, style="bold")
        about = Text()
        if line.overdue:
            # Said in words as well as colour, for every terminal and every reader.
            about.append("OVERDUE", style="bold reverse")
            about.append(" · ")
        about.append(" · ".join(facts), style="dim")
        if line.entry is None:
            plan = Text("No plan entry yet: Enter adds one.", style="italic")
        else:
            plan = Text(plan_text(line.entry, self.today()))
            plan.append("\n" + line.entry.action, style="dim")
        return Group(hang("• ", Group(title, about, plan)), Text(""))

    def highlighted_id(self) -> str | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.lines):
            return None
        return self.lines[index].id

    def highlighted(self) -> PlanLine | None:
        qid = self.highlighted_id()
        return next((line for line in self.lines if line.id == qid), None)

    # -- actions -----------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit("action")

    def action_edit(self, field: str) -> None:
        line = self.highlighted()
        if line is None:
            return
        if self.assessment.signed_off:
            self.notify(
                read_only_reason(self.assessment), severity="warning", timeout=8, markup=False
            )
            return

        def done(raw: dict[str, Any] | None) -> None:
            if raw is not None:
                self.save(line, raw)

        self.app.push_screen(PlanEntryModal(line.question, line.entry, field), done)

    def save(self, line: PlanLine, raw: Mapping[str, Any]) -> None:
        from assess.tui.session import current_user

        try:
            self.store.save_plan(
                self.assessment_id,
                {line.id: dict(raw)},
                who=current_user(),
                base_revision=self.assessment.revision,
            )
        except SignedOff:
            self.reload(line.id)
            self.notify(
                read_only_reason(self.assessment), severity="error", timeout=8, markup=False
            )
            return
        except StaleSave as exc:
            self.reload(line.id)
            self.notify(f"Not saved: {exc.message}", severity="error", timeout=10, markup=False)
            return
        except BadInput as exc:
            self.notify(f"Not saved: {exc.message}", severity="error", timeout=8, markup=False)
            return
        self.reload(line.id)
        self.notify(f"Saved the plan entry for “{line.question.text}”.", timeout=4, markup=False)

    def action_history(self) -> None:
        from assess.tui.screens.history import HistoryScreen

        line = self.highlighted()
        if line is not None:
            self.app.push_screen(HistoryScreen(self.assessment_id, line.id))

    def action_back(self) -> None:
        self.dismiss(None)


def _field_of(problem: str) -> str:
    """Which box a plan problem is about, so the cursor goes there."""
    for words, field in (
        ("due date", "due"),
        ("owner", "owner"),
        ("dropped", "reason"),
        ("reason", "reason"),
        ("status", "status"),
        ("note", "note"),
        ("action", "action"),
    ):
        if words in problem:
            return field
    return "action"


class PlanEntryModal(AppModal[dict[str, Any] | None]):
    """Edit one plan entry; returns its fields as typed (checked), or None when cancelled."""

    CSS_PATH = "governance.tcss"

    KEYS = (
        Key("tab,shift+tab", help="move between the boxes", shown="Tab, Shift+Tab"),
        Key("up,down", help="in the status, move between the four", shown="Up / Down"),
        Key(
            "ctrl+s",
            "save",
            help="save the entry (Enter in a box does too)",
            bar="Save",
            priority=True,
        ),
        Key("escape", "cancel", help="cancel: the entry stays as it was", bar="Cancel"),
    )

    def __init__(self, question: Question, entry: PlanEntry | None, field: str = "action") -> None:
        super().__init__()
        self.question = question
        self.entry = entry
        self.start = field if field in EDIT_FIELDS else "action"

    def compose(self) -> ComposeResult:
        e = self.entry or PlanEntry(self.question.id, self.question.action)
        with Vertical(classes="dialog form-dialog"):
            yield Static(
                "Action plan entry" if self.entry else "New action plan entry",
                classes="dialog-title",
                markup=False,
            )
            # The keys and any problem first: on a short terminal the form scrolls under them.
            yield self.key_bar(classes="dialog-keys")
            yield Static("", id="plan-problem", classes="problem", markup=False)
            with VerticalScroll(id="form-body"):
                yield Static(plain(self.question.text), classes="dialog-body", markup=False)
                yield Label("Action", classes="field-label")
                yield Field(e.action, id="action", compact=True)
                yield Label("Owner (who is responsible)", classes="field-label")
                yield Field(e.owner, id="owner", compact=True)
                yield Label("Due date (YYYY-MM-DD)", classes="field-label")
                yield Field(
                    e.due.isoformat() if e.due else "",
                    id="due",
                    placeholder="e.g. 2027-03-31",
                    compact=True,
                )
                yield Label("Status (Up / Down, then Enter)", classes="field-label")
                with RadioSet(id="plan-status", compact=True):
                    for status in STATUSES:
                        yield RadioButton(
                            status[:1].upper() + status[1:],
                            value=status == e.status,
                            id=f"status-{status.replace(' ', '-')}",
                        )
                yield Label("Reason (needed when dropped)", classes="field-label")
                yield Field(e.reason, id="reason", compact=True)
                yield Label("Note", classes="field-label")
                yield Field(e.note, id="note", compact=True)
                with Horizontal(classes="buttons"):
                    yield Button("Save", id="go", variant="primary", compact=True)
                    yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.box(self.start).focus()

    def box(self, field: str) -> Widget:
        """The box of one field ("status" is the radio set; `#status` is the app's status line)."""
        return self.query_one("#plan-status" if field == "status" else f"#{field}")

    @property
    def status(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return self.entry.status if self.entry else STATUSES[0]
        return pressed.id.removeprefix("status-").replace("-", " ")

    def typed(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            key: self.query_one(f"#{key}", Input).value
            for key in ("action", "owner", "due", "note")
        }
        raw["status"] = self.status
        # A reason is kept only for a dropped action (the domain says why one is needed).
        raw["reason"] = self.query_one("#reason", Input).value if raw["status"] == "dropped" else ""
        return raw

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def action_save(self) -> None:
        raw = self.typed()
        problem = self.query_one("#plan-problem", Static)
        try:
            check_entry(self.question, raw, self.entry)
        except PlanProblem as exc:
            message = str(exc)
            problem.update(plain(f"{message[:1].upper()}{message[1:]}."))
            self.box(_field_of(message)).focus()
            return
        self.dismiss(raw)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
