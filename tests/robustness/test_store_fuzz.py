"""Fuzzing bundles and store files: never a traceback, and a refusal changes nothing.

Hypothesis takes a real bundle (and a real store) and damages it at random:
values replaced by other JSON (hostile text included: escapes, bidi
overrides, lone surrogates, huge numbers, deep nesting), keys removed or
added, bytes flipped or cut off. Whatever it makes:

- `assess import` (of a bundle) and `list`, `report`, `export` (of a
  damaged store) end with exit 0 or 2, never a traceback or "unexpected error";
- after a refusal (exit 2) the store is byte for byte as it was;
- nothing is ever written outside the store (the folder around it is unchanged).
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assess.domain.answers import Answer
from assess.domain.bank import load_shipped_bank
from assess.store import Store
from tests.helpers import Outcome, invoke
from tests.store.support import folder_bytes, full_answers

pytestmark = pytest.mark.robustness

HOSTILE_TEXT = st.sampled_from(
    [
        "\x1b]0;PWNED\x07",
        "\x1b[2J",
        "Kent\u202e",
        "zero\u200bwidth",
        "\ud800",
        "abcdef12\n",
        "2025-04-01T09:00:00.000Z\n",
        "",
        " ",
        "x" * 300,
        "../../etc/passwd",
        "=SUM(A1)",
    ]
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | HOSTILE_TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _template() -> tuple[Path, dict[str, Any]]:
    root = Path(tempfile.mkdtemp(prefix="assess-fuzz-template-"))
    bank = load_shipped_bank()
    store = Store.open(root / "store")
    one = store.create(authority="Kent", service="Waste", answers=full_answers(bank, 5, "e"))
    store.save_answer(one.id, bank.criteria[0].id, Answer(4, None, "minutes"))
    store.save_plan(one.id, {bank.criteria[1].id: {"owner": "Chief Executive"}})
    store.set_details(one.id, stage=2, period="2026/27")
    store.create(authority="Surrey")
    bundle = json.loads(json.dumps(store.export_bundle()))
    return root / "store", bundle


TEMPLATE, BUNDLE = _template()
PATHS: list[tuple[Any, ...]] = []


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> None:
    PATHS.append(prefix)
    if isinstance(value, dict):
        for key, item in value.items():
            _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for n, item in enumerate(value[:3]):
            _paths(item, (*prefix, n))


_paths(BUNDLE)


def _apply(data: Any, path: tuple[Any, ...], action: str, value: Any, key: str) -> Any:
    if not path:
        return value if action == "replace" else data
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete" and isinstance(parent, dict):
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][key] = value
    return data


EDITS = st.lists(
    st.tuples(
        st.sampled_from(PATHS),
        st.sampled_from(["replace", "delete", "add"]),
        JSON,
        st.text(max_size=8) | HOSTILE_TEXT,
    ),
    min_size=1,
    max_size=4,
)


def _clean(outcome: Outcome) -> None:
    assert outcome.code in (0, 2), (outcome.code, outcome.err)
    assert "Traceback" not in outcome.err and "unexpected error" not in outcome.err, outcome.err


def _names(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(edits=EDITS)
def test_any_damaged_bundle_is_imported_whole_or_refused_cleanly(edits: list[Any]) -> None:
    work = Path(tempfile.mkdtemp(prefix="assess-fuzz-"))
    try:
        db = work / "store"
        Store.open(db).create(authority="Norfolk")
        bundle = copy.deepcopy(BUNDLE)
        for path, action, value, key in edits:
            try:
                bundle = _apply(bundle, path, action, value, key)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier edit took that place away
        source = work / "bundle.json"
        try:
            text = json.dumps(bundle, ensure_ascii=False, allow_nan=True)
            source.write_text(text, encoding="utf-8", errors="surrogatepass")
        except (ValueError, RecursionError):
            return
        before, around = folder_bytes(db), _names(work)
        outcome = invoke("import", str(source), db=db)
        _clean(outcome)
        event(f"exit {outcome.code}")
        assert [n for n in _names(work) if not n.startswith("store")] == [
            n for n in around if not n.startswith("store")
        ]
        if outcome.code == 2:
            assert folder_bytes(db) == before
        else:
            store = Store.open(db)
            for summary in store.list():
                store.get(summary.id)
            assert store.take_warnings() == []
    finally:
        shutil.rmtree(work, ignore_errors=True)


STORE_FILES = sorted(
    str(p.relative_to(TEMPLATE))
    for p in TEMPLATE.rglob("*")
    if p.is_file() and p.name != ".lock" and p.relative_to(TEMPLATE).parts[0] != "tmp"
)
DAMAGE = st.one_of(
    st.tuples(st.just("cut"), st.floats(min_value=0, max_value=1)),
    st.tuples(st.just("flip"), st.lists(st.integers(min_value=0), min_size=1, max_size=8)),
    st.tuples(st.just("json"), st.tuples(st.integers(min_value=0), JSON)),
    st.tuples(st.just("bytes"), st.binary(max_size=64)),
)


def _damage(path: Path, how: tuple[str, Any]) -> None:
    data = path.read_bytes()
    kind, arg = how
    if kind == "cut":
        path.write_bytes(data[: int(len(data) * arg)])
    elif kind == "flip":
        buffer = bytearray(data)
        for at in arg:
            if buffer:
                buffer[at % len(buffer)] ^= 0x5A
        path.write_bytes(bytes(buffer))
    elif kind == "bytes":
        path.write_bytes(arg)
    else:
        where, value = arg
        try:
            parsed = json.loads(data.split(b"\n", 1)[0] if path.suffix == ".jsonl" else data)
        except ValueError:
            return
        places: list[tuple[Any, ...]] = []
        stack: list[tuple[Any, tuple[Any, ...]]] = [(parsed, ())]
        while stack:
            item, at = stack.pop()
            places.append(at)
            if isinstance(item, dict):
                stack.extend((v, (*at, k)) for k, v in item.items())
            elif isinstance(item, list):
                stack.extend((v, (*at, n)) for n, v in enumerate(item[:5]))
        parsed = _apply(parsed, places[where % len(places)], "replace", value, "")
        text = json.dumps(parsed, allow_nan=True).encode("utf-8", "surrogatepass")
        if path.suffix == ".jsonl":
            text = data + text + b"\n"  # an appended line
        path.write_bytes(text)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    target=st.sampled_from(STORE_FILES),
    how=DAMAGE,
    command=st.sampled_from(["list", "report", "export"]),
)
def test_any_damaged_store_file_is_reported_cleanly(
    target: str, how: tuple[str, Any], command: str
) -> None:
    work = Path(tempfile.mkdtemp(prefix="assess-fuzz-"))
    try:
        db = work / "store"
        shutil.copytree(TEMPLATE, db)
        _damage(db / target, how)
        ids = [p.stem for p in (db / "assessments").glob("*.json")]
        args = {
            "list": ("list",),
            "report": ("report", ids[0] if ids else "abcdef12"),
            "export": ("export", "--all", "-o", str(work / "out" / "bundle.json")),
        }[command]
        (work / "out").mkdir()
        before, around = folder_bytes(db), _names(work)
        outcome = invoke(*args, db=db)
        _clean(outcome)
        event(f"exit {outcome.code}")
        if outcome.code == 2:
            assert folder_bytes(db) == before
        allowed = {"out/bundle.json"} if command == "export" and outcome.code == 0 else set()
        after = [n for n in _names(work) if not n.startswith("store") and n not in allowed]
        assert after == [n for n in around if not n.startswith("store")]
    finally:
        shutil.rmtree(work, ignore_errors=True)
