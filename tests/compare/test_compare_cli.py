"""`assess compare`: formats, files, ids and prefixes, bank versions, and saving a consensus."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest

from assess.domain.answers import Answer
from assess.domain.assessment import now_iso
from assess.domain.bank import Bank
from assess.store import Store
from tests.helpers import assert_clean_failure, invoke

from .support import newer_bank

FORMATS = ["text", "markdown", "html", "json", "csv"]


@pytest.fixture
def clock() -> Iterator[list[str]]:
    """The times the store stamps on the next assessments made (one per entry)."""
    yield []


@pytest.fixture
def store(db: Path, clock: list[str]) -> Store:
    return Store.open(db, clock=lambda: clock.pop(0) if clock else now_iso())


def officers(store: Store, clock: list[str]) -> list[str]:
    """Three officers' views of one authority and service, a few days apart."""
    clock += ["2026-03-01T09:00:00.000Z", "2026-03-04T09:00:00.000Z", "2026-03-09T09:00:00.000Z"]
    views = [
        ("Ann", {"R-LEAD-OWNERSHIP": Answer(1, None, "Leader only"), "R-CASE-RIGOUR": Answer(2)}),
        ("Bob", {"R-LEAD-OWNERSHIP": Answer(3), "R-CASE-RIGOUR": Answer(2)}),
        ("Cat", {"R-LEAD-OWNERSHIP": Answer(4), "R-CASE-RIGOUR": Answer(3)}),
    ]
    return [
        store.create(authority="Borsetshire", service="Waste", assessor=who, answers=answers).id
        for who, answers in views
    ]


def series(store: Store, clock: list[str]) -> list[str]:
    """The same authority and service, a year apart."""
    clock += ["2025-01-10T09:00:00.000Z", "2026-01-10T09:00:00.000Z"]
    return [
        store.create(
            authority="Borsetshire",
            service="Waste",
            assessor="Ann",
            stage=1,  # the business case counts from stage 1
            answers={"R-CASE-RIGOUR": Answer(level)},
        ).id
        for level in (1, 3)
    ]


def test_text_comparison_of_officers(store: Store, clock: list[str], db: Path) -> None:
    ids = officers(store, clock)
    outcome = invoke("compare", *ids, db=db)
    assert outcome.code == 0, outcome.err
    out = outcome.out
    assert out.startswith("Comparison across officers: Borsetshire — Waste")
    assert "Where the officers disagree" in out
    ownership = store.current_bank().question("R-LEAD-OWNERSHIP")
    assert ownership is not None
    flat = " ".join(out.split())
    assert f"• {ownership.text} Levels given: Ann 1 · Bob 3 · Cat 4 · 3 apart" in flat
    assert "\x1b" not in out and max(len(line) for line in out.splitlines()) <= 80
    assert outcome.err == ""


