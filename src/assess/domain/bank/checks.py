"""The checks a schema cannot express: ids, references and figures that must agree.

Run on every bank after its schema is validated (`loading.bank_from_parsed`):
unique ids, conditions that look back at questions that exist, sources that
name a listed source file or framework, respondents' figures that name real
options and add up, consistency checks that name real criteria, and ids that
`replaces` hands on. A version 2 bank must also give, on every readiness
criterion, the stage it applies from (the stages themselves are
`assess.domain.stages`), the cases it evidences and a descriptor for each
level; version 1 banks (kept with old assessments) are read without them.
"""

from __future__ import annotations

from assess.domain.bank.models import (
    CHOICE_TYPES,
    CONDITION_TESTS,
    CRITERION_ONLY_FIELDS,
    LEVELS,
    Bank,
    Condition,
    FrameworkSource,
    Question,
    QuoteSource,
    Respondents,
)
from assess.domain.bank.problems import Loc, Problem, shown
from assess.domain.safejson import ParsedFile


def cross_check(bank: Bank, doc: ParsedFile) -> list[Problem]:
    """Every problem the schema could not see (an empty list for a sound bank)."""
    return _CrossCheck(bank, doc).run()


class _CrossCheck:
    """The checks a schema cannot express: ids, references and figures that must agree."""

    def __init__(self, bank: Bank, doc: ParsedFile) -> None:
        self.bank = bank
        self.doc = doc
        self.problems: list[Problem] = []
        self.earlier: dict[str, Question] = {}
        self.all_ids = {q.id for q in bank.questions}
        self.replaced: dict[str, str] = {}  # replaced id -> the question that replaces it
        self.v2 = bank.is_v2

    def problem(self, path: Loc, item: str, field: str, message: str) -> None:
        where = self.doc.where(path)
        line = self.doc.line_of(path) or 0
        self.problems.append(Problem(line, f"{where}: {item}, field '{field}': {message}"))

    def run(self) -> list[Problem]:
        self.check_bank()
        seen_sections = self.check_sections()
        for i, instrument in enumerate(self.bank.instruments):
            for s, section in enumerate(instrument.sections):
                for n, question in enumerate(section.questions):
                    path: Loc = ("instruments", i, "sections", s, "questions", n)
                    item = f"question {question.id}"
                    if question.id in self.earlier:
                        self.problem((*path, "id"), item, "id", "appears twice in the bank")
                    elif question.id in seen_sections:
                        # Reports and the app address sections and questions by id alike.
                        self.problem(
                            (*path, "id"), item, "id", "is also the id of a section; use another"
                        )
                    self.check_question(question, instrument.id, path, item)
                    for c, condition in enumerate(question.show_if):
                        self.check_condition(
                            question.id, condition, (*path, "show_if", c), item, "show_if"
                        )
                    self.earlier[question.id] = question
        self.check_consistency()
        return self.problems

    def check_bank(self) -> None:
        seen: set[str] = set()
        for i, instrument in enumerate(self.bank.instruments):
            if instrument.id in seen:
                self.problem(
                    ("instruments", i), f"instrument {instrument.id}", "id", "appears twice"
                )
            seen.add(instrument.id)
        for level in LEVELS:
            if level not in self.bank.maturity_levels:
                self.problem(
                    ("maturity_levels",), "bank", "maturity_levels", f"level {level} is missing"
                )
        for level in self.bank.maturity_levels:
            if level not in LEVELS:
                self.problem(
                    ("maturity_levels",), "bank", "maturity_levels", f"level {level} is outside 0–4"
                )

    def check_sections(self) -> set[str]:
        seen: set[str] = set()
        for i, instrument in enumerate(self.bank.instruments):
            for s, section in enumerate(instrument.sections):
                path: Loc = ("instruments", i, "sections", s)
                item = f"section {section.id}"
                if section.id in seen:
                    self.problem(path, item, "id", "appears twice in the bank")
                seen.add(section.id)
                if instrument.id == "readiness" and not any(
                    q.is_criterion for q in section.questions
                ):
                    self.problem(
                        path,
                        item,
                        "questions",
                        "a readiness dimension needs at least one maturity criterion",
                    )
                if instrument.id == "readiness" and self.v2 and section.weight > 3:
                    self.problem(
                        (*path, "weight"),
                        item,
                        "weight",
                        f"must be between 1 and 3 in a version 2 bank (got {section.weight})",
                    )
        return seen

    def check_question(self, q: Question, instrument_id: str, path: Loc, item: str) -> None:
        self.check_source(q, path, item)
        self.check_replaces(q, path, item)
        self.check_v2_fields(q, instrument_id, path, item)
        if not q.is_criterion:
            for name in CRITERION_ONLY_FIELDS:
                # Compared with the default, not "was it given": an exported bank spells
                # out every default, and those must read back.
                default = Question.model_fields[name].get_default(call_default_factory=True)
                if getattr(q, name) != default:
                    self.problem(
                        (*path, name),
                        item,
                        name,
                        f"only readiness criteria (type maturity) have a {name!r}; "
                        "it would be ignored here",
                    )
        if q.is_criterion:
            if instrument_id != "readiness":
                self.problem(
                    (*path, "type"),
                    item,
                    "type",
                    "maturity criteria belong in the readiness instrument",
                )
            if not q.action.strip():
                self.problem(
                    path, item, "action", "a criterion needs the recommended action for a gap"
                )
            for level in q.levels:
                if level not in LEVELS:
                    self.problem((*path, "levels"), item, "levels", f"level {level} is outside 0–4")
        if q.type in CHOICE_TYPES:
            self.check_options(q, path, item)
        elif q.options:
            self.problem(
                (*path, "options"), item, "options", f"a {q.type} question takes no options"
            )
        if q.type == "number":
            if q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
                self.problem((*path, "minimum"), item, "minimum", "is greater than 'maximum'")
        elif q.minimum is not None or q.maximum is not None:
            self.problem((*path, "minimum"), item, "minimum", "only number questions have a range")
        if q.respondents is not None:
            self.check_respondents(q, q.respondents, instrument_id, (*path, "respondents"), item)

    def check_source(self, q: Question, path: Loc, item: str) -> None:
        source = q.source
        if isinstance(source, QuoteSource) and source.file not in self.bank.sources:
            self.problem(
                (*path, "source", "file"),
                item,
                "source",
                f"names the file {shown(source.file)}, which is not listed under 'sources'",
            )
        elif isinstance(source, FrameworkSource) and source.framework not in self.bank.frameworks:
            self.problem(
                (*path, "source", "framework"),
                item,
                "source",
                f"names the framework {shown(source.framework)}, which is not listed "
                "under 'frameworks'",
            )

    def check_replaces(self, q: Question, path: Loc, item: str) -> None:
        for r, old_id in enumerate(q.replaces):
            where = (*path, "replaces", r)
            if old_id in self.all_ids:
                self.problem(
                    where,
                    item,
                    "replaces",
                    f"names {old_id!r}, a question of this bank; 'replaces' names questions "
                    "of an earlier version that this one takes over from",
                )
            elif old_id in self.replaced:
                by = self.replaced[old_id]
                whom = "this question" if by == q.id else f"question {by}"
                self.problem(
                    where,
                    item,
                    "replaces",
                    f"names {old_id!r}, which {whom} already replaces; an earlier answer "
                    "can carry over to one question only",
                )
            else:
                self.replaced[old_id] = q.id

    def check_v2_fields(self, q: Question, instrument_id: str, path: Loc, item: str) -> None:
        readiness = instrument_id == "readiness"
        if not readiness and "from_stage" in q.model_fields_set:
            self.problem(
                (*path, "from_stage"),
                item,
                "from_stage",
                "only readiness items have a 'from_stage'; survey questions are asked at "
                "every stage",
            )
        if readiness and q.origin != "survey":
            self.problem(
                (*path, "origin"),
                item,
                "origin",
                "only survey questions have an 'origin'; readiness items are the bank's own",
            )
        if q.is_authority_context and q.respondents is not None:
            self.problem(
                (*path, "respondents"),
                item,
                "respondents",
                "an authority's own context question (origin: authority) was not asked in the "
                "survey, so it carries no respondents' figures",
            )
        if len(set(q.cases)) != len(q.cases):
            self.problem((*path, "cases"), item, "cases", "names a case twice")
        if not (self.v2 and readiness):
            return
        if "from_stage" not in q.model_fields_set:
            self.problem(
                path,
                item,
                "from_stage",
                f"a version {self.bank.version} bank says from which stage (0 to 5) each "
                "readiness item applies",
            )
        if q.is_criterion and not q.cases:
            self.problem(
                path,
                item,
                "cases",
                "name the business case or cases the criterion evidences: one or more of "
                "strategic, economic, commercial, financial, management",
            )
        missing = [str(level) for level in LEVELS if level not in q.levels]
        if q.is_criterion and missing:
            self.problem(
                (*path, "levels") if q.levels else path,
                item,
                "levels",
                f"a version {self.bank.version} criterion describes every level 0–4 in its "
                f"own words; level{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"{'are' if len(missing) > 1 else 'is'} missing",
            )

    def check_options(self, q: Question, path: Loc, item: str) -> None:
        if q.type == "yesno":
            if set(q.option_ids) != {"yes", "no"} or len(q.options) != 2:
                self.problem(
                    (*path, "options"),
                    item,
                    "options",
                    "a yes/no question has exactly the options 'yes' and 'no'",
                )
        elif len(q.options) < 2:
            self.problem(
                (*path, "options"),
                item,
                "options",
                f"a {q.type} question needs at least two options",
            )
        seen: set[str] = set()
        for o, option in enumerate(q.options):
            if option.id in seen:
                self.problem(
                    (*path, "options", o),
                    f"{item}, option {option.id}",
                    "id",
                    "appears twice in this question",
                )
            seen.add(option.id)

    def check_respondents(
        self, q: Question, r: Respondents, instrument_id: str, rpath: Loc, item: str
    ) -> None:
        field = "respondents"
        if instrument_id != "survey":
            self.problem(rpath, item, field, "only survey questions carry respondents' figures")
        if r.source.file not in self.bank.sources:
            self.problem(
                (*rpath, "source"),
                item,
                f"{field}.source",
                f"names the file {shown(r.source.file)}, which is not listed under 'sources'",
            )
        ids = set(q.option_ids)
        for option_id, share in r.percentages.items():
            where = (*rpath, "percentages", option_id)
            if option_id not in ids:
                self.problem(
                    where,
                    item,
                    f"{field}.percentages",
                    f"names the option {option_id!r}, which this question does not have",
                )
            if not 0 <= share <= 100:
                self.problem(
                    where,
                    item,
                    f"{field}.percentages",
                    f"{share:g} is not a percentage between 0 and 100",
                )
        total = sum(r.percentages.values())
        if total > 100.5:  # the source's own figures are rounded, so allow half a point
            self.problem(
                (*rpath, "percentages"),
                item,
                f"{field}.percentages",
                f"the shares add up to {total:g}%, more than 100%",
            )
        if r.rank_order and r.given_tiers:
            self.problem(
                (*rpath, "rank_order"),
                item,
                f"{field}.rank_order",
                "give 'tiers' or 'rank_order', not both",
            )
        elif r.rank_order and self.v2:
            self.problem(
                (*rpath, "rank_order"),
                item,
                f"{field}.rank_order",
                f"a version {self.bank.version} bank gives the respondents' order as 'tiers' "
                "(a list of groups, most important first), not 'rank_order'",
            )
        if len(set(r.rank_order)) != len(r.rank_order):
            self.problem(
                (*rpath, "rank_order"), item, f"{field}.rank_order", "names an option twice"
            )
        for option_id in r.rank_order:
            if option_id not in ids:
                self.problem(
                    (*rpath, "rank_order"),
                    item,
                    f"{field}.rank_order",
                    f"names the option {option_id!r}, which this question does not have",
                )
        seen: set[str] = set()
        for t, tier in enumerate(r.given_tiers):
            where = (*rpath, "tiers", t)
            if not tier:
                self.problem(where, item, f"{field}.tiers", f"tier {t + 1} is empty")
            for option_id in tier:
                if option_id not in ids:
                    self.problem(
                        where,
                        item,
                        f"{field}.tiers",
                        f"names the option {option_id!r}, which this question does not have",
                    )
                elif option_id in seen:
                    self.problem(
                        where,
                        item,
                        f"{field}.tiers",
                        f"names the option {option_id!r} twice; each option sits in one tier",
                    )
                seen.add(option_id)
        if not r.percentages and not r.tiers:
            self.problem(rpath, item, field, "gives neither percentages nor tiers")

    def check_consistency(self) -> None:
        seen: set[str] = set()
        for k, check in enumerate(self.bank.consistency):
            path: Loc = ("consistency", k)
            item = f"consistency check {check.id}"
            if check.id in seen:
                self.problem((*path, "id"), item, "id", "appears twice")
            seen.add(check.id)
            criterion = self.bank.question(check.criterion)
            if criterion is None or not criterion.is_criterion:
                self.problem(
                    (*path, "criterion"),
                    item,
                    "criterion",
                    f"{check.criterion!r} is not a readiness criterion in this bank",
                )
            for c, condition in enumerate(check.when):
                self.check_condition("", condition, (*path, "when", c), item, "when")

    def check_condition(
        self, own_id: str, condition: Condition, cpath: Loc, item: str, field: str
    ) -> None:
        tests = condition.tests()
        if len(tests) != 1:
            tests_named = ", ".join(f"'{name}'" for name in CONDITION_TESTS)
            self.problem(cpath, item, field, f"give exactly one of {tests_named}")
            return
        target = self.earlier.get(condition.question)
        if target is None:
            if condition.question == own_id:
                why = "which is this question itself"
            elif condition.question in self.all_ids:
                why = "which comes later in the bank; a condition can only look back"
            else:
                why = "which does not exist"
            self.problem(
                (*cpath, "question"),
                item,
                field,
                f"refers to question {condition.question!r}, {why}",
            )
            return
        test = tests[0]
        ids = set(target.option_ids)
        if test == "equals":
            value = condition.equals
            if target.type in CHOICE_TYPES:
                if value not in ids:
                    self.problem(
                        (*cpath, "equals"),
                        item,
                        field,
                        f"question {target.id} has no option {value!r}",
                    )
            elif target.type == "maturity":
                if not (isinstance(value, int) and value in LEVELS):
                    self.problem((*cpath, "equals"), item, field, f"{value!r} is not a level 0–4")
            else:
                self.problem(
                    (*cpath, "equals"),
                    item,
                    field,
                    f"cannot test a {target.type} question for equality",
                )
        elif test == "any_of" and not condition.any_of:
            self.problem((*cpath, "any_of"), item, field, "'any_of' needs at least one option")
        elif test in ("any_of", "first"):
            if target.type not in CHOICE_TYPES:
                self.problem(
                    (*cpath, test), item, field, f"question {target.id} is not a choice question"
                )
            elif test == "first" and target.type != "ranking":
                self.problem((*cpath, test), item, field, f"question {target.id} is not a ranking")
            values = condition.any_of if test == "any_of" else [condition.first]
            for value in values or []:
                if value not in ids:
                    self.problem(
                        (*cpath, test), item, field, f"question {target.id} has no option {value!r}"
                    )
        elif test == "at_least" and target.type not in ("maturity", "number"):
            self.problem(
                (*cpath, "at_least"),
                item,
                field,
                f"question {target.id} is a {target.type} question; "
                "'at_least' works on levels and numbers",
            )
