"""The plain bank objects the app holds agree with the schema's models, field for field.

A bank is validated by the pydantic models of `models` and then held as the
plain objects of `plain`, built from the validated data. These tests keep the
two in step: every field, property and lookup the schema's classes offer is
on the plain classes and gives the same answer, for both bank versions; the
content hash and the data are the same; and the plain objects are read-only.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from assess.domain.bank import models, plain
from assess.domain.bank.plain import Bank
from assess.domain.safeyaml import read_parsed
from tests.bank.banks import V1_BANK_FILE, v1_bank, v2_bank

PAIRS = [
    (models.Bank, plain.Bank),
    (models.Instrument, plain.Instrument),
    (models.Section, plain.Section),
    (models.Question, plain.Question),
    (models.Option, plain.Option),
    (models.Condition, plain.Condition),
    (models.ConsistencyCheck, plain.ConsistencyCheck),
    (models.Respondents, plain.Respondents),
    (models.QuoteSource, plain.QuoteSource),
    (models.FrameworkSource, plain.FrameworkSource),
    (models.SourceDoc, plain.SourceDoc),
    (models.Framework, plain.Framework),
    (models.Level, plain.Level),
]


def _public(cls: type) -> set[str]:
    """The names a bank class offers the app: its fields, properties and lookups."""
    from pydantic import BaseModel

    names = {n for n in dir(cls) if not n.startswith("_") and not n.startswith("model_")}
    names |= set(getattr(cls, "model_fields", {}))
    return names - set(dir(BaseModel))


@pytest.mark.parametrize(("schema", "kept"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_every_name_the_schema_offers_the_plain_class_offers(schema: type, kept: type) -> None:
    fields = set(getattr(schema, "model_fields", {}))
    for name in sorted(_public(schema) - fields):
        assert hasattr(kept, name), f"{kept.__name__} has no {name}"
    assert set(kept.__annotations__) >= fields, kept.__name__


def _schema(bank: Bank) -> models.Bank:
    return models.Bank.model_validate(bank.to_data())


def _pairs(a: Any, b: Any) -> Iterator[tuple[Any, Any]]:
    """Every pair of corresponding objects in two banks, the banks first."""
    yield a, b
    for i, j in zip(a.instruments, b.instruments, strict=True):
        yield i, j
        for s, t in zip(i.sections, j.sections, strict=True):
            yield s, t
            for q, r in zip(s.questions, t.questions, strict=True):
                yield q, r
                yield from zip(q.options, r.options, strict=True)
                yield from zip(q.show_if, r.show_if, strict=True)
                yield q.source, r.source
                if q.respondents is not None:
                    yield q.respondents, r.respondents
                    yield q.respondents.source, r.respondents.source
    for c, d in zip(a.consistency, b.consistency, strict=True):
        yield c, d
        yield from zip(c.when, d.when, strict=True)
    yield from zip(a.sources.values(), b.sources.values(), strict=True)
    yield from zip(a.frameworks.values(), b.frameworks.values(), strict=True)
    yield from zip(a.maturity_levels.values(), b.maturity_levels.values(), strict=True)


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, list | tuple):
        return len(x) == len(y) and all(_same(a, b) for a, b in zip(x, y, strict=True))
    if isinstance(x, dict):
        return list(x) == list(y) and all(_same(x[k], y[k]) for k in x)
    if hasattr(type(x), "model_fields"):
        return type(x).__name__ == type(y).__name__ and all(
            _same(getattr(x, f), getattr(y, f)) for f in type(x).model_fields
        )
    return type(x) is type(y) and x == y


@pytest.mark.parametrize("which", ["v1", "v2"])
def test_the_plain_bank_answers_as_the_schema_does(which: str) -> None:
    bank = v1_bank() if which == "v1" else v2_bank()
    schema = _schema(bank)
    assert schema.content_hash == bank.content_hash
    assert schema.to_data() == bank.to_data()
    assert list(schema.to_data()) == list(bank.to_data())  # in the same order
    for a, b in _pairs(schema, bank):
        for field in type(a).model_fields:
            assert _same(getattr(a, field), getattr(b, field)), (type(a).__name__, field)
        for name in sorted(_public(type(a)) - set(type(a).model_fields)):
            value = getattr(a, name)
            if not callable(value):
                assert _same(value, getattr(b, name)), (type(a).__name__, name)
    # The plain bank's lookups, against the validated data walked by hand (the
    # schema keeps only what its cross-checks need).
    where = {
        q.id: (i.id, sec.id)
        for i in schema.instruments
        for sec in i.sections
        for q in sec.questions
    }
    readiness = [i for i in schema.instruments if i.id == "readiness"]
    assert [q.id for q in schema.questions] == [q.id for q in bank.questions] == list(where)
    assert [q.id for q in bank.criteria] == [q.id for q in schema.questions if q.is_criterion]
    assert [d.id for d in bank.dimensions] == [sec.id for i in readiness for sec in i.sections]
    for q in bank.questions:
        s = schema.question(q.id)
        assert s is not None and s.id == q.id
        assert (bank.instrument_of(q.id), bank.section_of(q.id).id) == where[q.id]
        assert ("from_stage" in s.model_fields_set) == ("from_stage" in q.model_fields_set)
        assert s.option_ids == q.option_ids
        for option in q.option_ids:
            assert _same(s.option(option), q.option(option))
        for c, d in zip(s.show_if, q.show_if, strict=True):
            assert c.tests() == d.tests()
        for level in range(-1, 6):
            found = schema.maturity_levels.get(level)
            assert bank.level_label(level) == (found.label if found else str(level))
            own = s.levels.get(level) if s.levels else None
            expected = own if own is not None else (found.descriptor if found else "")
            assert bank.level_descriptor(q, level) == expected
    assert schema.question("no-such-question") is None and bank.question("no-such") is None


def test_a_bank_read_from_its_file_keeps_the_order_it_was_written_in() -> None:
    # `questions export` prints `to_data()`: in the schema's field order, as before.
    doc = read_parsed(V1_BANK_FILE, max_bytes=1 << 20, what="question bank")
    data = v1_bank().to_data()
    assert list(data)[:3] == ["id", "version", "title"]
    assert list(doc.value)[:2] == list(data)[:2]


def test_plain_objects_are_read_only_and_compared_by_content() -> None:
    bank = v2_bank()
    question = bank.questions[0]
    with pytest.raises(AttributeError):
        question.id = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        bank.version = "9.9.9"  # type: ignore[misc]
    again = Bank.from_data(json.loads(bank.canonical))
    assert again == bank and hash(again) == hash(bank)
    assert again.questions[0] == question and hash(again.questions[0]) == hash(question)
    for copied in (copy.deepcopy(bank), pickle.loads(pickle.dumps(bank))):
        assert copied == bank and copied.criteria[0].id == bank.criteria[0].id


def test_model_validate_checks_the_schema_and_gives_a_plain_bank() -> None:
    from pydantic import ValidationError

    bank = v2_bank()
    again = Bank.model_validate(bank.to_data())
    assert isinstance(again, Bank) and again == bank
    broken = bank.to_data()
    broken["instruments"] = []
    with pytest.raises(ValidationError):
        Bank.model_validate(broken)
