"""Yes/no questions: Y or N (or 1 / 2), or the arrows and Enter."""

from __future__ import annotations

from assess.tui.keys import Key
from assess.tui.widgets.single import SingleChoiceInput


class YesNoInput(SingleChoiceInput):
    """A yes/no question; Y and N answer it directly."""

    KEYS = (
        Key("y", "answer('yes')", help="answer yes to a yes/no question", bar="for yes"),
        Key("n", "answer('no')", help="answer no to a yes/no question", bar="for no"),
    )

    def action_answer(self, option_id: str) -> None:
        if self.question.option(option_id) is not None:
            self.choose(option_id)
