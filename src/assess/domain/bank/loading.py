"""Reading a question bank: the shipped bank's path, files, text and plain data, checked.

Every way a bank arrives (the shipped file, a file an officer names, a copy kept
in the store, an exported bank) goes through `bank_from_parsed`: the schema
(`models`), then the cross-checks (`checks`); problems are worded by `problems`.
What comes out is the plain `Bank` of `plain`, built from the validated data.

The schema is pydantic, which takes longer to import than most commands take
to run, so it is imported only when a bank is validated. A bank already
validated can be kept as plain data (`assess.store.bank_cache` keeps such a
cache beside a store's bank copies): `rules_fingerprint` names the rules it
was checked by, and `bank_from_checked` builds the bank from it again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.domain.bank.plain import Bank
from assess.domain.errors import BadInput, BankError
from assess.domain.safejson import ParsedFile

if TYPE_CHECKING:
    from assess.domain.bank.problems import Loc

MAX_BANK_BYTES = 1024 * 1024
DEFAULT_BANK_FILE = "partnering.yaml"
EXPORTED_HASH_FIELD = "content_hash"


def shipped_bank_path() -> Path:
    """The bank that ships with the app (inside the wheel, or the checkout)."""
    # The wheel puts the banks at assess/questions; a plain path test is enough (the
    # package is never run from a zip) and spares importlib.resources on every start.
    package = Path(__file__).resolve().parents[2]  # src/assess, or assess in the wheel
    packaged = package / "questions" / DEFAULT_BANK_FILE
    if packaged.is_file():
        return packaged
    return package.parents[1] / "questions" / DEFAULT_BANK_FILE


def load_shipped_bank() -> Bank:
    return load_bank(shipped_bank_path())


def load_bank(path: Path) -> Bank:
    """Read, validate and cross-check a bank file; raise `BankError` if it is unusable."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is not None and stat.st_size <= MAX_BANK_BYTES:
        # Keyed on the file's identity and change time, so an edited bank is read afresh.
        return _load_bank_cached(path, path.resolve(), stat.st_mtime_ns, stat.st_size)
    return _load_bank_uncached(path)


@lru_cache(maxsize=8)
def _load_bank_cached(path: Path, resolved: Path, mtime_ns: int, size: int) -> Bank:
    return _load_bank_uncached(path)


def _load_bank_uncached(path: Path) -> Bank:
    from assess.domain.safeyaml import read_parsed  # PyYAML: only for a bank file, not a copy

    try:
        doc = read_parsed(path, max_bytes=MAX_BANK_BYTES, what="question bank")
    except BankError:
        raise
    except BadInput as exc:
        raise BankError(exc.message) from None
    return bank_from_parsed(doc)


def bank_from_data(data: Any, source: str) -> Bank:
    """Validate a bank held as plain data (for instance a snapshot kept in the store)."""
    return bank_from_parsed(ParsedFile(value=data, source=source))


def bank_from_text(text: str, source: str = "<bank>", *, fmt: str = "yaml") -> Bank:
    """Validate a bank held as YAML (or, with fmt="json", JSON) text."""
    from assess.domain.safeyaml import parse_text

    try:
        doc = parse_text(text, source, fmt=fmt, what="question bank")
    except BadInput as exc:
        raise BankError(exc.message) from None
    return bank_from_parsed(doc)


def bank_from_parsed(doc: ParsedFile) -> Bank:
    """Validate and cross-check a parsed bank file."""
    from pydantic import ValidationError

    from assess.domain.bank.checks import cross_check
    from assess.domain.bank.models import Bank as Schema
    from assess.domain.bank.problems import Problem, bank_error, describe_validation_errors

    if not isinstance(doc.value, dict):
        kind = "a list" if isinstance(doc.value, list) else "a single value"
        raise BankError(
            f"{doc.where(())}: a question bank must be a mapping of fields "
            f"(id, version, title, sources, ...), not {kind}"
        )
    data = dict(doc.value)
    # `questions export` adds the hash, so that an exported bank reads back as itself.
    exported_hash = data.pop(EXPORTED_HASH_FIELD, None)
    try:
        checked = Schema.model_validate(data)
    except ValidationError as exc:
        raise bank_error(describe_validation_errors(doc, exc.errors())) from None
    problems = cross_check(checked, doc)
    bank = Bank.from_data(checked.to_data())
    if exported_hash is not None and exported_hash != bank.content_hash:
        path: Loc = (EXPORTED_HASH_FIELD,)
        problems.append(
            Problem(
                doc.line_of(path) or 0,
                f"{doc.where(path)}: bank, field '{EXPORTED_HASH_FIELD}': "
                "does not match the bank's content, so the bank was changed after it was "
                f"exported; remove the '{EXPORTED_HASH_FIELD}' line to accept the changes",
            )
        )
    if problems:
        raise bank_error(problems)
    return bank


# What a bank is checked by. Any change to these files may change what a valid
# bank is, or the plain data it is kept as, so a cache made before it is not used.
_RULES_FILES = (
    "kinds.py",
    "plain.py",
    "models.py",
    "checks.py",
    "problems.py",
    "loading.py",
    "../safejson.py",
    "../safeyaml.py",
)


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """A name for the rules a bank is validated by: a hash of the code that checks it.

    A cache of a validated bank records it and is used only while it is the
    same. Empty when the code cannot be read (then nothing is cached).
    """
    from assess import __version__

    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    try:
        for name in _RULES_FILES:
            digest.update((here / name).read_bytes())
    except OSError:
        return ""
    return digest.hexdigest()


def bank_from_checked(data: dict[str, Any], canonical: bytes) -> Bank:
    """The bank for data that passed every check, kept as it was (`canonical_bytes(data)`).

    No validation: only for data whose hashes prove it is what was checked
    (see `assess.store.bank_cache`).
    """
    return Bank.from_data(data, canonical)
