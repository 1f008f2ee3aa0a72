"""The dataset's six tables and their columns, declared once.

Everything else reads this declaration: the rows an assessment gives
(`rows`), the Parquet types the files are written with (`arrow`), the
Frictionless Table Schema written into `datapackage.json` (`table_schema`)
and the checks a folder must pass before `assess peers` reads it (`package`).

Columns marked `named` hold names or free text that officers typed
(authority, service and assessor names, evidence notes, plan owners and
notes, reasons). They are in a dataset only when it is exported with
`--with-names`; without it the files do not have those columns at all.
Everything else is a key, a code from a fixed list, a number, a date or an
id from the question bank, so a dataset without names can be shared with a
body that collects many councils' datasets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from assess.domain.assessment import STATUSES
from assess.domain.authority import AUTHORITY_TYPES, REGIONS
from assess.domain.bank import CASES, CHOICE_TYPES
from assess.domain.confidence import CONFIDENCE_RATINGS
from assess.domain.plan import STATUSES as PLAN_STATUSES
from assess.domain.scoring import BANDS, NOT_ASSESSED

# The Table Schema types the columns use (Frictionless Data, Table Schema v2).
Kind = Literal["string", "integer", "number", "boolean", "date", "list"]
# How wide an integer column is in Parquet (what it holds fits comfortably).
Width = Literal[8, 16, 32]

# What datasets of this layout say about themselves in datapackage.json.
DATASET_FORMAT = "assess-dataset"
DATASET_FORMAT_VERSION = 1

SURVEY_TYPES = (*sorted(CHOICE_TYPES), "number", "text")


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, type, meaning and the values it may hold."""

    name: str
    kind: Kind
    description: str
    required: bool = False  # never empty
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[str, ...] = ()
    named: bool = False  # a name or free text: only in a dataset exported --with-names
    width: Width = 32  # integers only

    def constraints(self) -> dict[str, Any]:
        """The column's Table Schema constraints."""
        found: dict[str, Any] = {}
        if self.required:
            found["required"] = True
        if self.minimum is not None:
            found["minimum"] = _number(self.minimum)
        if self.maximum is not None:
            found["maximum"] = _number(self.maximum)
        if self.enum:
            found["enum"] = list(self.enum)
        return found


