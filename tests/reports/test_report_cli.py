"""`assess report`: from an answers file or a saved assessment, in every format."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest

from assess.domain.bank import Bank, load_shipped_bank
from tests.helpers import assert_clean_failure, invoke, run_assess

FORMATS = ["text", "markdown", "html", "json", "csv"]

ANSWERS = """\
authority: Anytown Borough Council
service: Waste and recycling
assessor: Jo Bloggs
stage: 4
answers:
  S-EXPLORE: "yes"
  S-REASONS-AGAINST: [loss-of-control, inflexibility]
  S-PRIME-COLLABORATOR: "yes"
  R-LEAD-OWNERSHIP: {level: 1, evidence: "Cabinet report drafted"}
  R-LEAD-REALISM: 3
  R-FIT-WELLBEING: {na: "Back-office services only"}
  R-CASE-RIGOUR: 2
  R-CLIENT-INTELLIGENT: 1
  R-PV-TEST: 4
"""


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def test_text_report_from_an_answers_file(answers_file: Path, bank: Bank) -> None:
    outcome = invoke("report", "--answers", str(answers_file))
    assert outcome.code == 0, outcome.err
    out = outcome.out
    words = " ".join(out.split())  # as read, whatever the line breaks
    assert "Readiness report: Anytown Borough Council — Waste and recycling" in out
    assert "Jo Bloggs" in out
    assert "Stage 4, Mobilisation (Gate 4, Readiness for service)" in words
    for qid in ("R-LEAD-OWNERSHIP", "R-CLIENT-INTELLIGENT"):
        text = bank.question(qid).text  # type: ignore[union-attr]
        assert f"Band capped at Not ready: “{text}” is a critical criterion below level 2" in words
    assert "Suggested delivery confidence: Red" in words
    assert "Fear of losing control, and the client function still to be built up" in out
    assert "Action:" in out and "How the score is worked out" in out
    assert "\x1b" not in out  # not a terminal: no escape codes
    assert max(len(line) for line in out.splitlines()) <= 80


def test_options_override_the_names_in_the_file(answers_file: Path) -> None:
    outcome = invoke(
        "report", "--answers", str(answers_file), "--authority", "Othertown", "--format", "json"
    )
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["assessment"]["authority"] == "Othertown"
    assert data["assessment"]["service"] == "Waste and recycling"
    assert data["assessment"]["answers_from"] == str(answers_file)


def test_every_format_to_stdout_and_to_a_file(answers_file: Path, tmp_path: Path) -> None:
    for fmt in FORMATS:
        shown = invoke("report", "--answers", str(answers_file), "--format", fmt)
        assert shown.code == 0, (fmt, shown.err)
        target = tmp_path / f"report.{fmt}"
        written = invoke(
            "report", "--answers", str(answers_file), "--format", fmt, "-o", str(target)
        )
        assert written.code == 0, (fmt, written.err)
        assert written.out == ""
        assert f"Wrote {target}" in written.err
        content = target.read_bytes().decode("utf-8-sig" if fmt == "csv" else "utf-8")
        assert content == shown.out, fmt
    # A CSV file starts with a byte-order mark so that Excel reads it as UTF-8.
    assert (tmp_path / "report.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    html5lib.HTMLParser(strict=True).parse((tmp_path / "report.html").read_text("utf-8"))
    text = (tmp_path / "report.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][0] == "id"


def test_json_report_from_a_file(answers_file: Path) -> None:
    data = json.loads(invoke("report", "--answers", str(answers_file), "--format", "json").out)
    assert data["overall"]["band"] == "Not ready"
    # At stage 4, every critical criterion that applies by then and is below level 2
    # (ownership and the client function at 1, the rest unrated) caps the band at Not
    # ready, listed first; R-CASE-RIGOUR, critical at 2 below its target of 3, caps it at
    # Nearly ready.
    bank = load_shipped_bank()
    low = [
        q.id
        for q in bank.criteria
        if q.critical and q.from_stage <= 4 and q.id not in ("R-CASE-RIGOUR", "R-PV-TEST")
    ]
    caps = data["overall"]["caps"]
    assert [c["id"] for c in caps if c["band"] == "Not ready"] == low
    assert caps[-1] == {"id": "R-CASE-RIGOUR", "band": "Nearly ready"}
    assert {"R-LEAD-OWNERSHIP", "R-CLIENT-INTELLIGENT"} <= set(low)
    assert data["assessment"]["stage"] == 4
    assert data["overall"]["delivery_confidence"] == {
        "suggested": "Red",
        "officer": None,
        "reason": None,
    }
    assert data["rules_version"] == 2
    assert data["bank"]["id"] == "partnering-readiness"
    assert len(data["bank"]["content_hash"]) == 64
    assert {c["id"] for c in data["consistency"] if c["fires"]} >= {
        "control-vs-client",
        "prime-collaborator-vs-client",
    }
    assert data["rules"].startswith("Scoring rules, version 2.")


BAD = """\
answers:
  S-EXPLORE: maybe
  R-LEAD-OWNERSHIP: 7
  R-NOT-A-QUESTION: 2
  R-LEAD-REALISM: {na: "not allowed here"}
