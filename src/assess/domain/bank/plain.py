"""The question bank as the app uses it: plain objects built from a bank's checked data.

A bank is validated once (the pydantic schema in `models`, then `checks`);
what the rest of the app holds afterwards is the bank built here from the
validated data (`Bank.to_data()`, the same plain JSON the content hash is
worked out from). Building these needs no pydantic, so a command that reads
a bank already checked (a store's copy with a good cache, see
`assess.store.bank_cache`) never imports the schema.

`from_data` trusts its input: it is only ever given what the schema and the
cross-checks accepted, or a cache of exactly that whose hashes were checked.
The classes offer what the schema's classes offer (attributes, lookups and
properties), and `tests/bank/test_plain.py` keeps the two in step.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from assess.domain.bank.kinds import CASES as CASES
from assess.domain.bank.kinds import CHOICE_TYPES as CHOICE_TYPES
from assess.domain.bank.kinds import CONDITION_TESTS as CONDITION_TESTS
from assess.domain.bank.kinds import CRITERION_ONLY_FIELDS as CRITERION_ONLY_FIELDS
from assess.domain.bank.kinds import FIRST_V2_VERSION as FIRST_V2_VERSION
from assess.domain.bank.kinds import LEVELS as LEVELS
from assess.domain.bank.kinds import STAGES as STAGES
from assess.domain.bank.kinds import Case as Case
from assess.domain.bank.kinds import Origin as Origin
from assess.domain.bank.kinds import QuestionType as QuestionType

if TYPE_CHECKING:
    from typing import Self


class _Plain:
    """Read-only, compared by content: what the schema's frozen models promised."""

    _data: Mapping[str, Any]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _set(self, data: Mapping[str, Any], **fields: Any) -> None:
        # `cached_property` writes to __dict__ directly, so read-only objects may still cache.
        self.__dict__["_data"] = data
        self.__dict__.update(fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._data == other._data)

    def __hash__(self) -> int:
        return hash(json.dumps(self._data, sort_keys=True))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in list(self._data.items())[:3])
        return f"{type(self).__name__}({shown}, ...)"


class SourceDoc(_Plain):
    """One of the source texts the bank's facts and figures come from."""

    title: str
    author: str
    date: str

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(
            data,
            title=data["title"],
            author=data.get("author", ""),
            date=data.get("date", ""),
        )


class Framework(_Plain):
    """A public framework the bank's criteria rest on (an Act, regulations, guidance)."""

    title: str
    issuer: str
    part_of: str
    url: str

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(
            data,
            title=data["title"],
            issuer=data["issuer"],
            part_of=data.get("part_of", ""),
            url=data.get("url", ""),
        )


class QuoteSource(_Plain):
    """Where an item comes from: a source file and the sentence it rests on, verbatim."""

    file: str
    quote: str

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(data, file=data["file"], quote=data["quote"])


class FrameworkSource(_Plain):
    """Where an item comes from: a framework listed in the bank and the part relied on."""

    framework: str
    part: str

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(data, framework=data["framework"], part=data["part"])


SourceRef = QuoteSource | FrameworkSource


def _source(data: Mapping[str, Any]) -> SourceRef:
    return FrameworkSource(data) if "framework" in data else QuoteSource(data)


class Option(_Plain):
    """A choice offered by a choice, ranking, yes/no or Likert question."""

    id: str
    label: str
    help: str

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(data, id=data["id"], label=data["label"], help=data.get("help", ""))


class Condition(_Plain):
    """Shows a question only when an earlier answer meets this condition (see `models`)."""

    question: str
    equals: str | int | None
    any_of: list[str] | None
    first: str | None
    at_least: float | None
    answered: bool | None

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(
            data,
            question=data["question"],
            equals=data.get("equals"),
            any_of=data.get("any_of"),
            first=data.get("first"),
            at_least=data.get("at_least"),
            answered=data.get("answered"),
        )

    def tests(self) -> list[str]:
        return [name for name in CONDITION_TESTS if getattr(self, name) is not None]


class ConsistencyCheck(_Plain):
    """A survey answer that sits uneasily with a weak readiness criterion (see `models`)."""

    id: str
    title: str
    when: list[Condition]
    criterion: str
    below_level: int | None
    explanation: str

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(
            data,
            id=data["id"],
            title=data["title"],
            when=[Condition(c) for c in data["when"]],
            criterion=data["criterion"],
            below_level=data.get("below_level"),
            explanation=data["explanation"],
        )


