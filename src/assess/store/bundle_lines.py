"""Bundles of JSON lines (format version 3): written and read one record at a time.

A bundle of lines is UTF-8 text, one compact JSON object a line:

    {"format":"assess-bundle","format_version":3,"exported":TIME}
    {"bank":HASH,"content":BANK}                one per bank, before its first use
    {"assessment":RECORD}                       one per assessment (`records.Record`)
    {"end":{"banks":N,"assessments":M}}         the last line: a cut-short file is refused

Why lines: the whole-file bundle (version 2) was built in memory and written
through `json.dumps(indent=1)`, which falls back to CPython's pure-Python
encoder; 10,000 assessments took 29 s and 3 GB, and 50,000 did not fit in 8
GB. Lines are encoded by the C encoder (compact, no indent), and memory is
that of one record whatever the number of assessments. The size cap is per
line (`MAX_LINE_BYTES`), not per bundle.

Reading (`scan`) is the first of two passes over the file: every line is
checked as untrusted input (the same `BundleCheck` as a whole-file bundle,
each answer checked once), and only what the second pass needs is kept:
where each record's line starts, its length and a digest of its bytes, its
id and its bank. Nothing is written unless the whole bundle passes. The
second pass (`Scan.record`) reads each record again and refuses one whose
bytes are not those checked (the file changed in between), so nothing
unchecked is ever written.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from assess.domain.errors import BadInput
from assess.domain.safejson import parse_json_text
from assess.store.bundle import BUNDLE_FORMAT, LINES_VERSION, BundleCheck, TooMany, completed
from assess.store.checks import key_text
from assess.store.errors import InvalidBundle, StoreError
from assess.store.fileio import BundleOut
from assess.store.records import Record

if TYPE_CHECKING:
    from assess.domain.bank import Bank

# One line holds one assessment with its whole history: the longest history a
# bundle may carry (`checks.MAX_HISTORY` entries) fits, a padded one does not.
MAX_LINE_BYTES = 64 * 1024 * 1024
# The header is a few dozen bytes; a first line longer than this is not one.
MAX_HEADER_BYTES = 64 * 1024
HEADER_FIELDS = {"format", "format_version", "exported"}
_DIGEST_BYTES = 16


def _line(value: object) -> bytes:
    # Compact separators and no indent keep json on its C encoder.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


class BundleWriter:
    """Writes a bundle of lines to `out`, one record at a time."""

    def __init__(self, out: BundleOut, *, exported: str) -> None:
        self.out = out
        self.banks: set[str] = set()
        self.count = 0
        header = {"format": BUNDLE_FORMAT, "format_version": LINES_VERSION, "exported": exported}
        out.write(_line(header))

    def add(self, record: Record, bank: Bank) -> None:
        """One assessment, after its bank's line if this is the bank's first use."""
        bank_hash = bank.content_hash
        if bank_hash not in self.banks:
            # The bank in its canonical order (that of the form its hash is of),
            # whether it was read from a store's copy or validated from its file
            # just now: the same store then always gives the same bundle.
            content = json.loads(bank.canonical)
            self.out.write(_line({"bank": bank_hash, "content": content}))
            self.banks.add(bank_hash)
        line = _line({"assessment": record})
        if len(line) > MAX_LINE_BYTES:
            # A bundle no store would import is not worth writing.
            raise StoreError(
                f"assessment {record['id']} is larger than {MAX_LINE_BYTES // (1024 * 1024)} MB "
                "as a bundle record, more than an import accepts; nothing was exported"
            )
        self.out.write(line)
        self.count += 1

    def finish(self) -> None:
        self.out.write(_line({"end": {"banks": len(self.banks), "assessments": self.count}}))


def open_lines(path: Path) -> BinaryIO | None:
    """`path` opened for reading if it is a bundle of lines; None for any other file.

    Anything else (a whole-file bundle, a file that cannot be read, a FIFO
    or a device) is left to the whole-file reader, which says what is wrong.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - returned open for the caller to close
    except OSError:
        return None
    try:
        if not stat_module.S_ISREG(os.fstat(handle.fileno()).st_mode):
            handle.close()
            return None
        first = handle.readline(MAX_HEADER_BYTES)
        handle.seek(0)
    except OSError:
        handle.close()
        return None
    if _is_header(first):
        return handle
    handle.close()
    return None


def _is_header(first: bytes) -> bool:
    if not first.endswith(b"\n") or not first.lstrip().startswith(b"{"):
        return False
    try:
        value = parse_json_text(first.decode("utf-8-sig"), "bundle", "bundle")
    except (BadInput, UnicodeDecodeError):
        return False
    # A mapping alone on the first line, not a whole-file bundle written on one line: the
    # header's own check then says what is wrong with it (another format, a newer version).
    return isinstance(value, dict) and not {"banks", "assessments"} & set(value)


