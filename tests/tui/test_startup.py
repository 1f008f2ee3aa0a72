"""Start-up: `assess` alone opens the app straight away, and the home screen is drawn
before the question-bank models, answers, scoring and the questionnaire are loaded,
which are then loaded in the background (their import is a third of a start).
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from assess.store import Store
from assess.tui.app import AssessApp
from tests.helpers import assert_clean_failure, run_assess
from tests.tui.helpers import asynctest
from tests.tui.terminal import AppTerminal

HEAVY = (
    "pydantic",
    "yaml",
    "click",
    "assess.domain.bank",
    "assess.domain.answers",
    "assess.domain.scoring",
)

PROBE = f"""
import asyncio, json, sys
from pathlib import Path
import assess.__main__
from assess.store import Store
from assess.tui import warmup
from assess.tui.app import AssessApp

HEAVY = {HEAVY!r}
seen = {{}}

def loaded():
    return sorted(m for m in sys.modules if m in HEAVY or m.split(".")[0] in HEAVY)

def probe(current_bank):
    # The home screen calls this once it has been painted.
    seen["status"] = str(app.screen.query_one("#status").render())
    seen["at_first_paint"] = loaded()
    thread = real_start(current_bank)
    thread.join()
    seen["after_warm_up"] = loaded() + [
        m for m in ("assess.tui.screens.questionnaire",) if m in sys.modules
    ]
    return thread

real_start, warmup.start = warmup.start, probe
app = AssessApp(Store.open(Path(sys.argv[1])), handle_signals=False, remember_theme=False)

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        while "after_warm_up" not in seen:
            await pilot.pause(0.05)

asyncio.run(main())
print(json.dumps(seen))
"""


def test_the_home_screen_is_drawn_before_the_bank_models_are_loaded(db: Path) -> None:
    store = Store.open(db)
    store.create(authority="Kent")
    store.create(authority="Essex")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["status"].startswith("2 assessments · sorted by updated")
    assert seen["at_first_paint"] == []
    # ... and the warm-up really loads them, ready for the first assessment opened;
    # the store validated the shipped bank when it made an assessment, so its
    # cache serves it and pydantic is not needed even then.
    assert "pydantic" not in seen["after_warm_up"]
    for module in (
        "assess.domain.bank",
        "assess.domain.scoring",
        "assess.tui.screens.questionnaire",
    ):
        assert module in seen["after_warm_up"]


@asynctest
async def test_the_garbage_collector_paused_for_start_up_is_resumed(store: Store) -> None:
    store.create(authority="Kent")
    app = AssessApp(store, handle_signals=False, remember_theme=False, resume_gc=True)
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.warm_up_thread is not None
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_assess_alone_opens_the_app_on_a_terminal(db: Path) -> None:
    store = Store.open(db)
    store.create(authority="Kent", service="Waste")
    term = AppTerminal(db, size=(80, 24))
    try:
        text = term.wait_for("1 assessment · sorted by updated")
        assert "Kent" in text and "Waste" in text
        term.press("ctrl+q")
        assert term.wait_exit() == 0
    finally:
        term.close()


@pytest.mark.parametrize("how", ["ASSESS_DB", "--db"])
def test_a_store_that_cannot_be_opened_is_one_clear_message(tmp_path: Path, how: str) -> None:
    # `assess` alone skips the command line's parser; --db goes through it: the same message.
    not_a_folder = tmp_path / "store"
    not_a_folder.write_text("not a store", "utf-8")
    if how == "--db":
        outcome = run_assess("--db", str(not_a_folder))
    else:
        outcome = run_assess(env={"ASSESS_DB": str(not_a_folder)})
    assert_clean_failure(outcome, str(not_a_folder), "the store must be a folder")
    assert not_a_folder.read_text("utf-8") == "not a store"
