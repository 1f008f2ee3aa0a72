"""Answer values are checked against the bank, and conditional questions follow the answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.domain.answers import (
    Answer,
    AnswerProblem,
    check_answer,
    parse_answers,
    unanswered,
    visible_ids,
)
from assess.domain.answers_file import load_answers_file
from assess.domain.bank import Bank
from assess.domain.errors import AnswersError


def q(bank: Bank, qid: str):
    found = bank.question(qid)
    assert found is not None, qid
    return found


@pytest.mark.parametrize(
    ("qid", "raw", "expected"),
    [
        ("R-LEAD-OWNERSHIP", 3, Answer(3)),
        ("R-LEAD-OWNERSHIP", 0, Answer(0)),
        (
            "R-LEAD-OWNERSHIP",
            {"level": 4, "evidence": "Cabinet minute 12"},
            Answer(4, None, "Cabinet minute 12"),
        ),
        (
            "R-FIT-WELLBEING",
            {"na": "County council: not our role"},
            Answer(None, "County council: not our role"),
        ),
        ("S-MECHANISM", "joint-venture", Answer("joint-venture")),
        ("S-EXPLORE", True, Answer("yes")),
        ("S-EXPLORE", "no", Answer("no")),
        ("S-INNOVATION", {"value": "high", "evidence": "pilot"}, Answer("high", None, "pilot")),
        ("S-SERVICES", ["ict", "leisure"], Answer(("ict", "leisure"))),
        ("S-SERVICES", [], Answer(())),
        ("S-DRIVERS", ["funding", "skills"], Answer(("funding", "skills"))),
        ("R-MKT-RESEARCH-COUNT", 12, Answer(12)),
        ("R-MKT-RESEARCH-COUNT", 12.0, Answer(12)),
        ("S-SERVICES-OTHER", "Highways, parking", Answer("Highways, parking")),
    ],
)
def test_good_values_are_accepted(bank: Bank, qid: str, raw: object, expected: Answer) -> None:
    answer = check_answer(q(bank, qid), raw)
    assert answer == expected
    # What is stored comes back unchanged.
    assert check_answer(q(bank, qid), answer.to_data()) == answer


@pytest.mark.parametrize(
    ("qid", "raw", "fragment"),
    [
        ("R-LEAD-OWNERSHIP", 5, "whole number from 0 to 4"),
        ("R-LEAD-OWNERSHIP", -1, "whole number from 0 to 4"),
        ("R-LEAD-OWNERSHIP", 2.5, "whole number from 0 to 4"),
        ("R-LEAD-OWNERSHIP", True, "whole number from 0 to 4"),
        ("R-LEAD-OWNERSHIP", "3", "whole number from 0 to 4"),
        ("R-LEAD-OWNERSHIP", {"na": "no"}, "cannot be marked not applicable"),
        ("R-FIT-WELLBEING", {"na": "  "}, "without a reason"),
        ("R-FIT-WELLBEING", {"na": "x", "level": 2}, "also given a value"),
        ("R-LEAD-OWNERSHIP", {"level": 2, "colour": "red"}, "unknown field 'colour'"),
        ("R-LEAD-OWNERSHIP", {"evidence": "only a note"}, "has no value"),
        ("S-MECHANISM", {"level": 2}, "not a criterion"),
        ("S-MECHANISM", "jv", "not an option"),
        ("S-MECHANISM", 1, "not an option"),
        ("S-SERVICES", ["ict", "ict"], "twice"),
        ("S-SERVICES", ["ict", "parks"], "'parks' is not an option"),
        ("S-SERVICES", {"value": {"a": 1}}, "not a list"),
        ("S-DRIVERS", [], "empty ranking"),
        ("R-MKT-RESEARCH-COUNT", 501, "above the maximum of 500"),
        ("R-MKT-RESEARCH-COUNT", -1, "below the minimum of 0"),
        ("R-MKT-RESEARCH-COUNT", float("nan"), "not a finite number"),
        ("R-MKT-RESEARCH-COUNT", "ten", "not a number"),
        ("S-SERVICES-OTHER", "   ", "empty text"),
        ("S-SERVICES-OTHER", "x" * 10_001, "longer than"),
        ("S-SERVICES-OTHER", "bell\x07", "control characters"),
        ("S-SERVICES-OTHER", "\x1b[31mred", "control characters"),
        ("R-LEAD-OWNERSHIP", {"level": 2, "evidence": 42}, "must be text"),
        ("R-LEAD-OWNERSHIP", {"level": 2, "evidence": 0}, "must be text"),
        ("R-LEAD-OWNERSHIP", {"level": 2, "evidence": []}, "must be text"),
    ],
)
def test_bad_values_are_refused_with_a_reason(
    bank: Bank, qid: str, raw: object, fragment: str
) -> None:
    with pytest.raises(AnswerProblem) as caught:
        check_answer(q(bank, qid), raw)
    assert fragment in str(caught.value)


def test_text_is_kept_exactly_as_typed(bank: Bank) -> None:
    hostile = "[bold]x[/bold] <script>alert(1)</script> =SUM(A1) [link=http://e]e[/link]\ttab\nline"
    answer = check_answer(q(bank, "S-SERVICES-OTHER"), {"value": hostile, "evidence": hostile})
    assert answer.value == hostile
    assert answer.evidence == hostile


def test_every_bad_value_is_reported_at_once(bank: Bank) -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(
            bank,
            {"S-MECHANISM": "jv", "R-LEAD-OWNERSHIP": 7, "NOPE": 1, "R-CASE-RIGOUR": 2},
        )
    lines = caught.value.lines()
    assert lines[0].startswith("3 bad values")
    assert any("S-MECHANISM" in line for line in lines)
    assert any("R-LEAD-OWNERSHIP" in line for line in lines)
    assert any("NOPE" in line and "no question with this id" in line for line in lines)
    assert not any("R-CASE-RIGOUR" in line for line in lines)


def test_null_clears_an_answer(bank: Bank) -> None:
    assert parse_answers(bank, {"R-LEAD-OWNERSHIP": None}) == {"R-LEAD-OWNERSHIP": None}


def test_answers_file_errors_name_the_line(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("answers:\n  R-LEAD-OWNERSHIP: 3\n  S-MECHANISM: jv\n")
    with pytest.raises(AnswersError) as caught:
        load_answers_file(path, bank)
    assert f"{path}, line 3: S-MECHANISM" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "empty"),
        ("answers: [1, 2]", "must map question ids"),
        ("just: text", "top-level 'answers:'"),
        ("answers: {}\nextra: 1", "unknown top-level field 'extra'"),
        ("bank: other-bank\nanswers: {}", "for the question bank 'other-bank'"),
        ("answers:\n  R-LEAD-OWNERSHIP: !!python/object/apply:os.system [ls]", "tag"),
        ("a: &x [1]\nanswers: *x", "anchor or alias"),
        ("answers:\n  R-LEAD-OWNERSHIP: 1\n  R-LEAD-OWNERSHIP: 2", "appears twice"),
        ("answers: {R-LEAD-OWNERSHIP: [", "not valid YAML"),
        ("answers:" + " [" * 100 + "]" * 100, "nested more than"),
    ],
)
def test_malformed_answers_files_are_refused(
    bank: Bank, tmp_path: Path, content: str, fragment: str
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(content)
    with pytest.raises(AnswersError) as caught:
        load_answers_file(path, bank)
    assert fragment in str(caught.value)


def test_json_answers_files_are_read_strictly(bank: Bank, tmp_path: Path) -> None:
    good = tmp_path / "a.json"
    good.write_text('{"answers": {"S-EXPLORE": true, "S-DRIVERS": ["skills"]}}')
    assert load_answers_file(good, bank) == {
        "S-EXPLORE": Answer("yes"),
        "S-DRIVERS": Answer(("skills",)),
    }
    duplicate = tmp_path / "d.json"
    duplicate.write_text('{"answers": {"S-EXPLORE": true, "S-EXPLORE": false}}')
    with pytest.raises(AnswersError, match="appears twice"):
        load_answers_file(duplicate, bank)
    deep = tmp_path / "deep.json"
    deep.write_text('{"answers": ' + "[" * 5000 + "]" * 5000 + "}")
    with pytest.raises(AnswersError, match="nested"):
        load_answers_file(deep, bank)


def test_oversized_answers_file_is_refused_before_parsing(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"answers:\n" + b"# padding\n" * 300_000)
    with pytest.raises(AnswersError, match="larger than"):
        load_answers_file(path, bank)


def test_yaml_one_point_one_booleans_stay_option_ids(bank: Bank, tmp_path: Path) -> None:
    # In YAML 1.1 `no` and `yes` are booleans; officers write them as option ids.
    path = tmp_path / "a.yaml"
    path.write_text("answers:\n  S-EXPLORE: no\n  S-PRIME-COLLABORATOR: yes\n")
    assert load_answers_file(path, bank) == {
        "S-EXPLORE": Answer("no"),
        "S-PRIME-COLLABORATOR": Answer("yes"),
    }


def test_conditional_questions_follow_the_answers(bank: Bank) -> None:
    none: dict[str, Answer] = {}
    assert "S-SERVICES" not in visible_ids(bank, none)
    exploring = {"S-EXPLORE": Answer("yes")}
    assert "S-SERVICES" in visible_ids(bank, exploring)
    assert "S-SERVICES-OTHER" not in visible_ids(bank, exploring)
    with_other = {**exploring, "S-SERVICES": Answer(("ict", "other"))}
    assert "S-SERVICES-OTHER" in visible_ids(bank, with_other)
    # A chain: when S-SERVICES is hidden again, its follow-up goes too.
    not_exploring = {**with_other, "S-EXPLORE": Answer("no")}
    assert not {"S-SERVICES", "S-SERVICES-OTHER"} & visible_ids(bank, not_exploring)
    # at_least on a level, and n/a never satisfies it.
    assert "R-MODEL-OPTIONS" not in visible_ids(bank, {"R-MODEL-APPRAISAL": Answer(0)})
    assert "R-MODEL-OPTIONS" in visible_ids(bank, {"R-MODEL-APPRAISAL": Answer(1)})


def test_unanswered_lists_only_shown_questions_in_bank_order(bank: Bank) -> None:
    answers = {"S-EXPLORE": Answer("no"), "S-CHALLENGES": Answer(("skills",))}
    missing = unanswered(bank, answers)
    assert missing[0] == "S-PARTNER-PRIORITY"
    assert "S-SERVICES" not in missing
    order = [x.id for x in bank.questions]
    assert missing == sorted(missing, key=order.index)


def test_cleared_answers_do_not_count_as_answered(bank: Bank) -> None:
    from assess.domain.scoring import score

    cleared = parse_answers(bank, {"R-LEAD-OWNERSHIP": None, "S-EXPLORE": "yes"})
    result = score(bank, cleared)  # type: ignore[arg-type]
    assert result.questions_answered == 1
    assert "R-LEAD-OWNERSHIP" in unanswered(bank, cleared)  # type: ignore[arg-type]
