"""Loading what opening an assessment needs, in the background, once the home screen is up.

The home screen needs only the store's list, so the app starts without the
question-bank models (pydantic), answers, scoring and the questionnaire
screen: about 150 ms less before the officer sees their assessments (see
benchmarks/bench_tui.py). Right after the home screen's first paint, a
background thread imports them and reads the shipped bank, so the first
assessment opened a moment later opens as quickly as if they had been
loaded at start-up.
"""

from __future__ import annotations

import contextlib
import threading

# What opening, starting or scoring an assessment needs first.
MODULES = (
    "assess.domain.bank",
    "assess.domain.answers",
    "assess.domain.scoring",
    "assess.tui.screens.questionnaire",
    "assess.tui.screens.new",
)


def load() -> None:
    """Import MODULES and read the shipped bank (kept in `bank`'s cache)."""
    import importlib

    for name in MODULES:
        importlib.import_module(name)
    from assess.domain.bank import load_shipped_bank

    load_shipped_bank()


def _load_quietly() -> None:
    # Loading ahead only saves time: whatever needs these loads them again
    # when it runs, and reports any problem to the officer then.
    with contextlib.suppress(Exception):
        load()


def start() -> threading.Thread:
    """Run `load` in a daemon thread (it never delays quitting)."""
    thread = threading.Thread(target=_load_quietly, name="assess-warm-up", daemon=True)
    thread.start()
    return thread