class Respondents(_Plain):
    """How the surveyed chief executives answered, exactly as the source gives it."""

    percentages: dict[str, float]
    rank_order: list[str]
    given_tiers: list[list[str]]
    asked: str
    summary: str
    source: QuoteSource

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(
            data,
            percentages=dict(data.get("percentages", {})),
            rank_order=list(data.get("rank_order", [])),
            given_tiers=[list(tier) for tier in data.get("tiers", [])],
            asked=data.get("asked", ""),
            summary=data["summary"],
            source=QuoteSource(data["source"]),
        )

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


class Question(_Plain):
    """A survey question or a readiness criterion (type `maturity`); see `models.Question`."""

    id: str
    text: str
    help: str
    type: QuestionType
    options: list[Option]
    show_if: list[Condition]
    source: SourceRef
    origin: Origin
    respondents: Respondents | None
    replaces: list[str]
    from_stage: int
    minimum: float | None
    maximum: float | None
    unit: str
    weight: int
    target: int
    critical: bool
    allow_na: bool
    action: str
    levels: dict[int, str]
    cases: list[Case]

    def __init__(self, data: Mapping[str, Any]) -> None:
        respondents = data.get("respondents")
        self._set(
            data,
            id=data["id"],
            text=data["text"],
            help=data["help"],
            type=data["type"],
            options=[Option(o) for o in data.get("options", [])],
            show_if=[Condition(c) for c in data.get("show_if", [])],
            source=_source(data["source"]),
            origin=data.get("origin", "survey"),
            respondents=None if respondents is None else Respondents(respondents),
            replaces=list(data.get("replaces", [])),
            from_stage=data.get("from_stage", 0),
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            unit=data.get("unit", ""),
            weight=data.get("weight", 1),
            target=data.get("target", 3),
            critical=data.get("critical", False),
            allow_na=data.get("allow_na", False),
            action=data.get("action", ""),
            levels={int(level): text for level, text in data.get("levels", {}).items()},
            cases=list(data.get("cases", [])),
        )

    @property
    def model_fields_set(self) -> frozenset[str]:
        """The fields the bank gave (the schema's name): what its data holds."""
        return frozenset(self._data)

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


class Section(_Plain):
    """A group of questions: a survey section or a readiness dimension."""

    id: str
    title: str
    intro: str
    weight: int
    questions: list[Question]

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(
            data,
            id=data["id"],
            title=data["title"],
            intro=data.get("intro", ""),
            weight=data.get("weight", 1),
            questions=[Question(q) for q in data["questions"]],
        )


class Instrument(_Plain):
    """One of the two instruments: the partnering survey or the readiness criteria."""

    id: Literal["survey", "readiness"]
    title: str
    intro: str
    sections: list[Section]

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(
            data,
            id=data["id"],
            title=data["title"],
            intro=data.get("intro", ""),
            sections=[Section(s) for s in data["sections"]],
        )


class Level(_Plain):
    """A maturity level's name and what it means in general."""

    label: str
    descriptor: str

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._set(data, label=data["label"], descriptor=data["descriptor"])


class CriterionFacts(NamedTuple):
    """What scoring reads of one criterion, as a plain tuple (`Bank.criteria_by_dimension`).

    Scoring reads these for every criterion each time an autosave rescores,
    and unpacking a tuple costs a fraction of reading as many attributes.
    """

    question: Question
    id: str
    from_stage: int
    weight: int
    target: int
    critical: bool
    cases: tuple[Case, ...]  # each once, in `CASES` order
    order: int  # the place in bank order


def canonical_bytes(data: Any) -> bytes:
    """A bank's data as the canonical JSON its content hash is the SHA-256 of."""
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")


