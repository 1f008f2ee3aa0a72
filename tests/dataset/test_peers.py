"""`assess peers` over 500 synthetic authorities × 4 periods, checked against Python's statistics.

Every figure `assess peers` gives (worked out by DuckDB) is worked out again
here from the same Parquet files, read with pyarrow, filtered in Python and
summarised with `statistics.quantiles(..., method="inclusive")` (linear
interpolation, the method of DuckDB's `quantile_cont`) and
`statistics.median`. Every figure drawn from fewer than five assessments or
authorities must be suppressed in every format.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from benchmarks.peers_data import Made

from assess.dataset.keys import read_key
from assess.domain.scoring import round_score
from assess.store import Store
from tests.dataset.conftest import PeerWorld
from tests.dataset.support import rows
from tests.helpers import invoke

MIN = 5
Keep = Callable[[dict[str, Any]], bool]


def _subject(world: PeerWorld, period: str = "2026/27", group: int = 0) -> Made:
    return next(m for m in world.made if m.period == period and m.group == group)


def _peers(world: PeerWorld, subject: Made, *args: str, folders: list[Path] | None = None) -> Any:
    chosen = folders if folders is not None else world.folders
    done = invoke("peers", subject.id, *map(str, chosen), "--format", "json", *args, db=world.store)
    assert done.code == 0, done.err
    return json.loads(done.out)


def _expected(
    folders: list[Path], keep: Keep, own_authority_key: str | None
) -> dict[tuple[str, str], list[tuple[float, str]]]:
    """(kind, id) → (score, authority key) of every peer, worked out without DuckDB."""
    found: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for folder in folders:
        chosen = {
            r["assessment_key"]: r["authority_key"]
            for r in rows(folder, "assessments")
            if keep(r) and r["authority_key"] != own_authority_key
        }
        by_key = {r["assessment_key"]: r for r in rows(folder, "assessments")}
        for key, authority in chosen.items():
            if by_key[key]["score"] is not None:
                found.setdefault(("overall", "overall"), []).append(
                    (by_key[key]["score"], authority)
                )
        for table, kind, column in (
            ("dimension_scores", "dimension", "dimension_id"),
            ("case_scores", "case", "case"),
        ):
            for r in rows(folder, table):
                if r["assessment_key"] in chosen and r["score"] is not None:
                    found.setdefault((kind, r[column]), []).append(
                        (r["score"], chosen[r["assessment_key"]])
                    )
    return found


def _own_scores(world: PeerWorld, subject: Made) -> dict[tuple[str, str], float | None]:
    result = Store.open(world.store).get(subject.id).result
    scores: dict[tuple[str, str], float | None] = {
        ("overall", "overall"): round_score(result.overall)
    }
    scores |= {("dimension", d.id): round_score(d.score) for d in result.dimensions}
    scores |= {("case", c.id): round_score(c.score) for c in result.cases}
    return scores


def _check(
    data: Any,
    expected: dict[tuple[str, str], list[tuple[float, str]]],
    own: dict[tuple[str, str], float | None],
) -> tuple[int, int]:
    """Every figure against the independent computation; (figures shown, figures suppressed)."""
    shown = suppressed = 0
    for figure in data["figures"]:
        key = (figure["kind"], figure["id"])
        peers = expected.get(key, [])
        scores = [score for score, _ in peers]
        authorities = len({a for _, a in peers})
        assert figure["n"] == len(scores), key
        assert figure["authorities"] == authorities, key
        you = own.get(key)
        assert (figure["you"] or {}).get("value") == you, key
        if len(scores) < MIN or authorities < MIN:
            suppressed += 1
            assert figure["suppressed"] is True, key
            assert figure["suppressed_because"].startswith("not shown: fewer than 5")
            for hidden in ("lower_quartile", "median", "upper_quartile", "below", "equal", "above"):
                assert figure[hidden] is None, (key, hidden)
            assert figure["position"] == ""
            continue
        shown += 1
        assert figure["suppressed"] is False
        low, mid, high = statistics.quantiles(scores, n=4, method="inclusive")
        assert figure["lower_quartile"]["value"] == pytest.approx(low, abs=1e-9), key
        assert figure["median"]["value"] == pytest.approx(mid, abs=1e-9), key
        assert figure["median"]["value"] == pytest.approx(statistics.median(scores), abs=1e-9)
        assert figure["upper_quartile"]["value"] == pytest.approx(high, abs=1e-9), key
        if you is not None:
            tenths = [round(s * 10) for s in scores]
            mine = round(you * 10)
            assert figure["below"] == sum(1 for t in tenths if t < mine)
            assert figure["equal"] == sum(1 for t in tenths if t == mine)
            assert figure["above"] == sum(1 for t in tenths if t > mine)
            assert figure["position"]
    return shown, suppressed


def test_without_filters_every_figure_matches_python_statistics(peer_world: PeerWorld) -> None:
    subject = _subject(peer_world)
    key = peer_world.key_of(subject)
    data = _peers(peer_world, subject, "--key", str(key))
    own_key = read_key(key).authority(subject.authority)
    expected = _expected(peer_world.folders, lambda r: True, own_key)
    shown, _ = _check(data, expected, _own_scores(peer_world, subject))
    assert shown >= 15  # overall, most dimensions and every case
    # The subject's own authority (its four periods) is left out, and nothing else is.
    assert data["peers"]["left_out"]["own_authority"] == 4
    assert data["peers"]["assessments"] == 2000 - 4
    assert data["peers"]["authorities"] == 499
    assert [s["peers"] for s in data["sources"]] == [396, 400, 400, 400, 400]


def test_without_the_export_key_the_own_authority_cannot_be_recognised(
    peer_world: PeerWorld,
) -> None:
    subject = _subject(peer_world)
    data = _peers(peer_world, subject)  # the default key file does not exist here
    assert data["peers"]["left_out"]["own_authority"] == 0
    assert data["peers"]["assessments"] == 2000
    _check(
        data, _expected(peer_world.folders, lambda r: True, None), _own_scores(peer_world, subject)
    )


def test_filters_narrow_the_peers_and_small_figures_are_suppressed(peer_world: PeerWorld) -> None:
    subject = _subject(peer_world)
    key = peer_world.key_of(subject)
    args = ["--key", str(key), "--period", "2026/27", "--authority-type", "County council"]
    args += ["--region", "london", "--region", "south-east"]
    data = _peers(peer_world, subject, *args)

    def keep(r: dict[str, Any]) -> bool:
        return (
            r["period"] == "2026/27"
            and r["authority_type"] == "county"
            and r["region"] in ("london", "south-east")
        )

    own_key = read_key(key).authority(subject.authority)
    expected = _expected(peer_world.folders, keep, own_key)
    shown, suppressed = _check(data, expected, _own_scores(peer_world, subject))
    # The same peer group counted from what was made, without reading any file.
    made = [
        m
        for m in peer_world.made
        if keep({"period": m.period, "authority_type": m.authority_type, "region": m.region})
        and m.authority != subject.authority
    ]
    assert data["peers"]["assessments"] == len(made)
    assert data["filters"]["authority_types"] == ["county"]
    assert data["peer_group"] == "County council, in London or South East, period 2026/27"
    assert shown and suppressed  # the group is small enough that some figures are hidden


def test_figures_from_fewer_than_five_authorities_are_suppressed(peer_world: PeerWorld) -> None:
    subject = _subject(peer_world)
    counts: dict[tuple[str, str], set[str]] = {}
    for m in peer_world.made:
        if m.authority_type and m.region and m.authority != subject.authority:
            counts.setdefault((m.authority_type, m.region), set()).add(m.authority)
    kind, region = next(k for k, names in sorted(counts.items()) if 2 <= len(names) <= 4)
    args = ["--key", str(peer_world.key_of(subject)), "--authority-type", kind, "--region", region]
    data = _peers(peer_world, subject, *args)
    overall = data["figures"][0]
    # At least eight assessments (four periods each) but under five authorities: hidden.
    assert overall["n"] >= 8 and overall["authorities"] < 5
    assert all(f["suppressed"] for f in data["figures"])
    assert {f["suppressed_because"] for f in data["figures"] if f["n"] >= 5} == {
        "not shown: fewer than 5 authorities"
    }
    folders = map(str, peer_world.folders)
    shown = invoke(
        "peers", subject.id, *folders, *args, "--format", "markdown", db=peer_world.store
    )
    assert "Not shown: fewer than 5 authorities" in shown.out


def test_a_service_matches_by_key_under_your_export_key(peer_world: PeerWorld) -> None:
    subject = _subject(peer_world)
    args = ["--key", str(peer_world.key_of(subject)), "--service", "waste ", "--period", "2026/27"]
    data = _peers(peer_world, subject, *args)
    # Only the folder made with the same export key can be matched on a service without names.
    expected = [
        m
        for m in peer_world.made
        if m.group == subject.group
        and m.service == "Waste"
        and m.period == "2026/27"
        and m.authority != subject.authority
    ]
    assert data["peers"]["assessments"] == len(expected) > 5
    assert [s["peers"] for s in data["sources"]][1:] == [0, 0, 0, 0]


def test_every_format_suppresses_the_same_figures(peer_world: PeerWorld) -> None:
    subject = _subject(peer_world)
    args = ["--key", str(peer_world.key_of(subject)), "--period", "2026/27"]
    args += ["--authority-type", "county", "--region", "london"]
    folders = list(map(str, peer_world.folders))
    data = _peers(peer_world, subject, *args)
    hidden = [f["title"] for f in data["figures"] if f["suppressed"]]
    assert hidden
    out = {
        fmt: invoke("peers", subject.id, *folders, *args, "--format", fmt, db=peer_world.store)
        for fmt in ("text", "markdown", "html", "csv")
    }
    assert all(o.code == 0 for o in out.values()), {k: o.err for k, o in out.items()}
    table = list(csv.DictReader(io.StringIO(out["csv"].out)))
    assert len(table) == len(data["figures"])
    for row in table:
        if row["measure"] in hidden:
            assert row["median"] == row["lower_quartile"] == row["upper_quartile"] == ""
            assert row["where_you_stand"].startswith("Not shown: fewer than 5")
        else:
            assert float(row["median"]) >= 0
    markdown_rows = [line for line in out["markdown"].out.splitlines() if line.startswith("| ")]
    for title in hidden:
        line = next(r for r in markdown_rows if r.startswith(f"| {title} |"))
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[3:5] == ["–", "–"] and cells[5].startswith("Not shown: fewer than 5")
    assert "Not shown: fewer than 5" in out["html"].out and "<table" in out["html"].out
    assert "Not shown:" in out["text"].out  # the terminal wraps the rest of the cell


def test_a_broken_folder_is_named_and_skipped_and_the_rest_are_read(
    peer_world: PeerWorld, tmp_path: Path
) -> None:
    subject = _subject(peer_world)
    broken = tmp_path / "broken"
    shutil.copytree(peer_world.folders[1], broken)
    damaged = broken / "dimension_scores.parquet"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    folders = [peer_world.folders[0], broken, *peer_world.folders[2:]]
    key = peer_world.key_of(subject)
    done = invoke(
        "peers",
        subject.id,
        *map(str, folders),
        "--key",
        str(key),
        "--format",
        "json",
        db=peer_world.store,
    )
    assert done.code == 2  # so that a script notices; the report is still made from the rest
    assert f"skipped {broken}: the file dimension_scores.parquet is not the one" in done.err
    assert "Traceback" not in done.err
    report = json.loads(done.out)
    assert report["skipped"][0]["folder"] == str(broken)
    assert [s["folder"] for s in report["sources"]] == [str(f) for f in folders if f != broken]
    # Nothing of the broken folder was read: not its assessments, not its other tables.
    good = [f for f in folders if f != broken]
    own_key = read_key(key).authority(subject.authority)
    _check(report, _expected(good, lambda r: True, own_key), _own_scores(peer_world, subject))
    assert report["peers"]["assessments"] == 1600 - 4


def test_the_same_assessments_in_two_folders_count_once(
    peer_world: PeerWorld, tmp_path: Path
) -> None:
    subject = _subject(peer_world)
    copy = tmp_path / "copy"
    shutil.copytree(peer_world.folders[2], copy)
    key = str(peer_world.key_of(subject))
    once = _peers(peer_world, subject, "--key", key)
    twice = _peers(peer_world, subject, "--key", key, folders=[*peer_world.folders, copy])
    assert twice["peers"]["left_out"]["repeated"] == 400
    assert twice["figures"] == once["figures"]
    # The same folder named twice is simply read once.
    again = _peers(
        peer_world, subject, "--key", key, folders=[*peer_world.folders, peer_world.folders[0]]
    )
    assert again["figures"] == once["figures"] and len(again["sources"]) == 5
