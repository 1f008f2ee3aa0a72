"""The cache of validated banks beside the store's copies: used only when its hashes prove it.

A bank is validated once per content and kept in `banks/checked/`; later reads
build the bank from that plain data without validating. Every way the cache
can be wrong (missing, cut short, garbage, another format, made by other
checking rules, for another source, its data edited, a link in its place, or
hashes that match data that is no bank) must be noticed: the copy is then
validated as if there were no cache, and the cache written afresh. None of
it may fail a read.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assess.domain.bank import Bank, shipped_bank_path
from assess.store import Store, bank_cache, banks
from tests.store.support import edited_bank


@pytest.fixture(autouse=True)
def _no_process_memory() -> Iterator[None]:
    """Each read as a new process makes it: nothing remembered from an earlier read."""
    banks._BANKS.clear()
    banks._VERIFIED.clear()
    yield
    banks._BANKS.clear()
    banks._VERIFIED.clear()


def _forget() -> None:
    banks._BANKS.clear()
    banks._VERIFIED.clear()


class Validations:
    """Counts the banks validated in full (the schema and the cross-checks)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = banks.check_bank_data

        def counted(data: object, bank_hash: str, source: str) -> Bank:
            self.count += 1
            return real(data, bank_hash, source)

        monkeypatch.setattr(banks, "check_bank_data", counted)


def _made(db: Path, bank: Bank) -> tuple[str, Path]:
    made = Store.open(db).create(authority="Kent")
    cache = db / "banks" / "checked" / f"{bank.content_hash}.json"
    return made.id, cache


def _read(db: Path, assessment_id: str) -> Bank:
    _forget()
    return Store.open(db).get(assessment_id).bank


