"""The banks the bank tests read: the shipped (version 2) bank, and version 1 kept as a fixture.

Version 1 (tests/fixtures/banks/partnering-v1.yaml) is the bank that shipped
before version 2; old assessments keep a copy of it in the store, so it must
go on loading, with the content hash it was stored under.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assess.domain.bank import Bank, load_bank, load_shipped_bank

ROOT = Path(__file__).resolve().parents[2]
V1_BANK_FILE = ROOT / "tests" / "fixtures" / "banks" / "partnering-v1.yaml"
# What the version 1 models computed for the version 1 bank: stored assessments name it.
V1_CONTENT_HASH = "3175a0d19071a6eaba6e19f564f2efe151681b02c2b7adca2a9938d3bec0c16c"


@cache
def v1_bank() -> Bank:
    return load_bank(V1_BANK_FILE)


def v2_bank() -> Bank:
    """The bank that ships: version 2."""
    return load_shipped_bank()