"""


def test_an_invalid_answers_file_writes_nothing_and_names_every_bad_value(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    target = tmp_path / "report.html"
    outcome = invoke("report", "--answers", str(bad), "--format", "html", "-o", str(target))
    assert_clean_failure(outcome, "S-EXPLORE", "R-LEAD-OWNERSHIP", "R-NOT-A-QUESTION")
    assert not target.exists()
    assert outcome.out == ""
    # One line per bad value, after the summary line.
    problem_lines = [line for line in outcome.err_lines if line.startswith("  ")]
    assert len(problem_lines) == 4
    assert "R-LEAD-REALISM" in outcome.err
    assert list(tmp_path.iterdir()) == [bad]  # not even a temporary file is left


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "say which assessment"),
        (("abc12345", "--answers", "x.yaml"), "not both"),
        (("--answers", "no-such-file.yaml"), "no such answers file"),
        (("abc12345", "--authority", "X"), "go with --answers"),
        (("--answers", "x.yaml", "--format", "docx"), "docx"),
    ],
)
def test_bad_command_lines_fail_cleanly(
    args: tuple[str, ...], fragment: str, db: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert_clean_failure(invoke("report", *args, db=db), fragment)


def test_an_unreadable_name_in_the_file_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("authority: [not, text]\nanswers: {R-LEAD-OWNERSHIP: 2}\n", encoding="utf-8")
    assert_clean_failure(invoke("report", "--answers", str(path)), "authority")


def test_a_report_to_a_missing_folder_fails_cleanly(answers_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.md"
    outcome = invoke("report", "--answers", str(answers_file), "-o", str(target))
    assert_clean_failure(outcome, "no such folder")


def test_report_runs_as_a_process_without_importing_textual(answers_file: Path) -> None:
    code = (
        "import sys\n"
        "from assess.cli import run_cli\n"
        f"code = run_cli(['report', '--answers', {str(answers_file)!r}, '--format', 'text'])\n"
        "assert code == 0, code\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not loaded, loaded\n"
        # Nor the action plan's own view, which a report never needs.
        "assert 'assess.reports.plan_view' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Readiness report: Anytown Borough Council" in proc.stdout


def test_a_json_report_does_not_import_rich(answers_file: Path) -> None:
    code = (
        "import sys\n"
        "from assess.cli import run_cli\n"
        f"assert run_cli(['report', '--answers', {str(answers_file)!r}, '--format', 'json']) == 0\n"
        "assert 'rich' not in sys.modules and 'textual' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_piped_output_is_plain_80_columns_even_with_a_wide_terminal_setting(
    answers_file: Path,
) -> None:
    outcome = run_assess(
        "report", "--answers", str(answers_file), env={"COLUMNS": "200", "FORCE_COLOR": "1"}
    )
    assert outcome.code == 0, outcome.err
    assert "\x1b" not in outcome.out
    assert max(len(line) for line in outcome.out.splitlines()) <= 80


def _on_a_terminal(args: list[str], env: dict[str, str], columns: int = 100) -> str:
    """Run `assess ARGS` with its output on a pseudo-terminal of `columns` and return it."""
    import fcntl
    import struct
    import termios

    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "assess", *args], stdout=follower, stderr=subprocess.PIPE, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", ["", "1"])
def test_colour_only_on_a_terminal_and_never_with_no_color(
    answers_file: Path, no_color: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "FORCE_COLOR")}
    if no_color:
        env["NO_COLOR"] = no_color
    out = _on_a_terminal(["report", "--answers", str(answers_file)], env)
    assert "Readiness report: Anytown Borough Council" in re.sub(r"\x1b\[[0-9;]*m", "", out)
    if no_color:
        assert "\x1b" not in out
    else:
        assert re.search(r"\x1b\[[0-9;]*m", out)
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
        # The report uses the terminal's width.
        assert max(len(line) for line in plain.splitlines()) <= 100


# ----------------------------------------------------------------------------
# From the store


def _new(db: Path, answers_file: Path, *extra: str) -> str:
    outcome = invoke(
        "new",
        "--authority",
        "Anytown Borough Council",
        "--service",
        "Waste",
        "--assessor",
        "Jo Bloggs",
        "--answers",
        str(answers_file),
        *extra,
        db=db,
    )
    assert outcome.code == 0, outcome.err
    return outcome.out.strip().split()[0]


def test_report_on_a_saved_assessment(db: Path, answers_file: Path) -> None:
    assessment_id = _new(db, answers_file)
    text = invoke("report", assessment_id, db=db)
    assert text.code == 0, text.err
    assert "Readiness report: Anytown Borough Council — Waste" in text.out
    # Ids and revisions are in the appendix, not in the body.
    body, appendix = text.out.split("Appendix: identifiers")
    assert assessment_id not in body
    assert re.search(rf"Assessment id +{assessment_id}", appendix)
    data = json.loads(invoke("report", assessment_id, "--format", "json", db=db).out)
    assert data["assessment"]["id"] == assessment_id
    assert data["assessment"]["status"] == "draft"
    # The same answers give the same figures as the file.
    from_file = json.loads(invoke("report", "--answers", str(answers_file), "--format", "json").out)
    for key in ("overall", "dimensions", "gaps", "criteria", "consistency", "benchmark"):
        assert data[key] == from_file[key], key
    # A unique start of the id is enough.
    assert invoke("report", assessment_id[:5], "--format", "csv", db=db).code == 0


def test_report_on_an_unknown_id_fails_cleanly(db: Path, answers_file: Path) -> None:
    _new(db, answers_file)
    assert_clean_failure(invoke("report", "zzzzzzzz", db=db), "zzzzzzzz")
    assert_clean_failure(invoke("report", "not an id!", db=db))


def test_report_from_the_store_as_a_process_without_textual(db: Path, answers_file: Path) -> None:
    assessment_id = _new(db, answers_file)
    code = (
        "import sys\n"
        "from assess.cli import run_cli\n"
        f"assert run_cli(['--db', {str(db)!r}, 'report', {assessment_id!r}]) == 0\n"
        "assert 'textual' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Anytown Borough Council" in proc.stdout


def test_the_format_option_offers_exactly_the_renderers() -> None:
    # The option lists the formats itself so that commands need not import the renderers.
    from assess.cli.output import BINARY_FORMATS, REPORT_FORMATS
    from assess.reports.export import FORMAT_KEYS, FORMATS

    assert FORMAT_KEYS == REPORT_FORMATS
    assert tuple(f.key for f in FORMATS if f.binary) == BINARY_FORMATS