class Bank(_Plain):
    """A whole question bank, checked: built by `Bank.from_data` from validated data."""

    id: str
    version: str
    title: str
    description: str
    sources: dict[str, SourceDoc]
    frameworks: dict[str, Framework]
    maturity_levels: dict[int, Level]
    instruments: list[Instrument]
    consistency: list[ConsistencyCheck]

    def __init__(self, data: Mapping[str, Any], canonical: bytes | None = None) -> None:
        self._set(
            data,
            id=data["id"],
            version=data["version"],
            title=data["title"],
            description=data.get("description", ""),
            sources={k: SourceDoc(v) for k, v in data["sources"].items()},
            frameworks={k: Framework(v) for k, v in data.get("frameworks", {}).items()},
            maturity_levels={int(k): Level(v) for k, v in data["maturity_levels"].items()},
            instruments=[Instrument(i) for i in data["instruments"]],
            consistency=[ConsistencyCheck(c) for c in data.get("consistency", [])],
        )
        if canonical is not None:
            self.__dict__["canonical"] = canonical

    @classmethod
    def from_data(cls, data: Mapping[str, Any], canonical: bytes | None = None) -> Self:
        """The bank for validated data (`to_data()` of a checked bank).

        `canonical`, when given, is `canonical_bytes(data)` already at hand
        (the bytes of a store's copy, or of a cache), so it is not made again.
        """
        return cls(data, canonical)

    @classmethod
    def model_validate(cls, data: Any) -> Bank:
        """Validate plain data against the schema alone (no cross-checks), as pydantic's did."""
        from assess.domain.bank.models import Bank as Schema

        return cls.from_data(Schema.model_validate(data).to_data())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Bank):
            return NotImplemented
        return self.content_hash == other.content_hash

    def __hash__(self) -> int:
        return hash(self.content_hash)

    @property
    def major_version(self) -> int:
        return int(self.version.split(".")[0])

    @property
    def is_v2(self) -> bool:
        """Whether this bank is of version 2 or later (and so gives every version 2 field)."""
        return self.major_version >= FIRST_V2_VERSION

    @cached_property
    def canonical(self) -> bytes:
        """The canonical JSON of the bank's data (what a store keeps as its copy)."""
        return canonical_bytes(self._data)

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the bank's content, independent of layout and comments."""
        return hashlib.sha256(self.canonical).hexdigest()

    def to_data(self) -> dict[str, Any]:
        """The bank as plain JSON-ready data (what `questions export` prints); a fresh copy.

        In the order it was validated in (the schema's field order, for a bank
        read from its file), not the sorted order of its canonical form.
        """
        data: dict[str, Any] = json.loads(json.dumps(self._data))
        return data

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

    # Lookups worked out once per bank. Scoring runs on every autosave that changes
    # a level, and walking the objects afresh each time (filtering sections,
    # asking each question its instrument) costs more than the rules.

    @cached_property
    def question_order(self) -> dict[str, int]:
        """Question id -> its place in bank order."""
        return {q.id: n for n, q in enumerate(self.questions)}

    @cached_property
    def unconditional_ids(self) -> frozenset[str]:
        """Ids of the questions without a `show_if`: always shown."""
        return frozenset(q.id for q in self.questions if not q.show_if)

    @cached_property
    def show_rules(self) -> tuple[tuple[str, tuple[Condition, ...], bool], ...]:
        """(id, its `show_if` conditions, whether each looks back) per conditional question.

        In bank order. A question is shown when every condition names a
        question shown before it, and holds; one naming itself, a later
        question or none at all never holds (the bank's checks refuse them).
        """
        order = self.question_order
        return tuple(
            (
                q.id,
                tuple(q.show_if),
                all(order.get(c.question, n) < n for c in q.show_if),
            )
            for n, q in enumerate(self.questions)
            if q.show_if
        )

    @cached_property
    def asked_from(self) -> tuple[tuple[str, int | None], ...]:
        """(id, the stage it applies from) for every question in bank order; None for a survey one.

        A readiness item is asked once the assessment's stage reaches its
        `from_stage`; a survey question whenever it is shown.
        """
        return tuple(
            (q.id, q.from_stage if self._instrument_of[q.id] == "readiness" else None)
            for q in self.questions
        )

    @cached_property
    def criteria_by_dimension(self) -> tuple[tuple[Section, tuple[CriterionFacts, ...]], ...]:
        """Each readiness dimension with the facts of its criteria, in bank order."""
        order = self.question_order
        return tuple(
            (
                section,
                tuple(
                    CriterionFacts(
                        q,
                        q.id,
                        q.from_stage,
                        q.weight,
                        q.target,
                        q.critical,
                        tuple(case for case in CASES if case in q.cases),
                        order[q.id],
                    )
                    for q in section.questions
                    if q.is_criterion
                ),
            )
            for section in self.dimensions
        )

    @cached_property
    def level_labels(self) -> dict[int, str]:
        """Level -> the name the bank gives it (`level_label` for any level)."""
        return {level: found.label for level, found in self.maturity_levels.items()}

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def section_of(self, question_id: str) -> Section:
        return self._section_of[question_id]

    def instrument_of(self, question_id: str) -> str:
        return self._instrument_of[question_id]

    def level_label(self, level: int) -> str:
        label = self.level_labels.get(level)
        return str(level) if label is None else label

    def level_descriptor(self, question: Question, level: int) -> str:
        """What `level` means for this criterion (its own text, else the general one)."""
        if level in question.levels:
            return question.levels[level]
        found = self.maturity_levels.get(level)
        return found.descriptor if found else ""
