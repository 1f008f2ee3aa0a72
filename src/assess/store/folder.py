"""A store folder on disk: what lives where, making it, finding assessments, the trash.

    assess-store.json        marks the folder as a store (format version)
    .lock                    the file lock every writer holds
    index.jsonl              the list index, a cache of the assessment files
    index-snapshot.json      a large store's index as compact columns, a cache of the index
    assessments/<id>.json    one TinyDB file per assessment
    assessments/<id>.bak     that file's previous version (a hard link)
    assessments/<id>.history the older history of the assessment, append-only
    banks/<hash>.json        every bank version the store has seen
    trash/<id>.<time>.json   deleted assessments, until restored
    tmp/                     the store's temporary files, before each is renamed into place

What is a store. Only a folder holding the marker is a store. A command
that only reads never makes one (nor anything else in it); one that adds
assessments makes the folder when it is missing, or marks an empty one, and
refuses a folder that holds other files: assess never adopts, or tidies, a
folder of someone else's files.

Every file and folder the store makes takes the store folder's group
(`fileio`), so colleagues sharing a store through a group can all use it.
Store files are never read through a symbolic link, and never waited on
when something other than a regular file stands in their place (`files`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat as stat_module
from pathlib import Path

from assess.store.errors import CorruptStore, StoreError, UnknownAssessment
from assess.store.fileio import atomic_write_bytes, fsync_dir
from assess.store.files import Damaged, read_json
from assess.store.ids import random_id
from assess.store.lock import HOLDER_BLANK, open_lock_file

MARKER = "assess-store.json"
MARKER_FORMAT = "assess-store"
MARKER_VERSION = 1
ASSESSMENTS_DIR = "assessments"
BANKS_DIR = "banks"
TRASH_DIR = "trash"
TMP_DIR = "tmp"
LOCK_NAME = ".lock"
MARKER_TEXT = f'{{"format":"{MARKER_FORMAT}","format_version":{MARKER_VERSION}}}\n'

# An assessment file's name: its id and ".json".
FILE_NAME = re.compile(r"[0-9a-f]{8}\.json")
_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_ID = re.compile(r"[0-9a-f]{8}")
_ID_RUN = re.compile(r"[0-9a-f]*")
# A temporary an earlier version of assess wrote beside the assessment files
# (mkstemp's random part); newer versions write theirs in tmp/.
OLD_TEMP_NAME = re.compile(r"\.tmp-[0-9a-f]{8}\.(?:json|bak)\.[a-z0-9_]{8}")
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
        self.tmp = root / TMP_DIR
        self.marker = root / MARKER
        self.lock = root / LOCK_NAME

    def file(self, assessment_id: str) -> Path:
        return self.assessments / f"{assessment_id}.json"

    def backup(self, assessment_id: str) -> Path:
        return self.assessments / f"{assessment_id}.bak"

    def log(self, assessment_id: str) -> Path:
        """The append-only log of the assessment's older history (`history`)."""
        return self.assessments / f"{assessment_id}.history"

    def scan(self) -> tuple[dict[str, int], list[str]]:
        """Each assessment file with its identity, and the names of stale old temporaries.

        The identity is the file's inode, size and mtime as one number (as
        `index.identity` makes it). One stat per file, none followed through
        a link. A name that is not a regular file (a link, a FIFO, a folder)
        gets the identity 0, which no file has, so listing reads it and
        reports why it cannot be used.

        Why a stat and not only the inode the folder's entries give for free:
        the store replaces a file by rename, so each of its saves gives a new
        inode, but not everything that changes a file does. A file damaged in
        place (cut short by a full disk or a tool, copied over with `cp`,
        edited by an editor that writes in place, as most do for a file
        with a second link such as our `.bak`) keeps its inode; its size and
        mtime are what tell listing to read it again and say it is damaged.
        """
        files: dict[str, int] = {}
        stale: list[str] = []
        with contextlib.ExitStack() as stack:
            try:
                entries = stack.enter_context(os.scandir(self._scan_target(stack)))
            except FileNotFoundError:
                return files, stale
            regular = stat_module.S_ISREG
            for entry in entries:
                name = entry.name
                # The cheap test here, as this runs once per file in the store;
                # the ids are checked all at once at the end.
                if len(name) == 13 and name[8:] == ".json":
                    try:
                        stat = entry.stat(follow_symlinks=False)
                    except FileNotFoundError:
                        continue
                    if regular(stat.st_mode):
                        # As `index.identity`, inline: this runs once per file.
                        files[name[:8]] = (
                            (stat.st_ino << 128)
                            | (stat.st_size << 64)
                            | (stat.st_mtime_ns & 0xFFFF_FFFF_FFFF_FFFF)
                        )
                    else:
                        files[name[:8]] = 0
                elif name.startswith(".tmp-") and OLD_TEMP_NAME.fullmatch(name):
                    stale.append(name)
        if _ID_RUN.fullmatch("".join(files)) is None:  # a name of eight other characters
            files = {i: key for i, key in files.items() if _ID.fullmatch(i)}
        return files, stale

    def _scan_target(self, stack: contextlib.ExitStack[bool | None]) -> int | Path:
        """The assessments folder for `os.scandir`: as an open descriptor where it can be.

        Through the descriptor, each stat is of a name in the folder, not of a
        whole path walked again from the root (a sixth quicker for a large store).
        """
        if os.scandir not in os.supports_fd:
            return self.assessments
        fd = os.open(self.assessments, _DIRECTORY_FLAGS)
        stack.callback(os.close, fd)
        return fd

    def ids(self) -> list[str]:
        """The ids of the assessment files, read from the folder's entries alone (no stat)."""
        named = FILE_NAME.fullmatch
        try:
            with os.scandir(self.assessments) as entries:
                return [e.name[:8] for e in entries if named(e.name)]
        except FileNotFoundError:
            return []

    def exists(self, assessment_id: str) -> bool:
        return os.path.lexists(self.file(assessment_id))

    def trashed(self, prefix: str) -> list[Path]:
        """Trash copies of assessments whose id starts with `prefix`, newest first."""
        found: list[tuple[str, int, Path]] = []
        try:
            names = os.listdir(self.trash)
        except FileNotFoundError:
            return []
        for name in names:
            match = _TRASH_NAME.fullmatch(name)
            if match and name.startswith(prefix):
                found.append((match[2], int(match[3] or 0), self.trash / name))
        found.sort(reverse=True)
        return [path for _, _, path in found]

    def move_to_trash(self, assessment_id: str, stamp: str) -> None:
        """Move an assessment's file and its `.bak` to the trash (lock held).

        `stamp` (from `clock.file_stamp`) is the time of the deletion; a
        number is added when one stamp is used twice, so no copy in the trash
        is ever replaced.
        """
        make_subfolder(self.trash)
        for n in range(1000):
            base = f"{assessment_id}.{stamp}" + (f"-{n}" if n else "")
            taken = (".json", ".bak", ".history")
            if not any(os.path.lexists(self.trash / f"{base}{s}") for s in taken):
                break
        else:
            raise StoreError(f"{self.trash}: could not find a free name to keep {assessment_id}")
        backup, log = self.backup(assessment_id), self.log(assessment_id)
        if os.path.lexists(backup):
            os.replace(backup, self.trash / f"{base}.bak")
        if os.path.lexists(log):
            os.replace(log, self.trash / f"{base}.history")
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
        if os.path.lexists(path):
            raise StoreError(
                f"assessment {found} is in the store already (imported again since it "
                "was deleted); delete that one first to bring the old one back"
            )
        newest = self.trashed(found)[0]
        backup, log = newest.with_suffix(".bak"), newest.with_suffix(".history")
        # The log first: the file counts entries in it.
        if os.path.lexists(log):
            os.replace(log, self.log(found))
        os.replace(newest, path)
        if os.path.lexists(backup):
            os.replace(backup, self.backup(found))
        fsync_dir(self.assessments)
        fsync_dir(self.trash)
        return found

    def new_id(self) -> str:
        """An id used by no assessment, live or deleted (lock held)."""
        for _ in range(1000):
            candidate = random_id()
            if not self.exists(candidate) and not self.trashed(candidate):
                return candidate
        raise StoreError(f"{self.root}: could not find a free assessment id")

    def resolve(self, prefix: str) -> str:
        """The full id of the one assessment whose id starts with a tidied `prefix`."""
        if len(prefix) == 8 and self.exists(prefix):
            return prefix
        matches = sorted(i for i in self.ids() if i.startswith(prefix))
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


