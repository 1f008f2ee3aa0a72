"""`assess serve`: the app in a real headless Chromium, answering into the real store.

Playwright drives Debian's Chromium (`apt-get install chromium`); its own
browser download cannot be used here. Without Chromium the browser test is
skipped with that reason; `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assess.domain.bank import Bank
from assess.serve import check_host, is_loopback
from assess.store import Store
from assess.tui.demo import demo_answers

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listened on port {port}")


def _first_unanswered_criterion(store: Store, assessment_id: str) -> str:
    from assess.domain.answers import visible_ids

    assessment = store.get(assessment_id)
    shown = visible_ids(assessment.bank, assessment.answers)
    return next(
        q.id
        for q in assessment.bank.questions
        if q.id in shown and assessment.answers.get(q.id) is None
    )


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_answer_a_criterion_in_a_browser(db: Path, bank: Bank) -> None:
    from playwright.sync_api import sync_playwright

    store = Store.open(db)
    survey = {
        qid: answer
        for qid, answer in demo_answers(bank).items()
        if bank.instrument_of(qid) == "survey"
    }
    made = store.create(authority="Borsetshire", service="Waste", answers=survey)
    target = _first_unanswered_criterion(store, made.id)
    assert bank.question(target).is_criterion  # type: ignore[union-attr]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "assess", "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "ASSESS_DB": str(db)},
    )
    try:
        _wait_for_port(port, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("canvas, .xterm, #terminal, body", timeout=20_000)
            deadline = time.monotonic() + 60
            answer = None
            # Open the assessment (it resumes at its first unanswered question, the first
            # criterion) and rate it 3, by key presses, until the store has the answer.
            while answer is None and time.monotonic() < deadline:
                page.mouse.click(550, 380)
                page.keyboard.press("Enter")
                time.sleep(1.5)
                page.keyboard.press("3")
                for _ in range(20):
                    answer = Store.open(db).get(made.id).answers.get(target)
                    if answer is not None:
                        break
                    time.sleep(0.25)
            browser.close()
        assert answer is not None and answer.level == 3
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert code == 0, server.stderr.read().decode() if server.stderr else ""


def test_only_loopback_without_the_explicit_flag(db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "assess", "--db", str(db), "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "no log-in" in done.stderr and "--allow-remote" in done.stderr
    assert "Traceback" not in done.stderr
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.168.1.10") and not is_loopback("example.org")
    assert check_host("127.0.0.2", allow_remote=False) is None
    warning = check_host("0.0.0.0", allow_remote=True)
    assert warning is not None and "anyone who can reach this port" in warning
