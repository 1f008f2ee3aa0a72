"""Review (open items, jump, mark complete) and results (figures, export to every format)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input

from assess.domain.answers import Answer
from assess.domain.scoring import format_score
from assess.reports.layout import cap_sentence
from assess.reports.model import ReportMeta, build_report
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.modals import ConfirmModal, ExportReportModal
from assess.tui.screens.questionnaire import QuestionnaireScreen
from assess.tui.screens.results import ResultsScreen, file_stem
from assess.tui.screens.review import ReviewScreen
from tests.helpers import invoke
from tests.tui.helpers import asynctest, report_text, screen_text, settle


@asynctest
async def test_review_lists_open_items_jumps_and_marks_complete(
    store: Store, make_app: Callable[..., AssessApp], bank
) -> None:
    answers = demo_answers(bank)
    del answers["R-CASE-DEBATE"]
    answers["R-LEAD-OWNERSHIP"] = Answer(4)  # a top rating without evidence
    # At stage 1 the unanswered criterion (it applies from stage 1) counts.
    made = store.create(authority="Review", answers=answers, stage=1)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        questionnaire = app.screen
        assert isinstance(questionnaire, QuestionnaireScreen)
        assert questionnaire.current.id == "R-CASE-DEBATE"  # resumes at the gap
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = screen_text(app)
        assert "1 question unanswered" in text
        assert "without evidence" in text
        assert "debate the options" in text
        await pilot.press("enter")  # the first item: the unanswered one
        await pilot.pause()
        assert app.screen is questionnaire and questionnaire.current.id == "R-CASE-DEBATE"
        await pilot.press("2", "r")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        # An item without evidence opens at its evidence note, ready to type.
        await pilot.press("end", "enter")
        await settle(pilot, lambda: app.screen is questionnaire, "the questions")
        assert getattr(app.focused, "id", "") == "evidence"
        # V on the review shows the results.
        await pilot.press("escape", "r")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.press("v")
        await settle(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review again")
        await pilot.pause()
        assert "1 question unanswered" not in screen_text(app)
        await pilot.press("m")  # items still open (no evidence): asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        await settle(pilot, lambda: store.get(made.id).status == "complete", "saved")
        await pilot.press("m")  # and back to draft
        await pilot.pause()
        await settle(pilot, lambda: store.get(made.id).status == "draft", "saved")


@asynctest
async def test_results_show_score_band_caps_gaps_and_benchmark(
    store: Store, make_app: Callable[..., AssessApp], bank
) -> None:
    # At stage 1 the demo's critical criteria below level 2 cap the band.
    made = store.create(authority="Results", answers=demo_answers(bank), stage=1)
    result = made.result
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "the report")
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        text = screen_text(app)
        assert "Readiness score  51.8 / 100  Not ready" in text
        assert "Band capped at Not ready: “" in text
        report = report_text(screen)
        assert "Leadership and ownership" in report
        assert len(result.gaps) > 0 and "Gaps, most urgent first" in report
        assert f"{len(result.gaps)} criteria are below target" in report
        assert "Your survey answers beside the chief executives'" in report
        assert "Consistency notes" in report


@asynctest
async def test_results_screen_says_what_the_text_report_says(
    db: Path, store: Store, make_app: Callable[..., AssessApp], bank
) -> None:
    """The screen and `assess report ID --format text`: the same score, band, cap and actions."""
    answers = demo_answers(bank)
    answers["R-FIT-WELLBEING"] = Answer(None, "[b]not[/b] our remit")  # n/a, with markup
    made = store.create(authority="Same Words", answers=answers, stage=1)
    printed = invoke("report", made.id, "--format", "text", db=db)
    assert printed.code == 0, printed.err
    report = build_report(ReportMeta.from_assessment(made), made.bank, made.answers)
    assert report.capped_by and report.gaps
    # What must be in both, in the report's own words.
    score = f"Readiness score  {format_score(report.overall)} / 100  {report.band}"
    caps = [cap_sentence(row) for row in report.capped_by]
    actions = [g.criterion.action for g in report.gaps if g.criterion.action]
    app = make_app()
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "the report")
        shown = report_text(app.screen)
    for text in (printed.out, shown):
        flat = " ".join(text.split())
        for sentence in [score, *caps, *actions]:
            assert " ".join(sentence.split()) in flat, sentence


FORMATS: list[tuple[str, str, Callable[[str], bool]]] = [
    ("1", "text", lambda s: "Results Council" in s),
    ("2", "markdown", lambda s: s.startswith("#") and "Results Council" in s),
    ("3", "html", lambda s: "<html" in s.lower() and "Results Council" in s),
    ("4", "json", lambda s: json.loads(s) is not None),
    ("5", "csv", lambda s: "R-LEAD-OWNERSHIP" in s),
]


@asynctest
async def test_results_export_every_format(
    store: Store, make_app: Callable[..., AssessApp], bank, tmp_path: Path
) -> None:
    store.create(authority="Results Council", answers=demo_answers(bank))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        for key, fmt, check in FORMATS:
            target = tmp_path / f"report.{fmt}"
            await pilot.press("e")
            await settle(pilot, lambda: isinstance(app.screen, ExportReportModal), "the dialog")
            await pilot.press(key)
            await settle(pilot, lambda fmt=fmt: app.screen.format == fmt, fmt)
            await pilot.press("tab")
            app.screen.query_one("#path", Input).value = str(target)
            await pilot.press("enter")
            await settle(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
            assert check(target.read_text("utf-8")), fmt


def test_file_stem_is_safe() -> None:
    assert (
        file_stem("Anytown — Waste & [bold]Recycling")
        == "assess-report-anytown-waste-bold-recycling"
    )
    assert file_stem("../../etc") == "assess-report-etc"
    assert file_stem("[]") == "assess-report"
