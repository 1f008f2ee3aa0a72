"""Loading what opening an assessment needs, in the background, once the home screen is up.

The home screen needs only the store's list, so the app starts without the
question-bank models (pydantic), answers, scoring and the questionnaire
screen: about 150 ms less before the officer sees their assessments (see
benchmarks/bench_tui.py). Right after the home screen's first paint, a
background thread imports them and reads the shipped bank (through the
store, which keeps it validated, so not even then is pydantic needed), so
the first assessment opened a moment later opens as quickly as if they had
been loaded at start-up.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

# What opening, starting or scoring an assessment needs first.
MODULES = (
    "assess.domain.bank",
    "assess.domain.answers",
    "assess.domain.scoring",
    "assess.tui.screens.questionnaire",
    "assess.tui.screens.new",
)


def load(current_bank: Callable[[], object]) -> None:
    """Import MODULES and read the shipped bank with `current_bank` (the store keeps it)."""
    import importlib

    for name in MODULES:
        importlib.import_module(name)
    current_bank()


def _load_quietly(current_bank: Callable[[], object]) -> None:
    # Loading ahead only saves time: whatever needs these loads them again
    # when it runs, and reports any problem to the officer then.
    with contextlib.suppress(Exception):
        load(current_bank)


def start(current_bank: Callable[[], object]) -> threading.Thread:
    """Run `load` in a daemon thread (it never delays quitting)."""
    thread = threading.Thread(
        target=_load_quietly, args=(current_bank,), name="assess-warm-up", daemon=True
    )
    thread.start()
    return thread
