"""Export bundles: the portable form of assessments, and the checks an import makes.

A bundle carries assessments, each as a record of its metadata, answers,
last change per question and full history (see `records.Record`), and every
bank version they use, so it opens anywhere with its exact questions. It
comes in two layouts:

- version 3, written by `assess export`: JSON lines, read and written one
  record at a time, so memory stays flat however many assessments it holds
  (see `bundle_lines`);
- versions 1 and 2, one JSON (or YAML) document, `{"format": "assess-bundle",
  "format_version": 2, "exported": TIME, "banks": {HASH: BANK},
  "assessments": [RECORD, ...]}`: still imported, and still what
  `Store.export_bundle` returns in memory.

Bundles arrive from other people's machines, so they are untrusted: a
whole-file bundle is read with `safeyaml.read_parsed` (size cap, no YAML
tags or aliases, nesting limit), a bundle of lines with the same limits on
each line, and every field of every record is checked, every answer with
`check_answer` against the bundled bank, before anything is written. The
checks are the pieces of `BundleCheck`, shared by both layouts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, cast

from assess.domain.errors import BadInput
from assess.store.banks import check_bank_data
from assess.store.checks import (
    HASH_PATTERN,
    check_record,
    check_time,
    is_int,
    key_text,
    keys_text,
)
from assess.store.errors import InvalidBundle
from assess.store.files import Damaged
from assess.store.records import DETAIL_DEFAULTS, Record

if TYPE_CHECKING:
    from assess.domain.bank import Bank

BUNDLE_FORMAT = "assess-bundle"
# What a version 1 record lacks, as a version 2 record would say it.
RECORD_DEFAULTS: dict[str, object] = {**DETAIL_DEFAULTS, "plan": {}, "plan_changes": {}}
# Version 2 records carry the plan, the stage, period, sign-off and other details;
# a version 1 bundle still imports (its assessments start at stage 0, with no plan).
BUNDLE_VERSION = 2
# Version 3 is a bundle of JSON lines, read and written one record at a time (`bundle_lines`).
LINES_VERSION = 3
# The cap on a whole-file bundle (versions 1 and 2), which is parsed in one piece.
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
    """The parsed content of a whole-file bundle, read within the safety limits."""
    from assess.domain.safeyaml import read_parsed  # PyYAML: only for a bundle that may be YAML

    try:
        return read_parsed(Path(path), max_bytes=MAX_BUNDLE_BYTES, what="bundle").value
    except BadInput as exc:
        raise InvalidBundle(f"{exc.message}; nothing was imported", exc.problems) from None


class TooMany(Exception):
    """Raised by `BundleCheck.report` once enough problems are found to stop looking."""


class BundleCheck:
    """The checks on one bundle, piece by piece, collecting every problem with its place.

    A whole-file bundle (`check_bundle`) and a bundle of lines
    (`bundle_lines`) are checked by the same pieces: the header, each bank,
    each record. `report` raises `TooMany` after `SHOWN_PROBLEMS` problems.
    """

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.banks: dict[str, Bank] = {}
        self.seen: set[str] = set()
        self.more = False

    def report(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")
        if len(self.problems) >= SHOWN_PROBLEMS:
            self.more = True
            raise TooMany

    def header(self, data: object, *, versions: range, fields: set[str]) -> bool:
        """The format, version and export time; False when the rest cannot be read."""
        report = self.report
        if not isinstance(data, dict):
            report("bundle", "is not an assess export bundle (expected a mapping of fields)")
            return False
        if data.get("format") != BUNDLE_FORMAT:
            report("format", f"must be {BUNDLE_FORMAT!r}; this is not an assess export bundle")
            return False
        version = data.get("format_version")
        if not is_int(version) or version < 1:
            report("format_version", "must be a whole number")
            return False
        if version > LINES_VERSION:
            report("format_version", "the bundle was made by a newer version of assess; upgrade")
            return False
        if version not in versions:
            layout = "one record a line" if version >= LINES_VERSION else "as one document"
            report("format_version", f"is {version}, but a bundle of that version is {layout}")
            return False
        unknown = sorted(set(data) - fields)
        if unknown:
            report("bundle", f"has fields a bundle does not have: {keys_text(unknown)}")
        if "exported" in data:  # only information, but a bundle is checked whole
            check_time(data["exported"], "exported", report)
        return True

    def bank(self, bank_hash: object, bank_data: object, place: str) -> None:
        if not isinstance(bank_hash, str) or not HASH_PATTERN.fullmatch(bank_hash):
            self.report(place, "is not a bank content hash")
            return
        try:
            self.banks[bank_hash] = check_bank_data(bank_data, bank_hash, place)
        except Damaged as exc:
            self.report(place, exc.reason)

    def record(self, record: object, place: str) -> Record | None:
        """The record with its optional parts filled in, or None when it has a problem."""
        report = self.report
        ref = record.get("bank") if isinstance(record, dict) else None
        bank_hash = ref.get("hash") if isinstance(ref, dict) else None
        bank = self.banks.get(bank_hash) if isinstance(bank_hash, str) else None
        if bank is None:
            report(f"{place}.bank", "names a bank that is not in the bundle's banks")
            return None
        assert isinstance(record, dict) and isinstance(ref, dict)  # the bank was found
        before = len(self.problems)
        check_record(record, bank, place, report)
        if (ref.get("id"), ref.get("version")) != (bank.id, bank.version):
            report(f"{place}.bank", "its id and version do not match the bundled bank")
        ident = record.get("id")
        if isinstance(ident, str):  # any other id is reported by check_record
            if ident in self.seen:
                report(f"{place}.id", f"{ident} appears twice in the bundle")
            self.seen.add(ident)
        if len(self.problems) != before:
            return None
        return completed(record)

    def refuse(self, source: str) -> None:
        """`InvalidBundle` listing the problems, if any were found."""
        if not self.problems:
            return
        found = len(self.problems)
        count = f"{found} problem{'s' if found > 1 else ''}" if not self.more else "many problems"
        lines = [*self.problems, *(["... and possibly more; fix these first"] if self.more else [])]
        raise InvalidBundle(
            f"{source}: this bundle cannot be imported ({count}); nothing was imported", lines
        )


def completed(record: dict[str, Any]) -> Record:
    """A checked record with its optional parts (those of version 2) filled in."""
    return cast(Record, {**RECORD_DEFAULTS, **record, "extra": dict(record.get("extra", {}))})


def check_bundle(data: object, source: str) -> CheckedBundle:
    """Check a whole-file bundle; `InvalidBundle` lists the problems and nothing is written."""
    check = BundleCheck()
    checked = CheckedBundle(check.banks, [])
    with contextlib.suppress(TooMany):  # enough problems found to show
        _check(data, check, checked)
    check.refuse(source)
    return checked


def _check(data: object, check: BundleCheck, checked: CheckedBundle) -> None:
    report = check.report
    if not check.header(data, versions=range(1, BUNDLE_VERSION + 1), fields=TOP_FIELDS):
        return
    assert isinstance(data, dict)  # the header check made sure
    banks, records = data.get("banks"), data.get("assessments")
    if not isinstance(banks, dict):
        report("banks", "must map bank content hashes to banks")
        banks = {}
    if not isinstance(records, list):
        report("assessments", "must be a list of assessments")
        records = []
    for bank_hash, bank_data in banks.items():
        check.bank(bank_hash, bank_data, f"banks.{key_text(bank_hash)[:12]}")
    for n, record in enumerate(records):
        good = check.record(record, f"assessments[{n}]")
        if good is not None:
            checked.records.append(good)
