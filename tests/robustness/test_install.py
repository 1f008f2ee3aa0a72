"""A real install finds its question bank: the wheel carries questions/ inside the package.

Builds a fresh virtual environment, installs the project the way a new user
would (`pip install <project>`, not editable, with the build backend fetched
by pip), and runs the installed `assess` from outside the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.robustness


def _run(argv: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_pip_install_ships_the_bank(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = _run([str(python), "-m", "pip", "install", "--quiet", str(REPO)], tmp_path, 900)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]

    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        tmp_path,
        60,
    )
    site_packages = Path(site.stdout.strip()).resolve()
    assert site_packages.is_relative_to(env_dir.resolve())
    installed_bank = site_packages / "assess" / "questions" / "partnering.yaml"
    assert installed_bank.is_file()
    assert installed_bank.read_bytes() == (REPO / "questions" / "partnering.yaml").read_bytes()

    assess = str(env_dir / "bin" / "assess")
    listed = _run([assess, "questions", "list"], tmp_path, 120)
    assert listed.returncode == 0, listed.stderr
    assert f"File: {installed_bank}" in listed.stdout
    assert "R-LEAD-OWNERSHIP" in listed.stdout and "S-EXPLORE" in listed.stdout

    validated = _run([assess, "questions", "validate"], tmp_path, 120)
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith(f"OK {installed_bank}: partnering-readiness ")

    # The same bank, byte for byte, as the checkout's: the hash printed matches ours.
    ours = subprocess.run(
        [sys.executable, "-m", "assess", "questions", "validate"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ours.returncode == 0, ours.stderr
    assert validated.stdout.split("(hash ")[1] == ours.stdout.split("(hash ")[1]
