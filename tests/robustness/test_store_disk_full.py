"""A full disk: repairing a damaged assessment never removes its only readable copy.

On a real filesystem of its own (a small tmpfs), an assessment whose file is
damaged and whose `.bak` is good is opened while the disk is full. The
repair cannot write the good copy, so nothing at all may change: the
damaged file stays where it is, the `.bak` too, and the officer still sees
the assessment (from the good copy). Saving says it could not save and that
nothing changed. Once space is freed, the next opening repairs it, and the
list shows it again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from tests.helpers import assert_clean_failure, run_assess
from tests.robustness.machine import fill, small_disk
from tests.store.support import folder_bytes, full_answers

pytestmark = pytest.mark.robustness
QID = "R-LEAD-OWNERSHIP"


def test_a_repair_on_a_full_disk_changes_nothing_and_loses_nothing(
    tmp_path: Path, bank: Bank
) -> None:
    with small_disk(tmp_path / "disk", "3m") as disk:
        db = disk / "store"
        store = Store.open(db)
        made = store.create(authority="Kent", answers=full_answers(bank, 2, "evidence"))
        store.save_answer(made.id, QID, Answer(4, None, "cabinet minutes"))  # now a .bak
        path = db / "assessments" / f"{made.id}.json"
        path.write_bytes(path.read_bytes()[:200])  # damaged; the .bak is good
        filler = fill(disk)
        before = folder_bytes(db)

        shown = run_assess("report", made.id, db=db)
        assert shown.code == 0, shown.err
        assert "Kent" in shown.out  # from the good copy
        assert "nothing was changed" in shown.err and "previous save" in shown.err
        assert folder_bytes(db) == before  # the damaged file is still there, as it was

        answers = disk / "answers.json"
        os.unlink(filler)  # room for the answers file only, then full again
        answers.write_text(json.dumps({"answers": {QID: {"level": 1}}}))
        filler = fill(disk)
        saved = run_assess("answer", made.id, "--answers", str(answers), db=db)
        assert_clean_failure(saved, "could not be put back", "No space left", "nothing was changed")
        assert folder_bytes(db) == before

        listed = run_assess("list", db=db)
        assert listed.code == 0 and made.id not in listed.out  # damaged: not listed, warned
        assert made.id in listed.err

        os.unlink(filler)  # space again: the next opening repairs it
        repaired = run_assess("report", made.id, db=db)
        assert repaired.code == 0, repaired.err
        assert "was put back" in repaired.err
        assert made.id in run_assess("list", db=db).out
        kept = [p.name for p in (db / "assessments").iterdir() if ".damaged-" in p.name]
        assert len(kept) == 1  # the damaged bytes, kept
        assert (db / "assessments" / kept[0]).read_bytes() == before[f"assessments/{made.id}.json"]
        # The copy from the previous save: the last change is missing, as the officer is told.
        assert Store.open(db).get(made.id).answers == made.answers
