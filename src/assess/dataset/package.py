"""`datapackage.json`: what a dataset folder says it holds, and the check that it does.

Each dataset folder is a Frictionless Data Package (Data Package v2): one
resource per table, naming its Parquet file, its size in bytes, its SHA-256
hash and its Table Schema (from `schema`), plus an `assess` section saying
which layout it is, whether it carries names, how many assessments it holds
and the public fingerprint of the export key its pseudonymous keys were
made with (datasets with the same fingerprint can be joined on them).

`read_dataset` is the check `assess peers` makes before it reads a folder:
every table is there, at the size and hash declared, each file is Parquet
whose columns and types are those declared, the declared columns are ones
this layout has, the values keep the declared constraints and primary keys,
and every row belongs to an assessment of the folder. A folder that fails
is refused whole (`InvalidDataset`, naming the folder and the first
problem), so it is never half-read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess import __version__
from assess.dataset import arrow
from assess.dataset.schema import (
    ASSESSMENTS,
    DATASET_FORMAT,
    DATASET_FORMAT_VERSION,
    TABLES,
    TABLES_BY_NAME,
    Table,
    table_schema,
)
from assess.domain.errors import BadInput
from assess.domain.rules import RULES_VERSION

PACKAGE_FILE = "datapackage.json"
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
MAX_PACKAGE_BYTES = 1_000_000
_HASH = re.compile(r"sha256:([0-9a-f]{64})")
_CREATED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z")
_CHUNK = 1 << 20


class InvalidDataset(BadInput):
    """A dataset folder that cannot be used; `folder` names it."""

    def __init__(self, folder: Path, problem: str) -> None:
        super().__init__(f"{folder}: {problem}")
        self.folder = folder
        self.problem = problem


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def descriptor(
    files: dict[str, Path], *, with_names: bool, key_id: str, assessments: int, created: str
) -> dict[str, Any]:
    """The datapackage.json of a dataset whose table files are `files` (table name → path)."""
    resources = []
    for table in TABLES:
        path = files[table.name]
        resources.append(
            {
                "name": table.name,
                "type": "table",
                "title": table.title,
                "description": table.description,
                "path": table.file_name,
                "format": "parquet",
                "mediatype": PARQUET_MEDIATYPE,
                "bytes": path.stat().st_size,
                "hash": f"sha256:{sha256_of(path)}",
                "schema": table_schema(table, with_names),
            }
        )
    return {
        "$schema": PACKAGE_PROFILE,
        "name": "assess-dataset",
        "title": "Readiness for a strategic service-delivery partnership: assessments",
        "description": (
            "Assessments of local authorities' readiness for a strategic service-delivery "
            "partnership, as tidy tables. "
            + (
                "This dataset includes names and free text (exported with names)."
                if with_names
                else "Authorities and services are given only as pseudonymous keys; names "
                "and free text are left out."
            )
        ),
        "created": created,
        "assess": {
            "format": DATASET_FORMAT,
            "format_version": DATASET_FORMAT_VERSION,
            "made_by": f"assess {__version__}",
            "rules_version": RULES_VERSION,
            "with_names": with_names,
            "export_key_id": key_id,
            "assessments": assessments,
        },
        "resources": resources,
    }


def write_descriptor(folder: Path, data: dict[str, Any]) -> None:
    path = folder / PACKAGE_FILE
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


@dataclass(frozen=True)
class DatasetFolder:
    """A dataset folder that has passed every check."""

    folder: Path
    created: str  # when it was exported (ISO 8601, UTC), or "" when it does not say
    with_names: bool
    key_id: str
    assessments: int
    columns: dict[str, frozenset[str]]  # table name → the columns its file has

    def file(self, table: Table) -> Path:
        return self.folder / table.file_name

    def has(self, table: Table, column: str) -> bool:
        return column in self.columns[table.name]


def _regular_file(path: Path) -> os.stat_result | None:
    try:
        found = path.lstat()
    except OSError:
        return None
    return found if stat.S_ISREG(found.st_mode) else None


def read_package(folder: Path) -> dict[str, Any]:
    """The folder's datapackage.json, if it is one of ours; InvalidDataset otherwise."""
    if not folder.exists():
        raise InvalidDataset(folder, "there is no such folder")
    if not folder.is_dir():
        raise InvalidDataset(folder, "is a file, not a dataset folder")
    path = folder / PACKAGE_FILE
    found = _regular_file(path)
    if found is None:
        raise InvalidDataset(
            folder, f"has no {PACKAGE_FILE}, so it is not a dataset made by assess dataset"
        )
    if found.st_size > MAX_PACKAGE_BYTES:
        raise InvalidDataset(folder, f"its {PACKAGE_FILE} is far too large to be ours")
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InvalidDataset(folder, f"its {PACKAGE_FILE} cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidDataset(folder, f"its {PACKAGE_FILE} does not describe an assess dataset")
    about = data.get("assess")
    if not isinstance(about, dict) or about.get("format") != DATASET_FORMAT:
        raise InvalidDataset(folder, f"its {PACKAGE_FILE} does not describe an assess dataset")
    version = about.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidDataset(folder, f"its {PACKAGE_FILE} gives no dataset format version")
    if version > DATASET_FORMAT_VERSION:
        raise InvalidDataset(
            folder,
            f"was made by a newer version of assess (dataset format {version}); "
            "update assess to read it",
        )
    return data


def _resources(folder: Path, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    resources = data.get("resources")
    if not isinstance(resources, list):
        raise InvalidDataset(folder, f"its {PACKAGE_FILE} lists no resources")
    found: dict[str, dict[str, Any]] = {}
    for resource in resources:
        name = resource.get("name") if isinstance(resource, dict) else None
        if not isinstance(name, str) or name not in TABLES_BY_NAME:
            raise InvalidDataset(
                folder,
                f"its {PACKAGE_FILE} lists a resource {str(name)[:40]!r} that is not "
                "one of the dataset's tables",
            )
        if name in found:
            raise InvalidDataset(folder, f"its {PACKAGE_FILE} lists the table {name} twice")
        assert isinstance(resource, dict)
        found[name] = resource
    missing = [t.name for t in TABLES if t.name not in found]
    if missing:
        raise InvalidDataset(folder, f"the table {missing[0]} is missing from {PACKAGE_FILE}")
    return found


def declared_columns(folder: Path, table: Table, resource: dict[str, Any]) -> list[str]:
    """The column names the resource's schema declares, checked against the table's."""
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list):
        raise InvalidDataset(folder, f"the table {table.name} has no schema in {PACKAGE_FILE}")
    names: list[str] = []
    for described in fields:
        name = described.get("name") if isinstance(described, dict) else None
        column = table.by_name.get(name) if isinstance(name, str) else None
        if column is None:
            raise InvalidDataset(
                folder,
                f"the table {table.name} declares a column {str(name)[:40]!r} this "
                "dataset layout does not have",
            )
        assert isinstance(described, dict)
        if described.get("type") != column.kind:
            raise InvalidDataset(
                folder,
                f"the column {table.name}.{column.name} is declared as "
                f"{str(described.get('type'))[:20]!r}, not {column.kind}",
            )
        names.append(column.name)
    if len(set(names)) != len(names):
        raise InvalidDataset(folder, f"the table {table.name} declares a column twice")
    missing = [c.name for c in table.columns if not c.named and c.name not in names]
    if missing:
        raise InvalidDataset(
            folder, f"the table {table.name} does not declare its column {missing[0]}"
        )
    return names


def _check_file(folder: Path, table: Table, resource: dict[str, Any]) -> Path:
    if resource.get("path") != table.file_name:
        raise InvalidDataset(
            folder, f"the table {table.name} must be the file {table.file_name} in the folder"
        )
    path = folder / table.file_name
    found = _regular_file(path)
    if found is None:
        raise InvalidDataset(folder, f"the file {table.file_name} is missing")
    size, declared_hash = resource.get("bytes"), resource.get("hash")
    matched = _HASH.fullmatch(declared_hash) if isinstance(declared_hash, str) else None
    if matched is None or not isinstance(size, int):
        raise InvalidDataset(
            folder, f"{PACKAGE_FILE} gives no size and SHA-256 hash for {table.file_name}"
        )
    if found.st_size != size or sha256_of(path) != matched.group(1):
        raise InvalidDataset(
            folder,
            f"the file {table.file_name} is not the one {PACKAGE_FILE} describes (its size or "
            "hash differs): it was changed or damaged after export; export it again",
        )
    return path


def read_dataset(folder: Path) -> DatasetFolder:
    """The folder, checked whole against its datapackage.json (see the module docstring)."""
    data = read_package(folder)
    resources = _resources(folder, data)
    columns: dict[str, frozenset[str]] = {}
    keys: Any = None
    for table in TABLES:
        resource = resources[table.name]
        names = declared_columns(folder, table, resource)
        path = _check_file(folder, table, resource)
        try:
            contents = arrow.read_table(path)
        except arrow.ArrowError:
            raise InvalidDataset(
                folder, f"the file {table.file_name} is not a readable Parquet file"
            ) from None
        present = list(contents.schema.names)
        if sorted(present) != sorted(names):
            raise InvalidDataset(
                folder,
                f"the file {table.file_name} has other columns than {PACKAGE_FILE} declares",
            )
        for name in names:
            column = table.by_name[name]
            if not arrow.fits(column.kind, contents.schema.field(name).type):
                raise InvalidDataset(
                    folder,
                    f"the column {table.name}.{name} holds {contents.schema.field(name).type}, "
                    f"not the {column.kind} its schema declares",
                )
        declared = [table.by_name[n] for n in names]
        problems = arrow.value_problems(contents, declared, table.primary_key)
        if problems:
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise InvalidDataset(folder, f"{table.file_name}: {problems[0]}{more}")
        if table is ASSESSMENTS:
            keys = arrow.column_values(contents, "assessment_key")
        elif not arrow.all_in(arrow.column_values(contents, "assessment_key"), keys):
            raise InvalidDataset(
                folder, f"{table.file_name} has rows of an assessment the folder does not hold"
            )
        columns[table.name] = frozenset(names)
    about = data["assess"]
    count = about.get("assessments")
    if count != len(keys):
        raise InvalidDataset(
            folder,
            f"{PACKAGE_FILE} says it holds {str(count)[:20]} assessments, but "
            f"assessments.parquet has {len(keys)}",
        )
    created = data.get("created")
    key_id = about.get("export_key_id")
    return DatasetFolder(
        folder=folder,
        created=created if isinstance(created, str) and _CREATED.fullmatch(created) else "",
        with_names=about.get("with_names") is True,
        key_id=key_id if isinstance(key_id, str) and key_id.isalnum() else "",
        assessments=len(keys),
        columns=columns,
    )


def is_previous_dataset(folder: Path) -> bool:
    """Whether `folder` holds exactly a dataset we wrote: its datapackage.json and the
    files it lists, nothing else (so replacing it cannot delete an officer's file)."""
    try:
        read_package(folder)
    except InvalidDataset:
        return False
    ours = {PACKAGE_FILE, *(t.file_name for t in TABLES)}
    try:
        with os.scandir(folder) as entries:
            return all(e.name in ours and e.is_file(follow_symlinks=False) for e in entries)
    except OSError:
        return False
