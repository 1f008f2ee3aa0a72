"""The question bank: what an officer is asked, how it is scored, where it comes from.

A bank is one YAML file with two instruments: the partnering survey (questions
put to chief executives in 2019, with how they answered) and the readiness
criteria (grouped into weighted dimensions, each criterion with a weight, a
target level, a critical flag and a recommended action). This module holds the
typed models, reads a bank file safely, and cross-checks it. Every problem is
reported with the file, the line, the item id and the field.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from assess.errors import BankError
from assess.safeyaml import Document, parse_document, read_document

MAX_BANK_BYTES = 1024 * 1024
DEFAULT_BANK_FILE = "partnering.yaml"

QuestionType = Literal[
    "maturity", "single", "multi", "ranking", "yesno", "likert", "number", "text"
]
CHOICE_TYPES = frozenset({"single", "multi", "ranking", "likert", "yesno"})
LEVELS = range(0, 5)

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourceDoc(_Model):
    """One of the source texts the bank's facts and figures come from."""

    title: Text
    author: str = ""
    date: str = ""


class SourceRef(_Model):
    """Where an item comes from: a source file and the sentence it rests on."""

    file: Text
    quote: Text


class Option(_Model):
    """A choice offered by a choice, ranking, yes/no or Likert question."""

    id: Id
    label: Text
    help: str = ""


class Condition(_Model):
    """Shows a question only when an earlier answer meets this condition.

    Exactly one test is given: `equals` (the chosen option or level),
    `any_of` (the chosen option, or any chosen option of a multiple choice
    or ranking, is one of these), `first` (the option ranked first),
    `at_least` (a level or a number), or `answered`.
    """

    question: Id
    equals: str | int | None = None
    any_of: list[str] | None = None
    first: str | None = None
    at_least: float | None = None
    answered: bool | None = None

    def tests(self) -> list[str]:
        return [name for name in CONDITION_TESTS if getattr(self, name) is not None]


CONDITION_TESTS = ("equals", "any_of", "first", "at_least", "answered")


class ConsistencyCheck(_Model):
    """A survey answer that sits uneasily with a weak readiness criterion.

    When every condition in `when` holds and `criterion` is below its target
    (or below `below_level` when given), the report shows `explanation`.
    """

    id: Id
    title: Text
    when: list[Condition] = Field(min_length=1)
    criterion: Id
    below_level: int | None = Field(default=None, ge=1, le=4)
    explanation: Text


class Respondents(_Model):
    """How the surveyed chief executives answered, exactly as the source gives it.

    `percentages` maps option ids to the share of respondents; `rank_order`
    lists option ids from most to least important in the source's order.
    `source` is the sentence that gives the figures.
    """

    percentages: dict[str, float] = Field(default_factory=dict)
    rank_order: list[str] = Field(default_factory=list)
    summary: Text
    source: SourceRef


class Question(_Model):
    """A survey question or a readiness criterion (type `maturity`)."""

    id: Id
    text: Text
    help: Text
    type: QuestionType
    options: list[Option] = Field(default_factory=list)
    show_if: list[Condition] = Field(default_factory=list)
    source: SourceRef
    respondents: Respondents | None = None
    # Numbers
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    # Readiness criteria
    weight: int = Field(default=1, ge=1, le=3)
    target: int = Field(default=3, ge=1, le=4)
    critical: bool = False
    allow_na: bool = False
    action: str = ""
    levels: dict[int, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _yes_no_options(cls, data: Any) -> Any:
        # A yes/no question always offers the same two options, so banks need not list them.
        if isinstance(data, dict) and data.get("type") == "yesno" and not data.get("options"):
            return {**data, "options": [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}]}
        return data

    @field_validator("show_if", mode="before")
    @classmethod
    def _one_condition_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    @property
    def is_criterion(self) -> bool:
        return self.type == "maturity"

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @cached_property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


