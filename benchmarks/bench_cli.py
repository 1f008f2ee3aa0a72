"""How long `assess report` takes as a whole process, as an officer runs it.

Each run is a fresh `python -m assess report ...` (interpreter start, imports,
loading the shipped bank, checking the answers, scoring, rendering, writing),
timed from launch to exit. Target: median ≤ 500 ms per report, except for
the two file formats, which do much more and are made for a file an officer
waits for once: the Excel workbook (openpyxl builds and zips five sheets, a
chart and the drop-downs) ≤ 1,500 ms, and the PDF (WeasyPrint lays out a dozen
A4 pages of text and tables) ≤ 8,000 ms. Measured:

- from an answers file (a complete assessment with evidence notes), in the
  text format (which imports Rich) and in JSON and HTML;
- by id from a store holding that assessment (which also opens the store and
  reads the assessment's own bank copy).

The baseline is `python -c pass` in the same run: the interpreter start that
no command can avoid. Then `assess list`, `assess answer` and `assess
report` at 10 assessments, each taken in turn with `python -c "import
click"` (the floor of any click program) and run as installed, byte-code
cached; targets 2× that floor (3× for `report`). Run alone with
`python -m benchmarks.bench_cli [--quick]`.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from assess.domain.bank import Bank, load_shipped_bank
from assess.store import Store
from benchmarks.common import Row, format_table, summarise, time_process
from benchmarks.launch import installed_env
from benchmarks.stores import sample_value, synthetic_store

TARGET_MS = 500.0
XLSX_TARGET_MS = 1500.0
PDF_TARGET_MS = 8000.0
CLICK_RATIO = 2.0
REPORT_CLICK_RATIO = 3.0


def write_answers(bank: Bank, path: Path) -> None:
    """A complete answers file for the shipped bank (every question answered)."""
    rng = random.Random(7)
    answers: dict[str, Any] = {}
    for question in bank.questions:
        value = sample_value(question, rng)
        # Criteria carry evidence notes, as an officer's would.
        answers[question.id] = (
            {"level": value, "evidence": "Cabinet report, March; minutes item 7."}
            if question.is_criterion
            else value
        )
    data = {"authority": "Anytown Borough Council", "service": "Waste", "answers": answers}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def interleaved(
    first: list[str], second: list[str], env: dict[str, str], repeat: int
) -> tuple[list[float], list[float]]:
    """`repeat` runs of each whole process, taken in turn, so a noisy moment lands on both."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.extend(time_process(first, env, 1))
        b.extend(time_process(second, env, 1))
    return a, b


def against_click(root: Path, repeat: int) -> list[Row]:
    """`assess list`, `answer` and `report` at 10 assessments beside `python -c "import click"`.

    Run as installed (byte-code cached: `launch.installed_env`), each paired
    with the click floor in the same run; targets 2× it (3× for `report`).
    """
    store = root / "store-10"
    synthetic_store(store, 10)
    env = installed_env(NO_COLOR="1", ASSESS_DB=str(store))
    assess = [sys.executable, "-m", "assess"]
    click_floor = [sys.executable, "-c", "import click"]
    ten = Store.open(store).list()[0].id
    small = root / "one-answer.yaml"
    criterion = load_shipped_bank().criteria[0].id
    small.write_text(f"answers:\n  {criterion}: 3\n", encoding="utf-8")
    for warm in (click_floor, [*assess, "list"]):  # write the byte-code caches first
        time_process(warm, env, 1)
    cases = [
        ("assess list, 10 assessments", [*assess, "list"], CLICK_RATIO),
        (
            "assess answer ID --answers FILE, 10 assessments",
            [*assess, "answer", ten, "--answers", str(small)],
            CLICK_RATIO,
        ),
        ("assess report ID (text), 10 assessments", [*assess, "report", ten], REPORT_CLICK_RATIO),
    ]
    rows = []
    for name, argv, ratio in cases:
        floor, samples = interleaved(click_floor, argv, env, repeat)
        floor_median = summarise(floor)[0]
        median, p95 = summarise(samples)
        rows.append(
            Row(
                name=name,
                median=median,
                p95=p95,
                target=f"≤ {ratio:g}× `import click`",
                baseline=f"import click {floor_median:.0f} ms (×{median / floor_median:.2f})",
                met=median <= ratio * floor_median,
                note=f"{repeat} runs each, interleaved",
            )
        )
    return rows


def run(quick: bool) -> list[Row]:
    repeat = 5 if quick else 10
    bank = load_shipped_bank()
    with tempfile.TemporaryDirectory(prefix="assess-bench-cli-") as folder:
        root = Path(folder)
        answers = root / "answers.yaml"
        write_answers(bank, answers)
        store = root / "store"
        env = installed_env(NO_COLOR="1", ASSESS_DB=str(store))
        assess = [sys.executable, "-m", "assess"]

        made = subprocess.run(
            [*assess, "new", "--authority", "Anytown", "--answers", str(answers)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assessment_id = made.stdout.strip().split()[0]

        baseline = summarise(time_process([sys.executable, "-c", "pass"], env, repeat))
        floor = f"python start {baseline[0]:.0f} ms"
        cases = [
            ("assess report --answers FILE (text)", ["report", "--answers", str(answers)]),
            (
                "assess report --answers FILE --format json",
                ["report", "--answers", str(answers), "--format", "json"],
            ),
            (
                "assess report --answers FILE --format html",
                ["report", "--answers", str(answers), "--format", "html"],
            ),
            ("assess report ID (text, from the store)", ["report", assessment_id]),
        ]
        targets = {name: TARGET_MS for name, _ in cases}
        workbook, pdf = root / "report.xlsx", root / "report.pdf"
        files = [
            (
                "assess report ID --format xlsx -o FILE",
                ["report", assessment_id, "--format", "xlsx", "-o", str(workbook)],
                XLSX_TARGET_MS,
            ),
            (
                "assess report ID --format pdf -o FILE",
                ["report", assessment_id, "--format", "pdf", "-o", str(pdf)],
                PDF_TARGET_MS,
            ),
        ]
        for name, args, target in files:
            cases.append((name, args))
            targets[name] = target
        rows = []
        for name, args in cases:
            # A PDF takes seconds; fewer runs tell its median as well.
            runs = max(3, repeat // 2) if targets[name] == PDF_TARGET_MS else repeat
            median, p95 = summarise(time_process([*assess, *args], env, runs))
            rows.append(
                Row(
                    name=name,
                    median=median,
                    p95=p95,
                    target=f"median ≤ {targets[name]:,.0f} ms",
                    baseline=floor,
                    met=median <= targets[name],
                    note=f"{runs} runs",
                )
            )
        rows.extend(against_click(root, repeat))
        return rows


if __name__ == "__main__":
    print(format_table(run(quick="--quick" in sys.argv)))
