"""The questionnaire: one question at a time, the sections in a sidebar, every change saved.

Only the current question is mounted (never the whole bank), so moving on
is quick on any terminal. A choice is saved the moment it is made; typed
text (free text, a number, a not-applicable reason, an evidence note) is
saved after a short pause, when the officer leaves the box, moves to
another question, quits, or the app is stopped. Saving runs in a background
thread, so a store held by a colleague's process never freezes the screen;
the bar above the key bar always says whether everything is saved
("Saving…", "Not saved, retrying", "All answers saved").

Every change can be undone (Ctrl+Z), clearing included. A change to a
complete assessment makes it a draft again, and the screen says so; a
signed-off assessment refuses changes, says why, and offers to reopen it.
An assessment deleted elsewhere while it is open is said, and its answers
can be saved as a new assessment.

Conditional questions follow the answers: answering "yes" to a survey
question can add a follow-up, which then shows in the sidebar counts and in
the order of questions.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantBlur
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea

from assess.domain.answers import Answer, AnswerProblem, check_answer
from assess.domain.bank import Question
from assess.domain.errors import BadInput
from assess.domain.stages import stage as stage_named
from assess.tui.keys import Key, WithKeys, bar_hints, help_rows
from assess.tui.screens.base import AppScreen, HelpTable, off_the_loop
from assess.tui.screens.reading import RESULTS
from assess.tui.session import Saved, Session
from assess.tui.text import one_line, plain, plural
from assess.tui.widgets.base import NEXT_QUESTION, PREVIOUS_QUESTION, AnswerInput
from assess.tui.widgets.factory import WIDGETS, answer_widget, widget_class
from assess.tui.widgets.notes import NoteArea
from assess.tui.widgets.picker import Picker
from assess.tui.widgets.sidebar import SectionList

# Seconds of quiet after typing before the text is saved.
SAVE_PAUSE = 0.6
# Seconds before a save refused because the store was busy is tried again.
RETRY_PAUSE = 2.0
# Below this many columns the sections column is hidden: the question needs the room.
SIDEBAR_FROM = 70

INSTRUMENT = {"survey": "Survey", "readiness": "Readiness"}


def answer_hint(kind: type[AnswerInput], question: Question) -> str:
    """The keys that answer `question`, in words: "Press 0–4 to rate · N for not applicable"."""
    if kind.TYPING:
        return kind.TYPING
    hints = [
        f"{key} {label}"
        for key, label, action in bar_hints(kind.KEYS)
        if action != "not_applicable" or question.allow_na
    ]
    return "Press " + " · ".join(hints) if hints else ""


def answer_keys() -> list[tuple[str, str]]:
    """Every key that answers a question, once, for the help screen."""
    rows: list[tuple[str, str]] = []
    kinds: list[type[WithKeys]] = [*dict.fromkeys(WIDGETS.values()), Picker, NoteArea]
    for kind in kinds:
        for row in help_rows(kind.KEYS):
            if row not in rows:
                rows.append(row)
    return rows


class QuestionnaireScreen(AppScreen[None]):
    """Answer the questions of one assessment."""

    HELP = """\
Answer the questions one at a time. The left column lists the sections, the
survey's first and then the readiness criteria's, with how many of their
questions you have answered. Every answer is saved as you give it; the line
above the keys says when it is.

The evidence note under each readiness criterion says what shows the answer
is true: papers, minutes, reviews. A rating of 3 or 4 without evidence is
listed on the review screen. Survey questions ask for your view, so their
note is only for anything you want to add.

A criterion that applies only from a later stage of the partnership says so:
you can answer it now, and it counts once the assessment reaches that stage.