class Section(_Model):
    """A group of questions: a survey section or a readiness dimension."""

    id: Id
    title: Text
    intro: str = ""
    weight: int = Field(default=1, ge=1, le=5)
    questions: list[Question] = Field(min_length=1)


class Instrument(_Model):
    """One of the two instruments: the partnering survey or the readiness criteria."""

    id: Literal["survey", "readiness"]
    title: Text
    intro: str = ""
    sections: list[Section] = Field(min_length=1)


class Level(_Model):
    """A maturity level's name and what it means in general."""

    label: Text
    descriptor: Text


class Bank(_Model):
    """A whole question bank, validated."""

    id: Id
    version: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+){0,2}$")]
    title: Text
    description: str = ""
    sources: dict[str, SourceDoc] = Field(min_length=1)
    maturity_levels: dict[int, Level]
    instruments: list[Instrument] = Field(min_length=1)
    consistency: list[ConsistencyCheck] = Field(default_factory=list)

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the bank's content, independent of layout and comments."""
        canonical = json.dumps(self.to_data(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_data(self) -> dict[str, Any]:
        """The bank as plain JSON-ready data (what `questions export` prints)."""
        return self.model_dump(mode="json", exclude_defaults=False)

    def instrument(self, instrument_id: str) -> Instrument | None:
        return next((i for i in self.instruments if i.id == instrument_id), None)

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s for i in self.instruments for s in i.sections)

    @cached_property
    def dimensions(self) -> tuple[Section, ...]:
        """The readiness dimensions, in bank order."""
        readiness = self.instrument("readiness")
        return tuple(readiness.sections) if readiness else ()

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question and criterion in bank order."""
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def criteria(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.is_criterion)

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _section_of(self) -> dict[str, Section]:
        return {q.id: s for s in self.sections for q in s.questions}

    @cached_property
    def _instrument_of(self) -> dict[str, str]:
        return {q.id: i.id for i in self.instruments for s in i.sections for q in s.questions}

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def section_of(self, question_id: str) -> Section:
        return self._section_of[question_id]

    def instrument_of(self, question_id: str) -> str:
        return self._instrument_of[question_id]

    def level_label(self, level: int) -> str:
        found = self.maturity_levels.get(level)
        return found.label if found else str(level)

    def level_descriptor(self, question: Question, level: int) -> str:
        """What `level` means for this criterion (its own text, else the general one)."""
        if level in question.levels:
            return question.levels[level]
        found = self.maturity_levels.get(level)
        return found.descriptor if found else ""


# ----------------------------------------------------------------------------
# Loading


def shipped_bank_path() -> Path:
    """The bank that ships with the app (inside the wheel, or the checkout)."""
    packaged = resources.files("assess") / "questions" / DEFAULT_BANK_FILE
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "questions" / DEFAULT_BANK_FILE
    return checkout


def load_shipped_bank() -> Bank:
    return load_bank(shipped_bank_path())


def load_bank(path: Path) -> Bank:
    """Read, validate and cross-check a bank file; raise `BankError` if it is unusable."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is not None and stat.st_size <= MAX_BANK_BYTES:
        return _load_bank_cached(path.resolve(), stat.st_mtime_ns, stat.st_size)
    return _load_bank_uncached(path)


@lru_cache(maxsize=8)
def _load_bank_cached(path: Path, mtime_ns: int, size: int) -> Bank:
    return _load_bank_uncached(path)


def _load_bank_uncached(path: Path) -> Bank:
    try:
        doc = read_document(path, max_bytes=MAX_BANK_BYTES, what="question bank")
    except BankError:
        raise
    except Exception as exc:  # BadInput from the reader
        raise BankError(str(exc)) from None
    return bank_from_document(doc)


def bank_from_data(data: Any, source: str) -> Bank:
    """Validate a bank held as plain data (for instance a snapshot kept in the store)."""
    return bank_from_document(Document(value=data, source=source))


def bank_from_text(text: str, source: str = "<bank>") -> Bank:
    try:
        doc = parse_document(text, source, what="question bank")
    except Exception as exc:
        raise BankError(str(exc)) from None
    return bank_from_document(doc)


def bank_from_document(doc: Document) -> Bank:
    if not isinstance(doc.value, dict):
        raise BankError(f"{doc.where(())}: a question bank must be a mapping of fields")
    try:
        bank = Bank.model_validate(doc.value)
    except ValidationError as exc:
        problems = [_describe_validation_error(doc, err) for err in exc.errors()]
        raise _bank_error(problems) from None
    problems = _CrossCheck(bank, doc).run()
    if problems:
        raise _bank_error(problems)
    return bank


def _bank_error(problems: list[str]) -> BankError:
    first = problems[0]
    if len(problems) > 1:
        more = len(problems) - 1
        first += f" (and {more} more problem{'s' if more > 1 else ''})"
    return BankError(first, problems[1:])


def _item_label(doc: Document, path: tuple[str | int, ...]) -> str:
    """`question X` / `section Y` for the innermost item on `path`."""
    value: Any = doc.value
    label = "bank"
    names = {
        "questions": "question",
        "sections": "section",
        "instruments": "instrument",
        "options": "option",
    }
    parent_key: str | int | None = None
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int) and parent_key in names and isinstance(value, dict):
            item_id = value.get("id")
            kind = names[str(parent_key)]
            if kind == "option" and label.startswith("question"):
                label = f"{label}, option {item_id or f'#{step + 1}'}"
            else:
                label = f"{kind} {item_id}" if item_id else f"{kind} #{step + 1}"
        parent_key = step
    return label