# ----------------------------------------------------------------------------
# Is it a store; making one


def state_of(root: Path) -> str:
    """ "store" (marked), "missing", "empty" (a folder with nothing in it), "foreign" or "file"."""
    try:
        found = os.stat(root)  # the store folder itself may be a link to it
    except FileNotFoundError:
        return "missing"
    except NotADirectoryError:
        return "file"
    if not stat_module.S_ISDIR(found.st_mode):
        return "file"
    if os.path.lexists(root / MARKER):
        return "store"
    try:
        with os.scandir(root) as entries:
            return "foreign" if any(True for _ in entries) else "empty"
    except OSError:
        return "foreign"


def not_a_store(root: Path, state: str) -> StoreError:
    if state == "file":
        return StoreError(f"{root}: is a file; the store must be a folder")
    if state == "foreign":
        return StoreError(
            f"{root}: this folder holds other files and is not an assess store (it has no "
            f"{MARKER}); give the folder of a store, or a new or empty folder for a new one"
        )
    return StoreError(
        f"{root}: there is no store here yet; `assess new` or `assess import` starts one"
    )


def check_marker(folder: StoreFolder) -> None:
    """The marker says this is a store of a format this version reads (read only)."""
    marker = folder.marker
    try:
        data, _ = read_json(marker)
    except FileNotFoundError:
        raise not_a_store(folder.root, "missing") from None
    except Damaged as exc:
        raise CorruptStore(
            f"{marker}: the store's marker file cannot be read ({exc.reason}); it has "
            "been left as it is. Move it out of the folder and assess will write a new one.",
            path=str(marker),
        ) from None
    except OSError as exc:
        raise StoreError(f"{marker}: cannot read the store's marker ({exc.strerror})") from None
    if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT:
        raise StoreError(f"{marker}: this is not an assess store marker")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > MARKER_VERSION:
        raise StoreError(
            f"{folder.root}: this store was made by a newer version of assess; upgrade"
        )