@dataclass
class Scan:
    """What the first pass kept of a checked bundle of lines: enough to read each record again."""

    source: str
    banks: dict[str, Bank] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    # Per record: where its line starts, its length, its bank, the digest of its bytes.
    starts: array[int] = field(default_factory=lambda: array("q"))
    lengths: array[int] = field(default_factory=lambda: array("q"))
    bank_of: list[str] = field(default_factory=list)
    digests: bytearray = field(default_factory=bytearray)

    def bank(self, n: int) -> Bank:
        return self.banks[self.bank_of[n]]

    def record(self, handle: BinaryIO, n: int) -> Record:
        """Record `n`, read again; StoreError if its bytes are not those checked."""
        handle.seek(self.starts[n])
        data = handle.read(self.lengths[n])
        digest = hashlib.blake2b(data, digest_size=_DIGEST_BYTES).digest()
        if digest != self.digests[n * _DIGEST_BYTES : (n + 1) * _DIGEST_BYTES]:
            raise StoreError(
                f"{self.source}: the bundle changed while it was being imported (another "
                "program is writing it); what was imported before it changed is kept, and "
                "importing the finished bundle again adds the rest"
            )
        # The very bytes the first pass checked (duplicate keys and all), so a plain parse.
        return completed(json.loads(data)["assessment"])


def _lines(handle: BinaryIO, source: str) -> Iterator[tuple[int, int, bytes]]:
    """(line number, offset, bytes) of each line, each within the cap."""
    offset = 0
    number = 0
    while True:
        data = handle.readline(MAX_LINE_BYTES + 1)
        if not data:
            return
        number += 1
        if len(data) > MAX_LINE_BYTES:
            raise InvalidBundle(
                f"{source}, line {number}: the line is larger than "
                f"{MAX_LINE_BYTES // (1024 * 1024)} MB; refusing to read it; nothing was imported"
            )
        yield number, offset, data
        offset += len(data)


def _parse(data: bytes, where: str, *, first: bool = False) -> Any:
    """One line's value (a blank line is None); `BadInput` for text no bundle holds."""
    if b"\x00" in data:
        raise BadInput(f"{where}: the bundle contains NUL bytes; it is not a text file")
    try:
        text = data.decode("utf-8-sig" if first else "utf-8")  # an editor's BOM, at the start
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"{where}: the bundle is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be "
            "read); save it as UTF-8"
        ) from None
    if not text.strip():
        return None
    return parse_json_text(text, where, "bundle")


def scan(handle: BinaryIO, source: str) -> Scan:
    """The first pass: check every line; `InvalidBundle` lists the problems, nothing is kept."""
    check = BundleCheck()
    found = Scan(source, check.banks)
    try:
        _scan(handle, source, check, found)
    except TooMany:
        pass
    except BadInput as exc:  # a line that is not JSON: nothing after it can be trusted
        raise InvalidBundle(f"{exc.message}; nothing was imported", exc.problems) from None
    except OSError as exc:
        raise InvalidBundle(
            f"{source}: cannot read the bundle: {exc.strerror or exc}; nothing was imported"
        ) from None
    check.refuse(source)
    return found


def _scan(handle: BinaryIO, source: str, check: BundleCheck, found: Scan) -> None:
    report = check.report
    end: object = None
    records = 0
    for number, offset, data in _lines(handle, source):
        where = f"line {number}"
        value = _parse(data, f"{source}, {where}", first=number == 1)
        if number == 1:
            if not check.header(
                value, versions=range(LINES_VERSION, LINES_VERSION + 1), fields=HEADER_FIELDS
            ):
                return
            continue
        if value is None:
            continue  # a blank line, as an editor may leave at the end
        if end is not None:
            report(where, "comes after the bundle's last line")
            return
        if not isinstance(value, dict) or len(value) not in (1, 2):
            report(where, "is not a bank, an assessment or the bundle's last line")
            continue
        if "assessment" in value and len(value) == 1:
            place = f"{where}, assessments[{records}]"
            record = check.record(value["assessment"], place)
            records += 1
            if record is not None:
                found.ids.append(record["id"])
                found.starts.append(offset)
                found.lengths.append(len(data))
                found.bank_of.append(record["bank"]["hash"])
                found.digests += hashlib.blake2b(data, digest_size=_DIGEST_BYTES).digest()
        elif set(value) == {"bank", "content"}:
            bank_hash = value["bank"]
            place = f"{where}, banks.{key_text(bank_hash)[:12]}"
            if isinstance(bank_hash, str) and bank_hash in check.banks:
                report(place, "appears twice in the bundle")
                continue
            check.bank(bank_hash, value["content"], place)
        elif "end" in value and len(value) == 1:
            end = value["end"]
            expected = {"banks": len(check.banks), "assessments": records}
            if end != expected:
                said, held = _counts(end), _counts(expected)
                report(where, f"says the bundle holds {said}, but it holds {held}")
        else:
            report(where, "is not a bank, an assessment or the bundle's last line")
    if end is None and not check.problems:
        report(source, "is cut short (its last line is missing); it may not have been copied whole")


def _counts(value: object) -> str:
    if not isinstance(value, dict):
        return "something other than counts"
    banks, assessments = key_text(value.get("banks")), key_text(value.get("assessments"))
    return f"{banks} bank(s) and {assessments} assessment(s)"
