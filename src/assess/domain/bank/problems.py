"""How a broken question bank is reported: one plain-English line per problem.

Each line names the file, the line, the item (question, section, option...) and
the field, and says what is wrong in words an officer editing the bank can act
on; pydantic's own messages are rephrased here.
"""

from __future__ import annotations

from types import UnionType
from typing import Any, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from assess.domain.bank.models import Bank
from assess.domain.errors import BankError
from assess.domain.safejson import ParsedFile

Loc = tuple[str | int, ...]


class Problem(NamedTuple):
    """One thing wrong with a bank, and the line it is on (0 when there is none)."""

    line: int
    message: str


class InvalidBank(BankError):
    """A bank with one or more problems in its content; `every_problem` lists them all."""

    def __init__(self, message: str, every_problem: list[str]) -> None:
        super().__init__(message, every_problem[1:])
        self.every_problem = every_problem


def bank_error(problems: list[Problem]) -> InvalidBank:
    # The first problem in the file is the one an officer should fix first.
    ordered = [p.message for p in sorted(problems, key=lambda p: p.line)]
    first = ordered[0]
    if len(ordered) > 1:
        more = len(ordered) - 1
        first += f" (and {more} more problem{'s' if more > 1 else ''}; "
        first += "'assess questions validate --all' lists them)"
    return InvalidBank(first, ordered)


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
                as_written = " " not in item_id and len(item_id) <= 64
                name = f"{kind} {item_id if as_written else shown(item_id)}"
            elif isinstance(step, int):
                name = f"{kind} #{step + 1}"
            else:
                name = kind
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


def _fields_as_written(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the name a bank file uses for them (the alias, where there is one)."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _walk(loc: tuple[Any, ...]) -> tuple[FieldInfo | None, type[BaseModel] | None]:
    """Follow pydantic's error location from `Bank`: (the last field named, the model reached)."""
    model: type[BaseModel] | None = Bank
    annotation: Any = None
    field: FieldInfo | None = None
    for step in loc:
        written = _fields_as_written(model) if model is not None else {}
        if isinstance(step, str) and step in written:
            field = written[step]
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
    return text if text.isprintable() and len(text) <= 64 else shown(text)


def shown(value: Any) -> str:
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
        if field_name.endswith("url"):
            return "must be a web address starting with https:// (or be left out)"
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


def describe_validation_errors(doc: ParsedFile, errors: list[Any]) -> list[Problem]:
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
        known = sorted(_fields_as_written(owner)) if owner else []
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
        message = f"the key {shown(bad_key)} {message}"
    else:
        given = err.get("input")
        if given is not None and not isinstance(given, dict | list):
            message += f" (got {shown(given)})"
    where = f"{label}, field '{field_name}'" if field_name else label
    return f"{doc.where(path)}: {where}: {message}"
