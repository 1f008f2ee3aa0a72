"""Export bundles: the portable JSON form of assessments, and the checks an import makes.

A bundle is `{"format": "assess-bundle", "format_version": 2, "exported": TIME,
"banks": {HASH: BANK}, "assessments": [RECORD, ...]}` where each record is an
assessment's metadata, answers, last change per question and full history
(see `records.Record`), and `banks` holds every bank version they use, so the
bundle opens anywhere with its exact questions.

Bundles arrive from other people's machines, so they are untrusted: the file
is read with `safeyaml.read_parsed` (size cap, no YAML tags or aliases,
nesting limit), and every field of every record is checked, every answer
with `check_answer` against the bundled bank, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, cast

from assess.domain.bank import Bank
from assess.domain.errors import BadInput
from assess.domain.safeyaml import read_parsed
from assess.store.banks import check_bank_data
from assess.store.checks import HASH_PATTERN, check_record, check_time, key_text, keys_text
from assess.store.errors import InvalidBundle
from assess.store.files import Damaged
from assess.store.records import DETAIL_DEFAULTS, Record

BUNDLE_FORMAT = "assess-bundle"
# What a version 1 record lacks, as a version 2 record would say it.
RECORD_DEFAULTS: dict[str, object] = {**DETAIL_DEFAULTS, "plan": {}, "plan_changes": {}}
# Version 2 records carry the plan, the stage, period, sign-off and other details;
# a version 1 bundle still imports (its assessments start at stage 0, with no plan).
BUNDLE_VERSION = 2
MAX_BUNDLE_BYTES = 256 * 1024 * 1024
TOP_FIELDS = {"format", "format_version", "exported", "banks", "assessments"}
SHOWN_PROBLEMS = 20


@dataclass
class ImportResult:
    """What an import did: (id, title) pairs added or already present, and conflicts."""

    added: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


class Bundle(TypedDict):
    format: str
    format_version: int
    exported: str
    banks: dict[str, dict[str, Any]]  # hash -> `Bank.to_data()`
    assessments: list[Record]


@dataclass
class CheckedBundle:
    """A bundle that passed every check: its banks by hash, and its records."""

    banks: dict[str, Bank]
    records: list[Record]


def new_bundle(records: list[Record], banks: Mapping[str, Bank], *, exported: str) -> Bundle:
    return {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_VERSION,
        "exported": exported,
        "banks": {bank_hash: bank.to_data() for bank_hash, bank in banks.items()},
        "assessments": records,
    }


def read_bundle(path: Path) -> object:
    """The parsed content of a bundle file, read within the safety limits."""
    try:
        return read_parsed(Path(path), max_bytes=MAX_BUNDLE_BYTES, what="bundle").value
    except BadInput as exc:
        raise InvalidBundle(f"{exc.message}; nothing was imported", exc.problems) from None


class _TooMany(Exception):
    pass


class _Problems:
    """Problems found so far, each with its place; stops the check after too many."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def report(self, place: str, message: str) -> None:
        self.items.append(f"{place}: {message}")
        if len(self.items) >= SHOWN_PROBLEMS:
            raise _TooMany


def check_bundle(data: object, source: str) -> CheckedBundle:
    """Check a whole bundle; `InvalidBundle` lists the problems and nothing is written."""
    problems = _Problems()
    checked = CheckedBundle({}, [])
    more = False
    try:
        _check(data, checked, problems)
    except _TooMany:
        more = True
    if problems.items:
        found = len(problems.items)
        count = f"{found} problem{'s' if found > 1 else ''}" if not more else "many problems"
        lines = [*problems.items, *(["... and possibly more; fix these first"] if more else [])]
        raise InvalidBundle(
            f"{source}: this bundle cannot be imported ({count}); nothing was imported", lines
        )
    return checked


def _check(data: object, checked: CheckedBundle, problems: _Problems) -> None:
    report = problems.report
    if not isinstance(data, dict):
        report("bundle", "is not an assess export bundle (expected a mapping of fields)")
        return
    if data.get("format") != BUNDLE_FORMAT:
        report("format", f"must be {BUNDLE_FORMAT!r}; this is not an assess export bundle")
        return
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        report("format_version", "must be a whole number")
        return
    if version > BUNDLE_VERSION:
        report("format_version", "the bundle was made by a newer version of assess; upgrade")
        return
    unknown = sorted(set(data) - TOP_FIELDS)
    if unknown:
        report("bundle", f"has fields a bundle does not have: {keys_text(unknown)}")
    if "exported" in data:  # only information, but a bundle is checked whole
        check_time(data["exported"], "exported", report)
    banks, records = data.get("banks"), data.get("assessments")
    if not isinstance(banks, dict):
        report("banks", "must map bank content hashes to banks")
        banks = {}
    if not isinstance(records, list):
        report("assessments", "must be a list of assessments")
        records = []
    for bank_hash, bank_data in banks.items():
        place = f"banks.{key_text(bank_hash)[:12]}"
        if not HASH_PATTERN.fullmatch(str(bank_hash)):
            report(place, "is not a bank content hash")
            continue
        try:
            checked.banks[bank_hash] = check_bank_data(bank_data, bank_hash, place)
        except Damaged as exc:
            report(place, exc.reason)
    seen: set[str] = set()
    for n, record in enumerate(records):
        place = f"assessments[{n}]"
        ref = record.get("bank") if isinstance(record, dict) else None
        bank_hash = ref.get("hash") if isinstance(ref, dict) else None
        bank = checked.banks.get(bank_hash) if isinstance(bank_hash, str) else None
        if bank is None:
            report(f"{place}.bank", "names a bank that is not in the bundle's banks")
            continue
        before = len(problems.items)
        check_record(record, bank, place, report)
        if isinstance(ref, dict) and (ref.get("id"), ref.get("version")) != (
            bank.id,
            bank.version,
        ):
            report(f"{place}.bank", "its id and version do not match the bundled bank")
        ident = record.get("id")
        if isinstance(ident, str):  # any other id is reported by check_record
            if ident in seen:
                report(f"{place}.id", f"{ident} appears twice in the bundle")
            seen.add(ident)
        if len(problems.items) == before:
            # check_record found nothing wrong: it is a record, but for its optional parts.
            checked.records.append(
                cast(
                    Record,
                    {
                        **RECORD_DEFAULTS,
                        **record,
                        "extra": dict(record.get("extra", {})),
                    },
                )
            )
