"""The question bank's typed models: a bank, its instruments, sections, questions and options.

A bank is one YAML file with two instruments: the partnering survey (questions
put to chief executives in 2019, with how they answered) and the readiness
criteria (grouped into weighted dimensions, each criterion with a weight, a
target level, a critical flag and a recommended action). These pydantic models
say what each part may hold; `loading` reads a file into them and `checks`
cross-checks what a schema cannot express.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

QuestionType = Literal[
    "maturity", "single", "multi", "ranking", "yesno", "likert", "number", "text"
]
CHOICE_TYPES = frozenset({"single", "multi", "ranking", "likert", "yesno"})
LEVELS = range(0, 5)
Case = Literal["strategic", "economic", "commercial", "financial", "management"]
CASES: tuple[Case, ...] = ("strategic", "economic", "commercial", "financial", "management")
STAGES = range(0, 6)

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


# Control characters (an escape sequence can rewrite a terminal) and bidirectional
# overrides (they make text read differently from what it says); YAML's "\e" escapes
# and JSON's "\u001b" would otherwise carry them into every screen and report.
_HOSTILE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Model(BaseModel):
    # NaN and infinity would slip past every range check, so no number may be one.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )
    # Fields added after version 1 of the bank format. They are left out of the
    # plain data (and so of the content hash) while they hold their default, so
    # that a bank made before they existed keeps its hash: stored assessments
    # name their bank by that hash.
    LATER_FIELDS: ClassVar[frozenset[str]] = frozenset()

    def plain_data(self) -> dict[str, Any]:
        """The model as JSON-ready data, without later fields at their defaults."""
        return _prune(self, self.model_dump(mode="json"))

    @field_validator("*", mode="after")
    @classmethod
    def _no_hostile_characters(cls, value: Any) -> Any:
        if isinstance(value, str):
            texts: list[Any] = [value]
        elif isinstance(value, dict):
            texts = [*value, *value.values()]
        elif isinstance(value, list):
            texts = value
        else:
            texts = []
        for text in texts:
            found = _HOSTILE.search(text) if isinstance(text, str) else None
            if found:
                code = f"U+{ord(found.group()):04X}"
                raise ValueError(f"contains the control character {code}; remove it")
        return value


def _prune(model: _Model, data: dict[str, Any]) -> dict[str, Any]:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if name in model.LATER_FIELDS and value == info.get_default(call_default_factory=True):
            data.pop(name, None)
        elif isinstance(value, _Model):
            _prune(value, data[name])
        elif isinstance(value, list | tuple):
            for item, dumped in zip(value, data[name], strict=True):
                if isinstance(item, _Model):
                    _prune(item, dumped)
        elif isinstance(value, dict):
            for item, dumped in zip(value.values(), data[name].values(), strict=True):
                if isinstance(item, _Model):
                    _prune(item, dumped)
    return data


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
CRITERION_ONLY_FIELDS = ("weight", "target", "critical", "action", "levels", "cases")


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

    LATER_FIELDS = frozenset({"from_stage", "cases"})

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
    # Version 2: the stage of the partnership from which a readiness item applies
    # (0 Exploring ... 5 Running and review), and the five-case business cases a
    # criterion evidences. A version 1 bank has neither: everything from stage 0.
    from_stage: int = Field(default=0, ge=0, le=5)
    cases: tuple[Case, ...] = ()

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
        return self.plain_data()

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
