"""Pseudonymous keys: the same authority gets the same key in every export with one export key.

A dataset without names still has to say which rows belong to the same
authority, so that a body collecting datasets can join this year's export
to last year's. Each name is replaced by HMAC-SHA256 of the name, keyed with
a secret (the *export key*) that the exporting officer keeps in a file: the
same name under the same export key always gives the same pseudonymous key,
and without the export key nobody can work out which authority a key
stands for (not even by trying every council's name, as they could with a
plain hash). Names are normalised first (Unicode NFKC, case folded, runs of
spaces as one), so "Anytown  Borough Council" and "anytown borough council"
agree.

The key file is created when it is missing (the caller tells the officer),
written whole or not at all, readable only by its owner.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assess.domain.errors import BadInput

KEY_BYTES = 32
# A pseudonymous key is the first 128 bits of the HMAC: no two names meet by chance.
KEY_HEX = 32
KEY_ID_HEX = 16
MAX_KEY_FILE = 4096
_HEX_KEY = re.compile(r"[0-9a-f]{64}")
HEADER = (
    "# assess export key. Keep this file private, and give it (--key FILE) for every\n"
    "# dataset you export, so that the same authority gets the same key in each one.\n"
)


class KeyFileProblem(BadInput):
    """An export key file that cannot be read or made."""


def default_key_path() -> Path:
    """Where the export key is kept unless the officer names a file (their user data folder)."""
    from platformdirs import user_data_path

    return user_data_path("assess", appauthor=False) / "export-key.txt"


def normalised(name: str) -> str:
    """A name as it is keyed: NFKC, case folded, spaces collapsed and trimmed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class ExportKey:
    """The secret that pseudonymous keys are made with, and the file it came from."""

    secret: bytes
    path: Path

    def _keyed(self, kind: str, text: str) -> str:
        # The kind keeps an authority and a service of the same name apart.
        message = f"{kind}\x00{text}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()[:KEY_HEX]

    @property
    def key_id(self) -> str:
        """A public fingerprint of the export key: datasets with the same one can be joined."""
        return self._keyed("export key", "")[:KEY_ID_HEX]

    def assessment(self, assessment_id: str) -> str:
        return self._keyed("assessment", assessment_id)

    def authority(self, name: str) -> str:
        return self._keyed("authority", normalised(name))

    def service(self, name: str) -> str | None:
        """The service's key; None for an assessment of no one service."""
        text = normalised(name)
        return self._keyed("service", text) if text else None


def read_key(path: Path) -> ExportKey:
    """The export key in `path`; KeyFileProblem when it is missing or is not a key file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise KeyFileProblem(f"{path}: there is no export key file here") from None
    except IsADirectoryError:
        raise KeyFileProblem(f"{path}: is a folder, not an export key file") from None
    except OSError as exc:
        raise KeyFileProblem(f"{path}: cannot read the export key: {exc.strerror or exc}") from None
    lines = [
        line.strip()
        for line in data.decode("utf-8", errors="replace").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if len(data) > MAX_KEY_FILE or len(lines) != 1 or not _HEX_KEY.fullmatch(lines[0].lower()):
        raise KeyFileProblem(
            f"{path}: is not an export key file (it should hold one line of 64 hexadecimal "
            "characters); give another file with --key, or a new name to make a new key"
        )
    return ExportKey(bytes.fromhex(lines[0]), path)


def load_or_create(path: Path) -> tuple[ExportKey, bool]:
    """The export key in `path`, made first when the file does not exist; (key, made)."""
    if path.exists() or path.is_symlink():
        return read_key(path), False
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise KeyFileProblem(
            f"{path}: cannot make an export key here: {exc.strerror or exc}"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(HEADER + secrets.token_hex(KEY_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # A hard link puts the whole file in place only if nobody made one meanwhile
        # (two exports started at once both use the first key made).
        os.link(temporary, path)
    except FileExistsError:
        return read_key(path), False
    except OSError as exc:
        raise KeyFileProblem(
            f"{path}: cannot make an export key here: {exc.strerror or exc}"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return read_key(path), True
