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
import re
from functools import cached_property, lru_cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from assess.domain.errors import BadInput, BankError
from assess.domain.safeyaml import ParsedFile, parse_text, read_parsed

MAX_BANK_BYTES = 1024 * 1024
DEFAULT_BANK_FILE = "partnering.yaml"
EXPORTED_HASH_FIELD = "content_hash"

Loc = tuple[str | int, ...]

QuestionType = Literal[
    "maturity", "single", "multi", "ranking", "yesno", "likert", "number", "text"
]
CHOICE_TYPES = frozenset({"single", "multi", "ranking", "likert", "yesno"})
LEVELS = range(0, 5)

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
CRITERION_ONLY_FIELDS = ("weight", "target", "critical", "action", "levels")


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
    # The wheel puts the banks at assess/questions; a plain path test is enough (the
    # package is never run from a zip) and spares importlib.resources on every start.
    package = Path(__file__).resolve().parents[1]  # src/assess, or assess in the wheel
    packaged = package / "questions" / DEFAULT_BANK_FILE
    if packaged.is_file():
        return packaged
    return package.parents[1] / "questions" / DEFAULT_BANK_FILE


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
        # Keyed on the file's identity and change time, so an edited bank is read afresh.
        return _load_bank_cached(path, path.resolve(), stat.st_mtime_ns, stat.st_size)
    return _load_bank_uncached(path)


@lru_cache(maxsize=8)
def _load_bank_cached(path: Path, resolved: Path, mtime_ns: int, size: int) -> Bank:
    return _load_bank_uncached(path)


def _load_bank_uncached(path: Path) -> Bank:
    try:
        doc = read_parsed(path, max_bytes=MAX_BANK_BYTES, what="question bank")
    except BankError:
        raise
    except BadInput as exc:
        raise BankError(exc.message) from None
    return bank_from_parsed(doc)


def bank_from_data(data: Any, source: str) -> Bank:
    """Validate a bank held as plain data (for instance a snapshot kept in the store)."""
    return bank_from_parsed(ParsedFile(value=data, source=source))


def bank_from_text(text: str, source: str = "<bank>", *, fmt: str = "yaml") -> Bank:
    """Validate a bank held as YAML (or, with fmt="json", JSON) text."""
    try:
        doc = parse_text(text, source, fmt=fmt, what="question bank")
    except BadInput as exc:
        raise BankError(exc.message) from None
    return bank_from_parsed(doc)


def bank_from_parsed(doc: ParsedFile) -> Bank:
    """Validate and cross-check a parsed bank file."""
    if not isinstance(doc.value, dict):
        kind = "a list" if isinstance(doc.value, list) else "a single value"
        raise BankError(
            f"{doc.where(())}: a question bank must be a mapping of fields "
            f"(id, version, title, sources, ...), not {kind}"
        )
    data = dict(doc.value)
    # `questions export` adds the hash, so that an exported bank reads back as itself.
    exported_hash = data.pop(EXPORTED_HASH_FIELD, None)
    try:
        bank = Bank.model_validate(data)
    except ValidationError as exc:
        raise _bank_error(_describe_validation_errors(doc, exc.errors())) from None
    problems = _CrossCheck(bank, doc).run()
    if exported_hash is not None and exported_hash != bank.content_hash:
        path: Loc = (EXPORTED_HASH_FIELD,)
        problems.append(
            Problem(
                doc.line_of(path) or 0,
                f"{doc.where(path)}: bank, field '{EXPORTED_HASH_FIELD}': "
                "does not match the bank's content, so the bank was changed after it was "
                f"exported; remove the '{EXPORTED_HASH_FIELD}' line to accept the changes",
            )
        )
    if problems:
        raise _bank_error(problems)
    return bank


class Problem(NamedTuple):
    """One thing wrong with a bank, and the line it is on (0 when there is none)."""

    line: int
    message: str


class InvalidBank(BankError):
    """A bank with one or more problems in its content; `every_problem` lists them all."""

    def __init__(self, message: str, every_problem: list[str]) -> None:
        super().__init__(message, every_problem[1:])
        self.every_problem = every_problem


def _bank_error(problems: list[Problem]) -> InvalidBank:
    # The first problem in the file is the one an officer should fix first.
    ordered = [p.message for p in sorted(problems, key=lambda p: p.line)]
    first = ordered[0]
    if len(ordered) > 1:
        more = len(ordered) - 1
        first += f" (and {more} more problem{'s' if more > 1 else ''}; "
        first += "'assess questions validate --all' lists them)"
    return InvalidBank(first, ordered)


# ----------------------------------------------------------------------------
# Describing schema errors in plain English

_ITEM_KINDS = {
    "questions": "question",
    "sections": "section",
    "instruments": "instrument",
    "options": "option",
    "consistency": "consistency check",
    "when": "condition",
    "show_if": "condition",
}


