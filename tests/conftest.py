"""Fixtures shared by every test: the shipped bank and a private store folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from assess.domain.bank import Bank, load_bank, load_shipped_bank

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_shipped_bank()


@pytest.fixture(scope="session")
def v1_bank() -> Bank:
    """Version 1.0.0 of the shipped bank, fixed for tests that work figures out by hand."""
    return load_bank(Path(__file__).parent / "fixtures" / "banks" / "partnering-v1.yaml")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store folder of this test's own; also set as ASSESS_DB so nothing touches the real one."""
    path = tmp_path / "store"
    monkeypatch.setenv("ASSESS_DB", str(path))
    return path


@pytest.fixture(autouse=True)
def _no_real_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    # Never let a test read or write the officer's real store.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("ASSESS_DB", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
