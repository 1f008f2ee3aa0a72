"""Work finished in a thread after the app has closed is dropped quietly, not printed."""

from __future__ import annotations

import concurrent.futures
import threading
from typing import Any, cast

import pytest

from assess.tui.base import AssessAppBase
from assess.tui.screens.base import off_the_loop


class _Closed:
    """An app whose loop stopped while the thread waited for it, or is gone."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def call_from_thread(self, *args: Any) -> None:
        raise self.error


@pytest.mark.parametrize(
    "error",
    [concurrent.futures.CancelledError(), RuntimeError("App is not running")],
    ids=["cancelled", "gone"],
)
def test_a_result_for_a_closed_app_is_dropped_without_a_traceback(
    error: BaseException, monkeypatch: pytest.MonkeyPatch
) -> None:
    escaped: list[type[BaseException]] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: escaped.append(args.exc_type))
    worked = threading.Event()
    told: list[int] = []

    def work() -> int:
        worked.set()
        return 1

    off_the_loop(cast(AssessAppBase, _Closed(error)), "closing-test", work, told.append)
    assert worked.wait(10)
    for thread in threading.enumerate():
        if thread.name == "assess-closing-test":
            thread.join(10)
    assert escaped == [] and told == []
