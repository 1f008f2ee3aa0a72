"""The question bank: what an officer is asked, how it is scored, where it comes from.

The front door of the bank package; the rest of the app imports from here.
`plain` holds the bank as the app uses it, `models` the schema (pydantic) a
bank is validated by, `loading` reads and validates bank files, `problems`
words what is wrong with a broken bank, `checks` cross-checks what the schema
cannot express. Importing this package imports no pydantic: only validating
a bank does (and `InvalidBank` and `Problem`, which are loaded when asked for).
"""

from typing import TYPE_CHECKING, Any

from assess.domain.bank.loading import (
    DEFAULT_BANK_FILE,
    EXPORTED_HASH_FIELD,
    MAX_BANK_BYTES,
    bank_from_data,
    bank_from_parsed,
    bank_from_text,
    load_bank,
    load_shipped_bank,
    shipped_bank_path,
)
from assess.domain.bank.plain import (
    CASES,
    CHOICE_TYPES,
    LEVELS,
    STAGES,
    Bank,
    Case,
    Condition,
    ConsistencyCheck,
    Framework,
    FrameworkSource,
    Instrument,
    Level,
    Option,
    Question,
    QuestionType,
    QuoteSource,
    Respondents,
    Section,
    SourceDoc,
    SourceRef,
)

if TYPE_CHECKING:
    from assess.domain.bank.problems import InvalidBank, Problem


def __getattr__(name: str) -> Any:
    # The problems module words pydantic's errors, so it imports pydantic.
    if name in ("InvalidBank", "Problem"):
        from assess.domain.bank import problems

        return getattr(problems, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CASES",
    "CHOICE_TYPES",
    "DEFAULT_BANK_FILE",
    "EXPORTED_HASH_FIELD",
    "LEVELS",
    "MAX_BANK_BYTES",
    "STAGES",
    "Bank",
    "Case",
    "Condition",
    "ConsistencyCheck",
    "Framework",
    "FrameworkSource",
    "Instrument",
    "InvalidBank",
    "Level",
    "Option",
    "Problem",
    "Question",
    "QuestionType",
    "QuoteSource",
    "Respondents",
    "Section",
    "SourceDoc",
    "SourceRef",
    "bank_from_data",
    "bank_from_parsed",
    "bank_from_text",
    "load_bank",
    "load_shipped_bank",
    "shipped_bank_path",
]
