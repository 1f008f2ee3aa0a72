"""`assess fill ID --plain` driven through real pipes, as a screen reader's user would drive it.

An officer answers the whole assessment one line at a time: a bad answer, the
help, going back, quitting and carrying on later. Every answer must be in the
store as given, and nothing the program writes may hold an escape sequence.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from assess.domain.answers import Answer
from assess.domain.bank import Bank, Question
from assess.store import Store

PROMPT_ENDS = (" Enter skips. ", " Enter keeps your answer. ", ": ")
ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Officer:
    """The other end of the pipes: reads until the program asks, then types a line."""

    def __init__(self, db: Path, *args: str) -> None:
        env = {**os.environ, "ASSESS_DB": str(db), "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assess", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.transcript = ""

    def read_until_asked(self, timeout: float = 20.0) -> str:
        """Everything written up to the next prompt (or to the end of the program)."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        start = len(self.transcript)
        deadline = time.monotonic() + timeout
        while True:
            waiting = self.transcript[start:]
            if waiting.endswith(PROMPT_ENDS) and not waiting.endswith("\n"):
                return waiting
            left = deadline - time.monotonic()
            assert left > 0, f"no prompt came: {waiting[-300:]!r}"
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return waiting
            self.transcript += chunk.decode("utf-8")

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((line + "\n").encode("utf-8"))
        self.process.stdin.flush()

    def finish(self) -> int:
        self.read_until_asked()
        return self.process.wait(timeout=30)


def _question(bank: Bank, text: str) -> Question:
    """The question whose text was just asked."""
    found = re.findall(r"Question \d+ of \d+, [^:]+: (.+)", text)
    assert found, text[-400:]
    return next(q for q in bank.questions if q.text == found[-1].strip())


def _reply(question: Question) -> str:
    """A valid answer for any kind of question, as an officer would type it."""
    if question.is_criterion:
        return str(question.weight)  # a level from 1 to 3
    if question.type in ("multi", "ranking"):
        return "1,2"
    if question.type == "number":
        return str(int(question.minimum or 0) + 1)
    if question.type == "text":
        return "Highways and street lighting"
    return "1"


def test_a_whole_assessment_through_pipes(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent [b]County[/b] <i>Council</i>")
    first = Officer(db, "fill", made.id, "--plain")
    out = first.read_until_asked()
    assert "Question 1 of" in out and "Type ? for the question's help" in out
    q1 = _question(bank, out)
    first.type("9")  # not one of the choices
    assert "is not one of the choices" in first.read_until_asked()
    first.type("?")
    assert q1.help.split()[0] in first.read_until_asked()
    first.type(_reply(q1))
    out = first.read_until_asked()
    q2 = _question(bank, out)
    first.type(_reply(q2))
    out = first.read_until_asked()
    first.type("back")  # to question 2 again: its answer is shown and kept with Enter
    out = first.read_until_asked()
    assert "Your answer now:" in out and _question(bank, out) == q2
    first.type("")
    first.read_until_asked()
    first.type("quit")
    assert first.finish() == 0
    assert "Every answer you gave is saved" in first.transcript
    saved = Store.open(db).get(made.id)
    assert set(saved.answers) == {q1.id, q2.id}

    # Carry on later: it resumes at the first unanswered question and goes to the end.
    second = Officer(db, "fill", made.id, "--plain")
    out = second.read_until_asked()
    assert _question(bank, out) not in (q1, q2)
    answered: dict[str, str] = {}
    while "That was the last question." not in second.transcript:
        question = _question(bank, out)
        reply = _reply(question)
        second.type(reply)
        answered[question.id] = reply
        out = second.read_until_asked()
        if question.is_criterion:
            assert out.endswith("Evidence for this rating (Enter for none): ")
            second.type("Minutes of 3 March" if question.weight == 3 else "")
            out = second.read_until_asked()
    assert second.process.wait(timeout=30) == 0
    assert len(answered) > 50  # the rest of a whole assessment
    assert "Readiness" in second.transcript and f"assess report {made.id}" in second.transcript

    final = Store.open(db).get(made.id)
    for qid, reply in answered.items():
        question = bank.question(qid)
        assert question is not None
        answer = final.answers[qid]
        if question.is_criterion:
            expected_note = "Minutes of 3 March" if question.weight == 3 else ""
            assert answer == Answer(int(reply), None, expected_note)
    assert final.result.questions_answered == final.result.questions_shown
    # Plain characters only, whatever the data held.
    for transcript in (first.transcript, second.transcript):
        assert not ESCAPES.search(transcript.replace("\n", ""))


def test_fill_without_plain_or_on_an_unknown_id_fails_cleanly(db: Path) -> None:
    Store.open(db).create(authority="Kent")
    done = subprocess.run(
        [sys.executable, "-m", "assess", "fill", "zzzzzzzz", "--plain"],
        capture_output=True,
        text=True,
        env={**os.environ, "ASSESS_DB": str(db)},
        timeout=60,
    )
    assert done.returncode == 2 and "zzzzzzzz" in done.stderr and "Traceback" not in done.stderr
