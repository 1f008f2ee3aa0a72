"""A store folder on disk: what lives where, making it ready, finding assessments, the trash.

    assess-store.json        marks the folder as a store (format version)
    .lock                    the file lock every writer holds
    index.jsonl              the list index, a cache of the assessment files
    assessments/<id>.json    one TinyDB file per assessment
    assessments/<id>.bak     that file's previous version (a hard link)
    banks/<hash>.json        every bank version the store has seen
    trash/<id>.<time>.json   deleted assessments, until restored

Opening a store creates a missing folder, but never adopts a folder that
holds other files: the store removes its own stale temporaries on open, and
only in a folder it has marked as its own.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from assess.store.errors import CorruptStore, StoreError, UnknownAssessment
from assess.store.fileio import atomic_write_bytes, fsync_dir, remove_stale_temporaries
from assess.store.files import Damaged, StatKey, read_json
from assess.store.ids import random_id
from assess.store.index import gc_paused

MARKER = "assess-store.json"
MARKER_FORMAT = "assess-store"
MARKER_VERSION = 1
ASSESSMENTS_DIR = "assessments"
BANKS_DIR = "banks"
TRASH_DIR = "trash"
LOCK_NAME = ".lock"

# An assessment file's name: its id and ".json".
_FILE_NAME = re.compile(r"[0-9a-f]{8}\.json")
# A trash copy's name: the id, the stamp of its deletion, and a number when
# one stamp was used twice (two deletions within one tick of the clock).
_TRASH_NAME = re.compile(r"([0-9a-f]{8})\.(\d{8}T\d{12}Z)(?:-(\d+))?\.json")


class StoreFolder:
    """The paths of one store folder, and what is in its assessments and trash."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.assessments = root / ASSESSMENTS_DIR
        self.banks = root / BANKS_DIR
        self.trash = root / TRASH_DIR
        self.marker = root / MARKER
        self.lock = root / LOCK_NAME

    def file(self, assessment_id: str) -> Path:
        return self.assessments / f"{assessment_id}.json"

    def backup(self, assessment_id: str) -> Path:
        return self.assessments / f"{assessment_id}.bak"

    def scan(self) -> dict[str, StatKey]:
        """Each assessment id in the folder with the identity of its file (no file is read)."""
        files: dict[str, StatKey] = {}
        named = _FILE_NAME.fullmatch
        with gc_paused(), os.scandir(self.assessments) as entries:
            for entry in entries:
                name = entry.name
                if named(name) and entry.is_file():
                    try:
                        stat = entry.stat()
                    except FileNotFoundError:
                        continue
                    # As `files.stat_key`, inline: this runs once per file in the store.
                    files[name[:8]] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        return files

    def trashed(self, prefix: str) -> list[Path]:
        """Trash copies of assessments whose id starts with `prefix`, newest first."""
        found: list[tuple[str, int, Path]] = []
        for path in self.trash.glob(f"{prefix}*.json"):
            match = _TRASH_NAME.fullmatch(path.name)
            if match:
                found.append((match[2], int(match[3] or 0), path))
        found.sort(reverse=True)
        return [path for _, _, path in found]

    def move_to_trash(self, assessment_id: str, stamp: str) -> None:
        """Move an assessment's file and its `.bak` to the trash (lock held).

        `stamp` (from `clock.file_stamp`) is the time of the deletion; a
        number is added when one stamp is used twice, so no copy in the trash
        is ever replaced.
        """
        for n in range(1000):
            base = f"{assessment_id}.{stamp}" + (f"-{n}" if n else "")
            if not any((self.trash / f"{base}{s}").exists() for s in (".json", ".bak")):
                break
        else:
            raise StoreError(f"{self.trash}: could not find a free name to keep {assessment_id}")
        backup = self.backup(assessment_id)
        if backup.exists():
            os.replace(backup, self.trash / f"{base}.bak")
        os.replace(self.file(assessment_id), self.trash / f"{base}.json")
        fsync_dir(self.trash)
        fsync_dir(self.assessments)

    def take_from_trash(self, prefix: str) -> str:
        """Put back the most recently deleted copy of the one assessment matching `prefix`.

        Returns its id (lock held). Refuses when the prefix matches no deleted
        assessment, or several, or when the id is in use again.
        """
        ids = sorted({p.name[:8] for p in self.trashed(prefix)})
        if not ids:
            raise UnknownAssessment(f"no deleted assessment with id {prefix} in {self.trash}")
        if len(ids) > 1:
            raise UnknownAssessment(
                f"{prefix!r} matches {len(ids)} deleted assessments; type more of the id"
            )
        found = ids[0]
        path = self.file(found)
        if path.exists():
            raise StoreError(
                f"assessment {found} is in the store already (imported again since it "
                "was deleted); delete that one first to bring the old one back"
            )
        newest = self.trashed(found)[0]
        backup = newest.with_suffix(".bak")
        os.replace(newest, path)
        if backup.exists():
            os.replace(backup, self.backup(found))
        fsync_dir(self.assessments)
        fsync_dir(self.trash)
        return found

    def new_id(self) -> str:
        """An id used by no assessment, live or deleted (lock held)."""
        for _ in range(1000):
            candidate = random_id()
            if not self.file(candidate).exists() and not self.trashed(candidate):
                return candidate
        raise StoreError(f"{self.root}: could not find a free assessment id")

    def resolve(self, prefix: str) -> str:
        """The full id of the one assessment whose id starts with a tidied `prefix`."""
        if len(prefix) == 8 and self.file(prefix).exists():
            return prefix
        matches = sorted(i for i in self.scan() if i.startswith(prefix))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (" ..." if len(matches) > 5 else "")
            raise UnknownAssessment(
                f"{prefix!r} matches {len(matches)} assessments ({shown}); type more of the id"
            )
        trashed = sorted({p.name[:8] for p in self.trashed(prefix)})
        if len(trashed) == 1:
            raise UnknownAssessment(
                f"assessment {trashed[0]} was deleted; `assess restore {trashed[0]}` brings it back"
            )
        raise UnknownAssessment(f"no assessment with id {prefix} in the store {self.root}")


