"""The question bank: what an officer is asked, how it is scored, where it comes from.

The front door of the bank package; the rest of the app imports from here.
`models` holds the typed models, `loading` reads and validates bank files,
`problems` words what is wrong with a broken bank, `checks` cross-checks what
the schema cannot express.
"""

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
from assess.domain.bank.models import (
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
from assess.domain.bank.problems import InvalidBank, Problem

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