def make_subfolder(path: Path) -> None:
    """Make one of the store's folders if missing, in the store's group."""
    try:
        os.mkdir(path)
    except FileExistsError:
        return
    with contextlib.suppress(OSError):
        parent_gid = os.stat(path.parent).st_gid
        if os.stat(path).st_gid != parent_gid:
            os.chown(path, -1, parent_gid)


def make_store(folder: StoreFolder) -> None:
    """Make the store: the folder if missing, the marker in an empty one, its sub-folders.

    Refuses a file, or a folder of other files. Needs no lock: each step is a
    single rename or mkdir that another process making the same store at the
    same moment does identically.
    """
    root = folder.root
    state = state_of(root)
    if state in ("file", "foreign"):
        raise not_a_store(root, state)
    try:
        if state == "missing":
            root.mkdir(parents=True, exist_ok=True)
        if state != "store":
            atomic_write_bytes(folder.marker, MARKER_TEXT.encode())
        check_marker(folder)
        for sub in (folder.assessments, folder.trash, folder.banks, folder.tmp):
            make_subfolder(sub)
        if not os.path.lexists(folder.lock):
            fd, writable = open_lock_file(folder.lock)  # as it will be at rest, blank
            try:
                if writable and os.fstat(fd).st_size == 0:
                    os.pwrite(fd, HOLDER_BLANK, 0)
            finally:
                os.close(fd)
    except OSError as exc:
        raise StoreError(f"{root}: cannot make the store: {exc.strerror or exc}") from None