def _describe_validation_error(doc: Document, err: Any) -> str:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    # Pydantic reports errors inside a mapping key as (..., key, "[key]").
    path = tuple(p for p in loc if not (isinstance(p, str) and p.endswith("[key]")))
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        message = "is not a field a bank item can have (check the spelling)"
    elif kind == "missing":
        parent = path[:-1]
        return f"{doc.where(parent)}: {_item_label(doc, parent)}, field '{field}' is required"
    else:
        message = err.get("msg", "is not valid")
        given = err.get("input")
        if not isinstance(given, dict | list) and given is not None:
            shown = repr(given)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            message += f" (got {shown})"
    return f"{doc.where(path)}: {_item_label(doc, path)}, field '{field}': {message}"


Loc = tuple[str | int, ...]


class _CrossCheck:
    """The checks a schema cannot express: ids, references and figures that must agree."""

    def __init__(self, bank: Bank, doc: Document) -> None:
        self.bank = bank
        self.doc = doc
        self.problems: list[str] = []
        self.earlier: dict[str, Question] = {}
        self.all_ids = {q.id for q in bank.questions}

    def problem(self, path: Loc, item: str, field: str, message: str) -> None:
        self.problems.append(f"{self.doc.where(path)}: {item}, field '{field}': {message}")

    def run(self) -> list[str]:
        self.check_bank()
        seen_sections = self.check_sections()
        for i, instrument in enumerate(self.bank.instruments):
            for s, section in enumerate(instrument.sections):
                for n, question in enumerate(section.questions):
                    path: Loc = ("instruments", i, "sections", s, "questions", n)
                    item = f"question {question.id}"
                    if question.id in self.earlier or question.id in seen_sections:
                        self.problem((*path, "id"), item, "id", "appears twice in the bank")
                    self.check_question(question, instrument.id, path, item)
                    for c, condition in enumerate(question.show_if):
                        self.check_condition(
                            question.id, condition, (*path, "show_if", c), item, "show_if"
                        )
                    self.earlier[question.id] = question
        self.check_consistency()
        return self.problems

    def check_bank(self) -> None:
        seen: set[str] = set()
        for i, instrument in enumerate(self.bank.instruments):
            if instrument.id in seen:
                self.problem(
                    ("instruments", i), f"instrument {instrument.id}", "id", "appears twice"
                )
            seen.add(instrument.id)
        for level in LEVELS:
            if level not in self.bank.maturity_levels:
                self.problem(
                    ("maturity_levels",), "bank", "maturity_levels", f"level {level} is missing"
                )
        for level in self.bank.maturity_levels:
            if level not in LEVELS:
                self.problem(
                    ("maturity_levels",), "bank", "maturity_levels", f"level {level} is outside 0–4"
                )

    def check_sections(self) -> set[str]:
        seen: set[str] = set()
        for i, instrument in enumerate(self.bank.instruments):
            for s, section in enumerate(instrument.sections):
                path: Loc = ("instruments", i, "sections", s)
                item = f"section {section.id}"
                if section.id in seen:
                    self.problem(path, item, "id", "appears twice in the bank")
                seen.add(section.id)
                if instrument.id == "readiness" and not any(
                    q.is_criterion for q in section.questions
                ):
                    self.problem(
                        path,
                        item,
                        "questions",
                        "a readiness dimension needs at least one maturity criterion",
                    )
        return seen

    def check_question(self, q: Question, instrument_id: str, path: Loc, item: str) -> None:
        if q.source.file not in self.bank.sources:
            self.problem(
                (*path, "source", "file"),
                item,
                "source",
                f"names the file {q.source.file!r}, which is not listed under 'sources'",
            )
        if q.is_criterion:
            if instrument_id != "readiness":
                self.problem(
                    (*path, "type"),
                    item,
                    "type",
                    "maturity criteria belong in the readiness instrument",
                )
            if not q.action.strip():
                self.problem(
                    path, item, "action", "a criterion needs the recommended action for a gap"
                )
            for level in q.levels:
                if level not in LEVELS:
                    self.problem((*path, "levels"), item, "levels", f"level {level} is outside 0–4")
        if q.type in CHOICE_TYPES:
            self.check_options(q, path, item)
        elif q.options:
            self.problem(
                (*path, "options"), item, "options", f"a {q.type} question takes no options"
            )
        if q.type == "number":
            if q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
                self.problem((*path, "minimum"), item, "minimum", "is greater than 'maximum'")
        elif q.minimum is not None or q.maximum is not None:
            self.problem((*path, "minimum"), item, "minimum", "only number questions have a range")
        if q.respondents is not None:
            self.check_respondents(q, q.respondents, instrument_id, (*path, "respondents"), item)

    def check_options(self, q: Question, path: Loc, item: str) -> None:
        if q.type == "yesno":
            if set(q.option_ids) != {"yes", "no"} or len(q.options) != 2:
                self.problem(
                    (*path, "options"),
                    item,
                    "options",
                    "a yes/no question has exactly the options 'yes' and 'no'",
                )
        elif len(q.options) < 2:
            self.problem(
                (*path, "options"),
                item,
                "options",
                f"a {q.type} question needs at least two options",
            )
        seen: set[str] = set()
        for o, option in enumerate(q.options):
            if option.id in seen:
                self.problem(
                    (*path, "options", o),
                    f"{item}, option {option.id}",
                    "id",
                    "appears twice in this question",
                )
            seen.add(option.id)

    def check_respondents(
        self, q: Question, r: Respondents, instrument_id: str, rpath: Loc, item: str
    ) -> None:
        field = "respondents"
        if instrument_id != "survey":
            self.problem(rpath, item, field, "only survey questions carry respondents' figures")
        if r.source.file not in self.bank.sources:
            self.problem(
                (*rpath, "source"),
                item,
                f"{field}.source",
                f"names the file {r.source.file!r}, which is not listed under 'sources'",
            )
        ids = set(q.option_ids)
        for option_id, share in r.percentages.items():
            where = (*rpath, "percentages", option_id)
            if option_id not in ids:
                self.problem(
                    where,
                    item,
                    f"{field}.percentages",
                    f"names the option {option_id!r}, which this question does not have",
                )
            if not 0 <= share <= 100:
                self.problem(
                    where,
                    item,
                    f"{field}.percentages",
                    f"{share} is not a percentage between 0 and 100",
                )
        if sum(r.percentages.values()) > 100.5:
            self.problem(
                (*rpath, "percentages"),
                item,
                f"{field}.percentages",
                "the shares add up to more than 100%",
            )
        if len(set(r.rank_order)) != len(r.rank_order):
            self.problem(
                (*rpath, "rank_order"), item, f"{field}.rank_order", "names an option twice"
            )
        for option_id in r.rank_order:
            if option_id not in ids:
                self.problem(
                    (*rpath, "rank_order"),
                    item,
                    f"{field}.rank_order",
                    f"names the option {option_id!r}, which this question does not have",
                )
        if not r.percentages and not r.rank_order:
            self.problem(rpath, item, field, "gives neither percentages nor a rank order")

    def check_consistency(self) -> None:
        seen: set[str] = set()
        for k, check in enumerate(self.bank.consistency):
            path: Loc = ("consistency", k)
            item = f"consistency check {check.id}"
            if check.id in seen:
                self.problem((*path, "id"), item, "id", "appears twice")
            seen.add(check.id)
            criterion = self.bank.question(check.criterion)
            if criterion is None or not criterion.is_criterion:
                self.problem(
                    (*path, "criterion"),
                    item,
                    "criterion",
                    f"{check.criterion!r} is not a readiness criterion in this bank",
                )
            for c, condition in enumerate(check.when):
                self.check_condition("", condition, (*path, "when", c), item, "when")

    def check_condition(
        self, own_id: str, condition: Condition, cpath: Loc, item: str, field: str
    ) -> None:
        tests = condition.tests()
        if len(tests) != 1:
            tests_named = ", ".join(f"'{name}'" for name in CONDITION_TESTS)
            self.problem(cpath, item, field, f"give exactly one of {tests_named}")
            return
        target = self.earlier.get(condition.question)
        if target is None:
            if condition.question == own_id:
                why = "which is this question itself"
            elif condition.question in self.all_ids:
                why = "which comes later in the bank; a condition can only look back"
            else:
                why = "which does not exist"
            self.problem(
                (*cpath, "question"),
                item,
                field,
                f"refers to question {condition.question!r}, {why}",
            )
            return
        test = tests[0]
        ids = set(target.option_ids)
        if test == "equals":
            value = condition.equals
            if target.type in CHOICE_TYPES:
                if value not in ids:
                    self.problem(
                        (*cpath, "equals"),
                        item,
                        field,
                        f"question {target.id} has no option {value!r}",
                    )
            elif target.type == "maturity":
                if not (isinstance(value, int) and value in LEVELS):
                    self.problem((*cpath, "equals"), item, field, f"{value!r} is not a level 0–4")
            else:
                self.problem(
                    (*cpath, "equals"),
                    item,
                    field,
                    f"cannot test a {target.type} question for equality",
                )
        elif test in ("any_of", "first"):
            if target.type not in CHOICE_TYPES:
                self.problem(
                    (*cpath, test), item, field, f"question {target.id} is not a choice question"
                )
            elif test == "first" and target.type != "ranking":
                self.problem((*cpath, test), item, field, f"question {target.id} is not a ranking")
            values = condition.any_of if test == "any_of" else [condition.first]
            for value in values or []:
                if value not in ids:
                    self.problem(
                        (*cpath, test), item, field, f"question {target.id} has no option {value!r}"
                    )
        elif test == "at_least" and target.type not in ("maturity", "number"):
            self.problem(
                (*cpath, "at_least"),
                item,
                field,
                f"question {target.id} is a {target.type} question; "
                "'at_least' works on levels and numbers",
            )