@dataclass(frozen=True)
class Table:
    """One table of the dataset: a Parquet file `<name>.parquet` and its schema."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    # Every row belongs to one assessment of the `assessments` table.
    of_assessment: bool = True
    by_name: Mapping[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    @property
    def file_name(self) -> str:
        return f"{self.name}.parquet"

    def columns_for(self, with_names: bool) -> tuple[Column, ...]:
        """The columns a dataset has: without names, the named ones are left out."""
        return tuple(c for c in self.columns if with_names or not c.named)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _key(name: str, what: str, required: bool = True) -> Column:
    return Column(name, "string", what, required=required)


ASSESSMENT_KEY = _key(
    "assessment_key",
    "The assessment's pseudonymous key: the same in every export made with the same "
    "export key, and nothing without that key links it to the assessment.",
)
QUESTION_ID = _key("question_id", "The question's id in the question bank (see bank_id).")
DIMENSION_ID = _key("dimension_id", "The id of the readiness dimension it belongs to.")
LEVEL = Column(
    "level",
    "integer",
    "The maturity level given, 0 (not started) to 4 (fully in place and evidenced); "
    "empty when not rated or not applicable.",
    minimum=0,
    maximum=4,
    width=8,
)
SCORE_WORDS = "to one decimal, as every report shows it"

ASSESSMENTS = Table(
    "assessments",
    "Assessments",
    "One row per assessment: who it is of (as keys), when, its stage, its score, band "
    "and delivery confidence, and the question bank and scoring rules it was worked out by.",
    (
        ASSESSMENT_KEY,
        _key(
            "authority_key",
            "The authority's pseudonymous key: the same for every assessment of the same "
            "authority exported with the same export key.",
        ),
        _key(
            "service_key",
            "The service's pseudonymous key (the same service name gives the same key under "
            "the same export key); empty when the assessment is of no one service.",
            required=False,
        ),
        Column(
            "authority_type",
            "string",
            "The kind of authority, where given.",
            enum=tuple(AUTHORITY_TYPES),
        ),
        Column(
            "region", "string", "The English region or nation, where given.", enum=tuple(REGIONS)
        ),
        Column(
            "period", "string", 'The period it is for: "2026/27", "2026" or "as at 2026-12-01".'
        ),
        Column(
            "stage",
            "integer",
            "The partnership's stage it was made at, 0 (exploring) to 5 (running and review).",
            required=True,
            minimum=0,
            maximum=5,
            width=8,
        ),
        Column("status", "string", "draft or complete.", required=True, enum=STATUSES),
        Column("created", "date", "The day it was started (UTC).", required=True),
        Column("updated", "date", "The day it was last changed (UTC).", required=True),
        Column("signed_off", "boolean", "Whether it has been signed off.", required=True),
        Column("signoff_date", "date", "The day it was signed off."),
        Column("review_date", "date", "The review date set at sign-off."),
        Column(
            "score",
            "number",
            f"Overall readiness out of 100, {SCORE_WORDS}; empty when no criterion applies.",
            minimum=0,
            maximum=100,
        ),
        Column(
            "band",
            "string",
            "The readiness band, decided on the score as shown and after any caps.",
            required=True,
            enum=(*reversed(BANDS), NOT_ASSESSED),
        ),
        Column(
            "capped",
            "boolean",
            "Whether a critical criterion holds the band below the one the score gives.",
            required=True,
        ),
        Column(
            "confidence",
            "string",
            "The delivery confidence the scoring rules suggest; empty when not assessed.",
            enum=CONFIDENCE_RATINGS,
        ),
        Column(
            "officer_confidence",
            "string",
            "The delivery confidence the officer recorded, where they did.",
            enum=CONFIDENCE_RATINGS,
        ),
        Column(
            "completeness",
            "number",
            "The share (0 to 1) of the questions asked at its stage that are answered.",
            required=True,
            minimum=0,
            maximum=1,
        ),
        Column(
            "criteria_applicable",
            "integer",
            "How many readiness criteria count at its stage.",
            required=True,
            minimum=0,
        ),
        Column(
            "criteria_answered",
            "integer",
            "How many of those are rated.",
            required=True,
            minimum=0,
        ),
        Column("gaps", "integer", "Criteria below their target.", required=True, minimum=0),
        Column(
            "critical_gaps",
            "integer",
            "Critical criteria below their target.",
            required=True,
            minimum=0,
        ),
        Column("plan_entries", "integer", "Action-plan entries.", required=True, minimum=0),
        Column(
            "plan_overdue",
            "integer",
            "Open action-plan entries whose due date had passed on the day of export.",
            required=True,
            minimum=0,
        ),
        _key("bank_id", "The question bank's id."),
        _key("bank_version", "The question bank's version."),
        _key("bank_hash", "SHA-256 of the question bank's content."),
        Column(
            "rules_version",
            "integer",
            "The version of the scoring rules the figures were worked out by.",
            required=True,
            minimum=1,
            width=16,
        ),
        Column("assessment_id", "string", "The assessment's id in its store.", named=True),
        Column("authority", "string", "The authority's name.", named=True),
        Column("service", "string", "The service assessed.", named=True),
        Column("assessor", "string", "The officer who made the assessment.", named=True),
        Column("signoff_name", "string", "Who signed it off.", named=True),
        Column("signoff_role", "string", "Their role.", named=True),
        Column(
            "officer_confidence_reason",
            "string",
            "Why the officer gave their own confidence rating.",
            named=True,
        ),
    ),
    primary_key=("assessment_key",),
    of_assessment=False,
)

ANSWERS = Table(
    "answers",
    "Readiness answers",
    "One row per assessment and readiness criterion: the level given (or not applicable) "
    "and everything the score is worked out from.",
    (
        ASSESSMENT_KEY,
        QUESTION_ID,
        DIMENSION_ID,
        Column(
            "shown",
            "boolean",
            "Whether it is asked, given the other answers.",
            required=True,
        ),
        Column("not_applicable", "boolean", "Marked not applicable.", required=True),
        LEVEL,
        Column(
            "applicable",
            "boolean",
            "Whether it counts in the score: asked, not marked not applicable, and due by "
            "the assessment's stage.",
            required=True,
        ),
        Column(
            "later_stage",
            "boolean",
            "Asked but due only at a later stage than the assessment's.",
            required=True,
        ),
        Column("weight", "integer", "The criterion's weight w.", required=True, minimum=1, width=8),
        Column(
            "dimension_weight",
            "integer",
            "Its dimension's weight D.",
            required=True,
            minimum=1,
            width=8,
        ),
        Column(
            "effective_weight",
            "integer",
            "Its effective weight e = D × w.",
            required=True,
            minimum=1,
            width=16,
        ),
        Column(
            "share",
            "number",
            "Its share of the overall score, e ÷ Σe over the criteria that count; empty when "
            "it does not count.",
            minimum=0,
            maximum=1,
        ),
        Column(
            "target",
            "integer",
            "The level it should reach.",
            required=True,
            minimum=1,
            maximum=4,
            width=8,
        ),
        Column("critical", "boolean", "A critical criterion (it can cap the band).", required=True),
        Column(
            "from_stage",
            "integer",
            "The stage from which it applies.",
            required=True,
            minimum=0,
            maximum=5,
            width=8,
        ),
        Column(
            "cases",
            "list",
            "The business cases (of the five-case model) it evidences.",
            required=True,
        ),
        Column(
            "gap_points",
            "integer",
            "e × (target − level) when it counts and is below target; else 0.",
            required=True,
            minimum=0,
            width=16,
        ),
        Column("na_reason", "string", "Why it was marked not applicable.", named=True),
        Column("evidence", "string", "The evidence note.", named=True),
    ),
    primary_key=("assessment_key", "question_id"),
)

DIMENSION_SCORES = Table(
    "dimension_scores",
    "Dimension scores",
    "One row per assessment and readiness dimension.",
    (
        ASSESSMENT_KEY,
        DIMENSION_ID,
        Column("weight", "integer", "The dimension's weight D.", required=True, minimum=1, width=8),
        Column(
            "score",
            "number",
            f"100 × Σ(w × level ÷ 4) ÷ Σw over its criteria that count, {SCORE_WORDS}; "
            "empty when none counts.",
            minimum=0,
            maximum=100,
        ),
        Column(
            "criteria_applicable",
            "integer",
            "Its criteria that count.",
            required=True,
            minimum=0,
        ),
        Column("criteria_answered", "integer", "Of those, rated.", required=True, minimum=0),
    ),
    primary_key=("assessment_key", "dimension_id"),
)

CASE_SCORES = Table(
    "case_scores",
    "Business case scores",
    "One row per assessment and business case of the five-case model that some criterion "
    "evidences.",
    (
        ASSESSMENT_KEY,
        Column("case", "string", "The business case.", required=True, enum=CASES),
        Column(
            "score",
            "number",
            f"100 × Σ(w × level ÷ 4) ÷ Σw over the criteria that evidence it and count, "
            f"{SCORE_WORDS}; empty when none counts.",
            minimum=0,
            maximum=100,
        ),
        Column(
            "criteria_applicable",
            "integer",
            "Criteria evidencing it that count.",
            required=True,
            minimum=0,
        ),
    ),
    primary_key=("assessment_key", "case"),
)

GAPS_AND_PLAN = Table(
    "gaps_and_plan",
    "Gaps and action plan",
    "One row per assessment and criterion that is a gap (below its target) or has an "
    "action-plan entry.",
    (
        ASSESSMENT_KEY,
        QUESTION_ID,
        DIMENSION_ID,
        Column("gap", "boolean", "Whether it is below its target.", required=True),
        Column(
            "gap_rank",
            "integer",
            "Its place in the gap list (1 is the most urgent); empty when not a gap.",
            minimum=1,
        ),
        Column("critical", "boolean", "A critical criterion.", required=True),
        LEVEL,
        Column("target", "integer", "Its target.", required=True, minimum=1, maximum=4, width=8),
        Column("gap_points", "integer", "Its gap points.", required=True, minimum=0, width=16),
        Column("planned", "boolean", "Whether it has an action-plan entry.", required=True),
        Column(
            "plan_status",
            "string",
            "The entry's status.",
            enum=PLAN_STATUSES,
        ),
        Column("due", "date", "The entry's due date."),
        Column(
            "aim",
            "integer",
            "The level the entry aims for (its target unless the officer set another).",
            minimum=0,
            maximum=4,
            width=8,
        ),
        Column(
            "overdue",
            "boolean",
            "The due date had passed on the day of export and the entry was not done or dropped.",
            required=True,
        ),
        Column("action", "string", "The action, as the officer wrote it.", named=True),
        Column("owner", "string", "Who owns the action.", named=True),
        Column("note", "string", "The entry's note.", named=True),
        Column("drop_reason", "string", "Why the action was dropped.", named=True),
    ),
    primary_key=("assessment_key", "question_id"),
)

SURVEY_ANSWERS = Table(
    "survey_answers",
    "Survey answers",
    "One row per assessment and question of the partnering survey, with the share of the "
    "surveyed chief executives who gave the same answer where the source gives one.",
    (
        ASSESSMENT_KEY,
        QUESTION_ID,
        _key("section_id", "The survey section it is in."),
        Column(
            "question_type", "string", "The kind of question.", required=True, enum=SURVEY_TYPES
        ),
        Column(
            "origin",
            "string",
            "survey (asked in the survey) or authority (the authority's own context).",
            required=True,
            enum=("survey", "authority"),
        ),
        Column("shown", "boolean", "Whether it is asked, given the other answers.", required=True),
        Column("answered", "boolean", "Whether it has an answer.", required=True),
        Column("not_applicable", "boolean", "Marked not applicable.", required=True),
        Column(
            "options",
            "list",
            "The option ids chosen, in the officer's order (for a ranking, first choice first).",
            required=True,
        ),
        Column("number", "number", "The number given, for a question answered with one."),
        Column(
            "respondents_percent",
            "number",
            "The percentage of the chief executives surveyed who gave the same answer, where "
            "the source gives one.",
            minimum=0,
            maximum=100,
        ),
        Column(
            "rank_agreement",
            "number",
            "For a ranking: Kendall's tau-b between the officer's order and the chief "
            "executives', where at least three items are shared.",
            minimum=-1,
            maximum=1,
        ),
        Column("text", "string", "The answer to a free-text question.", named=True),
        Column("na_reason", "string", "Why it was marked not applicable.", named=True),
        Column("evidence", "string", "The evidence note.", named=True),
    ),
    primary_key=("assessment_key", "question_id"),
)

TABLES: tuple[Table, ...] = (
    ASSESSMENTS,
    ANSWERS,
    DIMENSION_SCORES,
    CASE_SCORES,
    GAPS_AND_PLAN,
    SURVEY_ANSWERS,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table_schema(table: Table, with_names: bool) -> dict[str, Any]:
    """The table's Frictionless Table Schema, as written into datapackage.json."""
    fields = []
    for column in table.columns_for(with_names):
        described: dict[str, Any] = {
            "name": column.name,
            "type": column.kind,
            "description": column.description,
        }
        if column.kind == "list":
            described["itemType"] = "string"
        constraints = column.constraints()
        if constraints:
            described["constraints"] = constraints
        fields.append(described)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": list(table.primary_key)}
    if table.of_assessment:
        schema["foreignKeys"] = [
            {
                "fields": ["assessment_key"],
                "reference": {"resource": ASSESSMENTS.name, "fields": ["assessment_key"]},
            }
        ]
    return schema
