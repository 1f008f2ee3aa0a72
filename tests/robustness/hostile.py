"""Shared pieces of the hostile-input suite: a populated store, the four ways files
come in, and the check that a refused file changed nothing.

A file reaches assess in four ways: `assess import FILE` (a bundle),
`assess answer ID --answers FILE`, `assess new --answers FILE` and
`assess report --answers FILE`. The hostile-input tests hand the same bad
files to all four and expect the same thing: exit status 2, one clear line
(or one per bad value) naming the file, no traceback, and the store folder
exactly as it was, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from tests.helpers import Outcome, assert_clean_failure, invoke
from tests.store.support import folder_bytes, full_answers

# How each command is given a file; `answer` also needs the id of an assessment.
COMMANDS: dict[str, Callable[[Path, str], tuple[str, ...]]] = {
    "import": lambda path, _: ("import", str(path)),
    "answer": lambda path, assessment_id: ("answer", assessment_id, "--answers", str(path)),
    "new": lambda path, _: ("new", "--authority", "Kent", "--answers", str(path)),
    "report": lambda path, _: ("report", "--answers", str(path)),
}
ANSWER_COMMANDS = ("answer", "new", "report")


def populate(root: Path, bank: Bank) -> str:
    """A store holding one fully answered assessment that has been saved since (so it
    has a backup too); returns its id."""
    store = Store.open(root)
    made = store.create(authority="Kent", service="Waste", answers=full_answers(bank, 3, "e"))
    store.save_answer(made.id, bank.criteria[0].id, Answer(4, None, "cabinet minutes"))
    store.create(authority="Surrey")
    return made.id


def refused(db: Path, command: str, path: Path, assessment_id: str, *fragments: str) -> Outcome:
    """Run `command` on `path` and check it was refused cleanly and changed nothing."""
    before = folder_bytes(db)
    outcome = invoke(*COMMANDS[command](path, assessment_id), db=db)
    assert_clean_failure(outcome)
    assert outcome.out == "", outcome.out  # nothing reported as done
    assert folder_bytes(db) == before, f"{command} changed the store"
    for fragment in fragments:  # last, so a known gap in a message hides nothing else
        assert fragment in outcome.err, (fragment, outcome.err)
    return outcome


def one_problem(outcome: Outcome) -> None:
    """One clear line; a refused bundle may add the one problem found, indented under it."""
    lines = outcome.err_lines
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("  ")), outcome.err
