"""Fixtures for the dataset tests: a store with planted names, and 500 authorities' datasets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from benchmarks.peers_data import Made, export_datasets, make_peer_store

from assess.store import Store
from tests.dataset.support import planted_store

AUTHORITIES = 500
PERIODS = 4
GROUPS = 5


@dataclass(frozen=True)
class PeerWorld:
    """500 synthetic authorities × 4 periods in one store, exported to five dataset folders."""

    store: Path
    made: list[Made]
    folders: list[Path]
    keys: list[Path]  # the export key of each folder

    def key_of(self, made: Made) -> Path:
        return self.keys[made.group]


@pytest.fixture(scope="session")
def peer_world(tmp_path_factory: pytest.TempPathFactory) -> PeerWorld:
    root = tmp_path_factory.mktemp("peers")
    made = make_peer_store(root / "store", authorities=AUTHORITIES, groups=GROUPS)
    assert len(made) == AUTHORITIES * PERIODS
    folders = export_datasets(root / "store", made, root / "out")
    keys = [root / "out" / "keys" / f"group-{g}.txt" for g in range(GROUPS)]
    return PeerWorld(root / "store", made, folders, keys)


@dataclass(frozen=True)
class Planted:
    store: Path
    ids: list[str]


@pytest.fixture
def planted(tmp_path: Path) -> Planted:
    _, ids = planted_store(tmp_path / "store")
    return Planted(tmp_path / "store", ids)


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """A store of the planted assessments and a dataset of them: (store, dataset folder, ids).

    Tests that break a dataset copy the folder first.
    """
    from benchmarks.peers_data import EXPORT_DAY, EXPORT_TIME

    from assess.dataset.export import write_dataset
    from assess.dataset.keys import load_or_create

    root = tmp_path_factory.mktemp("small")
    store, ids = planted_store(root / "store")
    key, _ = load_or_create(root / "key.txt")
    folder = root / "dataset"
    write_dataset(
        ids,
        store.get,
        folder,
        key,
        with_names=False,
        today=EXPORT_DAY,
        created=EXPORT_TIME,
    )
    assert isinstance(store, Store)
    return root / "store", folder, ids