def _locate(doc: ParsedFile, path: Loc) -> tuple[str, str]:
    """Name the innermost item on `path` and the field inside it.

    ("instruments", 0, "sections", 1, "questions", 2, "respondents", "summary")
    gives ("question S-X", "respondents.summary").
    """
    value: Any = doc.value
    label = "bank"
    field: list[str] = []
    parent_key: str | int | None = None
    for step in path:
        in_list = isinstance(value, list)
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            break
        kind = _ITEM_KINDS.get(str(parent_key)) if in_list else None
        if kind and isinstance(value, dict):
            item_id = value.get("id")
            if isinstance(item_id, str) and item_id and item_id.isprintable():
                # Shown as written, unless it could break the one-line message.
                shown = item_id if " " not in item_id and len(item_id) <= 64 else _shown(item_id)
                name = f"{kind} {shown}"
            else:
                name = f"{kind} #{step + 1}"
            if kind in ("option", "condition") and label != "bank":
                label = f"{label}, {name}"
            else:
                label = name
            field = []
        elif in_list and isinstance(step, int):
            field.append(f"#{step + 1}")
        else:
            field.append(_name(step))
        parent_key = step
    return label, ".".join(field).replace(".#", " #")


def _path_in_document(doc: ParsedFile, loc: tuple[Any, ...]) -> Loc:
    """The part of pydantic's error location that exists in the file.

    Pydantic adds steps of its own (union members such as 'int', '[key]' for a
    mapping key, index 0 for a single condition written without a list); they
    name nothing an officer wrote, so they are dropped.
    """
    value: Any = doc.value
    path: list[str | int] = []
    for step in loc:
        in_mapping = isinstance(value, dict) and isinstance(step, str | int) and step in value
        in_list = isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value)
        if in_mapping or in_list:
            value = value[step]
            path.append(step)
    return tuple(path)


def _as_model(annotation: Any) -> type[BaseModel] | None:
    """The model `annotation` holds directly (`X` or `X | None`), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _as_model(members[0])
    return None


def _item_type(annotation: Any) -> Any:
    """What a list or mapping annotation holds (`X` for `list[X]` or `dict[K, X]`)."""
    if get_origin(annotation) in (Union, UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) != 1:
            return None  # the step names a union member, not an item
        annotation = members[0]
    args = get_args(annotation)
    if get_origin(annotation) in (list, dict) and args:
        return args[-1]
    return None


def _walk(loc: tuple[Any, ...]) -> tuple[FieldInfo | None, type[BaseModel] | None]:
    """Follow pydantic's error location from `Bank`: (the last field named, the model reached)."""
    model: type[BaseModel] | None = Bank
    annotation: Any = None
    field: FieldInfo | None = None
    for step in loc:
        if model is not None and isinstance(step, str) and step in model.model_fields:
            field = model.model_fields[step]
            annotation = field.annotation
        elif annotation is not None:
            annotation = _item_type(annotation)
        model = _as_model(annotation) if annotation is not None else None
    return field, model


