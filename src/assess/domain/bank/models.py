"""The question bank's typed models: a bank, its instruments, sections, questions and options.

A bank is one YAML file with two instruments: the partnering survey (questions
put to chief executives in 2019, with how they answered) and the readiness
criteria (grouped into weighted dimensions, each criterion with a weight, a
target level, a critical flag, a recommended action, the stage from which it
applies and the business cases it evidences). These pydantic models say what
each part may hold; `loading` reads a file into them and `checks`
cross-checks what a schema cannot express, including which fields a version 2
bank must give. The app then holds the bank as the plain objects of `plain`,
built from the validated data, so only validating a bank needs pydantic.

Two shapes are read: version 1 banks (kept in the store with old assessments)
and version 2 banks. The models give both the same face: `Question.from_stage`
is 0 and `Question.cases` empty for a version 1 item, and `Respondents.tiers`
turns a version 1 rank order into one tier per place. Fields added in version 2
are left out of a bank's data while they hold their defaults, so a version 1
bank keeps the content hash it was stored under.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    Tag,
    field_validator,
    model_serializer,
    model_validator,
)

# Shared with the plain bank objects (reading a checked bank needs no pydantic);
# those `checks` takes from here are re-exported.
from assess.domain.bank.kinds import CHOICE_TYPES as CHOICE_TYPES
from assess.domain.bank.kinds import CONDITION_TESTS as CONDITION_TESTS
from assess.domain.bank.kinds import CRITERION_ONLY_FIELDS as CRITERION_ONLY_FIELDS
from assess.domain.bank.kinds import FIRST_V2_VERSION, Case, Origin, QuestionType
from assess.domain.bank.kinds import LEVELS as LEVELS

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


class SourceDoc(_Model):
    """One of the source texts the bank's facts and figures come from."""

    title: Text
    author: str = ""
    date: str = ""


class Framework(_Model):
    """A public framework the bank's criteria rest on (an Act, regulations, guidance)."""

    title: Text
    issuer: Text
    part_of: str = ""  # the wider framework it belongs to, if any
    url: Annotated[str, Field(pattern=r"^(https://[^\s]+)?$", max_length=400)] = ""


class QuoteSource(_Model):
    """Where an item comes from: a source file and the sentence it rests on, verbatim."""

    file: Text
    quote: Text


class FrameworkSource(_Model):
    """Where an item comes from: a framework listed in the bank and the part relied on."""

    framework: Id
    part: Text


def _source_kind(value: Any) -> str:
    if isinstance(value, dict):
        return FRAMEWORK_TAG if "framework" in value or "part" in value else QUOTE_TAG
    return FRAMEWORK_TAG if isinstance(value, FrameworkSource) else QUOTE_TAG


# The tags appear in pydantic's error locations; they are no key of a bank file, so
# problem messages name the field the officer wrote instead.
QUOTE_TAG = "file and quote"
FRAMEWORK_TAG = "framework and part"
SourceRef = Annotated[
    Annotated[QuoteSource, Tag(QUOTE_TAG)] | Annotated[FrameworkSource, Tag(FRAMEWORK_TAG)],
    Discriminator(_source_kind),
]


def _one_kind_of_source(value: Any) -> Any:
    if (
        isinstance(value, dict)
        and {"file", "quote"} & set(value)
        and ({"framework", "part"} & set(value))
    ):
        raise ValueError(
            "give either 'file' and 'quote' (a source text and the sentence relied on) or "
            "'framework' and 'part' (a framework listed under 'frameworks' and the part "
            "relied on), not both"
        )
    return value


