"""Pop-up dialogs: confirm, rename, copy, export, go to a question, and the refusals.

Each returns its answer through `dismiss` (None when cancelled with Escape),
and none changes anything itself: the screen that opened it acts on the answer.
A dialog is dismissed once (see `AppScreen.dismiss`), so Enter pressed twice in
one burst submits once.

The refusals say what happened and never trap the officer: a save conflict
(who changed the answer, when, their answer and yours), a signed-off
assessment (why, and reopening it with a reason), an assessment deleted
elsewhere (save the answers as a new one, go back, or quit), and quitting
with something unsaved (say what, and quit anyway if the officer wants).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from assess.domain.assessment import Summary
from assess.domain.errors import BadInput
from assess.tui.keys import Key, Keys
from assess.tui.screens.base import AppModal
from assess.tui.text import one_line, plain
from assess.tui.widgets.field import Field, Problem, check_name_fields
from assess.tui.widgets.options import Options

if TYPE_CHECKING:
    from assess.domain.assessment import Assessment

# Tab and Enter work the buttons of every dialog (Textual's own keys).
BUTTON_KEYS = (
    Key("tab,shift+tab", help="move between the buttons", shown="Tab, Shift+Tab"),
    Key("enter", help="press the highlighted button"),
)


Answer = TypeVar("Answer")


class _ChoiceDialog(AppModal[Answer]):
    """A title, some words and a row of buttons; each button (or its key) is one answer.

    `BUTTONS` lists (id, label, variant); the first is focused unless `FOCUS`
    names another. A press of a button, or its key's `choose(id)` action,
    dismisses with `answer(id)`.
    """

    BUTTONS: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    FOCUS: ClassVar[str] = ""

    def dialog_title(self) -> str:
        raise NotImplementedError

    def dialog_text(self) -> str:
        raise NotImplementedError

    def button_labels(self) -> dict[str, str]:
        """{button id: label} where a label differs from `BUTTONS`'s."""
        return {}

    def buttons(self) -> tuple[tuple[str, str, str], ...]:
        return self.BUTTONS

    def answer(self, choice: str) -> Answer:
        return choice  # type: ignore[return-value]  # string answers unless overridden

    def compose(self) -> ComposeResult:
        labels = self.button_labels()
        with Vertical(classes="dialog"):
            yield Static(self.dialog_title(), classes="dialog-title", markup=False)
            yield Static(plain(self.dialog_text()), classes="dialog-body", markup=False)
            # The key that chooses a button is named as the button is.
            renamed = {f"choose('{button}')": label for button, label in labels.items()}
            yield self.key_bar(labels=renamed, classes="dialog-keys")
            with Horizontal(classes="buttons"):
                for button_id, label, variant in self.buttons():
                    yield Button(labels.get(button_id, label), id=button_id, variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one(f"#{self.FOCUS or self.buttons()[0][0]}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id:
            self.action_choose(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(self.answer(choice))


class ConfirmModal(_ChoiceDialog[bool]):
    """Yes or no. Y (or Enter on its button) confirms, N or Escape cancels; the safe button
    has the focus."""

    KEYS = (
        Key("y", "choose('confirm')", help="go ahead", bar="Yes"),
        Key("n,escape", "choose('cancel')", help="cancel: nothing is done", bar="Cancel"),
        *BUTTON_KEYS,
    )
    BUTTONS = (("confirm", "Yes", "primary"), ("cancel", "Cancel", "default"))
    FOCUS = "cancel"

    def __init__(
        self, title: str, body: str, *, confirm: str = "Yes", danger: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm_label = confirm
        self.danger = danger

    def dialog_title(self) -> str:
        return self.title_text

    def dialog_text(self) -> str:
        return self.body

    def button_labels(self) -> dict[str, str]:
        return {"confirm": self.confirm_label}

    def buttons(self) -> tuple[tuple[str, str, str], ...]:
        return (("confirm", "Yes", "error" if self.danger else "primary"), self.BUTTONS[1])

    def answer(self, choice: str) -> bool:
        return choice == "confirm"


class RenameModal(AppModal[dict[str, str] | None]):
    """Change the authority, service and assessor of an assessment."""

    KEYS = (
        Key("enter", help="save the new names", bar="Save"),
        Key("tab,shift+tab", help="move between the boxes", shown="Tab, Shift+Tab"),
        Key("escape", "cancel", help="cancel: the names stay as they were", bar="Cancel"),
    )
    FIELDS = (
        ("authority", "Authority (required)", True),
        ("service", "Service area", False),
        ("assessor", "Assessor", False),
    )

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Rename assessment", classes="dialog-title", markup=False)
            for key, label, _ in self.FIELDS:
                yield Label(label, classes="field-label")
                yield Field(getattr(self.summary, key), id=key)
                yield Problem(id=f"{key}-problem")
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#authority", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        if self.leaving:
            return
        names, problems = check_name_fields(self, self.FIELDS)
        if problems:
            self.query_one(f"#{problems[0]}", Input).focus()
            return
        self.dismiss(names)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CopyModal(AppModal[str | None]):
    """A copy of an assessment for the next period: the period proposed, and editable."""

    KEYS = (
        Key("enter", help="make the copy", bar="Copy"),
        Key("escape", "cancel", help="cancel: no copy is made", bar="Cancel"),
        *BUTTON_KEYS,
    )

    def __init__(self, summary: Summary, period: str) -> None:
        super().__init__()
        self.summary = summary
        self.period = period

    def compose(self) -> ComposeResult:
        title = (
            f"{self.summary.authority} — {self.summary.service}"
            if self.summary.service
            else self.summary.authority
        )
        since = f" (this one is for {self.summary.period})" if self.summary.period else ""
        with Vertical(classes="dialog"):
            yield Static("Copy for another period", classes="dialog-title", markup=False)
            yield Static(
                plain(
                    f"A new draft of {title}{since}, with the same answers and the actions "
                    "still open. Done and dropped actions stay with this one."
                ),
                classes="dialog-body",
                markup=False,
            )
            yield Label(
                'Period of the copy (e.g. "2027/28" or "as at 2027-12-01")', classes="field-label"
            )
            yield Field(self.period, id="period")
            yield Problem(id="period-problem")
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Copy", id="go", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#period", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def go(self) -> None:
        from assess.domain.period import PeriodProblem, check_period

        try:
            period = check_period(self.query_one("#period", Input).value)
        except PeriodProblem as exc:
            self.query_one("#period-problem", Static).update(plain(sentence(str(exc))))
            return
        self.dismiss(period)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def sentence(message: str) -> str:
    """A message as a sentence: a capital first letter and a full stop."""
    text = message.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def reports_folder() -> Path:
    """Where the app proposes to save reports and bundles: a folder of their own, in home."""
    return Path.home() / "assess-reports"


def report_name(about: Assessment | Summary) -> str:
    """A report's file name (no suffix) from authority, service, period and assessor.

    `anytown-borough-council-waste-2026-27-a-officer`: two officers' reports, or
    two periods', never differ only by a number.
    """
    parts = [about.authority, about.service, about.period, about.assessor]
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(p for p in parts if p).casefold()).strip("-")
    return slug[:80].strip("-") or "assess-report"


def check_export_path(text: str, *, replace: bool, make_folder: Path | None = None) -> Path:
    """The file to write, or BadInput saying what is wrong with `text`.

    `make_folder`: the app's own reports folder, made if it is missing (any
    other folder must exist: a typing slip should not create folders).
    """
    text = text.strip()
    if not text:
        raise BadInput("type the file to save to")
    path = Path(text).expanduser()
    if path.is_dir():
        raise BadInput(f"{path} is a folder; add a file name")
    if not path.suffix:
        raise BadInput(f"{path.name} has no file type; end it with one such as .html")
    if not path.parent.is_dir():
        if make_folder is not None and path.parent == make_folder:
            try:
                make_folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BadInput(f"cannot make the folder {make_folder}: {exc.strerror}") from None
        else:
            raise BadInput(f"the folder {path.parent} does not exist")
    if path.exists() and not replace:
        raise BadInput(f"{path.name} already exists; press Enter again to replace it")
    return path


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/stem.suffix`, or `stem-2.suffix`… if that is taken (never overwrites by default)."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


PathResult = TypeVar("PathResult")


class _PathDialog(AppModal[PathResult]):
    """Shared by the export dialogs: a path box that refuses a bad path with a reason.

    The whole path is shown under the box, wrapped, so a long one is never cut;
    Enter exports from anywhere in the dialog.
    """

    KEYS: ClassVar[Keys] = (
        Key("enter", "export", help="export to the file shown", bar="Export"),
        Key("escape", "cancel", help="cancel: nothing is written", bar="Cancel"),
        Key("tab,shift+tab", help="move between the parts of the dialog", shown="Tab, Shift+Tab"),
    )

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder or reports_folder()
        self._replace_ok: str | None = None

    def path_box(self, default: Path) -> ComposeResult:
        yield Label("File (type another path to change it)", classes="field-label")
        yield Field(str(default), id="path")
        yield Static(plain(f"Saves to: {default}"), id="path-shown", classes="path-shown")
        yield Problem(id="path-problem")

    @on(Input.Changed, "#path")
    def _path_typed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#path-shown", Static).update(plain(f"Saves to: {event.value.strip()}"))
        self.query_one("#path-problem", Static).update("")

    def check_path(self) -> Path | None:
        field = self.query_one("#path", Input)
        problem = self.query_one("#path-problem", Static)
        try:
            path = check_export_path(
                field.value, replace=self._replace_ok == field.value, make_folder=self.folder
            )
        except BadInput as exc:
            if "already exists" in exc.message:
                self._replace_ok = field.value
            problem.update(plain(sentence(exc.message)))
            return None
        problem.update("")
        return path

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def action_export(self) -> None:
        if self.leaving:
            return
        path = self.check_path()
        if path is not None:
            self.dismiss(self.result_for(path))

    def result_for(self, path: Path) -> PathResult:
        raise NotImplementedError  # each dialog says what it returns

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportBundleModal(_PathDialog[Path | None]):
    """Where to save a bundle of assessments (a JSON file another store can import)."""

    def __init__(self, what: str, folder: Path | None = None) -> None:
        super().__init__(folder)
        self.what = what

    def compose(self) -> ComposeResult:
        default = free_name(self.folder, "assess-bundle", ".json")
        with Vertical(classes="dialog"):
            yield Static("Export a bundle", classes="dialog-title", markup=False)
            yield Static(
                plain(
                    f"Save {self.what} to a bundle file that another copy of the app can "
                    "import (assess import FILE)."
                ),
                classes="dialog-body",
                markup=False,
            )
            yield from self.path_box(default)
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="go", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def result_for(self, path: Path) -> Path | None:
        return path


class ExportReportModal(_PathDialog[tuple[str, Path] | None]):
    """Choose a report format and a file; returns (format, path).

    `about` names the file (authority, service, period, assessor), or is the
    file name itself (without its suffix).
    """

    def __init__(self, about: Assessment | Summary | str, folder: Path | None = None) -> None:
        # Imported here, not at the top: the home screen imports this module at
        # start-up, and the reports (with the question-bank models) can wait.
        from assess.reports.export import FORMATS

        super().__init__(folder)
        self.formats = FORMATS
        self.stem = about if isinstance(about, str) else report_name(about)
        self.format = self.formats[0].key

    KEYS = (
        Key(
            ",".join(str(n) for n in range(1, 10)),
            "pick",
            help="choose a format by its number (in the list of formats)",
            shown="1–9",
            per_key=True,
        ),
        Key("up,down", help="move through the formats", shown="Up / Down"),
        *_PathDialog.KEYS,
    )

    def compose(self) -> ComposeResult:
        count = len(self.formats)
        with Vertical(classes="dialog"):
            yield Static("Export the report", classes="dialog-title", markup=False)
            yield Label(f"Format (Up/Down, or 1–{count})", classes="field-label")
            yield Options(
                *(Option(f"{i}  {f.label}", id=f.key) for i, f in enumerate(self.formats, 1)),
                id="formats",
                markup=False,
            )
            yield from self.path_box(self._default(self.format))
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="go", variant="primary")
                yield Button("Cancel", id="cancel")

    def _suffix(self, fmt: str) -> str:
        return next(f.suffix for f in self.formats if f.key == fmt)

    def _default(self, fmt: str) -> Path:
        return free_name(self.folder, self.stem, self._suffix(fmt))

    def on_mount(self) -> None:
        formats = self.query_one("#formats", OptionList)
        formats.highlighted = 0
        formats.focus()

    def action_pick(self, number: int) -> None:
        """Highlight format `number` (1 is the first); in the file box, digits are typed."""
        if isinstance(self.focused, Input) or not 1 <= number <= len(self.formats):
            return
        self.query_one("#formats", OptionList).highlighted = number - 1

    @on(OptionList.OptionHighlighted, "#formats")
    def _format(self, event: OptionList.OptionHighlighted) -> None:
        old = self.format
        self.format = event.option.id or self.formats[0].key
        field = self.query_one("#path", Input)
        # The file type follows the format; the rest of the path is the officer's.
        typed = field.value.strip()
        if typed == str(self._default(old)):
            field.value = str(self._default(self.format))
        elif typed.endswith(self._suffix(old)):
            field.value = typed[: -len(self._suffix(old))] + self._suffix(self.format)
        field.cursor_position = len(field.value)  # typing goes on at the end

    @on(OptionList.OptionSelected, "#formats")
    def _format_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_export()

    def result_for(self, path: Path) -> tuple[str, Path] | None:
        return (self.format, path)


class StaleSaveModal(_ChoiceDialog[str]):
    """Someone else changed the same answer: who, when, their answer and yours; keep one."""

    KEYS = (
        Key("r,escape", "choose('reload')", help="reload their answer", bar="Reload theirs"),
        Key("k", "choose('keep')", help="keep mine: save it over theirs", bar="Keep mine"),
        *BUTTON_KEYS,
    )
    BUTTONS = (("reload", "Reload theirs", "primary"), ("keep", "Keep mine", "default"))

    def __init__(self, question: str, *, who: str, at: str, theirs: str, yours: str) -> None:
        super().__init__()
        self.question = question
        self.who = who
        self.at = at
        self.theirs = theirs
        self.yours = yours

    def dialog_title(self) -> str:
        return "Someone else changed this answer"

    def dialog_text(self) -> str:
        when = f" on {self.at}" if self.at else ""
        return (
            f"While you were working, {self.who} changed the answer to “"
            f"{one_line(self.question, 120)}”{when} (another window, or a colleague "
            "using the same store). Your change has not been saved yet.\n\n"
            f"Their answer: {self.theirs}\nYour answer:  {self.yours}\n\n"
            "Reload shows their answer (yours is dropped); Keep mine saves yours "
            "over theirs."
        )


class DeletedModal(_ChoiceDialog[str]):
    """The open assessment was deleted elsewhere: save its answers as new, go back, or quit."""

    KEYS = (
        Key("s", "choose('copy')", help="save your answers as a new assessment", bar="Save as new"),
        Key(
            "escape",
            "choose('back')",
            help="back to the list (your last changes are lost)",
            bar="Back",
        ),
        Key(
            "q",
            "choose('quit')",
            help="quit anyway (your last changes are lost)",
            bar="Quit anyway",
        ),
        *BUTTON_KEYS,
    )
    BUTTONS = (
        ("copy", "Save as new", "primary"),
        ("back", "Back to the list", "default"),
        ("quit", "Quit anyway", "default"),
    )

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def dialog_title(self) -> str:
        return "This assessment was deleted"

    def dialog_text(self) -> str:
        return (
            f"{self.title_text} was deleted while you had it open (by a colleague, or "
            "in another window), so your last changes could not be saved.\n\n"
            "Save as new keeps every answer you can see here in a new assessment. "
            "The deleted one can also be brought back from the list (U) by whoever "
            "deleted it."
        )


class QuitAnywayModal(_ChoiceDialog[bool]):
    """Quitting with something that could not be saved: what, and quit anyway or stay."""

    KEYS = (
        Key("escape,n", "choose('cancel')", help="stay, to fix it or try again", bar="Stay"),
        Key(
            "q,y",
            "choose('confirm')",
            help="quit anyway: what is listed is lost",
            bar="Quit anyway",
        ),
        *BUTTON_KEYS,
    )
    BUTTONS = (("cancel", "Stay", "primary"), ("confirm", "Quit anyway", "error"))

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def dialog_title(self) -> str:
        return "Not everything is saved"

    def dialog_text(self) -> str:
        listed = "\n".join(f"• {sentence(p)}" for p in self.problems)
        return (
            f"{listed}\n\nStay to fix it (or wait, and quit again to retry), or quit "
            "anyway and lose it. Everything else is saved."
        )

    def answer(self, choice: str) -> bool:
        return choice == "confirm"


def find_questions(questions: list[tuple[str, str]], typed: str) -> list[int]:
    """The places (0-based) of the questions `typed` finds: by number, or by words in the text.

    A number finds that question first, then those whose number starts with it;
    words find the questions whose text has every one of them, whatever the
    case and punctuation ("wellbeing" finds "well-being").
    """
    text = _searchable(typed).strip()
    if not text:
        return list(range(len(questions)))
    if text.isdigit():
        exact = [int(text) - 1] if 1 <= int(text) <= len(questions) else []
        starting = [i for i in range(len(questions)) if str(i + 1).startswith(text)]
        return exact + [i for i in starting if i not in exact]
    words = text.split()
    return [i for i, (_, q) in enumerate(questions) if all(w in _searchable(q) for w in words)]


def _searchable(text: str) -> str:
    """Text as the question search compares it: lower case, without punctuation."""
    return re.sub(r"[^\w\s]", "", text.casefold())


class JumpModal(AppModal[str | None]):
    """Go to a question by its number or by words in its text; returns its id."""

    KEYS = (
        Key("enter", "go", help="go to the highlighted question", bar="Go"),
        Key("up", "move(-1)", help="move through the questions found", shown="Up / Down"),
        Key("down", "move(1)"),
        Key("escape", "cancel", help="stay where you were", bar="Cancel"),
    )

    def __init__(self, questions: list[tuple[str, str]]) -> None:
        super().__init__()
        self.questions = questions
        self.found: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jump-box"):
            yield Static("Go to a question", classes="dialog-title", markup=False)
            yield Label("Its number, or words in it", classes="field-label")
            yield Field(placeholder="e.g. 12, or business case", id="find")
            yield Static("", id="find-count", classes="hint", markup=False)
            yield Options(id="found", markup=False)
            yield self.key_bar(classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#find", Input).focus()
        self._show("")

    @on(Input.Changed, "#find")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    def _show(self, typed: str) -> None:
        self.found = find_questions(self.questions, typed)
        listing = self.query_one("#found", OptionList)
        listing.set_options(
            Option(f"{i + 1:>3}  {one_line(self.questions[i][1], 200)}", id=self.questions[i][0])
            for i in self.found
        )
        if self.found:
            listing.highlighted = 0
        count = len(self.found)
        self.query_one("#find-count", Static).update(
            plain(
                "No question has that number or those words."
                if not count
                else f"{count} question{'' if count == 1 else 's'}: Up/Down to choose, Enter to go."
            )
        )

    def action_move(self, step: int) -> None:
        listing = self.query_one("#found", OptionList)
        if step < 0:
            listing.action_cursor_up()
        else:
            listing.action_cursor_down()

    @on(Input.Submitted, "#find")
    def action_go(self) -> None:
        option = self.query_one("#found", OptionList).highlighted_option
        if option is None or option.id is None:
            self.notify("No question matches: type its number or other words.", timeout=3)
            return
        self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#found")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
