"""A dataset folder is checked whole before `assess peers` reads any of it; one that fails is
named with one clear line and skipped. Also the peers command's other bad input."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assess.dataset.package import is_previous_dataset, read_dataset
from tests.helpers import assert_clean_failure, invoke

Small = tuple[Path, Path, list[str]]


def _package(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "datapackage.json").read_text("utf-8"))


def _save_package(folder: Path, data: dict[str, Any]) -> None:
    (folder / "datapackage.json").write_text(json.dumps(data), "utf-8")


def _resource(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["resources"] if r["name"] == name)


def _rehash(folder: Path, name: str) -> None:
    """Make datapackage.json describe the file as it now is (a deliberate, consistent edit)."""
    data = _package(folder)
    content = (folder / f"{name}.parquet").read_bytes()
    resource = _resource(data, name)
    resource["bytes"] = len(content)
    resource["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
    _save_package(folder, data)


def _rewrite(folder: Path, name: str, change: Callable[[pa.Table], pa.Table]) -> None:
    path = folder / f"{name}.parquet"
    pq.write_table(change(pq.read_table(str(path))), str(path))
    _rehash(folder, name)


def _set(table: pa.Table, column: str, values: list[Any], kind: Any) -> pa.Table:
    return table.set_column(table.schema.get_field_index(column), column, pa.array(values, kind))


def _score_120(t: pa.Table) -> pa.Table:
    return _set(t, "score", [120.0, *t.column("score").to_pylist()[1:]], pa.float64())


def _score_as_text(t: pa.Table) -> pa.Table:
    return _set(t, "score", [str(v) for v in t.column("score").to_pylist()], pa.string())


def _stranger_rows(t: pa.Table) -> pa.Table:
    keys = t.column("assessment_key").to_pylist()
    return _set(t, "assessment_key", ["f" * 32, *keys[1:]], pa.string())


def _repeated_rows(t: pa.Table) -> pa.Table:
    return pa.concat_tables([t, t.slice(0, 1)])


def _unknown_band(t: pa.Table) -> pa.Table:
    return _set(t, "band", ["Splendid"] * t.num_rows, pa.string())


def _truncate(folder: Path) -> None:
    path = folder / "case_scores.parquet"
    path.write_bytes(path.read_bytes()[:-40])
    _rehash(folder, "case_scores")


def _edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        data = _package(folder)
        change(data)
        _save_package(folder, data)

    return edit


def _declare(table: str, column: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        schema = _resource(data, table)["schema"]
        field = next(f for f in schema["fields"] if f["name"] == column)
        field.update(fields)

    return change


def _file_instead(folder: Path) -> None:
    shutil.rmtree(folder)
    folder.write_text("not a folder")


BREAKAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "a file, not a folder": (_file_instead, "is a file, not a dataset folder"),
    "no datapackage": (
        lambda f: (f / "datapackage.json").unlink(),
        "has no datapackage.json, so it is not a dataset made by assess dataset",
    ),
    "datapackage not json": (
        lambda f: (f / "datapackage.json").write_text("{not json"),
        "its datapackage.json cannot be read",
    ),
    "someone else's package": (
        _edit(lambda d: d.pop("assess")),
        "its datapackage.json does not describe an assess dataset",
    ),
    "a newer format": (
        _edit(lambda d: d["assess"].update(format_version=99)),
        "was made by a newer version of assess (dataset format 99)",
    ),
    "wrong hash": (
        _edit(lambda d: _resource(d, "answers").update(hash="sha256:" + "0" * 64)),
        "the file answers.parquet is not the one datapackage.json describes",
    ),
    "changed file": (
        lambda f: (f / "survey_answers.parquet").write_bytes(
            (f / "survey_answers.parquet").read_bytes() + b"x"
        ),
        "the file survey_answers.parquet is not the one datapackage.json describes",
    ),
    "missing file": (
        lambda f: (f / "gaps_and_plan.parquet").unlink(),
        "the file gaps_and_plan.parquet is missing",
    ),
    "missing table": (
        _edit(lambda d: d["resources"].pop()),
        "the table survey_answers is missing from datapackage.json",
    ),
    "a path outside the folder": (
        _edit(lambda d: _resource(d, "answers").update(path="../answers.parquet")),
        "the table answers must be the file answers.parquet in the folder",
    ),
    "a symlink for a file": (
        lambda f: (
            (f / "answers.parquet").rename(f.parent / "elsewhere.parquet"),
            (f / "answers.parquet").symlink_to(f.parent / "elsewhere.parquet"),
        ),
        "the file answers.parquet is missing",
    ),
    "corrupt parquet": (_truncate, "the file case_scores.parquet is not a readable Parquet file"),
    "declared type": (
        _edit(_declare("assessments", "score", type="string")),
        "the column assessments.score is declared as 'string', not number",
    ),
    "unknown column": (
        _edit(_declare("case_scores", "score", name="happiness")),
        "the table case_scores declares a column 'happiness' this dataset layout does not have",
    ),
    "value above maximum": (
        lambda f: _rewrite(f, "assessments", _score_120),
        "assessments.parquet: the column score has the value 120.0, above its maximum of 100",
    ),
    "value not in the list": (
        lambda f: _rewrite(f, "assessments", _unknown_band),
        "assessments.parquet: the column band has the value 'Splendid', which is not one of: "
        "Ready, Nearly ready, Not ready, Not assessed",
    ),
    "stored type": (
        lambda f: _rewrite(f, "assessments", _score_as_text),
        "the column assessments.score holds string, not the number its schema declares",
    ),
    "rows of a stranger": (
        lambda f: _rewrite(f, "dimension_scores", _stranger_rows),
        "dimension_scores.parquet has rows of an assessment the folder does not hold",
    ),
    "repeated key": (
        lambda f: _rewrite(f, "answers", _repeated_rows),
        "answers.parquet: 1 row repeats the key (assessment_key, question_id) of another row",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_folder_is_named_with_its_problem_and_nothing_is_read(
    small_dataset: Small, tmp_path: Path, breakage: str
) -> None:
    store, dataset, ids = small_dataset
    broken = tmp_path / "broken"
    shutil.copytree(dataset, broken)
    change, problem = BREAKAGES[breakage]
    change(broken)
    done = invoke("peers", ids[0], str(broken), db=store)
    assert_clean_failure(done, f"skipped {broken}: {problem}", "no dataset folder could be read")
    assert len(done.err_lines) == 2 and done.out == ""


def test_a_folder_whose_name_duckdb_would_read_as_a_pattern_is_skipped(
    small_dataset: Small, tmp_path: Path
) -> None:
    store, dataset, ids = small_dataset
    odd = tmp_path / "survey[2026]"
    shutil.copytree(dataset, odd)
    done = invoke("peers", ids[0], str(odd), db=store)
    assert_clean_failure(done, f"skipped {odd}: its name has * ? or [ in it")


def test_the_folder_as_exported_passes(small_dataset: Small) -> None:
    _, dataset, _ = small_dataset
    checked = read_dataset(dataset)
    assert checked.assessments == 3 and not checked.with_names
    assert is_previous_dataset(dataset)


def test_with_a_good_folder_too_the_report_is_made_and_the_exit_status_is_2(
    small_dataset: Small, tmp_path: Path
) -> None:
    store, dataset, ids = small_dataset
    missing = tmp_path / "nowhere"
    done = invoke("peers", ids[0], str(missing), str(dataset), "--format", "json", db=store)
    assert done.code == 2
    assert done.err_lines[0] == f"assess: skipped {missing}: there is no such folder"
    assert "1 folder skipped" in done.err_lines[-1]
    report = json.loads(done.out)
    assert report["skipped"] == [{"folder": str(missing), "problem": "there is no such folder"}]
    # Three assessments of one authority: every figure is suppressed.
    assert all(f["suppressed"] for f in report["figures"])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ffffffff", "{dataset}"], "ffffffff"),
        (["{id}", "{dataset}", "--authority-type", "parish"], "'parish' is not an authority type"),
        (["{id}", "{dataset}", "--region", "Atlantis"], "'Atlantis' is not a region"),
        (["{id}", "{dataset}", "--period", "next year"], "is not a period"),
        (["{id}", "{dataset}", "--key", "{tmp}/no-key.txt"], "there is no export key file"),
        (["{id}", "{dataset}", "--format", "xlsx"], "xlsx"),
        (["{id}"], "DATASET_DIR"),
    ],
)
def test_bad_input_to_peers_is_one_clear_line(
    small_dataset: Small, tmp_path: Path, args: list[str], fragment: str
) -> None:
    store, dataset, ids = small_dataset
    values = {"{id}": ids[0], "{dataset}": str(dataset), "{tmp}": str(tmp_path)}
    argv = []
    for arg in args:
        for placeholder, value in values.items():
            arg = arg.replace(placeholder, value)
        argv.append(arg)
    done = invoke("peers", *argv, db=store)
    assert_clean_failure(done, fragment)
    assert len(done.err_lines) == 1
