"""The package's layers, its store's front door and the absence of import circles.

The contracts are import-linter's, in .importlinter at the repository root:
command line and app above reports, reports above the store, the store above
the domain; nothing outside `assess.store` imports a module inside it; no two
modules of a package import each other in a circle; and the domain imports no
user-interface or storage library. These tests run the contracts on the real
package, check that every top-level part of the package is in a layer, and
prove on a throwaway copy that each kind of breach is caught.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import assess
from tests.helpers import REPO

CONFIG = REPO / ".importlinter"

LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))"
)


def _package_dir() -> Path:
    return Path(assess.__file__).resolve().parent


def _config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return parser


def lint(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-c", LINT, str(CONFIG)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=180,
    )


def test_every_part_of_the_package_is_in_a_layer() -> None:
    layers = _config()["importlinter:contract:layers"]["layers"].split()
    parts = {
        f"assess.{entry.stem if entry.suffix == '.py' else entry.name}"
        for entry in _package_dir().iterdir()
        if (entry.suffix == ".py" and entry.stem != "__init__")
        or (entry.is_dir() and (entry / "__init__.py").exists())
    }
    assert parts <= set(layers), f"put these in a layer in .importlinter: {parts - set(layers)}"
    assert layers[-3:] == ["assess.reports", "assess.store", "assess.domain"]


def test_the_domain_contract_forbids_ui_and_storage_libraries() -> None:
    contract = _config()["importlinter:contract:domain-pure"]
    assert contract["source_modules"].split() == ["assess.domain"]
    assert {"textual", "rich", "click", "tinydb"} <= set(contract["forbidden_modules"].split())
    assert _config()["importlinter"]["include_external_packages"] == "True"
    assert not any("ignore_imports" in _config()[s] for s in _config().sections())


def test_the_package_keeps_every_contract(tmp_path: Path) -> None:
    result = lint(cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = sum(1 for s in _config().sections() if s.startswith("importlinter:contract:"))
    assert f"Contracts: {contracts} kept, 0 broken" in result.stdout


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "src" / "assess"
    shutil.copytree(_package_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text("utf-8") + f"\n{line}  # noqa\n", "utf-8")


def test_each_kind_of_breach_is_caught(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    assert lint(cwd=tmp_path, pythonpath=tmp_path / "src").returncode == 0
    # The domain reaching Rich through a helper module of its own.
    (copy / "domain" / "pretty.py").write_text('"""Helper."""\nfrom rich.text import Text\n')
    _append(copy / "domain" / "scoring.py", "from assess.domain import pretty")
    # The store reaching up into the reports.
    _append(copy / "store" / "listing.py", "import assess.reports")
    # A screen reaching past the store's front door.
    _append(copy / "tui" / "session.py", "import assess.store.lock")
    # A circle between two domain modules.
    _append(copy / "domain" / "answers.py", "import assess.domain.scoring")
    result = lint(cwd=tmp_path, pythonpath=tmp_path / "src")
    assert result.returncode != 0
    out = result.stdout
    assert "assess.domain.scoring -> assess.domain.pretty" in out
    assert "assess.store.listing -> assess.reports" in out
    assert "assess.tui.session -> assess.store.lock" in out
    assert "No cycles are allowed in assess.domain" in out
