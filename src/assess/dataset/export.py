"""`assess dataset`: assessments written out as a folder of tidy Parquet tables.

The assessments are scored (each with its own bank), turned into rows
(`rows`), written as one Parquet file per table with rows in primary-key
order, described by a datapackage.json with each file's size and hash, and
the folder is put in place whole (`folder`). The same assessments exported
on the same day with the same export key give byte-for-byte the same Parquet files.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from assess.dataset.arrow import arrow_table, write_parquet
from assess.dataset.folder import check_target, staged
from assess.dataset.keys import ExportKey
from assess.dataset.package import descriptor, write_descriptor
from assess.dataset.rows import DatasetRows
from assess.dataset.schema import TABLES
from assess.domain.assessment import Assessment
from assess.domain.errors import BadInput


def write_dataset(
    assessments: Iterable[Assessment],
    folder: Path,
    key: ExportKey,
    *,
    with_names: bool,
    today: datetime.date,
    created: str,
) -> int:
    """Write the dataset folder; returns how many assessments it holds.

    `today` is the day overdue actions are counted on; `created` (ISO 8601,
    UTC) is recorded as when the dataset was made.
    """
    check_target(folder)  # before the slow part, so a bad folder costs nothing
    rows = DatasetRows(key, with_names=with_names, today=today)
    for assessment in assessments:
        rows.add(assessment)
    if not rows.assessments:
        raise BadInput("there are no assessments to export")
    with staged(folder) as staging:
        files: dict[str, Path] = {}
        for table in TABLES:
            contents = arrow_table(rows.tables[table.name])
            ordered = contents.sort_by([(name, "ascending") for name in table.primary_key])
            files[table.name] = staging / table.file_name
            write_parquet(ordered, files[table.name])
        write_descriptor(
            staging,
            descriptor(
                files,
                with_names=with_names,
                key_id=key.key_id,
                assessments=rows.assessments,
                created=created,
            ),
        )
    return rows.assessments
