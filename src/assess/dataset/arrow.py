"""The dataset's tables as Parquet: the types they are written with, and the checks on reading.

Writing: each table of `schema` becomes one Parquet file, compressed with
zstd, without pyarrow's private copy of the schema (other tools read the
Parquet types themselves), written a batch of rows at a time so that memory
stays flat however many assessments are exported; the same rows always give
the same bytes.

Reading someone else's file, the question is whether it fits the schema its
datapackage.json declares. A Parquet type fits a Table Schema type when it
is of the same family (any integer width is an integer, a large string is a
string); then the values are checked against the declared constraints
(required, minimum, maximum, enum) and the primary key is checked unique.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assess.dataset.rows import TableRows
from assess.dataset.schema import Column, Kind

_INTEGERS = {8: pa.int8(), 16: pa.int16(), 32: pa.int32()}


def arrow_type(column: Column) -> Any:
    """The Parquet (Arrow) type a column is written with."""
    simple = {
        "string": pa.string(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }
    return _INTEGERS[column.width] if column.kind == "integer" else simple[column.kind]


def arrow_table(rows: TableRows) -> Any:
    """The rows as an Arrow table with the declared types."""
    schema = pa.schema([pa.field(c.name, arrow_type(c)) for c in rows.columns])
    arrays = [pa.array(rows.values[c.name], type=arrow_type(c)) for c in rows.columns]
    return pa.Table.from_arrays(arrays, schema=schema)


class TableFile:
    """One table's Parquet file, written a batch of rows at a time and flushed to disk on close."""

    def __init__(self, path: Path, columns: Sequence[Column]) -> None:
        self.path = path
        self.schema = pa.schema([pa.field(c.name, arrow_type(c)) for c in columns])
        self._writer = pq.ParquetWriter(
            str(path), self.schema, compression="zstd", store_schema=False
        )

    def write(self, table: Any) -> None:
        self._writer.write_table(table)

    def close(self) -> None:
        self._writer.close()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _is_text(data_type: Any) -> bool:
    return bool(pa.types.is_string(data_type) or pa.types.is_large_string(data_type))


def fits(kind: Kind, data_type: Any) -> bool:
    """Whether a Parquet column's type is one a Table Schema type allows."""
    types = pa.types
    if kind == "string":
        return _is_text(data_type)
    if kind == "integer":
        return bool(types.is_integer(data_type))
    if kind == "number":
        return bool(
            types.is_floating(data_type)
            or types.is_integer(data_type)
            or types.is_decimal(data_type)
        )
    if kind == "boolean":
        return bool(types.is_boolean(data_type))
    if kind == "date":
        return bool(types.is_date(data_type))
    if kind == "list":
        listed = types.is_list(data_type) or types.is_large_list(data_type)
        return bool(listed and _is_text(data_type.value_type))
    return False


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def value_problems(table: Any, columns: Sequence[Column], primary_key: Sequence[str]) -> list[str]:
    """What in the table's values breaks the declared constraints (empty when nothing)."""
    problems: list[str] = []
    for column in columns:
        values = table.column(column.name)
        if column.required and values.null_count:
            problems.append(f"the column {column.name} has empty values, but it is required")
        present = values.drop_null()
        if not len(present):
            continue
        if pa.types.is_floating(present.type) and pc.any(pc.is_nan(present)).as_py():
            problems.append(f"the column {column.name} holds a value that is not a number")
            continue
        if column.minimum is not None or column.maximum is not None:
            low_high = pc.min_max(present).as_py()
            low, high = low_high["min"], low_high["max"]
            if column.minimum is not None and low < column.minimum:
                problems.append(
                    f"the column {column.name} has the value {_shown(low)}, below its "
                    f"minimum of {column.minimum:g}"
                )
            if column.maximum is not None and high > column.maximum:
                problems.append(
                    f"the column {column.name} has the value {_shown(high)}, above its "
                    f"maximum of {column.maximum:g}"
                )
        if column.enum:
            unknown = sorted(set(pc.unique(present).to_pylist()) - set(column.enum))
            if unknown:
                problems.append(
                    f"the column {column.name} has the value {_shown(unknown[0])}, which is "
                    f"not one of: {', '.join(column.enum)}"
                )
    if table.num_rows and primary_key:
        distinct = table.group_by(list(primary_key)).aggregate([]).num_rows
        repeated = table.num_rows - distinct
        if repeated:
            rows = "1 row repeats" if repeated == 1 else f"{repeated} rows repeat"
            problems.append(f"{rows} the key ({', '.join(primary_key)}) of another row")
    return problems


def read_table(path: Path) -> Any:
    """The whole Parquet file as an Arrow table (pyarrow's errors are the caller's to word)."""
    return pq.read_table(str(path))


def column_values(table: Any, name: str) -> Any:
    """One column's distinct values, as an Arrow array."""
    return pc.unique(table.column(name))


def all_in(values: Any, allowed: Any) -> bool:
    """Whether every value of `values` is among `allowed` (both Arrow arrays)."""
    return bool(pc.all(pc.is_in(values, value_set=allowed)).as_py() in (True, None))


ArrowError = (pa.ArrowException, OSError)
