"""Banks already validated, kept as plain data beside the store's bank copies.

Validating a bank (the pydantic schema and the cross-checks) costs several
times what the rest of `assess answer` or `assess report` does, and a bank's
content never changes: so each is validated once, and what passed is kept as

    banks/checked/<source hash>.json

where the source hash is the SHA-256 of the bytes the bank was read from (for
a store's copy `banks/<hash>.json`, that is its content hash). The file is
one header line, then the bank's canonical JSON (`plain.canonical_bytes`):

    {"format":"assess-checked-bank","version":1,"rules":R,"source":S,"content":C}

A cache is never trusted without its hashes: it is used only when the source
read now has the hash `source`, the data after the header has the hash
`content` (the bank's content hash), and `rules` is the fingerprint of the
code that checks banks now (`loading.rules_fingerprint`), so a cache written
by another version of assess, or before the checks changed, is not used.
Anything else (missing, cut short, edited, not JSON, another format, data
that does not build a bank) is a miss: the bank is validated again and the
cache written afresh. Reading one never raises.

The cache is written only by a process that holds the store's lock (or can
have it at once), and without fsync: a copy lost or torn by a crash fails its
hash check and is made again.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from assess.store.fileio import atomic_write_bytes
from assess.store.files import Damaged, read_bytes
from assess.store.folder import make_subfolder

if TYPE_CHECKING:
    from assess.domain.bank import Bank

CACHE_DIR = "checked"
CACHE_FORMAT = "assess-checked-bank"
CACHE_VERSION = 1


def sha256(data: bytes) -> str:
    import hashlib  # a few ms of every start, and `assess list` reads no bank

    return hashlib.sha256(data).hexdigest()


def cache_path(banks_folder: Path, source_hash: str) -> Path:
    return banks_folder / CACHE_DIR / f"{source_hash}.json"


def read_checked(banks_folder: Path, source_hash: str) -> Bank | None:
    """The bank validated from the source with this hash, if its cache is sound; else None."""
    from assess.domain.bank.loading import bank_from_checked, rules_fingerprint

    rules = rules_fingerprint()
    if not rules:
        return None
    try:
        data = read_bytes(cache_path(banks_folder, source_hash))[0]
    except (OSError, Damaged):
        return None
    head, newline, body = data.partition(b"\n")
    try:
        header = json.loads(head)
        if not (
            newline
            and isinstance(header, dict)
            and header.get("format") == CACHE_FORMAT
            and header.get("version") == CACHE_VERSION
            and header.get("rules") == rules
            and header.get("source") == source_hash
            and header.get("content") == sha256(body)
        ):
            return None
        content = json.loads(body)
        if not isinstance(content, dict):
            return None
        # The hashes say this is what was validated; anything that still will not
        # build a bank (a cache made by hand to match them) is simply not used.
        return bank_from_checked(content, body)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def write_checked(
    banks_folder: Path, source_hash: str, bank: Bank, *, temp_dir: Path | None = None
) -> None:
    """Keep `bank`, validated from the source with this hash (call with the store lock held).

    A cache that cannot be written is no fault: the next reader validates again.
    """
    from assess.domain.bank.loading import rules_fingerprint

    rules = rules_fingerprint()
    if not rules:
        return
    body = bank.canonical
    header = {
        "format": CACHE_FORMAT,
        "version": CACHE_VERSION,
        "rules": rules,
        "source": source_hash,
        "content": sha256(body),
    }
    head = json.dumps(header, separators=(",", ":")).encode("ascii")
    with contextlib.suppress(OSError):
        make_subfolder(banks_folder / CACHE_DIR)
        atomic_write_bytes(
            cache_path(banks_folder, source_hash),
            head + b"\n" + body,
            durable=False,
            temp_dir=temp_dir,
            group_of_folder=True,
        )
