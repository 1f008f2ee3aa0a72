"""Pop-up dialogs: confirm, rename, export a bundle, export a report, and a save conflict.

Each returns its answer through `dismiss` (None when cancelled with Escape),
and none changes anything itself: the screen that opened it acts on the answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from assess.domain.assessment import Summary
from assess.domain.errors import BadInput
from assess.tui.keys import Key, Keys
from assess.tui.screens.base import AppModal
from assess.tui.text import plain
from assess.tui.widgets.field import Field, check_name_fields

# Tab and Enter work the buttons of every dialog (Textual's own keys).
BUTTON_KEYS = (
    Key("tab,shift+tab", help="move between the buttons", shown="Tab, Shift+Tab"),
    Key("enter", help="press the highlighted button"),
)


class ConfirmModal(AppModal[bool]):
    """Yes or no. Y (or Enter on its button) confirms, N or Escape cancels; the safe button
    has the focus."""

    KEYS = (
        Key("y", "confirm", help="go ahead", bar="Yes"),
        Key("n,escape", "cancel", help="cancel: nothing is done", bar="Cancel"),
        *BUTTON_KEYS,
    )

    def __init__(
        self, title: str, body: str, *, confirm: str = "Yes", danger: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm_label = confirm
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(plain(self.body), classes="dialog-body", markup=False)
            yield self.key_bar(labels={"confirm": self.confirm_label}, classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button(
                    self.confirm_label, id="confirm", variant="error" if self.danger else "primary"
                )
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


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
                yield Static("", id=f"{key}-problem", classes="problem", markup=False)
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#authority", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        names, problems = check_name_fields(self, self.FIELDS)
        if problems:
            self.query_one(f"#{problems[0]}", Input).focus()
            return
        self.dismiss(names)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def check_export_path(text: str, *, replace: bool) -> Path:
    """The file to write, or BadInput saying what is wrong with `text`."""
    text = text.strip()
    if not text:
        raise BadInput("type the file to save to")
    path = Path(text).expanduser()
    if path.is_dir():
        raise BadInput(f"{path} is a folder; add a file name")
    if not path.parent.is_dir():
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
    """Shared by the export dialogs: a path box that refuses a bad path with a reason."""

    KEYS: ClassVar[Keys] = (
        Key("enter", help="export to the file in the box", bar="Export"),
        Key("escape", "cancel", help="cancel: nothing is written", bar="Cancel"),
        *BUTTON_KEYS,
    )

    def __init__(self) -> None:
        super().__init__()
        self._replace_ok: str | None = None

    def check_path(self) -> Path | None:
        field = self.query_one("#path", Input)
        problem = self.query_one("#path-problem", Static)
        try:
            path = check_export_path(field.value, replace=self._replace_ok == field.value)
        except BadInput as exc:
            if "already exists" in exc.message:
                self._replace_ok = field.value
            problem.update(plain(f"{exc.message[0].upper()}{exc.message[1:]}."))
            field.focus()
            return None
        problem.update("")
        return path

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportBundleModal(_PathDialog[Path | None]):
    """Where to save a bundle of assessments (a JSON file another store can import)."""

    def __init__(self, what: str, folder: Path | None = None) -> None:
        super().__init__()
        self.what = what
        self.folder = folder or Path.home()

    def compose(self) -> ComposeResult:
        default = free_name(self.folder, "assess-bundle", ".json")
        with Vertical(classes="dialog"):
            yield Static("Export a bundle", classes="dialog-title", markup=False)
            yield Static(
                f"Save {self.what} to a bundle file that another copy of the app can import "
                "(assess import FILE).",
                classes="dialog-body",
                markup=False,
            )
            yield Label("File", classes="field-label")
            yield Field(str(default), id="path")
            yield Static("", id="path-problem", classes="problem", markup=False)
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="go", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def go(self) -> None:
        path = self.check_path()
        if path is not None:
            self.dismiss(path)


class ExportReportModal(_PathDialog[tuple[str, Path] | None]):
    """Choose a report format and a file; returns (format, path)."""

    def __init__(self, stem: str, folder: Path | None = None) -> None:
        # Imported here, not at the top: the home screen imports this module at
        # start-up, and the reports (with the question-bank models) can wait.
        from assess.reports.export import FORMATS

        super().__init__()
        self.formats = FORMATS
        self.stem = stem
        self.folder = folder or Path.home()
        self.format = "text"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export the report", classes="dialog-title", markup=False)
            yield Label("Format (Up/Down, or 1–5)", classes="field-label")
            yield OptionList(
                *(Option(f"{i}  {f.label}", id=f.key) for i, f in enumerate(self.formats, 1)),
                id="formats",
                markup=False,
            )
            yield Label("File", classes="field-label")
            yield Field(str(self._default("text")), id="path")
            yield Static("", id="path-problem", classes="problem", markup=False)
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Export", id="go", variant="primary")
                yield Button("Cancel", id="cancel")

    KEYS = (
        Key(
            ",".join(str(n) for n in range(1, 10)),
            "pick",
            help="choose a format by its number (in the list of formats)",
            shown="1–9",
            per_key=True,
        ),
        Key("up,down", help="move through the formats", shown="Up / Down"),
        Key("tab", help="move between the format and the file", bar="Format / file"),
        *_PathDialog.KEYS,
    )

    def _default(self, fmt: str) -> Path:
        suffix = next(f.suffix for f in self.formats if f.key == fmt)
        return free_name(self.folder, self.stem, suffix)

    def on_mount(self) -> None:
        self.query_one("#formats", OptionList).highlighted = 0
        self.query_one("#formats", OptionList).focus()

    def action_pick(self, number: int) -> None:
        """Highlight format `number` (1 is the first); in the file box, digits are typed."""
        if isinstance(self.focused, Input) or not 1 <= number <= len(self.formats):
            return
        self.query_one("#formats", OptionList).highlighted = number - 1

    @on(OptionList.OptionHighlighted, "#formats")
    def _format(self, event: OptionList.OptionHighlighted) -> None:
        old = self.format
        self.format = event.option.id or "text"
        field = self.query_one("#path", Input)
        # Follow the format with the suggested name unless the officer typed their own.
        if field.value == str(self._default(old)):
            field.value = str(self._default(self.format))

    @on(OptionList.OptionSelected, "#formats")
    def _format_chosen(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def go(self) -> None:
        path = self.check_path()
        if path is not None:
            self.dismiss((self.format, path))


class StaleSaveModal(AppModal[str | None]):
    """Someone else changed the same answer: reload theirs, or keep (save) this one."""

    KEYS = (
        Key("r,escape", "choose('reload')", help="reload their version", bar="Reload theirs"),
        Key("k", "choose('keep')", help="keep mine: save it over theirs", bar="Keep mine"),
        *BUTTON_KEYS,
    )

    def __init__(self, question_id: str, detail: str) -> None:
        super().__init__()
        self.question_id = question_id
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Someone else changed this answer", classes="dialog-title", markup=False)
            yield Static(
                plain(
                    f"While you were working, question {self.question_id} was changed "
                    "elsewhere (another window, or a colleague using the same store). "
                    "Your change has not been saved yet.\n\n"
                    "Reload shows their version (and drops your change to this answer); "
                    "Keep mine saves your version over theirs."
                    + (f"\n\n{self.detail}" if self.detail else "")
                ),
                classes="dialog-body",
                markup=False,
            )
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Reload theirs", id="reload", variant="primary")
                yield Button("Keep mine", id="keep")

    def on_mount(self) -> None:
        self.query_one("#reload", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