def make_folder(root: Path) -> None:
    """Create the store folder if it is missing; refuse a file, or a folder of other files."""
    if root.exists() and not root.is_dir():
        raise StoreError(f"{root}: is a file; the store must be a folder")
    if root.is_dir() and not (root / MARKER).exists():
        others = [n for n in os.listdir(root) if n not in (LOCK_NAME, ASSESSMENTS_DIR)]
        if others and not (root / ASSESSMENTS_DIR).is_dir():
            raise StoreError(
                f"{root}: this folder holds other files and is not an assess store; "
                "give a new or empty folder"
            )
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{root}: cannot create the store folder: {exc.strerror}") from None


def prepare(folder: StoreFolder) -> None:
    """Mark the folder as a store, make its sub-folders and remove stale temporaries.

    Call it holding the store lock: a live writer's temporary looks exactly
    like a dead one's.
    """
    marker = folder.marker
    try:
        data, _ = read_json(marker)
    except FileNotFoundError:
        text = f'{{"format":"{MARKER_FORMAT}","format_version":{MARKER_VERSION}}}\n'
        atomic_write_bytes(marker, text.encode())
    except Damaged as exc:
        raise CorruptStore(
            f"{marker}: the store's marker file cannot be read ({exc.reason}); it has "
            "been left as it is. Move it out of the folder and assess will write a new one.",
            path=str(marker),
        ) from None
    else:
        if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT:
            raise StoreError(f"{marker}: this is not an assess store marker")
        version = data.get("format_version")
        if not isinstance(version, int) or version > MARKER_VERSION:
            raise StoreError(
                f"{folder.root}: this store was made by a newer version of assess; upgrade"
            )
    subfolders = (folder.assessments, folder.trash, folder.banks)
    for sub in subfolders:
        sub.mkdir(exist_ok=True)
    for sub in (folder.root, *subfolders):
        remove_stale_temporaries(sub)
