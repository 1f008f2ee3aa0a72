"""Ranking questions: put options in order of importance, leaving out those that do not apply.

Ranked options are listed first, numbered; unranked ones follow, marked "not
ranked". Space adds the highlighted option to the end of the ranking (or
takes it out); Shift+Up / Shift+Down (or K / J keys) move it; a number key gives
it that rank directly.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from assess.domain.answers import Answer
from assess.domain.bank import Bank, Question
from assess.tui.keys import Key
from assess.tui.text import plain
from assess.tui.widgets.base import AnswerInput, options_of
from assess.tui.widgets.picker import Picker


class RankingInput(AnswerInput):
    """An ordered list: Space adds or removes, Shift+arrows move, 1–9 set the rank."""

    KEYS = (
        Key(
            "space",
            help="add the highlighted item to the ranking, or take it out",
            bar="to add or remove",
        ),
        Key(
            "shift+up,k",
            "move(-1)",
            help="move it up the ranking",
            bar="to move",
            bar_shown="Shift+↑↓",
        ),
        Key("shift+down,j", "move(1)", help="move it down the ranking"),
        Key("delete,minus", "remove", help="take it out of the ranking"),
        Key(
            ",".join(str(n) for n in range(1, 10)),
            "rank",
            help="give it that rank",
            bar="to set the rank",
            shown="1–9",
            per_key=True,
        ),
    )

    def __init__(
        self, question: Question, bank: Bank, answer: Answer | None, **kwargs: Any
    ) -> None:
        super().__init__(question, bank, answer, **kwargs)
        self.ranked: list[str] = options_of(answer)
        self.picker = Picker(self._items(), self._mark, classes="picker")

    def _items(self) -> list[tuple[str, str]]:
        labels = {o.id: o.label for o in self.question.options}
        unranked = [o.id for o in self.question.options if o.id not in self.ranked]
        return [(oid, labels[oid]) for oid in [*self.ranked, *unranked]]

    def _mark(self, option_id: str) -> str:
        if option_id in self.ranked:
            return f"{self.ranked.index(option_id) + 1:>2}."
        return " - "

    def compose(self) -> ComposeResult:
        yield self.picker
        yield Static(id="ranking-state", classes="hint", markup=False)

    def on_mount(self) -> None:
        self._show()

    def focus_target(self) -> Widget:
        return self.picker

    def _show(self, keep: str | None = None) -> None:
        self.picker.items = self._items()
        self.picker.rebuild(keep=keep)
        left = len(self.question.options) - len(self.ranked)
        state = self.query_one("#ranking-state", Static)
        if not self.ranked:
            state.update(plain("Nothing ranked yet: press Space on the most important first."))
        elif left:
            state.update(plain(f"{len(self.ranked)} ranked; {left} left out (not ranked)."))
        else:
            state.update(plain(f"All {len(self.ranked)} ranked."))

    def _highlighted(self) -> str | None:
        option = self.picker.highlighted_option
        return option.id if option is not None else None

    def _changed(self, keep: str | None) -> None:
        self._show(keep)
        self.edited(tuple(self.ranked) if self.ranked else None)

    def on_picker_chosen(self, event: Picker.Chosen) -> None:
        event.stop()
        option_id = event.option_id
        if option_id in self.ranked:
            self.ranked.remove(option_id)
        else:
            self.ranked.append(option_id)
        self._changed(option_id)

    def action_remove(self) -> None:
        option_id = self._highlighted()
        if option_id in self.ranked:
            self.ranked.remove(option_id)
            self._changed(option_id)

    def action_move(self, step: int) -> None:
        option_id = self._highlighted()
        if option_id is None:
            return
        if option_id not in self.ranked:
            self.ranked.append(option_id)
        else:
            here = self.ranked.index(option_id)
            there = here + step
            if not 0 <= there < len(self.ranked):
                return
            self.ranked[here], self.ranked[there] = self.ranked[there], self.ranked[here]
        self._changed(option_id)

    def action_rank(self, position: int) -> None:
        option_id = self._highlighted()
        if option_id is None:
            return
        if option_id in self.ranked:
            self.ranked.remove(option_id)
        self.ranked.insert(min(position, len(self.ranked) + 1) - 1, option_id)
        self._changed(option_id)

    def set_answer(self, answer: Answer | None) -> None:
        super().set_answer(answer)
        self.ranked = options_of(answer)
        self._show()

    def load(self, question: Question, answer: Answer | None) -> None:
        super().load(question, answer)
        self.ranked = options_of(answer)
        self.picker.set_items(self._items())
        self._show()
