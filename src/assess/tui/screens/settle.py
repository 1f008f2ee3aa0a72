"""Settling the officers' consensus: each item the rule leaves open, one at a time.

The consensus (`domain.consensus`) takes a level where the officers agree or
an odd number of them gives a clear middle one; the rest are left to settle.
This screen shows one such item at a time, with what each officer said (their
level, their evidence note, their reason for not applicable), and the officer
types the agreed level: a digit, or A for not applicable, from the levels
between the views. The next item follows at once; Backspace undoes a choice.
Ctrl+S saves the settled consensus as a new draft assessment (after a
confirmation), through the store like any new assessment; the assessments
compared are never changed. Leaving returns what was settled to the compare
screen, which shows it in the report and keeps it until it is saved.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from assess.domain.compare import Comparison
from assess.domain.consensus import Choice, Consensus, ConsensusItem, consensus
from assess.domain.errors import BadInput
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.text import hang, plain

Result = tuple[Mapping[str, Choice], str]  # what is settled, and the id of a saved draft ("")

LEVEL_KEYS = "0,1,2,3,4"


class SettleScreen(AppScreen[Result | None]):
    """Walks the officers through the items of their consensus left to settle."""

    CSS_PATH = "governance.tcss"

    HELP = """\
The officers' views of these items do not settle by the rule: two officers
(or the two middle officers of an even number) gave different levels, or some
said not applicable and others gave a level. For each item, read what every
officer said and why, agree a level together, and type it: one of the levels
between their views, or A for not applicable where one of them said so.

