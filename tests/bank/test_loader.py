"""Loading banks: content hash, export round trip, YAML rules, caching, `questions list`."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from assess.cli.questions import format_list
from assess.domain.bank import (
    Bank,
    bank_from_data,
    bank_from_text,
    load_bank,
    load_shipped_bank,
    shipped_bank_path,
)
from assess.domain.errors import BankError
from assess.domain.safeyaml import parse_text
from tests.bank.banks import V1_CONTENT_HASH, v1_bank, v2_bank
from tests.helpers import invoke

MINIMAL_BANK = Path(__file__).resolve().parents[1] / "fixtures" / "minimal_bank.yaml"


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def test_the_shipped_bank_validates() -> None:
    outcome = invoke("questions", "validate")
    assert outcome.code == 0, outcome.err
    bank = load_shipped_bank()
    assert outcome.out == (
        f"OK {shipped_bank_path()}: partnering-readiness {bank.version} "
        f"(hash {bank.content_hash[:12]}): {len(bank.questions)} questions, "
        f"{len(bank.criteria)} criteria in {len(bank.dimensions)} dimensions\n"
    )


def test_the_hash_ignores_comments_and_layout(bank: Bank) -> None:
    text = shipped_bank_path().read_text(encoding="utf-8")
    assert "#" in text  # the shipped bank has comments to strip
    stripped = _without_comments(text)
    assert bank_from_text(stripped).content_hash == bank.content_hash
    # The same content written out again by a different YAML writer: other quoting,
    # other line breaks, keys sorted, flow style where the original used blocks.
    data = parse_text(text, "bank", what="question bank").value
    for style in (False, True):
        rewritten = yaml.safe_dump(
            data, sort_keys=True, width=50, allow_unicode=True, default_flow_style=style
        )
        assert rewritten != text
        assert bank_from_text(rewritten).content_hash == bank.content_hash


def test_the_hash_changes_when_the_content_does(bank: Bank) -> None:
    text = shipped_bank_path().read_text(encoding="utf-8")
    changes = [
        ("id: R-LEAD-OWNERSHIP\n            type: maturity", "weight: 3", "weight: 2"),
        ("id: S-EXPLORE", 'percentages: {"yes": 100}', 'percentages: {"yes": 99}'),
        ("id: R-CASE-RIGOUR", "Is there a rigorous", "Is there a thorough"),
    ]
    hashes = {bank.content_hash}
    for anchor, old, new in changes:
        start = text.index(anchor)
        at = text.index(old, start)
        changed = text[:at] + new + text[at + len(old) :]
        hashes.add(bank_from_text(changed).content_hash)
    assert len(hashes) == 1 + len(changes)


def test_export_round_trips_to_the_same_hash(tmp_path: Path, bank: Bank) -> None:
    out = tmp_path / "bank.json"
    outcome = invoke("questions", "export", "-o", str(out))
    assert outcome.code == 0, outcome.err
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["content_hash"] == bank.content_hash
    again = load_bank(out)
    assert again.content_hash == bank.content_hash
    assert again == bank
    validated = invoke("questions", "validate", str(out))
    assert validated.code == 0, validated.err
    assert f"(hash {bank.content_hash[:12]})" in validated.out
    # And printed to the screen, it is the same document.
    printed = invoke("questions", "export")
    assert json.loads(printed.out) == exported


def test_an_exported_bank_edited_afterwards_says_so(tmp_path: Path, bank: Bank) -> None:
    data = {"content_hash": bank.content_hash, **bank.to_data()}
    data["instruments"][1]["sections"][0]["questions"][0]["weight"] = 1
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    outcome = invoke("questions", "validate", str(path))
    assert outcome.code == 2
    assert "content_hash" in outcome.err and "changed after it was exported" in outcome.err
    assert len(outcome.err.splitlines()) == 1
    # Without the recorded hash, the edit is simply a new bank.
    del data["content_hash"]
    path.write_text(json.dumps(data), encoding="utf-8")
    edited = load_bank(path)
    assert edited.content_hash != bank.content_hash
    assert edited.question("R-LEAD-OWNERSHIP").weight == 1  # type: ignore[union-attr]


def test_plain_data_and_text_give_the_same_bank(bank: Bank) -> None:
    assert bank_from_data(bank.to_data(), "snapshot") == bank
    assert bank_from_text(json.dumps(bank.to_data()), fmt="json").content_hash == bank.content_hash


def test_yes_and_no_stay_option_ids() -> None:
    # YAML 1.1 would read these as booleans and break every yes/no question.
    text = MINIMAL_BANK.read_text(encoding="utf-8").replace(
        '{"yes": 60, "no": 40}', "{yes: 60, no: 40}"
    )
    bank = bank_from_text(text)
    respondents = bank.question("S-EXPLORE").respondents  # type: ignore[union-attr]
    assert respondents is not None and respondents.percentages == {"yes": 60, "no": 40}


def test_dates_and_version_numbers_stay_text() -> None:
    data = parse_text("a: 2019-06-05\nb: 1.0.0\nc: on\nd: 0o17\n", "x", what="file").value
    assert data == {"a": "2019-06-05", "b": "1.0.0", "c": "on", "d": "0o17"}


def test_not_a_number_is_refused(tmp_path: Path) -> None:
    text = MINIMAL_BANK.read_text(encoding="utf-8").replace(
        '{"yes": 60, "no": 40}', '{"yes": nan, "no": 40}'
    )
    with pytest.raises(BankError, match=r"line 27: question S-EXPLORE.*percentages"):
        bank_from_text(text, "nan.yaml")


def test_an_edited_bank_is_read_afresh(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    text = MINIMAL_BANK.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = load_bank(path)
    assert load_bank(path) is first  # read once, then served from memory
    path.write_text(text.replace("title: A minimal bank", "title: An edited bank"), "utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_bank(path).title == "An edited bank"


def test_list_fits_in_80_columns(bank: Bank) -> None:
    text = format_list(bank, Path("questions/partnering.yaml"), width=80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    for q in bank.questions:
        assert sum(line.strip().startswith(q.id + " ") for line in lines) == 1, q.id
    # The bracketed summary of a question is never split over two lines.
    assert not any(re.search(r"\[[^\]]*$", line) for line in lines)
    assert "R-LEAD-OWNERSHIP" in text and "[level 0–4; weight 3, target 3, critical]" in text


def test_list_command_prints_every_question(monkeypatch: pytest.MonkeyPatch, bank: Bank) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    outcome = invoke("questions", "list")
    assert outcome.code == 0, outcome.err
    assert f"File: {shipped_bank_path()}" in outcome.out
    assert f"{len(bank.questions)} questions, {len(bank.criteria)} criteria" in outcome.out
    for q in bank.questions:
        assert q.id in outcome.out
    for line in outcome.out.splitlines():
        assert len(line) <= 80 or line.startswith("File: "), line


# ----------------------------------------------------------------------------
# Version 1 banks (kept with old assessments) and version 2 banks side by side


def test_the_version_1_bank_still_loads_under_its_stored_hash() -> None:
    old = v1_bank()
    assert old.version == "1.0.0" and not old.is_v2
    # Stored assessments name the bank by this hash: the version 2 models must not move it.
    assert old.content_hash == V1_CONTENT_HASH
    assert bank_from_data(old.to_data(), "stored copy").content_hash == V1_CONTENT_HASH


def test_either_shape_reads_the_same_way() -> None:
    old, new = v1_bank(), v2_bank()
    # Version 1 items apply from stage 0 and evidence no case; their ranks are tiers of one.
    assert all(q.from_stage == 0 and q.cases == [] for q in old.questions)
    assert old.frameworks == {}
    challenges = old.question("S-CHALLENGES").respondents  # type: ignore[union-attr]
    assert challenges is not None
    assert challenges.tiers == tuple((o,) for o in challenges.rank_order)
    assert challenges.tier_of["delivery-capability"] == 1
    # Version 2 gives its own.
    grouped = new.question("S-CHALLENGES").respondents  # type: ignore[union-attr]
    assert grouped is not None and grouped.rank_order == []
    assert grouped.tiers[1] == ("skills", "user-expectations")
    assert grouped.tier_of["user-expectations"] == grouped.tier_of["skills"] == 2
    assert new.is_v2 and new.frameworks


def test_a_version_2_bank_round_trips_through_its_data() -> None:
    new = v2_bank()
    again = bank_from_data(new.to_data(), "exported")
    assert again == new and again.content_hash == new.content_hash
    # A criterion that applies from stage 0 keeps saying so (version 2 requires it).
    owner = again.question("R-LEAD-OWNERSHIP")
    assert owner is not None and owner.from_stage == 0 and "from_stage" in owner.model_fields_set
    data = new.to_data()
    assert data["frameworks"]
    assert "tiers" in data["instruments"][0]["sections"][0]["questions"][1]["respondents"]


def test_fields_new_in_version_2_are_left_out_of_version_1_data() -> None:
    data = v1_bank().to_data()
    assert "frameworks" not in data
    question = data["instruments"][0]["sections"][0]["questions"][1]
    for field in ("from_stage", "cases", "replaces", "origin"):
        assert field not in question
    assert "tiers" not in question["respondents"] and "rank_order" in question["respondents"]
