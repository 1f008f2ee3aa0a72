"""The three themes (dark, light, high contrast), F2 going round them, and NO_COLOR."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.base import HIGH_CONTRAST, THEMES

from .helpers import asynctest, settle


@asynctest
async def test_f2_goes_round_dark_light_and_high_contrast(db: Path) -> None:
    app = AssessApp(Store.open(db), cursor_blink=False, handle_signals=False, remember_theme=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == THEMES[0]
        seen: list[str] = []
        for _ in THEMES:
            before = app.theme
            await pilot.press("f2")
            await settle(pilot, lambda before=before: app.theme != before)  # type: ignore[misc]
            seen.append(app.theme)
        assert seen == [THEMES[1], HIGH_CONTRAST.name, THEMES[0]]
        await pilot.press("f2", "f2")
        await settle(pilot, lambda: app.theme == HIGH_CONTRAST.name)
        # White on black: the strongest contrast there is.
        variables = app.get_css_variables()
        assert variables["background"].lower() in ("#000000", "black")
        assert variables["foreground"].lower().startswith("#ffffff")


@asynctest
async def test_no_color_makes_the_app_monochrome(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = AssessApp(Store.open(db), cursor_blink=False, handle_signals=False, remember_theme=False)
    async with app.run_test(size=(80, 24)):
        assert app.no_color
