"""The kinds of things a question bank holds: question types, levels, stages, cases.

Shared by the schema a bank is validated by (`models`, pydantic) and the
plain objects the app holds (`plain`), so neither needs the other for them.
"""

from __future__ import annotations

from typing import Literal

QuestionType = Literal[
    "maturity", "single", "multi", "ranking", "yesno", "likert", "number", "text"
]
CHOICE_TYPES = frozenset({"single", "multi", "ranking", "likert", "yesno"})
LEVELS = range(0, 5)
STAGES = range(0, 6)
# The five cases of HM Treasury's five-case business case model.
Case = Literal["strategic", "economic", "commercial", "financial", "management"]
CASES: tuple[Case, ...] = ("strategic", "economic", "commercial", "financial", "management")
Origin = Literal["survey", "authority"]
# Banks from this major version on must give the version 2 fields (stages, from_stage...).
FIRST_V2_VERSION = 2
CONDITION_TESTS = ("equals", "any_of", "first", "at_least", "answered")
CRITERION_ONLY_FIELDS = ("weight", "target", "critical", "action", "levels", "cases")
