"""The peer report shows names and folder names exactly as typed, in every format."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from assess.store import Store
from tests.helpers import invoke

HOSTILE = "<script>alert(1)</script> [bold]B[/bold] *em* =SUM(A1)"


def test_hostile_names_are_text_in_every_format(
    small_dataset: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    _, dataset, _ = small_dataset
    store = Store.open(tmp_path / "store")
    subject = store.create(authority=HOSTILE, service="=cmd|' /C calc'!A0")
    folder = tmp_path / "<b>folder</b> =1+1"
    shutil.copytree(dataset, folder)
    db = tmp_path / "store"

    html = invoke("peers", subject.id, str(folder), "--format", "html", db=db)
    assert html.code == 0, html.err
    assert "<script>" not in html.out and "<b>folder" not in html.out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.out

    markdown = invoke("peers", subject.id, str(folder), "--format", "markdown", db=db)
    assert "\\<script\\>" in markdown.out and "<script>" not in markdown.out

    text = invoke("peers", subject.id, str(folder), db=db)
    assert "[bold]B[/bold]" in text.out  # never read as Rich markup

    data = json.loads(invoke("peers", subject.id, str(folder), "--format", "json", db=db).out)
    assert data["assessment"]["authority"] == HOSTILE

    out = tmp_path / "peers.csv"
    written = invoke("peers", subject.id, str(folder), "--format", "csv", "-o", str(out), db=db)
    assert written.code == 0, written.err
    content = out.read_text("utf-8")
    assert content.startswith("\ufeff")  # so that Excel reads it as UTF-8
    table = list(csv.DictReader(content.lstrip("\ufeff").splitlines()))
    assert table[0]["measure"] == "Overall readiness"
    assert not any(v.startswith(("=", "+", "@")) for row in table for v in row.values() if v)