Changing an answer in a complete assessment makes it a draft again (mark it
complete again from the review). A signed-off assessment cannot be changed
until it is reopened with a reason; you are offered to do that."""

    KEYS = (
        NEXT_QUESTION,
        PREVIOUS_QUESTION,
        Key(
            "right_square_bracket",
            "next_section",
            help="next section (or pick one in the left column)",
            bar="Section",
            command="Next section",
            command_help="Go to the first open question of the next section",
        ),
        Key(
            "left_square_bracket",
            "previous_section",
            help="previous section",
            command="Previous section",
            command_help="Go to the previous section",
        ),
        Key(
            "ctrl+g",
            "jump",
            help="go to a question by its number or by words in it",
            bar="Go to",
            command="Go to a question",
            command_help="Find a question by number or by words in its text",
        ),
        Key(
            "tab,shift+tab",
            help="move between the answer, the note and the sections",
            shown="Tab, Shift+Tab",
        ),
        Key(
            "escape",
            "back",
            help="leave a text box; from the answer, back to the list",
            command="Back to the list",
            command_help="Return to the saved assessments",
        ),
        Key(
            "r",
            "review",
            help="review what is unanswered or unevidenced; mark it complete",
            bar="Review",
            command="Review",
            command_help="Unanswered and unevidenced items; mark complete",
        ),
        RESULTS,
        Key(
            "x",
            "clear",
            help="clear the answer to this question (Ctrl+Z brings it back)",
            command="Clear this answer",
            command_help="Remove the answer to this question",
        ),
        Key(
            "ctrl+z",
            "undo",
            help="undo the last change to an answer, a clear included",
            command="Undo the last answer change",
            command_help="Put the last changed answer back as it was",
        ),
    )

    def __init__(self, assessment_id: str, question_id: str | None = None) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.start_at = question_id
        self.session: Session
        self.current: Question | None = None
        self._timer: Timer | None = None
        self._retry: Timer | None = None
        self._saved_state = "All answers saved"
        self._saving = False
        self._save_again = False
        # Deleted elsewhere: nothing more is saved into it (the officer is asked what to do).
        self._gone = False
        # One answer widget of each kind, mounted when first needed (see `show`).
        self._inputs: dict[type[AnswerInput], AnswerInput] = {}
        self.answer_input: AnswerInput

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        with Horizontal(id="body"):
            yield SectionList(id="sections")
            yield VerticalScroll(id="main")
        yield Static(id="savebar", markup=False)
        yield self.key_bar()

    def help_tables(self) -> list[HelpTable]:
        tables = super().help_tables()
        listed = {row for _, rows in tables for row in rows}
        answering = [row for row in answer_keys() if row not in listed]
        return [*tables, ("Choosing an answer:", answering)]

    async def on_mount(self) -> None:
        from assess.store import UnknownAssessment

        try:
            assessment = self.store.get(self.assessment_id)
        except UnknownAssessment:
            self.notify(
                "That assessment is no longer in the store (it was deleted, perhaps by a "
                "colleague). The list shows what there is now.",
                severity="warning",
                timeout=8,
            )
            self.dismiss()
            return
        self.session = Session(self.store, assessment)
        self.app.flushers.append(self.flush)
        self._title()
        target = self.session.bank.question(self.start_at) if self.start_at else None
        if target is None or not self.session.is_visible(target.id):
            target = self.session.first_unanswered()
            if target is None:
                target = self.session.visible_questions()[0]
                self.notify(
                    "Every question is answered. R reviews the assessment; V shows the results.",
                    timeout=5,
                )
        await self.show(target)
        if assessment.signed_off:
            self.notify(
                "This assessment is signed off: you can read it, but a change needs it "
                "reopened first (you are asked when you try).",
                timeout=6,
            )

    def on_unmount(self) -> None:
        flushers = self.app.flushers
        if self.flush in flushers:
            flushers.remove(self.flush)

    def on_resize(self) -> None:
        # 24 columns leave the question most of an 80-column terminal; wider
        # terminals have room for whole section titles (the longest needs 42);
        # on a narrow one the question has all the room ([ and ] still move).
        width = self.size.width
        sections = self.query_one(SectionList)
        sections.display = width >= SIDEBAR_FROM
        if hasattr(self, "session"):
            self._title()
        sidebar = 24 if width < 100 else min(44, width * 36 // 100)
        if sections.styles.width is None or sections.styles.width.value != sidebar:
            sections.styles.width = sidebar

    def on_screen_resume(self) -> None:
        # Back from review or results: the assessment may have changed status there.
        if not hasattr(self, "session"):
            return
        from assess.store import UnknownAssessment

        try:
            self.session.refresh()
        except UnknownAssessment:
            self._deleted()
            return
        except BadInput:
            return  # the copy in hand stands; the next save says what is wrong
        self._title()

    # -- drawing ---------------------------------------------------------------

    def _title(self) -> None:
        a = self.session.assessment
        parts = [a.period] if a.period else []
        parts.append(f"stage {a.stage}")
        parts.append("signed off" if a.signed_off else a.status)
        about = " · ".join(parts)
        # The period, stage and status always show; the title is cut to the room left.
        room = max(self.size.width - len(about) - 5, 8)
        self.query_one("#topbar", Static).update(plain(f"{one_line(a.title, room)} · {about}"))

    def _sidebar(self) -> None:
        rows = []
        bank = self.session.bank
        for section in self.session.sections():
            answered, shown = self.session.section_progress(section)
            heading = INSTRUMENT.get(bank.instrument_of(section.questions[0].id), "")
            rows.append((section.id, heading, section.title, answered, shown))
        current = bank.section_of(self.current.id).id if self.current else None
        self.query_one(SectionList).show(rows, current)

    def _savebar(self) -> None:
        visible = self.session.visible_questions()
        answered = sum(1 for q in visible if self.session.answer(q.id) is not None)
        where = ""
        if self.current is not None and self.current in visible:
            where = f"Question {visible.index(self.current) + 1} of {len(visible)} · "
        self.query_one("#savebar", Static).update(
            plain(f"{self._saved_state}  ·  {where}{answered} answered")
        )

    def _saved(self, state: str, problem: bool = False) -> None:
        self._saved_state = state
        bar = self.query_one("#savebar", Static)
        bar.set_class(problem, "problem")
        self._savebar()

    def number_of(self, question: Question) -> int:
        """The question's place among the questions shown (1 is the first)."""
        visible = self.session.visible_questions()
        return visible.index(question) + 1 if question in visible else 0

    async def show(self, question: Question) -> None:
        """Put `question` on screen, saving any typed text first.

        Nothing is mounted or removed on the way: the texts and the note are
        updated in place, and each kind of answer widget (levels, choice,
        ticks, ranking, number, text) is mounted the first time it is needed,
        then kept, hidden while another kind shows, and loaded with the next
        question of its kind. So a move costs one layout, and a key that was
        already on its way to the answer widget is never lost with it.
        """
        if self.current is not None:
            self._catch_up_with_the_note()
            self.save_soon()
        self.current = question
        main = self.query_one("#main", VerticalScroll)
        answer = self.session.answer(question.id)
        if not main.children:
            await main.mount(*self._card())
        kind = widget_class(question)
        widget = self._inputs.get(kind)
        with self.app.batch_update():
            for label_id, text in self._texts(question).items():
                label = self.query_one(f"#{label_id}", Static)
                label.update(plain(text))
                label.display = bool(text)
            if widget is None:
                widget = answer_widget(question, self.session.bank, answer)
                self._inputs[kind] = widget
                await self.query_one("#answer-slot", Vertical).mount(widget)
            else:
                widget.load(question, answer)
            for other in self._inputs.values():
                other.display = other is widget
            self.answer_input = widget
            self._note(question, answer)
        main.scroll_home(animate=False)
        # Keep the question text in view: focusing would scroll to the options.
        target = widget.focus_target()
        if self.focused is not target:
            target.focus(scroll_visible=False)
        self._sidebar()
        self._savebar()

    def _note(self, question: Question, answer: Answer | None) -> None:
        """The note box under the answer: evidence for a criterion, a remark for the survey."""
        note = self.query_one("#evidence", NoteArea)
        with note.prevent(TextArea.Changed):
            note.text = answer.evidence if answer is not None else ""
        note.disabled = answer is None
        note.placeholder = (
            "What shows this is true? Papers, minutes, reviews (optional)"
            if question.is_criterion
            else "Anything you want to add (optional)"
        )
        self.query_one("#evidence-label", Label).update(self._evidence_label(question, answer))

    def _texts(self, q: Question) -> dict[str, str]:
        bank = self.session.bank
        section = bank.section_of(q.id)
        questions = [x for x in section.questions if self.session.is_visible(x.id)]
        place = questions.index(q) + 1 if q in questions else 1
        kind = INSTRUMENT.get(bank.instrument_of(q.id), "")
        about = answer_hint(widget_class(q), q)
        if q.is_criterion:
            about += f" · target {q.target} · weight {q.weight}"
            if q.critical:
                about += " · critical"
        later = ""
        here = self.session.assessment.stage
        if q.is_criterion and q.from_stage > here:
            later = (
                f"This criterion applies from {stage_named(q.from_stage).title}; the assessment "
                f"is at stage {here}. You can answer it now: it counts from that stage."
            )
        elif q.is_authority_context:
            later = "About your authority: not one of the survey's questions."
        number = self.number_of(q)
        return {
            "q-heading": f"{kind} › {section.title} · {place} of {len(questions)}"
            + (f" · question {number}" if number else ""),
            "q-text": q.text,
            "q-help": q.help,
            "q-stage": later,
            "q-kind": about,
        }

    def _card(self) -> list[Any]:
        note = NoteArea("", id="evidence")
        return [
            Static(id="q-heading", classes="q-heading", markup=False),
            Static(id="q-text", classes="q-text", markup=False),
            Static(id="q-help", classes="q-help", markup=False),
            Static(id="q-stage", classes="q-stage", markup=False),
            Static(id="q-kind", classes="q-kind", markup=False),
            Vertical(id="answer-slot"),
            Label("", id="evidence-label", markup=False),
            note,
        ]

    @staticmethod
    def _evidence_label(question: Question, answer: Answer | None) -> str:
        what = "Evidence note" if question.is_criterion else "Note"
        if answer is None:
            return f"{what} (once you have answered)"
        return f"{what} (Tab to type; saved as you go)"

    # -- changing an answer ----------------------------------------------------

    def answer_message(self, message: Message) -> None:
        """What an answer widget tells this screen (at once, not through the queue)."""
        if isinstance(message, AnswerInput.Edited):
            self.on_answer_input_edited(message)
        elif isinstance(message, AnswerInput.Invalid):
            self.on_answer_input_invalid(message)

    def on_answer_input_edited(self, event: AnswerInput.Edited) -> None:
        event.stop()
        question = self.session.bank.question(event.question_id)
        if question is None:
            return
        if self._refuse_if_signed_off(question.id):
            return
        if event.value is None and event.na_reason is None:
            answer: Answer | None = None
        else:
            evidence = self.query_one("#evidence", NoteArea).text
            data: dict[str, object] = {"evidence": evidence}
            if event.na_reason is not None:
                data["na"] = event.na_reason
            else:
                data["value"] = event.value
            try:
                answer = check_answer(question, data)
            except AnswerProblem as exc:
                self._saved(f"Not saved: {exc}", problem=True)
                return
        before = {q.id for q in self.session.visible_questions()}
        self.session.stage(question.id, answer)
        if event.typed:
            self._saved("Typing… (saved when you pause)")
            self._restart_timer()
        else:
            self.save_soon()
        self._after_change(before, answer)

    def on_answer_input_invalid(self, event: AnswerInput.Invalid) -> None:
        event.stop()
        self.session.unstage(event.question_id)
        self._saved(f"Not saved: {event.problem}", problem=True)

    def _after_change(self, before: set[str], answer: Answer | None) -> None:
        note = self.query_one("#evidence", NoteArea)
        note.disabled = answer is None
        if self.current is not None:
            self.query_one("#evidence-label", Label).update(
                self._evidence_label(self.current, answer)
            )
        after = self.session.visible_questions()
        appeared = [q for q in after if q.id not in before]
        gone = before - {q.id for q in after}
        for q in appeared:
            self.notify(
                f"A follow-up question now applies: {one_line(q.text, 70)}", timeout=4, markup=False
            )
        if gone:
            self.notify(
                f"{plural(len(gone), 'follow-up question')} no longer "
                f"appl{'ies' if len(gone) == 1 else 'y'}; any answer to "
                f"{'it' if len(gone) == 1 else 'them'} is kept but not counted.",
                timeout=4,
                markup=False,
            )
        self._sidebar()
        self._savebar()

    @on(TextArea.Changed, "#evidence")
    def _evidence_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        q = self.current
        if q is None:
            return
        current = self.session.answer(q.id)
        if current is None:
            return
        try:
            answer = current.with_evidence(event.text_area.text)
        except AnswerProblem as exc:
            self._saved(f"Not saved: {exc}", problem=True)
            return
        if answer == current:
            return
        if self._refuse_if_signed_off(q.id):
            return
        self.session.stage(q.id, answer)
        self._saved("Typing… (saved when you pause)")
        self._restart_timer()

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_PAUSE, self.save_soon)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if self.session.has_staged:
            self._catch_up_with_the_note()
            self.save_soon()

    def _show_stored(self, question_id: str) -> None:
        """Redraw the answer shown for `question_id` from the session (after undo or a refusal)."""
        if self.current is None or self.current.id != question_id:
            return
        answer = self.session.answer(question_id)
        self.answer_input.set_answer(answer)
        self._note(self.current, answer)

    # -- saving ----------------------------------------------------------------

    def save_soon(self) -> None:
        """Save what is staged, in a background thread; the save line says how it went."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.session.has_staged or self.leaving or self._gone:
            return
        if self._saving:
            self._save_again = True
            return
        self._saving = True
        self._save_again = False
        self._saved("Saving…")
        session = self.session

        def save() -> Saved | BadInput | None:
            try:
                return session.save_staged()
            except BadInput as exc:
                return exc

        off_the_loop(self.app, "save", save, self._save_done)

    def _save_done(self, outcome: Saved | BadInput | None) -> None:
        from assess.store import SignedOff, StaleSave, StoreBusy, UnknownAssessment

        self._saving = False
        if not self.is_attached:
            return
        if isinstance(outcome, StaleSave):
            self._conflict(
                outcome.question_id, self.session.staged.get(outcome.question_id), outcome
            )
        elif isinstance(outcome, SignedOff):
            self._signed_off_elsewhere(outcome)
        elif isinstance(outcome, UnknownAssessment):
            self._deleted()
        elif isinstance(outcome, StoreBusy):
            self._saved("Not saved, retrying: the store is busy (a colleague's save)", True)
            if self._retry is not None:
                self._retry.stop()
            self._retry = self.set_timer(RETRY_PAUSE, self.save_soon)
        elif isinstance(outcome, BadInput):
            self._saved(f"Not saved: {outcome.message}", problem=True)
        else:
            if outcome is not None:
                self._saved_to(outcome)
            if self.session.has_staged and self._save_again:
                self.save_soon()
            elif not self.session.has_staged:
                self._saved("All answers saved")
            else:
                self._saved("Typing… (saved when you pause)")

    def _saved_to(self, saved: Saved) -> None:
        if saved.was_complete and saved.assessment.status == "draft":
            self.notify(
                "This assessment was marked complete. Changing an answer makes it a draft "
                "again: mark it complete again from the review (R) when you are done.",
                severity="warning",
                timeout=8,
            )
        self._title()

    def commit(self, question_id: str, answer: Answer | None) -> None:
        """Stage an answer and save it now (in the background)."""
        self.session.stage(question_id, answer)
        self.save_soon()

    def flush(self) -> None:
        """Save all staged text now (the app calls this before it exits); raise if it cannot."""
        from assess.store import StaleSave

        if self._gone and self.session.has_staged:
            raise BadInput(
                "this assessment was deleted elsewhere, so your last changes to it are not saved"
            )
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._catch_up_with_the_note(strict=True)
        if not self.session.has_staged:
            return
        try:
            self.session.flush()
        except StaleSave as exc:
            self._conflict(exc.question_id, self.session.staged.get(exc.question_id), exc)
            raise
        except BadInput as exc:
            self._saved(f"Not saved: {exc.message}", problem=True)
            raise
        self._saved("All answers saved")

    def _catch_up_with_the_note(self, *, strict: bool = False) -> None:
        """Stage what the note box shows, if its last change is still on its way to us.

        `strict` (on quitting): a note that cannot be saved (too long) is said
        now, rather than lost without a word.
        """
        q = self.current
        notes = self.query("#evidence").results(NoteArea)
        note = next(iter(notes), None)
        if q is None or note is None:
            return
        current = self.session.answer(q.id)
        if current is None or note.text == current.evidence:
            return
        try:
            self.session.stage(q.id, current.with_evidence(note.text))
        except AnswerProblem as exc:
            if strict:
                raise BadInput(
                    f"the note on question {self.number_of(q)} is not saved: {exc}; "
                    "shorten it first"
                ) from None

    def flush_quietly(self) -> bool:
        """Stage the note and start saving; False if the note cannot be saved as it is."""
        try:
            self._catch_up_with_the_note(strict=True)
        except BadInput as exc:
            self._saved(f"Not saved: {exc.message}", problem=True)
            return False
        self.save_soon()
        return True

    # -- refusals: signed off, deleted, changed by someone else ---------------------

    def _refuse_if_signed_off(self, question_id: str) -> bool:
        """A signed-off assessment takes no change: put the answer back and offer to reopen."""
        signoff = self.session.assessment.signoff
        if signoff is None:
            return False
        self.call_after_refresh(self._show_stored, question_id)
        self._offer_reopen()
        return True

    def _offer_reopen(self) -> None:
        from assess.tui.screens.signoff import ReopenModal

        if isinstance(self.app.screen, ReopenModal):
            return
        self._saved("Not saved: the assessment is signed off", problem=True)

        def done(why: str | None) -> None:
            if why:
                self.in_background(
                    "reopening the assessment",
                    lambda: self.store.reopen(self.assessment_id, reason=why, who=self.session.who),
                    self._reopened,
                )

        self.app.push_screen(ReopenModal(self.session.assessment, refused=True), done)

    def _reopened(self, _: object) -> None:
        self.session.refresh()
        self._title()
        self._saved("Reopened: your next change will be saved")
        self.notify("Reopened. Make your change again.", timeout=5)

    def _signed_off_elsewhere(self, problem: BadInput) -> None:
        # Signed off in another window while this one was open: what was staged
        # cannot be saved; show the stored answers and offer to reopen.
        self.session.reload()
        if self.current is not None:
            self._show_stored(self.current.id)
        self._title()
        self._offer_reopen()

    def _deleted(self) -> None:
        from assess.tui.screens.modals import DeletedModal

        self._saved("Not saved: this assessment was deleted elsewhere", problem=True)
        if self._gone:
            return
        self._gone = True

        def done(choice: str | None) -> None:
            if choice == "copy":
                self.in_background("saving a new copy", self._save_as_new, self._saved_as_new)
            elif choice == "quit":
                self.session.staged.clear()
                self.app.exit()
            else:
                self.session.staged.clear()
                self.dismiss()

        self.app.push_screen(DeletedModal(self.session.assessment.title), done)

    def _save_as_new(self) -> str:
        a = self.session.assessment
        made = self.store.create(
            authority=a.authority,
            service=a.service,
            assessor=a.assessor,
            bank=a.bank,
            answers=self.session.shown_answers(),
            who=self.session.who,
            stage=a.stage,
            period=a.period,
            authority_type=a.authority_type,
            region=a.region,
        )
        return made.id

    def _saved_as_new(self, new_id: str) -> None:
        self.notify("Saved as a new assessment, with every answer you had.", timeout=6)
        self.session.staged.clear()
        self.dismiss()

    def _conflict(self, question_id: str, answer: Answer | None, exc: BadInput) -> None:
        from assess.domain.survey import describe_answer
        from assess.store import StaleSave, UnknownAssessment
        from assess.tui.screens.modals import StaleSaveModal
        from assess.tui.text import when

        question = self.session.bank.question(question_id)
        number = self.number_of(question) if question is not None else 0
        self._saved(f"Not saved: question {number} was changed elsewhere", problem=True)
        who = getattr(exc, "who", "") or "another officer"
        at = getattr(exc, "at", "")
        try:
            theirs = self.store.get(self.assessment_id).answers.get(question_id)
        except UnknownAssessment:
            self._deleted()
            return
        except BadInput:
            theirs = None

        def words(value: Answer | None) -> str:
            if question is None:
                return ""
            return describe_answer(self.session.bank, question, value) or "no answer"

        async def decided(choice: str | None) -> None:
            if choice == "keep":
                try:
                    self.session.overwrite(question_id, answer)
                except StaleSave as again:
                    self._conflict(question_id, answer, again)
                    return
                except BadInput as problem:
                    self._saved(f"Not saved: {problem.message}", problem=True)
                    return
                self._saved("All answers saved (your version kept)")
            else:
                self.session.reload()
                self._saved("Reloaded: showing the latest saved answers")
            if self.current is not None:
                target = self.current
                self.current = None
                await self.show(target)

        if not isinstance(self.app.screen, StaleSaveModal):
            self.app.push_screen(
                StaleSaveModal(
                    question.text if question is not None else question_id,
                    who=who,
                    at=when(at, with_time=True) if at else "",
                    theirs=words(theirs),
                    yours=words(answer),
                ),
                decided,
            )

    # -- moving around -----------------------------------------------------------

    def _visible(self) -> list[Question]:
        return self.session.visible_questions()

    async def _go(self, question: Question | None) -> None:
        if question is not None:
            await self.show(question)

    # PgDn and PgUp are ordinary (not priority) keys, so they are acted on in the
    # order they were pressed, after any key before them and before any key after
    # them, even when several arrive in one read from the terminal ("3" then PgDn
    # rates this question, then moves on). The widgets that would use them for
    # themselves (the option lists, the text boxes) pass them on to these actions.
    async def action_next_question(self) -> None:
        await self._next_question()

    async def action_previous_question(self) -> None:
        await self._previous_question()

    async def _next_question(self) -> None:
        visible = self._visible()
        if self.current not in visible:
            return
        index = visible.index(self.current)
        if index + 1 < len(visible):
            await self._go(visible[index + 1])
        else:
            self.flush_quietly()
            self.notify("That was the last question. R reviews the assessment.", timeout=4)

    async def _previous_question(self) -> None:
        visible = self._visible()
        if self.current not in visible:
            return
        index = visible.index(self.current)
        if index > 0:
            await self._go(visible[index - 1])

    def _section_start(self, section_id: str) -> Question | None:
        section = next((s for s in self.session.sections() if s.id == section_id), None)
        if section is None:
            return None
        shown = [q for q in section.questions if self.session.is_visible(q.id)]
        return next((q for q in shown if self.session.answer(q.id) is None), shown[0])

    async def _step_section(self, step: int) -> None:
        if self.current is None:
            return
        sections = [s.id for s in self.session.sections()]
        here = sections.index(self.session.bank.section_of(self.current.id).id)
        there = here + step
        if 0 <= there < len(sections):
            await self._go(self._section_start(sections[there]))

    async def action_next_section(self) -> None:
        await self._step_section(1)

    async def action_previous_section(self) -> None:
        await self._step_section(-1)

    async def on_section_list_picked(self, event: SectionList.Picked) -> None:
        event.stop()
        await self._go(self._section_start(event.section_id))

    async def go_to(self, question_id: str, *, to_note: bool = False) -> None:
        """Open a question by id (the review screen jumps here); `to_note`: focus its note."""
        question = self.session.bank.question(question_id)
        if question is not None and self.session.is_visible(question.id):
            await self.show(question)
            note = self.query_one("#evidence", NoteArea)
            if to_note and not note.disabled:
                note.focus()

    def action_jump(self) -> None:
        from assess.tui.screens.modals import JumpModal

        if self.current is None:
            return
        visible = self._visible()

        async def done(question_id: str | None) -> None:
            if question_id:
                await self.go_to(question_id)

        self.app.push_screen(JumpModal([(q.id, q.text) for q in visible]), done)

    def action_clear(self) -> None:
        if self.current is None or self.session.answer(self.current.id) is None:
            return
        question = self.current
        if self._refuse_if_signed_off(question.id):
            return
        before = {q.id for q in self._visible()}
        self.commit(question.id, None)
        self._show_stored(question.id)
        self._after_change(before, None)
        self.notify("Answer cleared. Ctrl+Z brings it back.", timeout=4)

    async def action_undo(self) -> None:
        if self.session.assessment.signed_off:
            self._refuse_if_signed_off(self.current.id if self.current else "")
            return
        before = {q.id for q in self._visible()}
        change = self.session.undo()
        if change is None:
            self.notify("There is no answer change to undo.", timeout=3)
            return
        question = self.session.bank.question(change.question_id)
        if question is not None and self.session.is_visible(question.id):
            if self.current is not question:
                await self.show(question)
            self._show_stored(question.id)
        self.save_soon()
        self._after_change(before, change.before)
        number = self.number_of(question) if question is not None else 0
        self.notify(
            f"Undone: question {number} is back as it was." if number else "Undone.", timeout=3
        )

    def action_back(self) -> None:
        focused = self.focused
        target = self.answer_input.focus_target()
        if (
            focused is not None
            and focused is not target
            and focused is not self.query_one(SectionList)
        ):
            target.focus()
            return
        if self.flush_quietly():
            self.dismiss()

    async def action_review(self) -> None:
        from assess.tui.screens.review import ReviewScreen

        if await self.all_saved():
            self.app.push_screen(ReviewScreen(self.assessment_id), self._jump)

    async def all_saved(self) -> bool:
        """Start saving what is staged and wait for it (the event loop keeps running).

        The review and the results read the store: they must see every answer
        given here. False (with the reason on the save line) if a save failed.
        """
        if not self.flush_quietly():
            return False
        while self._saving or (self.session.has_staged and self._timer is not None):
            await asyncio.sleep(0.02)
        if self.session.has_staged:
            self.notify(f"Not everything is saved yet. {self._saved_state}.", timeout=5)
            return False
        return True

    async def _jump(self, choice: tuple[str, bool] | None) -> None:
        if choice is not None:
            question_id, to_note = choice
            await self.go_to(question_id, to_note=to_note)
        else:
            self._sidebar()
            self._savebar()

    async def action_results(self) -> None:
        from assess.tui.screens.results import ResultsScreen

        if await self.all_saved():
            self.app.push_screen(ResultsScreen(self.assessment_id))