def test_every_format_to_stdout_and_to_a_file(
    store: Store, clock: list[str], db: Path, tmp_path: Path
) -> None:
    ids = officers(store, clock)
    for fmt in FORMATS:
        shown = invoke("compare", *ids, "--format", fmt, db=db)
        assert shown.code == 0, (fmt, shown.err)
        target = tmp_path / f"comparison.{fmt}"
        written = invoke("compare", *ids, "--format", fmt, "-o", str(target), db=db)
        assert written.code == 0, (fmt, written.err)
        assert written.out == "" and f"Wrote {target}" in written.err
        content = target.read_bytes().decode("utf-8-sig" if fmt == "csv" else "utf-8")
        assert content == shown.out, fmt
    assert (tmp_path / "comparison.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    html5lib.HTMLParser(strict=True).parse((tmp_path / "comparison.html").read_text("utf-8"))
    data = json.loads((tmp_path / "comparison.json").read_text("utf-8"))
    assert [a["id"] for a in data["assessments"]] == ids
    rows = list(csv.reader(io.StringIO(invoke("compare", *ids, "--format", "csv", db=db).out)))
    assert len(rows) == 1 + data["bank"]["shared_count"]


def test_prefixes_are_enough(store: Store, clock: list[str], db: Path) -> None:
    ids = officers(store, clock)
    outcome = invoke("compare", *(i[:6] for i in ids), "--format", "json", db=db)
    assert outcome.code == 0, outcome.err
    assert [a["id"] for a in json.loads(outcome.out)["assessments"]] == ids


def test_a_series_is_put_in_date_order(store: Store, clock: list[str], db: Path) -> None:
    old, new = series(store, clock)
    data = json.loads(invoke("compare", new, old, "--format", "json", db=db).out)
    assert data["kind"] == "over time"
    assert [a["id"] for a in data["assessments"]] == [old, new]
    assert [c["id"] for c in data["gaps"]["closed"]] == ["R-CASE-RIGOUR"]


@pytest.mark.parametrize(
    ("ids", "fragment"),
    [
        ((), "give two or more ids"),
        (("{0}",), "give two or more assessment ids"),
        (("{0}", "12345678"), "no assessment with id 12345678"),
        (("{0}", "not-an-id!"), "is not an assessment id"),
        (("{0}", "{0}"), "named twice"),
    ],
)
def test_bad_ids_fail_cleanly_with_one_line(
    store: Store, clock: list[str], db: Path, ids: tuple[str, ...], fragment: str
) -> None:
    first = officers(store, clock)[0]
    outcome = invoke("compare", *(i.format(first) for i in ids), db=db)
    assert_clean_failure(outcome, fragment)
    assert len(outcome.err_lines) == 1
    assert outcome.out == ""


def test_an_ambiguous_prefix_fails_cleanly(store: Store, db: Path) -> None:
    # Ids are hexadecimal: of 17 assessments, two start with the same character.
    ids = [store.create(authority=f"Authority {n}").id for n in range(17)]
    first = {}
    for i in ids:
        if i[0] in first:
            break
        first[i[0]] = i
    outcome = invoke("compare", ids[0], i[0], db=db)
    assert_clean_failure(outcome, f"{i[0]!r} matches", "type more of the id")


def test_no_store_is_not_created_by_a_typo(tmp_path: Path) -> None:
    missing = tmp_path / "no-store"
    outcome = invoke("compare", "abcd1234", "bcde2345", db=missing)
    assert_clean_failure(outcome, "no store here yet")
    assert not missing.exists()


def test_save_consensus_round_trip(store: Store, clock: list[str], db: Path) -> None:
    ids = officers(store, clock)
    before = {i: store.get(i).revision for i in ids}
    clock.append("2026-03-10T09:00:00.000Z")
    outcome = invoke("compare", *ids, "--save-consensus", "--who", "Dee", db=db)
    assert outcome.code == 0, outcome.err
    new_id = outcome.out.strip()
    assert len(new_id) == 8 and new_id not in ids
    assert "Saved the consensus as a new draft assessment" in outcome.err
    assert "Nothing is left to settle" in outcome.err
    saved = Store.open(db).get(new_id)
    assert saved.assessor == "Consensus of Ann, Bob, Cat"
    assert (saved.authority, saved.service, saved.status) == ("Borsetshire", "Waste", "draft")
    # The middle of 1, 3, 4 and of 2, 2, 3.
    assert saved.answers["R-LEAD-OWNERSHIP"].level == 3
    assert saved.answers["R-CASE-RIGOUR"].level == 2
    assert "Ann level 1, Bob level 3, Cat level 4" in saved.answers["R-LEAD-OWNERSHIP"].evidence
    assert saved.history and saved.history[0].who == "Dee"
    assert {i: Store.open(db).get(i).revision for i in ids} == before


def two_officers(store: Store, clock: list[str]) -> list[str]:
    """Two officers whose views of two criteria differ: both are left to settle."""
    clock += ["2026-03-01T09:00:00.000Z", "2026-03-04T09:00:00.000Z"]
    views = [
        ("Ann", {"R-LEAD-OWNERSHIP": Answer(1, None, "Leader only"), "R-CASE-RIGOUR": Answer(2)}),
        ("Bob", {"R-LEAD-OWNERSHIP": Answer(3), "R-CASE-RIGOUR": Answer(4)}),
    ]
    return [
        store.create(authority="Borsetshire", service="Waste", assessor=who, answers=answers).id
        for who, answers in views
    ]


def test_settle_items_on_the_command_line(store: Store, clock: list[str], db: Path) -> None:
    ids = two_officers(store, clock)
    clock.append("2026-03-10T09:00:00.000Z")
    # One settled, one not: the other is saved unanswered and named, with both views.
    outcome = invoke("compare", *ids, "--save-consensus", "--settle", "r-lead-ownership=2", db=db)
    assert outcome.code == 0, outcome.err
    saved = Store.open(db).get(outcome.out.strip())
    assert saved.answers["R-LEAD-OWNERSHIP"].level == 2
    assert "Settled by the officers" in saved.answers["R-LEAD-OWNERSHIP"].evidence
    assert "R-CASE-RIGOUR" not in saved.answers
    assert "1 item is left to settle and saved unanswered" in outcome.err
    assert "(R-CASE-RIGOUR)" in outcome.err and "Ann level 2 · Bob level 4" in outcome.err
    # The comparison shows the consensus as settled.
    data = json.loads(
        invoke("compare", *ids, "--settle", "R-LEAD-OWNERSHIP=2", "--format", "json", db=db).out
    )
    assert data["consensus"]["to_settle"] == ["R-CASE-RIGOUR"]
    rules = {c["id"]: c["rule"] for c in data["consensus"]["criteria"]}
    assert rules["R-LEAD-OWNERSHIP"] == "settled"


@pytest.mark.parametrize(
    ("settle", "fragment"),
    [
        ("R-LEAD-OWNERSHIP", "is not QUESTION=LEVEL"),
        ("R-LEAD-OWNERSHIP=7", "is not QUESTION=LEVEL"),
        ("R-LEAD-OWNERSHIP=4", "can be settled at 1, 2 or 3"),
        ("R-PV-TEST=2", "is not left to settle"),
        ("S-EXPLORE=2", "not a readiness criterion"),
    ],
)
def test_a_bad_settle_fails_cleanly_and_saves_nothing(
    store: Store, clock: list[str], db: Path, settle: str, fragment: str
) -> None:
    ids = two_officers(store, clock)
    outcome = invoke("compare", *ids, "--save-consensus", "--settle", settle, db=db)
    assert_clean_failure(outcome, fragment)
    assert outcome.out == "" and len(Store.open(db).list()) == 2


def test_baseline_on_the_command_line(store: Store, clock: list[str], db: Path) -> None:
    clock += [f"2026-0{n}-01T09:00:00.000Z" for n in (1, 2, 3)]
    ids = [
        store.create(
            authority="Borsetshire",
            service="Waste",
            period=period,
            stage=1,
            answers={"R-CASE-RIGOUR": Answer(level)},
        ).id
        for period, level in (("2025/26", 1), ("2026/27", 2), ("2027/28", 4))
    ]
    data = json.loads(
        invoke("compare", *ids, "--baseline", ids[1][:5], "--format", "json", db=db).out
    )
    assert data["baseline"] == 1 and data["baseline_chosen"]
    assert data["overall"]["deltas"][1]["points"] == 0.0
    assert data["overall"]["deltas"][0]["points"] < 0 < data["overall"]["deltas"][2]["points"]
    assert data["gaps"]["between"] == [ids[1], ids[2]]
    assert_clean_failure(
        invoke("compare", *ids, "--baseline", ids[2], db=db), "is the latest", "earlier one"
    )
    assert_clean_failure(invoke("compare", *ids[:2], "--baseline", ids[2], db=db), "not one of")


def test_save_consensus_with_a_file_writes_the_comparison_too(
    store: Store, clock: list[str], db: Path, tmp_path: Path
) -> None:
    ids = officers(store, clock)
    clock.append("2026-03-10T09:00:00.000Z")
    target = tmp_path / "agreed.md"
    outcome = invoke(
        "compare", *ids, "--save-consensus", "--format", "markdown", "-o", str(target), db=db
    )
    assert outcome.code == 0, outcome.err
    assert target.read_text("utf-8").startswith("# Comparison across officers")
    assert len(Store.open(db).list()) == 4


def test_save_consensus_is_refused_for_a_series(store: Store, clock: list[str], db: Path) -> None:
    ids = series(store, clock)
    outcome = invoke("compare", *ids, "--save-consensus", db=db)
    assert_clean_failure(outcome, "--save-consensus", "over time", "--kind officers")
    assert outcome.out == ""
    assert len(Store.open(db).list()) == 2


def test_kind_officers_lets_views_made_months_apart_be_settled(
    store: Store, clock: list[str], db: Path
) -> None:
    clock += ["2025-09-01T09:00:00.000Z", "2026-03-01T09:00:00.000Z", "2026-03-02T09:00:00.000Z"]
    ids = [
        store.create(
            authority="Borsetshire",
            service="Waste",
            assessor=who,
            answers={"R-PV-TEST": Answer(level)},
        ).id
        for who, level in (("Ann", 1), ("Bob", 3))
    ]
    assert json.loads(invoke("compare", *ids, "--format", "json", db=db).out)["kind"] == "over time"
    data = json.loads(invoke("compare", *ids, "--kind", "officers", "--format", "json", db=db).out)
    assert (data["kind"], data["kind_detected"]) == ("across officers", "over time")
    outcome = invoke(
        "compare", *ids, "--kind", "officers", "--save-consensus", "--settle", "R-PV-TEST=2", db=db
    )
    assert outcome.code == 0, outcome.err
    assert Store.open(db).get(outcome.out.strip()).answers["R-PV-TEST"].level == 2


def test_kind_officers_needs_one_authority_and_service(
    store: Store, clock: list[str], db: Path
) -> None:
    clock += ["2026-03-01T09:00:00.000Z", "2026-03-02T09:00:00.000Z"]
    ids = [store.create(authority="Borsetshire", service=s).id for s in ("Waste", "Leisure")]
    assert_clean_failure(
        invoke("compare", *ids, "--kind", "officers", db=db), "same authority and service"
    )
    data = json.loads(invoke("compare", *ids, "--format", "json", db=db).out)
    assert data["kind"] == "across services"


def test_two_bank_versions_compare_on_the_shared_questions(
    store: Store, clock: list[str], db: Path, bank: Bank
) -> None:
    clock += ["2025-01-10T09:00:00.000Z", "2026-01-10T09:00:00.000Z"]
    old = store.create(
        authority="Borsetshire",
        service="Waste",
        answers={"R-MKT-DIALOGUE": Answer(4), "R-MKT-CAPACITY": Answer(2)},
    )
    new = store.create(
        authority="Borsetshire",
        service="Waste",
        bank=newer_bank(bank),
        answers={"R-MKT-CAPACITY": Answer(3)},
    )
    shared = len(bank.questions) - 2
    data = json.loads(invoke("compare", old.id, new.id, "--format", "json", db=db).out)
    assert data["bank"]["shared_count"] == shared
    assert data["bank"]["left_out"] == ["R-MKT-DIALOGUE", "S-INNOVATION"]
    assert data["bank"]["versions"] == [bank.version, newer_bank(bank).version]
    text = " ".join(invoke("compare", old.id, new.id, db=db).out.split())
    assert f"compared on the {shared} questions they share; 2 left out" in text
    dialogue, innovation = (bank.question(q) for q in ("R-MKT-DIALOGUE", "S-INNOVATION"))
    assert dialogue is not None and innovation is not None
    assert f"Left out (2): “{dialogue.text}”; “{innovation.text}”." in text


def test_a_damaged_assessment_restored_from_its_backup_is_reported(
    store: Store, clock: list[str], db: Path
) -> None:
    ids = officers(store, clock)
    clock += ["2026-03-10T09:00:00.000Z"]
    store.save_answer(ids[0], "R-PV-TEST", Answer(2))  # the .bak now holds the first save
    (db / "assessments" / f"{ids[0]}.json").write_bytes(b"this is not JSON {")
    outcome = invoke("compare", *ids, "--format", "json", db=db)
    assert outcome.code == 0, outcome.err
    assert "assess: warning:" in outcome.err
    assert json.loads(outcome.out)["assessments"][0]["id"] == ids[0]


def test_a_json_comparison_does_not_import_rich_or_textual(
    store: Store, clock: list[str], db: Path
) -> None:
    ids = officers(store, clock)
    code = (
        "import sys\n"
        "from assess.cli import run_cli\n"
        f"assert run_cli(['--db', {str(db)!r}, 'compare', *{ids!r}, '--format', 'json']) == 0\n"
        "assert 'rich' not in sys.modules and 'textual' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "across officers"
