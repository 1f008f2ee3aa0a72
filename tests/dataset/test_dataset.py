"""`assess dataset`: tables and figures, the datapackage, names left out, keys, the folder."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import frictionless
import pyarrow.parquet as pq
import pytest

from assess.dataset import export
from assess.dataset.keys import read_key
from assess.domain.scoring import round_score
from assess.store import Store
from tests.dataset.conftest import Planted
from tests.dataset.support import PLANTED, TABLE_NAMES, every_text, rows
from tests.helpers import assert_clean_failure, invoke


def _export(planted: Planted, out: Path, *args: str, key: Path | None = None) -> Path:
    key = key or out.parent / "key.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    done = invoke("dataset", "--all", "-o", str(out), "--key", str(key), *args, db=planted.store)
    assert done.code == 0, done.err
    return out


def test_every_table_is_written_with_the_figures_the_reports_give(
    planted: Planted, tmp_path: Path
) -> None:
    out = _export(planted, tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["datapackage.json", *(f"{t}.parquet" for t in TABLE_NAMES)]
    )
    store = Store.open(planted.store)
    key = read_key(tmp_path / "key.txt")
    by_key = {key.assessment(i): store.get(i) for i in planted.ids}
    assessments = rows(out, "assessments")
    assert {r["assessment_key"] for r in assessments} == set(by_key)
    for row in assessments:
        assessment = by_key[row["assessment_key"]]
        result = assessment.result
        assert row["score"] == round_score(result.overall)
        assert row["band"] == result.band
        assert row["confidence"] == result.confidence
        assert row["stage"] == assessment.stage
        assert row["period"] == assessment.period
        assert row["authority_type"] == "district" and row["region"] == "south-west"
        assert row["bank_hash"] == assessment.bank_hash
        assert row["gaps"] == len(result.gaps)
        assert row["officer_confidence"] == "Amber"
        assert row["signed_off"] == (assessment.signoff is not None)
        assert row["plan_entries"] == 2 and row["plan_overdue"] == 1
    signed = [r for r in assessments if r["signed_off"]]
    assert len(signed) == 1 and signed[0]["review_date"] is not None

    answers = rows(out, "answers")
    criteria = len(store.current_bank().criteria)
    assert len(answers) == criteria * len(planted.ids)
    for row in answers:
        criterion = next(
            c for c in by_key[row["assessment_key"]].result.criteria if c.id == row["question_id"]
        )
        assert row["level"] == criterion.level
        assert row["effective_weight"] == criterion.effective_weight
        assert row["gap_points"] == criterion.gap_points
        assert row["applicable"] == criterion.applicable
        assert row["cases"] == list(criterion.question.cases)
    assert any(r["not_applicable"] for r in answers)

    for row in rows(out, "dimension_scores"):
        dimension = by_key[row["assessment_key"]].result.dimension(row["dimension_id"])
        assert dimension is not None
        assert row["score"] == round_score(dimension.score)
    for row in rows(out, "case_scores"):
        case = next(c for c in by_key[row["assessment_key"]].result.cases if c.id == row["case"])
        assert row["score"] == round_score(case.score)

    gaps = rows(out, "gaps_and_plan")
    for assessment_key, assessment in by_key.items():
        mine = [r for r in gaps if r["assessment_key"] == assessment_key]
        assert sum(r["gap"] for r in mine) == len(assessment.result.gaps)
        assert {r["question_id"] for r in mine if r["planned"]} == set(assessment.plan)
    assert {r["plan_status"] for r in gaps if r["planned"]} == {"not started", "dropped"}

    survey = rows(out, "survey_answers")
    assert any(r["respondents_percent"] is not None for r in survey)
    assert any(r["rank_agreement"] is not None for r in survey)


def test_the_datapackage_gives_each_file_its_size_hash_and_schema(
    planted: Planted, tmp_path: Path
) -> None:
    out = _export(planted, tmp_path / "out")
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert package["assess"]["assessments"] == 3
    assert package["assess"]["with_names"] is False
    assert package["assess"]["export_key_id"] == read_key(tmp_path / "key.txt").key_id
    assert [r["name"] for r in package["resources"]] == list(TABLE_NAMES)
    for resource in package["resources"]:
        data = (out / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        declared = [f["name"] for f in resource["schema"]["fields"]]
        assert declared == pq.read_schema(str(out / resource["path"])).names
    # The descriptor is a valid Frictionless Data Package.
    report = frictionless.Package.validate_descriptor(package)
    assert report.valid, report.flatten(["type", "note"])


def _frictionless_report(folder: Path) -> frictionless.Report:
    """Frictionless's own validation of every table's rows against the declared schemas,
    foreign keys included (the rows are read with pyarrow and handed over inline)."""
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    resources = []
    for resource in package["resources"]:
        table = pq.read_table(str(folder / resource["path"]))
        data = [table.schema.names, *(list(r.values()) for r in table.to_pylist())]
        resources.append(
            frictionless.Resource(
                name=resource["name"],
                data=data,
                schema=frictionless.Schema.from_descriptor(resource["schema"]),
            )
        )
    return frictionless.Package(resources=resources).validate()


@pytest.mark.parametrize("with_names", [False, True])
def test_frictionless_validates_every_table_against_its_schema(
    planted: Planted, tmp_path: Path, with_names: bool
) -> None:
    out = _export(planted, tmp_path / "out", *(["--with-names"] if with_names else []))
    report = _frictionless_report(out)
    assert report.valid, report.flatten(["type", "note"])
    assert [t.name for t in report.tasks] == list(TABLE_NAMES)
    assert all(t.stats["rows"] > 0 for t in report.tasks)


def test_frictionless_would_catch_a_value_outside_its_schema(
    planted: Planted, tmp_path: Path
) -> None:
    # The check above can fail: a level of 7 (the schema allows 0 to 4) is caught.
    out = _export(planted, tmp_path / "out")
    table = pq.read_table(str(out / "answers.parquet"))
    levels = table.column("level").to_pylist()
    levels[0] = 7
    import pyarrow as pa

    broken = table.set_column(
        table.schema.get_field_index("level"), "level", pa.array(levels, pa.int8())
    )
    pq.write_table(broken, str(out / "answers.parquet"))
    report = _frictionless_report(out)
    assert not report.valid
    assert any("level" in str(e) or "constraint" in str(e) for e in report.flatten(["note"]))


def test_without_names_no_name_or_note_is_anywhere_in_any_file(
    planted: Planted, tmp_path: Path
) -> None:
    out = _export(planted, tmp_path / "out")
    text = every_text(out)
    found = [field for field, name in PLANTED.items() if name in text]
    assert found == []
    # Nor the ids that tie a row to the store, nor the export key itself.
    assert not any(i in text for i in planted.ids)
    secret = read_key(tmp_path / "key.txt").secret.hex()
    assert secret not in text
    # The files scanned are what the dataset is: raw bytes and every decoded value.
    assert len(text) > sum(p.stat().st_size for p in out.iterdir())


def test_with_names_the_same_scan_finds_every_name_and_note(
    planted: Planted, tmp_path: Path
) -> None:
    # The control for the test above: the scan does see names when they are there.
    out = _export(planted, tmp_path / "out", "--with-names")
    text = every_text(out)
    assert [field for field, name in PLANTED.items() if name not in text] == []
    assert all(i in text for i in planted.ids)
    assert json.loads((out / "datapackage.json").read_text("utf-8"))["assess"]["with_names"]


def test_keys_are_stable_under_one_export_key_and_differ_under_another(
    planted: Planted, tmp_path: Path
) -> None:
    first = _export(planted, tmp_path / "a" / "out", key=tmp_path / "mine.txt")
    again = _export(planted, tmp_path / "b" / "out", key=tmp_path / "mine.txt")
    other = _export(planted, tmp_path / "c" / "out", key=tmp_path / "theirs.txt")

    def keys(folder: Path) -> set[tuple[str, str, str]]:
        return {
            (r["assessment_key"], r["authority_key"], r["service_key"])
            for r in rows(folder, "assessments")
        }

    assert keys(first) == keys(again)
    assert not {k for t in keys(first) for k in t} & {k for t in keys(other) for k in t}
    assert len({r["authority_key"] for r in rows(first, "assessments")}) == 1
    # The same export gives byte-for-byte the same tables.
    for table in TABLE_NAMES:
        name = f"{table}.parquet"
        assert (first / name).read_bytes() == (again / name).read_bytes()


def test_the_same_authority_typed_differently_gets_the_same_key(tmp_path: Path) -> None:
    from assess.dataset.keys import load_or_create

    key, made = load_or_create(tmp_path / "k.txt")
    assert made
    assert key.authority("Anytown  Borough Council") == key.authority(" anytown borough COUNCIL")
    assert key.authority("Anytown") != key.authority("Othertown")
    assert key.service("Waste") != key.authority("Waste")
    assert key.service("  ") is None


def test_a_missing_key_file_is_made_private_with_a_message(
    planted: Planted, tmp_path: Path
) -> None:
    key = tmp_path / "keys" / "export.key"
    done = invoke(
        "dataset", "--all", "-o", str(tmp_path / "out"), "--key", str(key), db=planted.store
    )
    assert done.code == 0, done.err
    assert f"made a new export key in {key}" in done.err
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    again = invoke(
        "dataset", "--all", "-o", str(tmp_path / "out2"), "--key", str(key), db=planted.store
    )
    assert again.code == 0 and "made a new export key" not in again.err


def test_the_default_key_is_kept_in_the_user_data_folder(planted: Planted, tmp_path: Path) -> None:
    done = invoke("dataset", "--all", "-o", str(tmp_path / "out"), db=planted.store)
    assert done.code == 0, done.err
    path = Path(os.environ["XDG_DATA_HOME"]) / "assess" / "export-key.txt"
    assert f"made a new export key in {path}" in done.err
    assert read_key(path).key_id


@pytest.mark.parametrize(
    "content",
    ["not a key\n", "# only a comment\n", "ab" * 31 + "\n", ("ab" * 32 + "\n") * 2],
)
def test_a_file_that_is_not_an_export_key_is_refused(
    planted: Planted, tmp_path: Path, content: str
) -> None:
    key = tmp_path / "key.txt"
    key.write_text(content)
    done = invoke(
        "dataset", "--all", "-o", str(tmp_path / "out"), "--key", str(key), db=planted.store
    )
    assert_clean_failure(done, "is not an export key file")
    assert key.read_text() == content and not (tmp_path / "out").exists()


def test_a_folder_holding_other_files_is_refused_and_left_alone(
    planted: Planted, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("the officer's own notes")
    done = invoke("dataset", "--all", "-o", str(out), db=planted.store)
    assert_clean_failure(done, str(out), "already holds other files")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_previous_dataset_is_replaced_whole_but_not_one_with_an_extra_file(
    planted: Planted, tmp_path: Path
) -> None:
    out = _export(planted, tmp_path / "out")
    before = (out / "assessments.parquet").read_bytes()
    store = Store.open(planted.store)
    store.delete(planted.ids[1])
    _export(planted, out)
    assert len(rows(out, "assessments")) == 2
    assert (out / "assessments.parquet").read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.txt", "out", "store"]
    # A dataset folder the officer has put a file into is theirs now: refused.
    (out / "readme.txt").write_text("mine")
    done = invoke("dataset", "--all", "-o", str(out), db=planted.store)
    assert_clean_failure(done, "already holds other files")
    assert (out / "readme.txt").read_text() == "mine"


def test_an_empty_folder_is_used(planted: Planted, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _export(planted, out)
    assert len(rows(out, "assessments")) == 3


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ffffffff", "-o", "{tmp}/out"], "ffffffff"),
        (["--all", "-o", "{tmp}/missing/out"], "no such folder"),
        (["--all", "-o", "{tmp}/file"], "is a file"),
        (["--all", "ffffffff", "-o", "{tmp}/out"], "or --all"),
        (["-o", "{tmp}/out"], "or --all"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(
    planted: Planted, tmp_path: Path, args: list[str], fragment: str
) -> None:
    (tmp_path / "file").write_text("x")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    done = invoke("dataset", *argv, "--key", str(tmp_path / "key.txt"), db=planted.store)
    assert_clean_failure(done, fragment)
    assert len(done.err_lines) == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "key.txt").exists()


def test_a_failure_while_writing_leaves_no_folder_and_no_temporary(
    planted: Planted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []
    real = export.TableFile.write

    def fail_on_the_third(self: export.TableFile, table: object) -> None:
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(self.path)
        real(self, table)

    monkeypatch.delenv("ASSESS_DEBUG", raising=False)
    monkeypatch.setattr(export.TableFile, "write", fail_on_the_third)
    done = invoke("dataset", "--all", "-o", str(tmp_path / "out"), db=planted.store)
    assert done.code != 0
    assert len(written) == 2 and not written[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_store_larger_than_one_batch_is_written_whole(
    planted: Planted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_go = _export(planted, tmp_path / "one" / "out")
    monkeypatch.setattr(export, "BATCH", 2)  # three assessments: two batches
    batched = _export(planted, tmp_path / "two" / "out", key=tmp_path / "one" / "key.txt")
    for table in TABLE_NAMES:
        assert rows(one_go, table) == rows(batched, table)
    assert pq.ParquetFile(str(batched / "answers.parquet")).num_row_groups == 2


def test_a_damaged_assessment_is_named_and_the_store_left_as_it_is(
    planted: Planted, tmp_path: Path
) -> None:
    damaged = planted.ids[2]
    folder = planted.store / "assessments"
    for name in (f"{damaged}.json", f"{damaged}.bak"):
        if (folder / name).exists():
            (folder / name).write_bytes(b"<html>not JSON</html>")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    alone = invoke("dataset", damaged, "-o", str(tmp_path / "one"), db=planted.store)
    assert_clean_failure(alone, f"{damaged}.json")
    assert not (tmp_path / "one").exists()
    # Every other assessment is still exported; the damaged one is named.
    rest = invoke("dataset", "--all", "-o", str(tmp_path / "all"), db=planted.store)
    assert rest.code == 0, rest.err
    assert f"{damaged}.json" in rest.err and "Wrote 2 assessments" in rest.err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
