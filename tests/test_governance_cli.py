"""The action plan, stage, rating, sign-off and reopening from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.helpers import assert_clean_failure, invoke
from tests.store.support import folder_bytes

RIGOUR = "R-CASE-RIGOUR"


@pytest.fixture
def made(db: Path) -> str:
    done = invoke("new", "--authority", "Borsetshire", "--service", "Waste", "--stage", "1", db=db)
    assert done.code == 0, done.err
    return done.out.strip()


def test_set_and_show_plan_entries_in_every_format(db: Path, made: str) -> None:
    done = invoke(
        "plan", made, "set", RIGOUR, "--owner", "Head of Finance", "--due", "2020-03-31",
        "--status", "in-progress", db=db,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "in progress, owner Head of Finance, 2020-03-31" in done.out
    data = json.loads(invoke("plan", made, "--format", "json", db=db).out)
    [entry] = data["entries"]
    assert (entry["id"], entry["owner"], entry["due"], entry["status"]) == (
        RIGOUR,
        "Head of Finance",
        "2020-03-31",
        "in progress",
    )
    assert entry["overdue"] is True  # due in 2020, not done
    text = invoke("plan", made, db=db).out
    assert "OVERDUE" in text and "Head of Finance" in text
    rows = list(csv.DictReader(io.StringIO(invoke("plan", made, "--format", "csv", db=db).out)))
    assert rows[0]["owner"] == "Head of Finance" and rows[0]["overdue"] == "yes"
    for fmt in ("markdown", "html"):
        assert "Head of Finance" in invoke("plan", made, "--format", fmt, db=db).out
    # The report's CSV has the plan columns; its JSON every field.
    report = invoke("report", made, "--format", "csv", db=db).out
    row = next(r for r in csv.DictReader(io.StringIO(report)) if r["id"] == RIGOUR)
    assert (row["owner"], row["due"], row["status"]) == (
        "Head of Finance",
        "2020-03-31",
        "in progress",
    )
    assert json.loads(invoke("report", made, "--format", "json", db=db).out)["plan"][0]["overdue"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--due", "2027-02-30"), "is not a real date"),
        (("--due", "tomorrow"), "YYYY-MM-DD"),
        (("--status", "finished"), "finished"),
        (("--status", "dropped"), "needs a reason"),
        (("--owner", "Ann\x1b[2J"), "control characters"),
    ],
)
def test_bad_plan_values_exit_2_and_save_nothing(
    db: Path, made: str, args: tuple[str, ...], says: str
) -> None:
    before = folder_bytes(db / "assessments")
    assert_clean_failure(invoke("plan", made, "set", RIGOUR, *args, db=db), says)
    assert folder_bytes(db / "assessments") == before


def test_stage_rating_sign_off_and_reopen(db: Path, made: str) -> None:
    moved = invoke("stage", made, "--next", db=db)
    assert moved.code == 0 and "Stage 2, Procurement strategy" in moved.out
    assert_clean_failure(invoke("confidence", made, "Amber", db=db), "reason")
    rated = invoke("confidence", made, "Amber", "--reason", "Funding agreed", db=db)
    assert rated.code == 0 and "your rating Amber" in rated.out
    assert_clean_failure(
        invoke("signoff", made, "--name", "Jo", "--role", "Director", db=db), "draft"
    )
    from assess.store import Store

    Store.open(db).set_status(made, "complete")
    signed = invoke("signoff", made, "--name", "Jo Bloggs", "--role", "Director", db=db)
    assert signed.code == 0 and "review by" in signed.out
    before = folder_bytes(db / "assessments")
    refused = invoke("plan", made, "set", RIGOUR, "--owner", "Ann", db=db)
    assert_clean_failure(refused, "signed off by Jo Bloggs", "reopen")
    assert folder_bytes(db / "assessments") == before
    listed = invoke("list", db=db).out
    assert "signed off" in listed
    assert invoke("reopen", made, "--reason", "Audit findings", db=db).code == 0
    assert invoke("plan", made, "set", RIGOUR, "--owner", "Ann", db=db).code == 0
    history = Store.open(db).get(made).history
    fields = [h.field for h in history if h.kind == "detail"]
    assert fields[:3] == ["stage", "confidence", "confidence_reason"]
    assert "signoff" in fields and "reopened" in fields


def test_plan_entries_in_an_answers_file(db: Path, made: str, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        f"answers:\n  {RIGOUR}: 2\nplan:\n  {RIGOUR}: {{owner: Ann, due: 2027-01-31}}\n", "utf-8"
    )
    done = invoke("answer", made, "--answers", str(path), db=db)
    assert done.code == 0, done.err
    assert "1 answer(s) and 1 plan entry" in done.out
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"plan:\n  {RIGOUR}: {{status: finished}}\n", "utf-8")
    before = folder_bytes(db / "assessments")
    assert_clean_failure(invoke("answer", made, "--answers", str(bad), db=db), "line 2")
    assert folder_bytes(db / "assessments") == before