The next item follows. The consensus score at the top is a range until every
item is settled. Ctrl+S saves the consensus as a new draft assessment; items
not settled by then are left unanswered in it, to answer later."""

    KEYS = (
        Key(
            LEVEL_KEYS,
            "pick",
            help="settle the item at this level (one of those offered)",
            bar="Level",
            shown="0–4",
            bar_shown="0–4",
            per_key=True,
        ),
        Key("a", "pick_na", help="settle the item as not applicable (where offered)", bar="N/A"),
        Key(
            "backspace",
            "undo",
            help="undo the choice for this item",
            command="Undo this item's choice",
            command_help="Leave the item to settle again",
        ),
        Key(
            "right,pagedown",
            "step(1)",
            help="the next item",
            bar="Next",
            bar_shown="→",
            shown="Right or PgDn",
        ),
        Key("left,pageup", "step(-1)", help="the previous item", shown="Left or PgUp"),
        Key(
            "ctrl+s",
            "save",
            help="save the settled consensus as a new draft assessment (you are asked first)",
            bar="Save",
            command="Save the settled consensus",
            command_help="As a new draft assessment",
            priority=True,
        ),
        Key(
            "escape",
            "back",
            help="back to the comparison (what is settled is kept there)",
            bar="Back",
            command="Back",
            command_help="Return to the comparison",
        ),
    )

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        # Every item the rule leaves open, whatever has been settled already.
        self.comparison = comparison
        self.open_items: tuple[ConsensusItem, ...] = consensus(
            comparison.with_settled({})
        ).to_settle
        self.settled: dict[str, Choice] = dict(comparison.settled)
        # The first item still open (the summary, after the last item, when none is).
        self.index = next(
            (i for i, item in enumerate(self.open_items) if item.id not in self.settled),
            len(self.open_items),
        )
        self.saved_id = ""

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield Static(id="settle-progress", markup=False)
        with VerticalScroll(id="settle-body"):
            yield Static(id="settle-item", markup=False)
            yield Static(id="settle-prompt", markup=False)
        yield self.key_bar()

    def on_mount(self) -> None:
        first = self.comparison.columns[0].assessment
        self.query_one("#topbar", Static).update(plain(f"Settle the consensus · {first.title}"))
        self.show()
        self.query_one("#settle-body").focus()

    # -- what is shown -------------------------------------------------------------

    @property
    def agreed(self) -> Consensus:
        return consensus(self.comparison.with_settled(self.settled))

    @property
    def item(self) -> ConsensusItem | None:
        """The item on screen; None on the summary after the last one."""
        return self.open_items[self.index] if self.index < len(self.open_items) else None

    def show(self) -> None:
        agreed = self.agreed
        total = len(self.open_items)
        done = sum(1 for item in self.open_items if item.id in self.settled)
        where = f"Item {self.index + 1} of {total}" if self.item is not None else "All items"
        self.query_one("#settle-progress", Static).update(
            plain(f"{where} · {done} of {total} settled · consensus {agreed.score_text()}")
        )
        body = self.query_one("#settle-item", Static)
        prompt = self.query_one("#settle-prompt", Static)
        item = self.item
        if item is None:
            body.update(self._summary(agreed, done, total))
            prompt.update(
                plain(
                    "Ctrl+S saves the settled consensus as a new draft assessment. "
                    "Left goes back through the items."
                )
            )
            return
        body.update(self._item(item))
        choice = self.settled.get(item.id, "none")
        if choice == "none":
            levels = [str(c) for c in item.choices if c is not None]
            words = levels[0] if len(levels) == 1 else f"{', '.join(levels[:-1])} or {levels[-1]}"
            na = ", or A for not applicable" if None in item.choices else ""
            prompt.update(plain(f"Type the agreed level: {words}{na}."))
        else:
            prompt.update(
                plain(f"Settled at {self._choice_words(choice)}. Backspace undoes it; → moves on.")
            )
        self.query_one("#settle-body", VerticalScroll).scroll_home(animate=False)

    def _choice_words(self, choice: object) -> str:
        if choice is None:
            return "not applicable"
        assert isinstance(choice, int)
        return f"level {choice} – {self.comparison.bank.level_label(choice)}"

    def _item(self, item: ConsensusItem) -> RenderableType:
        bank = self.comparison.bank
        q = item.question
        where = bank.section_of(q.id).title
        facts = f"{where} · {'critical · ' if q.critical else ''}target level {q.target}"
        parts: list[RenderableType] = [
            Text(q.text, style="bold"),
            Text(facts, style="dim"),
            Text(""),
        ]
        for view in item.views:
            answer = view.answer
            if answer is None:
                said = "did not answer"
            elif answer.is_na:
                said = f"not applicable: {answer.na_reason}"
            else:
                level = answer.level if answer.level is not None else 0
                said = f"level {level} – {bank.level_label(level)}"
            note = view.evidence or "no evidence note"
            parts.append(hang(f"{view.officer}: ", Group(Text(said), Text(note, style="dim"))))
        return Group(*parts)

    @staticmethod
    def _summary(agreed: Consensus, done: int, total: int) -> RenderableType:
        left = total - done
        lines = [
            Text(f"{done} of {total} items settled.", style="bold"),
            Text(f"The consensus scores {agreed.score_text()}."),
        ]
        if left:
            lines.append(
                Text(
                    f"{left} item{'s are' if left != 1 else ' is'} not settled yet: saved now, "
                    f"{'they are' if left != 1 else 'it is'} left unanswered in the new draft."
                )
            )
        return Group(*lines)

    # -- actions -----------------------------------------------------------------

    def action_pick(self, level: int) -> None:
        self._settle(level)

    def action_pick_na(self) -> None:
        self._settle(None)

    def _settle(self, choice: Choice) -> None:
        item = self.item
        if item is None:
            return
        if not item.allows(choice):
            shown = "not applicable" if choice is None else f"level {choice}"
            self.notify(
                f"Not {shown}: this item is settled at {item.choices_text()}, between the "
                "officers' views.",
                severity="warning",
                timeout=6,
                markup=False,
            )
            return
        self.settled[item.id] = choice
        # On to the next item still open (or the summary when none is).
        later = [
            i
            for i in range(self.index + 1, len(self.open_items))
            if self.open_items[i].id not in self.settled
        ]
        self.index = later[0] if later else len(self.open_items)
        self.show()

    def action_undo(self) -> None:
        item = self.item
        if item is not None and self.settled.pop(item.id, "none") != "none":
            self.show()

    def action_step(self, step: int) -> None:
        self.index = max(0, min(len(self.open_items), self.index + step))
        self.show()

    def action_save(self) -> None:
        from assess.tui.screens.modals import ConfirmModal

        agreed = self.agreed
        first = self.comparison.columns[0].assessment
        draft = agreed.draft()
        left = len(draft.left_unanswered)
        body = (
            f"Save the consensus as a new draft assessment of {first.title}, assessor "
            f"“{draft.assessor}”? It scores {agreed.score_text()}."
            + (
                f" {left} item{'s' if left != 1 else ''} not settled {'are' if left != 1 else 'is'}"
                " left unanswered."
                if left
                else ""
            )
            + " The assessments compared are not changed."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.save(agreed)

        self.app.push_screen(
            ConfirmModal("Save the consensus as a new assessment?", body, confirm="Save"), done
        )

    def save(self, agreed: Consensus) -> None:
        from assess.tui.session import current_user

        try:
            saved = self.store.create(**agreed.draft().fields(), who=current_user())
        except BadInput as exc:  # the store's errors too: each says what to do
            self.notify(f"Not saved: {exc.message}", severity="error", timeout=8, markup=False)
            return
        self.saved_id = saved.id
        self.notify(
            f"Saved as a new draft assessment {saved.id}: {saved.title}, {saved.assessor}. "
            "It is on the list of assessments.",
            timeout=8,
            markup=False,
        )
        self.dismiss((dict(self.settled), saved.id))

    def action_back(self) -> None:
        self.dismiss((dict(self.settled), self.saved_id))
