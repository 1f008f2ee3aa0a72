"""The domain (bank, answers, scoring, store...) imports neither Textual nor Rich.

The contract is import-linter's, in .importlinter at the repository root. These
tests run it, check that it names every domain module that exists (so a new
module cannot slip past it), and prove that it fails on a package whose domain
module imports Rich.
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
CONTRACT = "importlinter:contract:domain-free-of-ui"
# The user interface: everything else at the top of the package is domain code.
USER_INTERFACE = {"__init__", "__main__", "cli", "commands", "reports", "tui"}

LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))"
)


def _package_dir() -> Path:
    return Path(assess.__file__).resolve().parent


def domain_modules(package: Path) -> set[str]:
    """`assess.X` for every top-level module or subpackage that is not user interface."""
    found = set()
    for entry in package.iterdir():
        if entry.suffix == ".py":
            name = entry.stem
        elif entry.is_dir() and (entry / "__init__.py").exists():
            name = entry.name
        else:
            continue
        if name not in USER_INTERFACE:
            found.add(f"assess.{name}")
    return found


def listed_modules() -> list[str]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return parser[CONTRACT]["source_modules"].split()


def write_config(path: Path, package: Path) -> Path:
    """.importlinter, applied to every domain module that exists in `package`.

    Listed modules that do not exist yet are left out (import-linter refuses to
    check a missing module), and modules not yet listed are put in, so the check
    covers each domain module from the moment it appears.
    """
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    parser[CONTRACT]["source_modules"] = "\n" + "\n".join(sorted(domain_modules(package)))
    with path.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    return path


def lint(config: Path, *, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-c", LINT, str(config)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_the_contract_forbids_textual_and_rich() -> None:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    assert parser[CONTRACT]["type"] == "forbidden"
    assert set(parser[CONTRACT]["forbidden_modules"].split()) == {"textual", "rich"}
    assert "ignore_imports" not in parser[CONTRACT]
    assert parser["importlinter"]["include_external_packages"] == "True"


def test_every_domain_module_is_in_the_contract() -> None:
    missing = domain_modules(_package_dir()) - set(listed_modules())
    assert not missing, f"add these domain modules to source_modules in .importlinter: {missing}"
    assert {"assess.bank", "assess.safeyaml", "assess.answers", "assess.scoring"} <= set(
        listed_modules()
    )


def test_the_domain_keeps_the_contract(tmp_path: Path) -> None:
    config = write_config(tmp_path / "importlinter.ini", _package_dir())
    result = lint(config, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken" in result.stdout


def test_the_contract_catches_a_domain_module_that_imports_rich(tmp_path: Path) -> None:
    # A throwaway copy of the package in which bank.py imports Rich (indirectly, through a
    # helper module, which the contract must follow too).
    copy = tmp_path / "src" / "assess"
    shutil.copytree(_package_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    config = write_config(tmp_path / "importlinter.ini", copy)
    untouched = lint(config, cwd=tmp_path, pythonpath=tmp_path / "src")
    assert untouched.returncode == 0, untouched.stdout + untouched.stderr

    (copy / "pretty.py").write_text('"""Helper."""\nfrom rich.text import Text\n', "utf-8")
    bank = copy / "bank.py"
    bank.write_text(bank.read_text("utf-8") + "\nfrom assess import pretty  # noqa\n", "utf-8")
    broken = lint(config, cwd=tmp_path, pythonpath=tmp_path / "src")
    assert broken.returncode != 0
    assert "BROKEN" in broken.stdout
    assert "assess.bank -> assess.pretty" in broken.stdout