def _bounds(field: FieldInfo | None) -> tuple[float | None, float | None]:
    low = high = None
    for item in field.metadata if field else ():
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def _name(key: Any) -> str:
    """A key as written, or quoted when it could break the one-line message."""
    text = str(key)
    return text if text.isprintable() and len(text) <= 64 else _shown(text)


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _friendly(err: Any, field_name: str) -> str:
    """Pydantic's message for one error, rephrased for an officer editing a bank."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    field, _ = _walk(tuple(err.get("loc", ())))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(field)
        if low is not None and high is not None:
            return f"must be between {low:g} and {high:g}"
        if "ge" in ctx:
            return f"must be at least {ctx['ge']}"
        if "le" in ctx:
            return f"must be at most {ctx['le']}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        low, high = _bounds(field)
        if low is not None and high is not None:
            return f"must be a whole number from {low:g} to {high:g}"
        return "must be a whole number"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return "must be a number"
    if kind in ("string_type", "string_unicode"):
        return "must be text"
    if kind in ("bool_parsing", "bool_type"):
        return "must be true or false"
    if kind == "literal_error" and "expected" in ctx:
        return f"must be one of {ctx['expected']}"
    if kind == "string_pattern_mismatch":
        if field_name.endswith("version"):
            return "must be a version number such as 1.0 or 1.2.3"
        return (
            "must start with a letter or digit and use only letters, digits, '.', '_' "
            "and '-' (at most 64 characters)"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length', 'the allowed number of')} characters"
    if kind == "too_short":
        return "must not be empty"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a mapping of fields (name: value), not a single value or a list"
    if kind == "list_type":
        return "must be a list"
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, ")
    return str(err.get("msg", "is not valid"))


def _describe_validation_errors(doc: ParsedFile, errors: list[Any]) -> list[Problem]:
    """One plain-English line per problem (file, line, item, field)."""
    by_path: dict[Loc, list[Any]] = {}
    for err in errors:
        loc = tuple(err.get("loc", ()))
        by_path.setdefault(_path_in_document(doc, loc), []).append(err)
    return [
        Problem(doc.line_of(path) or 0, _describe(doc, path, errs))
        for path, errs in by_path.items()
    ]


def _describe(doc: ParsedFile, path: Loc, errors: list[Any]) -> str:
    err = errors[0]
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        unknown = _name(loc[-1]) if loc else "?"
        _, owner = _walk(loc[:-1])
        known = sorted(owner.model_fields) if owner else []
        import difflib  # only a broken bank needs it; spared on every normal start

        close = difflib.get_close_matches(unknown, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else " (check the spelling)"
        label, within = _locate(doc, path[:-1] if path and path[-1] == loc[-1] else path)
        name = f"{within}.{unknown}" if within else unknown
        quoted = name if name.startswith(("'", '"')) else f"'{name}'"
        return f"{doc.where(path)}: {label}: unknown field {quoted}{hint}"
    if kind == "missing":
        label, within = _locate(doc, path)
        name = _name(loc[-1]) if loc else "?"
        name = f"{within}.{name}" if within else name
        return f"{doc.where(path)}: {label}, field '{name}' is required"
    # An invalid mapping key is reported as (..., key, "[key]").
    marks = [i for i, step in enumerate(loc) if isinstance(step, str) and step.endswith("[key]")]
    bad_key = loc[marks[0] - 1] if marks else None
    named = path[:-1] if bad_key is not None and path and path[-1] == bad_key else path
    label, field_name = _locate(doc, named)
    messages: list[str] = []
    for each in errors:
        message = _friendly(each, field_name)
        if message not in messages:
            messages.append(message)
    # A union (text or a number, say) fails once per member: "must be text or a whole number".
    message = messages[0]
    if len(messages) > 1 and all(m.startswith("must be ") for m in messages):
        message = "must be " + " or ".join(m.removeprefix("must be ") for m in messages)
    if bad_key is not None:
        message = f"the key {_shown(bad_key)} {message}"
    else:
        given = err.get("input")
        if given is not None and not isinstance(given, dict | list):
            message += f" (got {_shown(given)})"
    where = f"{label}, field '{field_name}'" if field_name else label
    return f"{doc.where(path)}: {where}: {message}"


class _CrossCheck:
    """The checks a schema cannot express: ids, references and figures that must agree."""

    def __init__(self, bank: Bank, doc: ParsedFile) -> None:
        self.bank = bank
        self.doc = doc
        self.problems: list[Problem] = []
        self.earlier: dict[str, Question] = {}
        self.all_ids = {q.id for q in bank.questions}

    def problem(self, path: Loc, item: str, field: str, message: str) -> None:
        where = self.doc.where(path)
        line = self.doc.line_of(path) or 0
        self.problems.append(Problem(line, f"{where}: {item}, field '{field}': {message}"))

    def run(self) -> list[Problem]:
        self.check_bank()
        seen_sections = self.check_sections()
        for i, instrument in enumerate(self.bank.instruments):
            for s, section in enumerate(instrument.sections):
                for n, question in enumerate(section.questions):
                    path: Loc = ("instruments", i, "sections", s, "questions", n)
                    item = f"question {question.id}"
                    if question.id in self.earlier:
                        self.problem((*path, "id"), item, "id", "appears twice in the bank")
                    elif question.id in seen_sections:
                        # Reports and the app address sections and questions by id alike.
                        self.problem(
                            (*path, "id"), item, "id", "is also the id of a section; use another"
                        )
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
                f"names the file {_shown(q.source.file)}, which is not listed under 'sources'",
            )
        if not q.is_criterion:
            for name in CRITERION_ONLY_FIELDS:
                # Compared with the default, not "was it given": an exported bank spells
                # out every default, and those must read back.
                default = Question.model_fields[name].get_default(call_default_factory=True)
                if getattr(q, name) != default:
                    self.problem(
                        (*path, name),
                        item,
                        name,
                        f"only readiness criteria (type maturity) have a {name!r}; "
                        "it would be ignored here",
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
                f"names the file {_shown(r.source.file)}, which is not listed under 'sources'",
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
                    f"{share:g} is not a percentage between 0 and 100",
                )
        total = sum(r.percentages.values())
        if total > 100.5:  # the source's own figures are rounded, so allow half a point
            self.problem(
                (*rpath, "percentages"),
                item,
                f"{field}.percentages",
                f"the shares add up to {total:g}%, more than 100%",
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
        elif test == "any_of" and not condition.any_of:
            self.problem((*cpath, "any_of"), item, field, "'any_of' needs at least one option")
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
