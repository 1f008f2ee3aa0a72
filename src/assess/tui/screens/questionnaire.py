"""The questionnaire: one question at a time, the sections in a sidebar, every change saved.

Only the current question is mounted (never the whole bank), so moving on
is quick on any terminal. A choice is saved the moment it is made; typed
text (free text, a number, a not-applicable reason, an evidence note) is
saved after a short pause, when the officer leaves the box, moves to
another question, quits, or the app is stopped. The bar above the footer
always says whether everything is saved.

Conditional questions follow the answers: answering "yes" to a survey
question can add a follow-up, which then shows in the sidebar counts and in
the order of questions.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantBlur
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea

from assess.domain.answers import Answer, AnswerProblem, check_answer
from assess.domain.bank import Question
from assess.domain.errors import BadInput
from assess.tui.keys import Key, WithKeys, bar_hints, help_rows
from assess.tui.screens.base import AppScreen, HelpTable
from assess.tui.session import Session
from assess.tui.text import one_line, plain, plural
from assess.tui.widgets.base import NEXT_QUESTION, PREVIOUS_QUESTION, AnswerInput
from assess.tui.widgets.factory import WIDGETS, answer_widget, widget_class
from assess.tui.widgets.notes import NoteArea
from assess.tui.widgets.picker import Picker
from assess.tui.widgets.sidebar import SectionList

# Seconds of quiet after typing before the text is saved.
SAVE_PAUSE = 0.6

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
    kinds: list[type[WithKeys]] = [*dict.fromkeys(WIDGETS.values()), Picker]
    for kind in kinds:
        for row in help_rows(kind.KEYS):
            if row not in rows:
                rows.append(row)
    return rows


class QuestionnaireScreen(AppScreen[None]):
    """Answer the questions of one assessment."""

    HELP = """\
Answer the questions one at a time. The left column lists the sections, with
how many of their questions you have answered. Every answer is saved as you
give it.