def _without_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    # Fields added in version 2 are left out at their defaults, so a version 1 bank's
    # data (and content hash) is what it was before they existed.
    return {k: v for k, v in data.items() if not (k in defaults and v == defaults[k])}


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
    answered: StrictBool | None = None

    def tests(self) -> list[str]:
        return [name for name in CONDITION_TESTS if getattr(self, name) is not None]


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

    `percentages` maps option ids to the share of respondents. `tiers` (version
    2) lists the respondents' order as groups, most important first: the source
    often ranks a group of items together without ordering them within it, so
    each group is one tier. Version 1 banks gave `rank_order` instead, one item
    per place; the `tiers` property reads either. `asked` is the survey's own
    question when it was broader than the bank's (the figures answer the
    survey's). `source` is the sentence that gives the figures.
    """

    percentages: dict[str, float] = Field(default_factory=dict)
    rank_order: list[str] = Field(default_factory=list)
    given_tiers: list[list[str]] = Field(default_factory=list, alias="tiers")
    asked: str = ""
    summary: Text
    source: QuoteSource

    @model_serializer(mode="wrap")
    def _data(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return _without_defaults(data, {"tiers": [], "given_tiers": [], "asked": ""})

    @cached_property
    def tiers(self) -> tuple[tuple[str, ...], ...]:
        """The respondents' order as tiers, most important first (either bank shape)."""
        if self.given_tiers:
            return tuple(tuple(tier) for tier in self.given_tiers)
        return tuple((option_id,) for option_id in self.rank_order)

    @cached_property
    def tier_of(self) -> dict[str, int]:
        """Option id -> its tier, counting from 1."""
        return {o: n for n, tier in enumerate(self.tiers, 1) for o in tier}


class Question(_Model):
    """A survey question or a readiness criterion (type `maturity`).

    Version 2 fields: `from_stage` (the stage from which a readiness item
    applies; 0 when a version 1 bank gives none), `cases` (the five-case model
    cases a criterion evidences), `replaces` (the ids of earlier questions whose
    answers carry over to this one) and `origin` (`authority` for the
    authority's own context questions, which are not the survey's).
    """

    id: Id
    text: Text
    help: Text
    type: QuestionType
    options: list[Option] = Field(default_factory=list)
    show_if: list[Condition] = Field(default_factory=list)
    source: SourceRef
    origin: Origin = "survey"
    respondents: Respondents | None = None
    replaces: list[Id] = Field(default_factory=list)
    from_stage: int = Field(default=0, ge=0, le=5)
    # Numbers
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    # Readiness criteria
    weight: int = Field(default=1, ge=1, le=3)
    target: int = Field(default=3, ge=1, le=4)
    # Strict: "yes" or 1 would otherwise pass for true, so a bank (or a bundle's copy)
    # could say one thing and be read as another.
    critical: StrictBool = False
    allow_na: StrictBool = False
    action: str = ""
    levels: dict[int, str] = Field(default_factory=dict)
    cases: list[Case] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _data(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = _without_defaults(handler(self), {"origin": "survey", "replaces": [], "cases": []})
        # from_stage is kept whenever the bank gave it (even 0): version 2 requires it.
        if "from_stage" not in self.model_fields_set:
            data.pop("from_stage", None)
        return data

    @field_validator("source", mode="before")
    @classmethod
    def _one_kind_of_source(cls, value: Any) -> Any:
        return _one_kind_of_source(value)

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

    @property
    def is_authority_context(self) -> bool:
        """The authority's own context question, not one the survey asked."""
        return self.origin == "authority"

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
    frameworks: dict[Id, Framework] = Field(default_factory=dict)
    maturity_levels: dict[int, Level]
    instruments: list[Instrument] = Field(min_length=1)
    consistency: list[ConsistencyCheck] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _data(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_defaults(handler(self), {"frameworks": {}})

    @property
    def major_version(self) -> int:
        return int(self.version.split(".")[0])

    @property
    def is_v2(self) -> bool:
        """Whether this bank is of version 2 or later (and so gives every version 2 field)."""
        return self.major_version >= FIRST_V2_VERSION

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the bank's content, independent of layout and comments."""
        canonical = json.dumps(self.to_data(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_data(self) -> dict[str, Any]:
        """The bank as plain JSON-ready data (what `questions export` prints)."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=False)

    # The app holds the plain `Bank` built from what passed (`plain`), with every
    # lookup the rest of the app uses; the cross-checks need only these two.

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question and criterion in bank order."""
        return tuple(q for i in self.instruments for s in i.sections for q in s.questions)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)
