"""The safe reader: the fast libyaml parser and the pure-Python fallback agree, and limits hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assess.domain import safeyaml
from assess.domain.bank import shipped_bank_path
from assess.domain.errors import BadInput
from assess.domain.safeyaml import make_loader, parse_text

BAD_BANKS = Path(__file__).resolve().parents[1] / "fixtures" / "bad_banks"


@pytest.fixture
def python_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read with PyYAML's pure-Python parser, as on a machine without libyaml."""
    monkeypatch.setattr(safeyaml, "_Loader", make_loader(yaml.SafeLoader))


def _read(text: str) -> safeyaml.ParsedFile:
    return parse_text(text, "bank.yaml", what="question bank")


def test_both_parsers_read_the_shipped_bank_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    text = shipped_bank_path().read_text(encoding="utf-8")
    fast = _read(text)
    monkeypatch.setattr(safeyaml, "_Loader", make_loader(yaml.SafeLoader))
    slow = _read(text)
    assert fast.value == slow.value
    assert fast.lines == slow.lines
    assert len(fast.lines) > 500


@pytest.mark.parametrize(
    "name",
    [
        "python_object_tag.yaml",
        "explicit_tag.yaml",
        "alias_bomb.yaml",
        "anchor_alias.yaml",
        "deep_nesting.yaml",
        "two_documents.yaml",
        "duplicate_key.yaml",
        "control_character.yaml",
    ],
)
def test_the_python_parser_refuses_the_same_files(python_loader: None, name: str) -> None:
    with pytest.raises(BadInput) as caught:
        safeyaml.read_parsed(BAD_BANKS / name, max_bytes=1 << 20, what="question bank")
    assert len(caught.value.lines()) == 1
    assert ", line " in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: yes\nb: no\nc: on\nd: off\n", {"a": "yes", "b": "no", "c": "on", "d": "off"}),
        ("a: true\nb: False\n", {"a": True, "b": False}),
        ("a: 3\nb: -2\nc: 1.5\nd: 1e3\n", {"a": 3, "b": -2, "c": 1.5, "d": 1000.0}),
        ("a: ~\nb: null\nc:\n", {"a": None, "b": None, "c": None}),
        ("a: '3'\nb: \"true\"\n", {"a": "3", "b": "true"}),
        ("a: 2019-06-05\nb: 1.0.0\nc: 0x1F\n", {"a": "2019-06-05", "b": "1.0.0", "c": "0x1F"}),
        ("a: .inf\nb: .nan\n", {"a": ".inf", "b": ".nan"}),
    ],
)
def test_yaml_12_scalars_with_both_parsers(
    monkeypatch: pytest.MonkeyPatch, text: str, expected: dict[str, object]
) -> None:
    assert _read(text).value == expected
    monkeypatch.setattr(safeyaml, "_Loader", make_loader(yaml.SafeLoader))
    assert _read(text).value == expected


def test_lines_are_recorded_for_every_value() -> None:
    doc = _read("a:\n  - x\n  - y: 1\n    z: 2\nb: 3\n")
    assert doc.line_of(("a",)) == 2
    assert doc.line_of(("a", 1, "z")) == 4
    assert doc.line_of(("b",)) == 5
    assert doc.line_of(("a", 1, "missing")) == 3  # the nearest enclosing value
    assert doc.where(("b",)) == "bank.yaml, line 5"


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(BadInput, match="not valid Unicode"):
        _read("a: \ud800\n")


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_text(b"\xef\xbb\xbfa: 1\n", "x", what="file").value == {"a": 1}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"a": 1, "a": 2}', "'a' appears twice"),
        ("[" * 50 + "]" * 50, "nested more than 40 levels"),
        ('{"a": 1,}', "line 1: the file is not valid JSON"),
        ('{"a": ' + "9" * 5000 + "}", "cannot be read"),
    ],
)
def test_json_has_the_same_limits(text: str, fragment: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_text(text, "f.json", fmt="json", what="file")
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message


def test_json_reads_plain_values() -> None:
    data = {"a": [1, 2.5, "x", None, True], "b": {"c": "no"}}
    assert parse_text(json.dumps(data), "f.json", fmt="json", what="file").value == data


def test_a_control_character_is_placed_on_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # libyaml counts bytes and Python counts characters; both must name line 3.
    text = "a: " + "é" * 40 + "\nb: é\nc: x\x1b\n"
    for loader in (safeyaml._Loader, make_loader(yaml.SafeLoader)):
        monkeypatch.setattr(safeyaml, "_Loader", loader)
        with pytest.raises(BadInput, match=r"^bank\.yaml, line 3: .* control character U\+001B"):
            _read(text)