The evidence note under every answer says what shows the answer is true:
papers, minutes, reviews. A rating of 3 or 4 without evidence is listed on
the review screen."""

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
            "tab,shift+tab",
            help="move between the answer, the evidence note and the sections",
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
        Key(
            "v",
            "results",
            help="view the results: score, band, gaps and actions",
            bar="Results",
            command="Results",
            command_help="Score, band, gaps and actions",
        ),
        Key(
            "x",
            "clear",
            help="clear the answer to this question",
            command="Clear this answer",
            command_help="Remove the answer to this question",
        ),
    )

    def __init__(self, assessment_id: str, question_id: str | None = None) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.start_at = question_id
        self.session: Session
        self.current: Question | None = None
        self._timer: Timer | None = None
        self._saved_state = "All answers saved"
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
        self.session = Session(self.store, self.store.get(self.assessment_id))
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

    def on_unmount(self) -> None:
        flushers = self.app.flushers
        if self.flush in flushers:
            flushers.remove(self.flush)

    def on_resize(self) -> None:
        # 24 columns leave the question most of an 80-column terminal; wider
        # terminals have room for whole section titles (the longest needs 42).
        width = self.size.width
        sidebar = 24 if width < 100 else min(44, width * 36 // 100)
        sections = self.query_one(SectionList)
        if sections.styles.width is None or sections.styles.width.value != sidebar:
            sections.styles.width = sidebar

    def on_screen_resume(self) -> None:
        # Back from review or results: the assessment may have changed status there.
        self.session.assessment = self.store.get(self.assessment_id)
        self._title()

    # -- drawing ---------------------------------------------------------------

    def _title(self) -> None:
        a = self.session.assessment
        status = "complete" if a.status == "complete" else "draft"
        self.query_one("#topbar", Static).update(plain(f"{a.title} · {status}"))

    def _sidebar(self) -> None:
        rows = []
        for section in self.session.sections():
            answered, shown = self.session.section_progress(section)
            rows.append((section.id, section.title, answered, shown))
        current = self.session.bank.section_of(self.current.id).id if self.current else None
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

    async def show(self, question: Question) -> None:
        """Put `question` on screen, saving any typed text first.

        Nothing is mounted or removed on the way: the texts and the note are
        updated in place, and each kind of answer widget (levels, choice,
        ticks, ranking, number, text) is mounted the first time it is needed,
        then kept, hidden while another kind shows, and loaded with the next
        question of its kind. So a move costs one layout, and a key that was
        already on its way to the answer widget is never lost with it.
        """
        if self.current is not None and not self.flush_quietly():
            return
        self.current = question
        main = self.query_one("#main", VerticalScroll)
        answer = self.session.answer(question.id)
        if not main.children:
            await main.mount(*self._card())
        kind = widget_class(question)
        widget = self._inputs.get(kind)
        with self.app.batch_update():
            for label_id, text in self._texts(question).items():
                self.query_one(f"#{label_id}", Static).update(plain(text))
            if widget is None:
                widget = answer_widget(question, self.session.bank, answer)
                self._inputs[kind] = widget
                await self.query_one("#answer-slot", Vertical).mount(widget)
            else:
                widget.load(question, answer)
            for other in self._inputs.values():
                other.display = other is widget
            self.answer_input = widget
            note = self.query_one("#evidence", NoteArea)
            with note.prevent(TextArea.Changed):
                note.text = answer.evidence if answer is not None else ""
            note.disabled = answer is None
            self.query_one("#evidence-label", Label).update(self._evidence_label(answer))
        main.scroll_home(animate=False)
        # Keep the question text in view: focusing would scroll to the options.
        target = widget.focus_target()
        if self.focused is not target:
            target.focus(scroll_visible=False)
        self._sidebar()
        self._savebar()

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
        return {
            "q-heading": f"{kind} › {section.title} · {place} of {len(questions)}",
            "q-text": q.text,
            "q-help": q.help,
            "q-kind": about,
        }

    def _card(self) -> list:
        note = NoteArea("", id="evidence", placeholder="What shows this is true? (optional)")
        return [
            Static(id="q-heading", classes="q-heading", markup=False),
            Static(id="q-text", classes="q-text", markup=False),
            Static(id="q-help", classes="q-help", markup=False),
            Static(id="q-kind", classes="q-kind", markup=False),
            Vertical(id="answer-slot"),
            Label("", id="evidence-label", markup=False),
            note,
        ]

    @staticmethod
    def _evidence_label(answer: Answer | None) -> str:
        if answer is None:
            return "Evidence note (once you have answered)"
        return "Evidence note (Tab to type; saved as you go)"

    # -- saving ----------------------------------------------------------------

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
        before = set(q.id for q in self.session.visible_questions())
        if event.typed:
            self.session.stage(question.id, answer)
            self._saved("Typing… (saved when you pause)")
            self._restart_timer()
        else:
            self.commit(question.id, answer)
        self._after_change(before, answer)

    def on_answer_input_invalid(self, event: AnswerInput.Invalid) -> None:
        event.stop()
        self.session.unstage(event.question_id)
        self._saved(f"Not saved: {event.problem}", problem=True)

    def _after_change(self, before: set[str], answer: Answer | None) -> None:
        note = self.query_one("#evidence", NoteArea)
        note.disabled = answer is None
        self.query_one("#evidence-label", Label).update(self._evidence_label(answer))
        after = self.session.visible_questions()
        appeared = [q for q in after if q.id not in before]
        gone = before - {q.id for q in after}
        for q in appeared:
            self.notify(
                f"A follow-up question now applies: {one_line(q.text, 70)}", timeout=5, markup=False
            )
        if gone:
            self.notify(
                f"{plural(len(gone), 'follow-up question')} no longer "
                f"appl{'ies' if len(gone) == 1 else 'y'}; any answer to "
                f"{'it' if len(gone) == 1 else 'them'} is kept but not counted.",
                timeout=5,
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
        self.session.stage(q.id, answer)
        self._saved("Typing… (saved when you pause)")
        self._restart_timer()

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_PAUSE, self.flush_quietly)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if self.session.has_staged:
            self.flush_quietly()

    def commit(self, question_id: str, answer: Answer | None) -> bool:
        """Save one answer now; on a conflict, ask the officer what to do."""
        from assess.store import StaleSave

        try:
            self.session.save(question_id, answer)
        except StaleSave as exc:
            self._conflict(question_id, answer, exc)
            return False
        except BadInput as exc:
            self._saved(f"Not saved: {exc.message}", problem=True)
            return False
        self._saved("All answers saved")
        return True

    def flush(self) -> None:
        """Save all staged text now (the app calls this before it exits); raise if it cannot."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._catch_up_with_the_note()
        if not self.session.has_staged:
            return
        from assess.store import StaleSave

        try:
            self.session.flush()
        except StaleSave as exc:
            question_id = exc.question_id
            self._conflict(question_id, self.session.staged.get(question_id), exc)
            raise
        except BadInput as exc:
            self._saved(f"Not saved: {exc.message}", problem=True)
            raise
        self._saved("All answers saved")

    def _catch_up_with_the_note(self) -> None:
        """Stage what the evidence box shows, if its last change is still on its way to us."""
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
        except AnswerProblem:
            return  # `_evidence_changed` reports it when the change arrives

    def flush_quietly(self) -> bool:
        """`flush`, reporting a failure on screen instead of raising."""
        try:
            self.flush()
        except BadInput:
            return False
        return True

    def _conflict(self, question_id: str, answer: Answer | None, exc: BadInput) -> None:
        from assess.tui.screens.modals import StaleSaveModal

        self._saved(f"Not saved: {question_id} was changed elsewhere", problem=True)
        who = getattr(exc, "who", "") or "someone"
        detail = f"Changed by {who}."

        async def decided(choice: str | None) -> None:
            if choice == "keep":
                from assess.store import StaleSave

                try:
                    self.session.overwrite(question_id, answer)
                except StaleSave as again:
                    self._conflict(question_id, answer, again)
                    return
                self._saved("All answers saved (your version kept)")
            else:
                self.session.reload()
                self._saved("Reloaded: showing the latest saved answers")
            if self.current is not None:
                target = self.current
                self.current = None
                await self.show(target)

        if not isinstance(self.app.screen, Screen) or self.app.screen is self:
            self.app.push_screen(StaleSaveModal(question_id, detail), decided)

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

    async def go_to(self, question_id: str) -> None:
        """Open a question by id (the review screen jumps here)."""
        question = self.session.bank.question(question_id)
        if question is not None and self.session.is_visible(question.id):
            await self.show(question)

    def action_clear(self) -> None:
        if self.current is None or self.session.answer(self.current.id) is None:
            return
        before = {q.id for q in self._visible()}
        if self.commit(self.current.id, None):
            self.answer_input.set_answer(None)
            note = self.query_one("#evidence", NoteArea)
            with note.prevent(TextArea.Changed):
                note.text = ""
            self._after_change(before, None)
            self.notify("Answer cleared.", timeout=3)

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

    def action_review(self) -> None:
        from assess.tui.screens.review import ReviewScreen

        if self.flush_quietly():
            self.app.push_screen(ReviewScreen(self.assessment_id), self._jump)

    async def _jump(self, question_id: str | None) -> None:
        self.session.assessment = self.store.get(self.assessment_id)
        self.session._refresh_visibility()
        if question_id:
            await self.go_to(question_id)
        else:
            self._sidebar()
            self._savebar()

    def action_results(self) -> None:
        from assess.tui.screens.results import ResultsScreen

        if self.flush_quietly():
            self.app.push_screen(ResultsScreen(self.assessment_id))
