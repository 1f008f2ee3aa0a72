"""Hostile files through every door: import, answer, new --answers, report --answers.

Every file here is refused with exit status 2 and one clear line naming it
(or one line per bad value), no traceback, and the store folder unchanged
byte for byte. Files a Windows editor writes (a byte-order mark, CRLF line
ends) are not hostile: they are read exactly like the same file without.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assess.domain import answers as answers_module
from assess.domain.bank import Bank
from assess.store import Store
from assess.store import bundle as store_bundle
from tests.helpers import assert_clean_failure, invoke, run_assess
from tests.robustness.hostile import ANSWER_COMMANDS, COMMANDS, one_problem, populate, refused
from tests.store.support import folder_bytes

pytestmark = pytest.mark.robustness

QID = "R-LEAD-OWNERSHIP"
VALID_YAML = f"answers:\n  {QID}:\n    level: 3\n    evidence: Cabinet minutes, 12 March\n"


def _sentinel(tmp: Path) -> Path:
    return tmp / "sentinel-created-by-yaml"


# name -> (file suffix, content given the temp folder, fragment the message must hold)
Content = Callable[[Path], bytes]
HOSTILE: dict[str, tuple[str, Content, str]] = {
    "yaml python tag": (
        ".yaml",
        lambda tmp: (
            f"answers: !!python/object/apply:os.system ['touch {_sentinel(tmp)}']\n"
        ).encode(),
        "tag",
    ),
    "yaml python tag at the top": (
        ".yaml",
        lambda tmp: f"!!python/object/apply:os.system ['touch {_sentinel(tmp)}']\n".encode(),
        "tag",
    ),
    "yaml local tag": (".yaml", lambda tmp: b"answers: !secret {a: 1}\n", "tag"),
    "alias bomb": (
        ".yaml",
        lambda tmp: (
            b"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + b"".join(
                f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n".encode()
                for n in range(8)
            )
            + b"answers: *i\n"
        ),
        "alias",
    ),
    "merge key alias": (
        ".yaml",
        lambda tmp: b"base: &b {x: 1}\nanswers:\n  <<: *b\n",
        "alias",
    ),
    "deep yaml flow": (".yaml", lambda tmp: b"answers: " + b"[" * 5000 + b"]" * 5000, "nested"),
    "deep yaml block": (
        ".yaml",
        lambda tmp: b"answers:\n" + b"".join(b"  " * n + b"- \n" for n in range(1, 60)),
        "nested",
    ),
    "deep json": (
        ".json",
        lambda tmp: b'{"answers": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "nested",
    ),
    "deep json objects": (
        ".json",
        lambda tmp: b'{"answers": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3000 + b"}",
        "nested",
    ),
    "nul bytes": (
        ".yaml",
        lambda tmp: VALID_YAML.encode().replace(b"Cabinet", b"Cab\x00net"),
        "NUL",
    ),
    "invalid utf-8": (
        ".yaml",
        lambda tmp: VALID_YAML.encode().replace(b"March", b"M\xffrch"),
        "UTF-8",
    ),
    "utf-16 text": (".yaml", lambda tmp: VALID_YAML.encode("utf-16"), "UTF-8"),
    "binary garbage": (".yaml", lambda tmp: bytes(range(256)) * 4, ""),
    "empty": (".yaml", lambda tmp: b"", "empty"),
    "only a comment": (".yaml", lambda tmp: b"# nothing here\n", "empty"),
    "empty json": (".json", lambda tmp: b"   \n", "empty"),
    "two yaml documents": (
        ".yaml",
        lambda tmp: VALID_YAML.encode() + b"---\n" + VALID_YAML.encode(),
        "more than one",
    ),
    "duplicate yaml keys": (
        ".yaml",
        lambda tmp: f"answers:\n  {QID}: 1\n  {QID}: 2\n".encode(),
        "twice",
    ),
    "duplicate top-level keys": (
        ".yaml",
        lambda tmp: f"answers: {{{QID}: 1}}\nanswers: {{{QID}: 2}}\n".encode(),
        "twice",
    ),
    "duplicate json keys": (
        ".json",
        lambda tmp: f'{{"answers": {{"{QID}": 1, "{QID}": 2}}}}'.encode(),
        "twice",
    ),
    "broken yaml": (".yaml", lambda tmp: b"answers:\n  - [unclosed\n", "not valid YAML"),
    "broken json": (".json", lambda tmp: b'{"answers": {', "not valid JSON"),
    "json with a huge integer": (".json", lambda tmp: b'{"answers": ' + b"9" * 5000 + b"}", ""),
    "a list at the top": (".yaml", lambda tmp: b"- 1\n- 2\n", ""),
    "a scalar at the top": (".json", lambda tmp: b'"answers"', ""),
    "bom then broken yaml": (".yaml", lambda tmp: b"\xef\xbb\xbfanswers:\n  x: [\n", "line"),
    "crlf then broken yaml": (
        ".yaml",
        lambda tmp: b"# a Windows file\r\nanswers:\r\n  x: {a: 1\r\n",
        "line",
    ),
    "control character in yaml": (".yaml", lambda tmp: b"answers:\n  x: \x1b[2J\n", "control"),
}


def _write(tmp_path: Path, name: str) -> Path:
    suffix, content, _ = HOSTILE[name]
    path = tmp_path / f"hostile{suffix}"
    path.write_bytes(content(tmp_path))
    return path


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_by_every_command(
    db: Path, tmp_path: Path, bank: Bank, command: str, name: str
) -> None:
    assessment_id = populate(db, bank)
    path = _write(tmp_path, name)
    fragment = HOSTILE[name][2]
    outcome = refused(db, command, path, assessment_id, str(path), fragment)
    one_problem(outcome)
    assert not _sentinel(tmp_path).exists()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_file_and_a_folder_are_refused(
    db: Path, tmp_path: Path, bank: Bank, command: str
) -> None:
    assessment_id = populate(db, bank)
    outcome = refused(db, command, tmp_path / "missing.yaml", assessment_id, "missing.yaml")
    one_problem(outcome)
    (tmp_path / "folder.yaml").mkdir()
    outcome = refused(db, command, tmp_path / "folder.yaml", assessment_id, "folder.yaml")
    one_problem(outcome)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_over_the_size_cap_is_refused_unread(
    db: Path, tmp_path: Path, bank: Bank, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment_id = populate(db, bank)
    if command == "import":
        # The real cap is 256 MB: the same check, on a cap small enough for a test.
        monkeypatch.setattr(store_bundle, "MAX_BUNDLE_BYTES", 64 * 1024)
        cap = 64 * 1024
    else:
        cap = answers_module.MAX_ANSWERS_FILE_BYTES
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(VALID_YAML.encode())
        handle.truncate(cap + 1)  # sparse: the rest reads as NUL bytes
    outcome = refused(db, command, path, assessment_id, str(path), "larger than")
    one_problem(outcome)


# ----------------------------------------------------------------------------
# Answers files: wrong types at every level, unknown ids, one line per bad value

BAD_VALUES: dict[str, object] = {
    # criterion (maturity, no n/a allowed)
    "R-LEAD-OWNERSHIP": "high",
    "R-LEAD-REALISM": 7,
    "R-FIT-OBJECTIVES": -1,
    "R-FIT-TRANSFORMATION": 2.5,
    "R-FIT-FINANCE": True,
    "R-FIT-WELLBEING": {"na": ""},  # n/a allowed, but without a reason
    "R-STK-PARTNERS": {"na": 3},
    "R-CASE-RIGOUR": {"level": [2]},
    "R-CASE-DEBATE": {"level": 2, "value": 3},
    "R-CASE-NOT-PROCEED": {"level": 2, "extra": "x"},
    "R-MKT-PEERS": {"level": 2, "evidence": 5},
    "R-MKT-CAPACITY": {"level": 2, "evidence": "bell \x07 here"},
    "R-MKT-DIALOGUE": {"level": 2, "evidence": "x" * 10_001},
    "R-LEAD-OWNERSHIP-NOPE": 2,  # an unknown id
    # single choice, likert, yes/no
    "S-MECHANISM": "not-an-option",
    "S-INNOVATION": ["high"],
    "S-EXPLORE": 1,
    # multi and ranking
    "S-SERVICES": [1, 2],
    "S-CHALLENGES": [],
    "S-PARTNER-PRIORITY": ["skills", "skills"],
    "S-DRIVERS": {"first": "x"},
    # number and text
    "R-MKT-RESEARCH-COUNT": "12",
    "S-SERVICES-OTHER": 5,
    "S-CONTRACT-LENGTH": None,  # null clears: not an error, and must not be counted
}


def _bad_values(bank: Bank) -> dict[str, object]:
    # Keep the table honest if the bank changes: every id but the made-up one must exist.
    for qid in BAD_VALUES:
        assert qid.endswith("-NOPE") or bank.question(qid) is not None, qid
    return BAD_VALUES


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("command", ANSWER_COMMANDS)
def test_every_bad_value_gets_its_own_line(
    db: Path, tmp_path: Path, bank: Bank, command: str, suffix: str
) -> None:
    assessment_id = populate(db, bank)
    values = _bad_values(bank)
    path = tmp_path / f"answers{suffix}"
    path.write_text(json.dumps({"answers": values}, indent=1), encoding="utf-8")
    outcome = refused(db, command, path, assessment_id, str(path), "nothing was saved")
    bad = [qid for qid, value in values.items() if value is not None]
    assert len(outcome.err_lines) == 1 + len(bad), outcome.err
    for qid, line in zip(bad, outcome.err_lines[1:], strict=True):
        assert f": {qid}: " in line, (qid, line)
        if suffix == ".yaml":
            assert ", line " in line  # JSON is read without line numbers


WRONG_SHAPES = {
    "answers is a list": "answers: [1, 2]\n",
    "answers is text": "answers: all of them\n",
    "answers is null": "answers:\n",
    "no answers at all": "authority: Kent\n",
    "an unknown top-level field": f"answers: {{{QID}: 2}}\nsecret: 1\n",
    "another bank": f"bank: some-other-bank\nanswers: {{{QID}: 2}}\n",
    "a key that is a list": "answers:\n  ? [a, b]\n  : 2\n",
    "a name that is a list": f"authority: [a, b]\nanswers: {{{QID}: 2}}\n",
}


@pytest.mark.parametrize("command", ANSWER_COMMANDS)
@pytest.mark.parametrize("shape", sorted(WRONG_SHAPES))
def test_answers_files_of_the_wrong_shape(
    db: Path, tmp_path: Path, bank: Bank, command: str, shape: str
) -> None:
    assessment_id = populate(db, bank)
    path = tmp_path / "answers.yaml"
    path.write_text(WRONG_SHAPES[shape], encoding="utf-8")
    outcome = refused(db, command, path, assessment_id, str(path))
    assert len(outcome.err_lines) == 1, outcome.err


# ----------------------------------------------------------------------------
# Files a Windows editor writes are read like any other


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom and crlf"])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_bom_and_crlf_files_are_read_exactly_like_plain_ones(
    db: Path, tmp_path: Path, bank: Bank, variant: str, suffix: str
) -> None:
    assessment_id = populate(db, bank)
    data = {"answers": {QID: {"level": 1, "evidence": "Line one\nline two"}}}
    text = json.dumps(data, indent=1) if suffix == ".json" else VALID_YAML
    if "crlf" in variant:
        text = text.replace("\n", "\r\n")
    raw = ("\ufeff" if "bom" in variant else "").encode() + text.encode()
    path = tmp_path / f"windows{suffix}"
    path.write_bytes(raw)
    plain = tmp_path / f"plain{suffix}"
    plain.write_text(json.dumps(data, indent=1) if suffix == ".json" else VALID_YAML)
    got = invoke("report", "--answers", str(path), "--format", "json")
    want = invoke("report", "--answers", str(plain), "--format", "json")
    assert got.code == want.code == 0, got.err
    assert _answers_in(got.out) == _answers_in(want.out)
    outcome = invoke("answer", assessment_id, "--answers", str(path), db=db)
    assert outcome.code == 0, outcome.err
    saved = Store.open(db).get(assessment_id).answers[QID]
    assert saved.level == (1 if suffix == ".json" else 3)
    assert "\r" not in saved.evidence


def _answers_in(report_json: str) -> object:
    data = json.loads(report_json)
    data["assessment"].pop("answers_from", None)
    return data


# ----------------------------------------------------------------------------
# Bundles: tampered banks, answers that do not fit, wrong types at every level


def _bundle(db: Path, bank: Bank) -> tuple[dict, str]:
    assessment_id = populate(db, bank)
    return json.loads(json.dumps(Store.open(db).export_bundle())), assessment_id


def _import(db: Path, tmp_path: Path, bundle: object) -> None:
    target = tmp_path / "target"
    populate(target, Store.open(db).current_bank())
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    before = folder_bytes(target)
    outcome = invoke("import", str(path), db=target)
    assert_clean_failure(outcome, str(path), "nothing was imported")
    assert folder_bytes(target) == before


def test_a_bundle_whose_bank_was_tampered_with(db: Path, tmp_path: Path, bank: Bank) -> None:
    bundle, _ = _bundle(db, bank)
    [bank_data] = bundle["banks"].values()
    section = bank_data["instruments"][-1]["sections"][0]
    section["questions"][0]["weight"] = 3 - section["questions"][0]["weight"] + 1
    _import(db, tmp_path, bundle)


@pytest.mark.parametrize(
    "change",
    ["level out of range", "option not in the bank", "question not in the bank", "bad history"],
)
def test_a_bundle_answer_that_does_not_fit_its_bank(
    db: Path, tmp_path: Path, bank: Bank, change: str
) -> None:
    bundle, assessment_id = _bundle(db, bank)
    record = next(r for r in bundle["assessments"] if r["id"] == assessment_id)
    if change == "level out of range":
        record["answers"][QID] = {"value": 5}
    elif change == "option not in the bank":
        record["answers"]["S-MECHANISM"] = {"value": "a-handshake"}
    elif change == "question not in the bank":
        record["answers"]["R-NOT-IN-BANK"] = {"value": 2}
        record["changes"]["R-NOT-IN-BANK"] = record["changes"][QID]
    else:
        record["history"][-1]["after"] = {"value": "four"}
    _import(db, tmp_path, bundle)


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, outermost first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


def _wrong(value: object) -> object:
    """A value of another type than `value`, which no field of a bundle accepts in its place."""
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, str):
        return {"text": value}
    if isinstance(value, list):
        return {"items": value}
    if isinstance(value, dict):
        return [value]
    return ["null"]


def test_a_wrong_type_anywhere_in_a_bundle_is_refused(db: Path, tmp_path: Path, bank: Bank) -> None:
    bundle, _ = _bundle(db, bank)
    # Every place outside the bank copies, and every tenth inside them (a change there
    # is also caught by the content hash, so they need not all be tried).
    places = [p for p in _paths(bundle) if p[:1] != ("banks",)]
    places += [p for p in _paths(bundle) if p[:1] == ("banks",)][::10]
    target = Store.open(tmp_path / "target")
    before = folder_bytes(target.root)
    accepted = []
    for place in places:
        broken = json.loads(json.dumps(bundle))
        if not place:
            broken = _wrong(broken)
        else:
            holder = broken
            for step in place[:-1]:
                holder = holder[step]
            holder[place[-1]] = _wrong(holder[place[-1]])
        try:
            target.import_bundle(broken, "bundle.json")
        except store_bundle.InvalidBundle:
            continue
        accepted.append(place)
    assert accepted == [], f"accepted with a wrong type at {accepted[:5]}"
    assert folder_bytes(target.root) == before
    assert len(places) > 300  # the walk really covered the bundle


# ----------------------------------------------------------------------------
# The same refusals from a real process (the installed entry point, no test harness)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_refusals_from_a_real_process(db: Path, tmp_path: Path, bank: Bank, command: str) -> None:
    assessment_id = populate(db, bank)
    for name in ("yaml python tag", "nul bytes", "deep json"):
        path = _write(tmp_path, name)
        before = folder_bytes(db)
        outcome = run_assess(*COMMANDS[command](path, assessment_id), db=db)
        assert_clean_failure(outcome, str(path))
        one_problem(outcome)
        assert folder_bytes(db) == before
    assert not _sentinel(tmp_path).exists()
