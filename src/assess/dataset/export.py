"""`assess dataset`: assessments written out as a folder of tidy Parquet tables.

The assessments are loaded one at a time, scored (each with its own bank),
turned into rows (`rows`) and written a batch at a time, one Parquet file
per table, so that memory does not grow with the store; then a
datapackage.json gives each file's size and hash, and the folder is put in
place whole (`folder`). Assessments go in the order of their pseudonymous
keys (so the files say nothing of the order they were made in), each
table's rows in primary-key order, so the same assessments exported on the
same day with the same export key give byte-for-byte the same Parquet files.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from pathlib import Path

from assess.dataset.arrow import TableFile, arrow_table
from assess.dataset.folder import check_target, staged
from assess.dataset.keys import ExportKey
from assess.dataset.package import descriptor, write_descriptor
from assess.dataset.rows import DatasetRows
from assess.dataset.schema import TABLES
from assess.domain.assessment import Assessment
from assess.domain.errors import BadInput

# Assessments whose rows are held in memory before they are written out: about 60,000
# rows of answers, a few tens of megabytes.
BATCH = 1_000


def write_dataset(
    ids: Iterable[str],
    load: Callable[[str], Assessment],
    folder: Path,
    key: ExportKey,
    *,
    with_names: bool,
    today: datetime.date,
    created: str,
) -> int:
    """Write the dataset of the assessments `ids` (each read with `load`) to `folder`;
    returns how many assessments it holds.

    `today` is the day overdue actions are counted on; `created` (ISO 8601,
    UTC) is recorded as when the dataset was made.
    """
    check_target(folder)  # before the slow part, so a bad folder costs nothing
    order = sorted(dict.fromkeys(ids), key=key.assessment)
    if not order:
        raise BadInput("there are no assessments to export")
    with staged(folder) as staging:
        files = {
            t.name: TableFile(staging / t.file_name, t.columns_for(with_names)) for t in TABLES
        }
        try:
            for start in range(0, len(order), BATCH):
                rows = DatasetRows(key, with_names=with_names, today=today)
                for assessment_id in order[start : start + BATCH]:
                    rows.add(load(assessment_id))
                for table in TABLES:
                    batch = arrow_table(rows.tables[table.name])
                    files[table.name].write(
                        batch.sort_by([(name, "ascending") for name in table.primary_key])
                    )
        finally:
            for file in files.values():
                file.close()
        write_descriptor(
            staging,
            descriptor(
                {name: file.path for name, file in files.items()},
                with_names=with_names,
                key_id=key.key_id,
                assessments=len(order),
                created=created,
            ),
        )
    return len(order)