def test_a_kept_bank_is_cached_and_read_back_without_validating(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, cache = _made(db, bank)
    head, _, body = cache.read_bytes().partition(b"\n")
    header = json.loads(head)
    assert header["source"] == header["content"] == bank.content_hash
    assert body == (db / "banks" / f"{bank.content_hash}.json").read_bytes()
    validations = Validations(monkeypatch)
    got = _read(db, made)
    assert validations.count == 0
    assert got == bank and got.to_data() == bank.to_data()
    assert [q.id for q in got.questions] == [q.id for q in bank.questions]


def _edit_body(data: bytes) -> bytes:
    # A weight changed in the data, the header left as it was.
    return data.replace(b'"weight":3', b'"weight":1', 1)


def _edit_and_rehash(data: bytes) -> bytes:
    # The data changed and its hash worked out again: no longer the copy's content.
    head, _, body = data.partition(b"\n")
    body = _edit_body(body)
    header = json.loads(head)
    header["content"] = hashlib.sha256(body).hexdigest()
    return json.dumps(header).encode() + b"\n" + body


def _header_field(name: str, value: object) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        header[name] = value
        return json.dumps(header).encode() + b"\n" + body

    return edit


BAD_CACHES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "cut short": lambda data: data[: len(data) // 2],
    "header only": lambda data: data.partition(b"\n")[0],
    "garbage": lambda data: os.urandom(300),
    "NUL bytes": lambda data: b"\x00" * len(data),
    "not JSON": lambda data: b"checked!\n" + data.partition(b"\n")[2],
    "a list for a header": lambda data: b"[]\n" + data.partition(b"\n")[2],
    "data edited": _edit_body,
    "data edited, hash made again": _edit_and_rehash,
    "another format": _header_field("format", "something-else"),
    "another cache version": _header_field("version", 99),
    "other checking rules": _header_field("rules", "0" * 64),
    "no rules": _header_field("rules", None),
    "another source": _header_field("source", "0" * 64),
    "data that is not a mapping": lambda data: _header_field(
        "content", hashlib.sha256(b"[1, 2]").hexdigest()
    )(data.partition(b"\n")[0] + b"\n[1, 2]"),
}


@pytest.mark.parametrize("kind", sorted(BAD_CACHES))
def test_a_bad_cache_is_never_trusted_and_is_made_again(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    made, cache = _made(db, bank)
    good = cache.read_bytes()
    cache.write_bytes(BAD_CACHES[kind](good))
    validations = Validations(monkeypatch)
    _forget()
    store = Store.open(db)
    got = store.get(made).bank
    assert validations.count == 1  # validated, as if there were no cache
    assert got == bank and got.criteria[0].weight == bank.criteria[0].weight
    assert store.take_warnings() == []  # the cache is no store file: nothing to warn about
    assert cache.read_bytes() == good  # made again, by the reader that could lock the store
    _forget()
    assert Store.open(db).get(made).bank == bank
    assert validations.count == 1  # and used from then on


def test_hashes_that_match_data_that_is_no_bank_are_not_trusted(db: Path, bank: Bank) -> None:
    _made(db, bank)
    folder = db / "banks"
    body = json.dumps({"id": "x"}).encode()
    source = hashlib.sha256(body).hexdigest()
    bank_cache.write_checked(folder, source, bank)  # a sound header, to copy the rules from
    path = bank_cache.cache_path(folder, source)
    header = json.loads(path.read_bytes().partition(b"\n")[0])
    header["content"] = source
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert bank_cache.read_checked(folder, source) is None


def test_a_link_in_the_place_of_the_cache_is_not_followed(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    made, cache = _made(db, bank)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(cache.read_bytes())
    cache.unlink()
    cache.symlink_to(elsewhere)
    validations = Validations(monkeypatch)
    assert _read(db, made) == bank
    assert validations.count == 1


def test_a_copy_not_as_the_store_writes_it_is_validated_each_time(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same content laid out differently: still the bank, but its bytes are not
    # the ones its cache was made from, so the cache is not what vouches for it.
    made, _ = _made(db, bank)
    copy = db / "banks" / f"{bank.content_hash}.json"
    copy.write_text(json.dumps(json.loads(copy.read_bytes()), indent=2), "utf-8")
    validations = Validations(monkeypatch)
    assert _read(db, made) == bank
    assert _read(db, made) == bank
    assert validations.count == 2


def test_a_cache_made_by_other_checking_rules_is_not_used(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, cache = _made(db, bank)
    from assess.domain.bank import loading

    monkeypatch.setattr(loading, "rules_fingerprint", lambda: "1" * 64)
    validations = Validations(monkeypatch)
    assert _read(db, made) == bank
    assert validations.count == 1
    assert json.loads(cache.read_bytes().partition(b"\n")[0])["rules"] == "1" * 64


def test_the_rules_fingerprint_names_the_checking_code() -> None:
    from assess.domain.bank import loading

    fingerprint = loading.rules_fingerprint()
    assert len(fingerprint) == 64
    assert "checks.py" in loading._RULES_FILES and "models.py" in loading._RULES_FILES


def test_a_reader_that_cannot_lock_the_store_writes_no_cache(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, cache = _made(db, bank)
    cache.unlink()
    store = Store.open(db)
    with store._writing():  # another writer at work: the reader goes on without caching
        _forget()
        assert Store.open(db).get(made).bank == bank
    assert not cache.exists()


def test_every_kept_bank_version_is_cached(db: Path, bank: Bank) -> None:
    other, _ = edited_bank(bank)
    store = Store.open(db)
    store.create(authority="A")
    store.create(authority="B", bank=other)
    checked = sorted(p.name for p in (db / "banks" / "checked").iterdir())
    # ... and the shipped bank also under the hash of its YAML file, which the store
    # read it from: the next run finds it without validating the YAML.
    yaml_hash = hashlib.sha256(shipped_bank_path().read_bytes()).hexdigest()
    assert checked == sorted(
        f"{h}.json" for h in (bank.content_hash, other.content_hash, yaml_hash)
    )


class YamlLoads:
    """Counts the shipped bank file validated in full (read from its YAML)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from assess.domain import bank as bank_package

        self.count = 0
        real = bank_package.load_bank

        def counted(path: Path) -> Bank:
            self.count += 1
            return real(path)

        monkeypatch.setattr(bank_package, "load_bank", counted)


def _made_as_new_leaves_it(db: Path) -> Path:
    """A store as `assess new` leaves one it made; the path of its missing YAML cache.

    The bank was validated before the store existed, so it is not kept under
    its file's hash.
    """
    Store.open(db).create(authority="Kent")
    yaml_hash = hashlib.sha256(shipped_bank_path().read_bytes()).hexdigest()
    cache = db / "banks" / "checked" / f"{yaml_hash}.json"
    cache.unlink()
    return cache


@pytest.fixture
def _runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each `Store.open` as a new process: no bank file remembered either."""
    monkeypatch.setattr(banks, "_FILES", {})
    yield


def test_a_reading_run_caches_the_shipped_bank_for_the_next(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch, _runs: None
) -> None:
    cache = _made_as_new_leaves_it(db)
    loads = YamlLoads(monkeypatch)
    for _ in range(3):  # three reading runs, such as `assess report --answers FILE`
        banks._FILES.clear()
        assert Store.open(db).current_bank() == bank
    assert loads.count == 1
    assert cache.exists()


def test_a_reading_run_that_cannot_lock_leaves_the_shipped_bank_uncached(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch, _runs: None
) -> None:
    cache = _made_as_new_leaves_it(db)
    loads = YamlLoads(monkeypatch)
    with Store.open(db)._writing():  # another writer at work
        banks._FILES.clear()
        assert Store.open(db).current_bank() == bank
    assert loads.count == 1 and not cache.exists()
