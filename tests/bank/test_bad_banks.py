"""Broken and hostile banks are refused with one clear line, exit status 2, and no traceback.

Each file in tests/fixtures/bad_banks/ is a small variation of
tests/fixtures/minimal_bank.yaml, or, for the version 2 rules (files named
v2_...), of tests/fixtures/minimal_bank_v2.yaml; its first line says what is
wrong with it.
The table says what the one line must contain: the file, the line where there
is one, and the item and field where there are ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assess.domain.bank import MAX_BANK_BYTES, bank_from_text, load_bank
from assess.domain.errors import BankError
from tests.helpers import Outcome, invoke, run_assess

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BAD_BANKS = FIXTURES / "bad_banks"
MINIMAL_BANK = FIXTURES / "minimal_bank.yaml"
MINIMAL_BANK_V2 = FIXTURES / "minimal_bank_v2.yaml"

EXPECTED: dict[str, tuple[str, ...]] = {
    # Unreadable or unsafe files
    "yaml_syntax.yaml": ("line 41", "not valid YAML", "brackets"),
    "yaml_bad_indent.yaml": ("line 32", "not valid YAML", "indentation"),
    "python_object_tag.yaml": ("line 33", "'!!python/object/apply:os.system'", "not allowed"),
    "explicit_tag.yaml": ("line 3", "'!!str'", "tags are not allowed"),
    "custom_tag.yaml": ("line 57", "'!include'", "tags are not allowed"),
    "alias_bomb.yaml": ("line 2", "anchor or alias", "not allowed"),
    "anchor_alias.yaml": ("line 35", "anchor or alias"),
    "nul_bytes.yaml": ("line 4", "NUL bytes"),
    "not_utf8.yaml": ("line 1", "not UTF-8", "0xe9"),
    "control_character.yaml": ("line 19", "control character U+001B"),
    "empty.yaml": ("question bank is empty",),
    "comments_only.yaml": ("question bank is empty",),
    "top_level_list.yaml": ("line 2", "must be a mapping", "not a list"),
    "top_level_text.yaml": ("line 2", "must be a mapping", "not a single value"),
    "deep_nesting.yaml": ("line 3", "nested more than 40 levels deep"),
    "two_documents.yaml": ("line 66", "more than one YAML document"),
    "bad_json.json": ("line 5", "not valid JSON"),
    # Wrong types and values
    "weight_not_a_number.yaml": (
        "line 54",
        "question R-CLIENT",
        "'weight'",
        "whole number from 1 to 3",
        "'heavy'",
    ),
    "weight_out_of_range.yaml": ("line 54", "question R-CLIENT", "'weight'", "between 1 and 3"),
    "target_out_of_range.yaml": ("line 55", "question R-CLIENT", "'target'", "between 1 and 4"),
    "section_weight_out_of_range.yaml": (
        "line 48",
        "section client",
        "'weight'",
        "between 1 and 5",
    ),
    "critical_not_boolean.yaml": ("line 56", "question R-CLIENT", "'critical'", "true or false"),
    "critical_yes_text.yaml": (
        "line 56",
        "question R-CLIENT",
        "'critical'",
        "true or false",
        "'yes'",
    ),
    "wrong_question_type.yaml": (
        "line 31",
        "question S-REASONS",
        "'type'",
        "'radio'",
        "'maturity'",
    ),
    "bad_version.yaml": ("line 3", "'version'", "version number", "'first'"),
    "bad_question_id.yaml": ("line 50", "'id'", "'R CLIENT'", "1 more problem"),
    "unknown_field.yaml": ("line 55", "question R-CLIENT", "'taget'", "did you mean 'target'"),
    "escape_sequence.yaml": ("line 32", "question S-REASONS", "'text'", "U+001B"),
    "bidi_override.yaml": ("line 37", "question S-REASONS, option cost", "'label'", "U+202E"),
    "missing_maturity_level.yaml": ("line 9", "'maturity_levels'", "level 4 is missing"),
    # Ids and references that do not agree
    "duplicate_question_id.yaml": ("line 30", "question S-EXPLORE", "'id'", "appears twice"),
    "duplicate_option_id.yaml": ("line 37", "question S-REASONS, option control", "appears twice"),
    "duplicate_key.yaml": ("line 56", "'weight' appears twice", "'R-CLIENT'"),
    "show_if_unknown_question.yaml": (
        "line 34",
        "question S-REASONS",
        "'show_if'",
        "'S-EXPLOER'",
        "does not exist",
    ),
    "show_if_unknown_option.yaml": ("line 34", "question S-REASONS", "'show_if'", "'perhaps'"),
    "show_if_forward.yaml": ("line 34", "question S-REASONS", "'R-CLIENT'", "comes later"),
    "show_if_two_tests.yaml": ("line 34", "question S-REASONS", "exactly one of"),
    "criterion_without_action.yaml": ("line 50", "question R-CLIENT", "'action'"),
    "criterion_without_source.yaml": ("line 50", "question R-CLIENT", "'source' is required"),
    "source_file_not_listed.yaml": ("line 58", "question R-CLIENT", "'study.txt'", "not listed"),
    "respondents_unknown_option.yaml": (
        "line 27",
        "question S-EXPLORE",
        "'respondents.percentages'",
        "'unsure'",
    ),
    "percentage_over_100.yaml": ("line 27", "question S-EXPLORE", "160 is not a percentage"),
    "percentages_sum_over_100.yaml": ("line 27", "question S-EXPLORE", "add up to 110%"),
    "rank_order_unknown_option.yaml": (
        "line 40",
        "question S-REASONS",
        "'respondents.rank_order'",
        "'price'",
    ),
    "criterion_in_survey.yaml": ("line 30", "question S-REASONS", "3 more problems"),
    "survey_question_with_weight.yaml": (
        "line 34",
        "question S-REASONS",
        "'weight'",
        "only readiness criteria",
    ),
    "consistency_not_a_criterion.yaml": (
        "line 64",
        "consistency check control-vs-client",
        "'criterion'",
        "'S-EXPLORE' is not a readiness criterion",
    ),
    "rank_order_and_tiers.yaml": ("line 40", "question S-REASONS", "'tiers' or 'rank_order'"),
    # Version 2 rules (variations of minimal_bank_v2.yaml)
    "v2_criterion_without_from_stage.yaml": (
        "line 65",
        "question R-CLIENT-TEAM",
        "'from_stage'",
        "from which stage",
    ),
    "v2_from_stage_out_of_range.yaml": ("line 70", "'from_stage'", "between 0 and 5", "7"),
    "v2_from_stage_on_survey_question.yaml": (
        "line 30",
        "question S-EXPLORE",
        "'from_stage'",
        "only readiness items",
    ),
    "v2_criterion_without_cases.yaml": (
        "line 65",
        "question R-CLIENT-TEAM",
        "'cases'",
        "strategic",
    ),
    "v2_unknown_case.yaml": ("line 71", "'cases #2'", "'management'", "'legal'"),
    "v2_case_twice.yaml": ("line 71", "'cases'", "names a case twice"),
    "v2_cases_on_survey_question.yaml": (
        "line 30",
        "question S-EXPLORE",
        "only readiness criteria",
    ),
    "v2_missing_level_descriptor.yaml": (
        "line 76",
        "question R-CLIENT-TEAM",
        "'levels'",
        "level 4 is missing",
    ),
    "v2_source_file_and_framework.yaml": (
        "line 82",
        "'source'",
        "either 'file' and 'quote'",
        "not both",
    ),
    "v2_framework_not_listed.yaml": ("line 82", "'acts'", "not listed under 'frameworks'"),
    "v2_framework_without_part.yaml": ("line 82", "'source.part' is required"),
    "v2_framework_url_not_https.yaml": ("line 12", "'frameworks.act.url'", "https://"),
    "v2_rank_order.yaml": ("line 46", "'respondents.rank_order'", "as 'tiers'"),
    "v2_tier_unknown_option.yaml": ("line 46", "'respondents.tiers'", "'price'"),
    "v2_tier_option_twice.yaml": ("line 46", "'respondents.tiers'", "'control' twice"),
    "v2_empty_tier.yaml": ("line 46", "'respondents.tiers'", "tier 2 is empty"),
    "v2_authority_question_with_respondents.yaml": (
        "line 59",
        "question S-SERVICES",
        "'respondents'",
        "origin: authority",
    ),
    "v2_bad_origin.yaml": ("line 51", "'origin'", "'survey' or 'authority'", "'council'"),
    "v2_origin_on_readiness_item.yaml": ("line 70", "question R-CLIENT-TEAM", "'origin'"),
    "v2_replaces_own_id.yaml": ("line 69", "'replaces'", "'S-EXPLORE', a question of this bank"),
    "v2_replaced_twice.yaml": ("line 70", "'R-CLIENT'", "already replaces", "one question only"),
    "v2_dimension_weight_over_3.yaml": (
        "line 63",
        "section client",
        "'weight'",
        "between 1 and 3 in a version 2 bank",
    ),
}

# Run as a real process too: the unsafe ones, and one of each other kind.
AS_SUBPROCESS = [
    "python_object_tag.yaml",
    "alias_bomb.yaml",
    "not_utf8.yaml",
    "weight_not_a_number.yaml",
    "show_if_forward.yaml",
    "bad_json.json",
    "escape_sequence.yaml",
]


def assert_one_clear_line(outcome: Outcome, path: Path, fragments: tuple[str, ...]) -> None:
    assert outcome.code == 2, (outcome.code, outcome.out, outcome.err)
    assert "Traceback" not in outcome.err + outcome.out
    assert outcome.out == ""
    lines = outcome.err.splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith(f"assess: {path}"), line  # the file, as the officer named it
    # Whatever the file held, nothing in the message can drive the terminal.
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", line), repr(line)
    for fragment in fragments:
        assert fragment in line, (fragment, line)


def test_every_fixture_has_an_expectation_and_there_are_enough() -> None:
    on_disk = {p.name for p in BAD_BANKS.iterdir()}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 20


def test_the_minimal_bank_they_derive_from_is_valid() -> None:
    outcome = invoke("questions", "validate", str(MINIMAL_BANK))
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith(f"OK {MINIMAL_BANK}: minimal 1.0 (hash ")
    assert "3 questions, 1 criterion in 1 dimension" in outcome.out
    assert outcome.err == ""
    outcome = invoke("questions", "validate", str(MINIMAL_BANK_V2))
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith(f"OK {MINIMAL_BANK_V2}: minimal 2.0 (hash ")


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.startswith("v2_")))
def test_each_version_2_fixture_is_valid_as_a_version_1_bank_or_breaks_a_shared_rule(
    name: str,
) -> None:
    # The version 2 rules bind version 2 banks only: the same file marked version 1.0
    # loads, unless what it breaks is a rule every bank keeps.
    shared = {
        "v2_from_stage_out_of_range.yaml",
        "v2_unknown_case.yaml",
        "v2_case_twice.yaml",
        "v2_cases_on_survey_question.yaml",
        "v2_from_stage_on_survey_question.yaml",
        "v2_source_file_and_framework.yaml",
        "v2_framework_not_listed.yaml",
        "v2_framework_without_part.yaml",
        "v2_framework_url_not_https.yaml",
        "v2_tier_unknown_option.yaml",
        "v2_tier_option_twice.yaml",
        "v2_empty_tier.yaml",
        "v2_authority_question_with_respondents.yaml",
        "v2_bad_origin.yaml",
        "v2_origin_on_readiness_item.yaml",
        "v2_replaces_own_id.yaml",
        "v2_replaced_twice.yaml",
    }
    text = (
        (BAD_BANKS / name).read_text(encoding="utf-8").replace('version: "2.0"', 'version: "1.0"')
    )
    if name in shared:
        with pytest.raises(BankError):
            bank_from_text(text, name)
    else:
        assert bank_from_text(text, name).version == "1.0"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_bank_is_refused_with_one_line(name: str) -> None:
    path = BAD_BANKS / name
    outcome = invoke("questions", "validate", str(path))
    assert_one_clear_line(outcome, path, EXPECTED[name])


@pytest.mark.parametrize("name", AS_SUBPROCESS)
def test_a_bad_bank_is_refused_by_the_real_command(name: str) -> None:
    path = BAD_BANKS / name
    outcome = run_assess("questions", "validate", str(path))
    assert_one_clear_line(outcome, path, EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_bank_cannot_be_loaded_either(name: str) -> None:
    # Every other command loads banks through load_bank: it refuses them the same way.
    with pytest.raises(BankError) as caught:
        load_bank(BAD_BANKS / name)
    assert len(caught.value.lines()) == 1
    assert "\n" not in caught.value.message


def test_a_ten_megabyte_bank_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    line = b"# " + b"x" * 1021 + b"\n"  # a kilobyte a line
    with path.open("wb") as handle:
        handle.write(MINIMAL_BANK.read_bytes())
        for _ in range(10 * 1024):
            handle.write(line)
    assert path.stat().st_size > 10 * MAX_BANK_BYTES
    assert_one_clear_line(
        invoke("questions", "validate", str(path)), path, ("larger than 1 MB", "refusing")
    )


def test_a_bank_just_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    text = MINIMAL_BANK.read_bytes()
    path.write_bytes(text + b"#" * (MAX_BANK_BYTES - len(text)) + b"\n")
    assert path.stat().st_size == MAX_BANK_BYTES + 1
    assert_one_clear_line(invoke("questions", "validate", str(path)), path, ("larger than 1 MB",))


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    assert_one_clear_line(
        invoke("questions", "validate", str(missing)), missing, ("no such question bank",)
    )
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    outcome = invoke("questions", "validate", str(folder))
    assert outcome.code == 2 and len(outcome.err.splitlines()) == 1, outcome.err
    assert "folder" in outcome.err.lower() or "directory" in outcome.err.lower()


def test_validate_all_lists_every_problem() -> None:
    path = BAD_BANKS / "criterion_in_survey.yaml"
    outcome = invoke("questions", "validate", "--all", str(path))
    assert outcome.code == 2
    lines = outcome.err.splitlines()
    assert len(lines) == 4, lines
    assert all(line.startswith(f"{path}, line ") for line in lines)
    assert not any("more problem" in line for line in lines)
    # In file order, so that the first one to fix comes first.
    numbers = [int(line.split(", line ")[1].split(":")[0]) for line in lines]
    assert numbers == sorted(numbers)


def test_other_commands_refuse_a_bad_bank_the_same_way() -> None:
    for command in ("list", "export"):
        path = BAD_BANKS / "duplicate_key.yaml"
        outcome = invoke("questions", command, str(path))
        assert_one_clear_line(outcome, path, EXPECTED["duplicate_key.yaml"])
